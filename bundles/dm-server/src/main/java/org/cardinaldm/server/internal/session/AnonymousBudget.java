package org.cardinaldm.server.internal.session;

import java.util.HashMap;
import java.util.Map;

import org.cardinaldm.server.internal.ServerConfig;

/**
 * What sessions that have not authenticated may hold on this node, in number and in (estimated) bytes, per
 * source address and in total. A session that cannot get a {@link Charge} is answered (its challenge) and then
 * forgotten: the answer carries no RespURI and nothing of it stays. Thread-safe.
 */
public final class AnonymousBudget {
    /** The bytes counted for any session besides its strings: objects, maps, the token. */
    public static final int SESSION_OVERHEAD = 1024;

    private final long maxSessions;
    private final long maxSessionsPerSource;
    private final long maxBytes;
    private final long maxBytesPerSource;
    private final Map<String, long[]> perSource = new HashMap<>();
    private long sessions;
    private long bytes;

    /** What one kept anonymous session holds of the budget; released once. */
    public final class Charge {
        private final String source;
        private final long size;
        private boolean released;

        private Charge(String source, long size) {
            this.source = source;
            this.size = size;
        }

        /** Gives the charge back (the session authenticated or ended); a second call does nothing. */
        public void release() {
            synchronized (AnonymousBudget.this) {
                if (released) {
                    return;
                }
                released = true;
                sessions--;
                bytes -= size;
                long[] c = perSource.get(source);
                c[0]--;
                c[1] -= size;
                if (c[0] <= 0) {
                    perSource.remove(source);
                }
            }
        }
    }

    /** @param config the limits ({@link ServerConfig.Strangers}) */
    public AnonymousBudget(ServerConfig config) {
        ServerConfig.Strangers s = config.strangers();
        this.maxSessions = s.anonymousSessions();
        this.maxSessionsPerSource = s.anonymousSessionsPerSource();
        this.maxBytes = s.anonymousBytes();
        this.maxBytesPerSource = s.anonymousBytesPerSource();
    }

    /**
     * @param chars the characters of the strings the session keeps (DevId, SessionID, URIs)
     * @return the bytes counted for it
     */
    public static long estimate(long chars) {
        return SESSION_OVERHEAD + 2 * chars;
    }

    /**
     * @param source the source address ({@link AuthGuard#source})
     * @param size the session's bytes ({@link #estimate})
     * @return the charge, or null when the source or the node has no room
     */
    public synchronized Charge tryCharge(String source, long size) {
        long[] c = perSource.getOrDefault(source, new long[2]);
        if (sessions + 1 > maxSessions || bytes + size > maxBytes || c[0] + 1 > maxSessionsPerSource
                || c[1] + size > maxBytesPerSource) {
            return null;
        }
        sessions++;
        bytes += size;
        c[0]++;
        c[1] += size;
        perSource.put(source, c);
        return new Charge(source, size);
    }

    /** @return the anonymous sessions charged now */
    public synchronized long sessions() {
        return sessions;
    }
}
