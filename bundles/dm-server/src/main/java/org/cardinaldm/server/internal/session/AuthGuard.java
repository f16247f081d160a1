package org.cardinaldm.server.internal.session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.cardinaldm.server.api.AuthAttempt;
import org.cardinaldm.server.internal.ServerConfig;

/**
 * What this node remembers of failed authentication, in memory: a throttle per (DevId, source) pair and the
 * recent refused attempts per DevId for operators. Nothing here is written to the registry, so a stranger's
 * failures change no device's record, nonce or lock-out, and the throttle of one source never stops another
 * (OMA-TS-DM_Security-V1_2 §5.3 leaves the lock-out policy to the server).
 *
 * <p>Throttle: the first {@code auth.max.failures} failures of a pair pass; the failure that reaches that number
 * blocks the pair for {@code auth.lockout.seconds}, and each failure after a block ends blocks it again for
 * twice as long as the last time, up to 16 times the first period. While blocked the pair's credentials are
 * not checked. A success from the pair forgets it. At most {@code throttleEntries} pairs are remembered, least
 * recently used forgotten first; so a sender that cycles through more pairs than that gets its own
 * forgotten pairs back, at the price of that many failed requests per reset.
 *
 * <p>Attempt log: the newest {@value #PER_DEVICE} refused attempts of each of the {@value #DEVICES} DevIds
 * tried most recently. Thread-safe.
 */
public final class AuthGuard {
    /** Attempts kept per DevId. */
    public static final int PER_DEVICE = 20;
    /** DevIds whose attempts are kept. */
    public static final int DEVICES = 1000;
    private static final int MAX_SOURCE_CHARS = 128;
    private static final int MAX_DOUBLINGS = 4;

    private final int maxFailures;
    private final Duration lockout;
    private final Map<Pair, Failures> pairs;
    private final Map<String, Deque<AuthAttempt>> attempts;

    private record Pair(String deviceId, String source) {
    }

    private static final class Failures {
        int count;
        int blocks;
        Instant blockedUntil;
    }

    /** @param config the failures before a pair is blocked, the first block period, the most pairs kept */
    public AuthGuard(ServerConfig config) {
        this.maxFailures = config.maxAuthFailures();
        this.lockout = config.lockout();
        int entries = config.strangers().throttleEntries();
        this.pairs = new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Pair, Failures> eldest) {
                return size() > entries;
            }
        };
        this.attempts = new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Deque<AuthAttempt>> eldest) {
                return size() > DEVICES;
            }
        };
    }

    /**
     * @param address the transport's peer address, or null
     * @return the source as this guard keys and shows it (at most 128 characters; {@code unknown} for none)
     */
    public static String source(String address) {
        if (address == null || address.isBlank()) {
            return "unknown";
        }
        String a = address.trim();
        return a.length() <= MAX_SOURCE_CHARS ? a : a.substring(0, MAX_SOURCE_CHARS);
    }

    /**
     * @param deviceId the claimed DevId
     * @param source the source ({@link #source})
     * @param now the time
     * @return whether the pair is blocked now
     */
    public synchronized boolean blocked(String deviceId, String source, Instant now) {
        Failures f = pairs.get(new Pair(deviceId, source));
        return f != null && f.blockedUntil != null && f.blockedUntil.isAfter(now);
    }

    /**
     * Counts a failure of the pair, and blocks it when it failed too often.
     *
     * @param deviceId the claimed DevId
     * @param source the source
     * @param now the time
     * @return when the pair's block ends, or null when it is not blocked
     */
    public synchronized Instant failed(String deviceId, String source, Instant now) {
        Failures f = pairs.computeIfAbsent(new Pair(deviceId, source), k -> new Failures());
        f.count++;
        if (f.count >= maxFailures) {
            Duration d = lockout.multipliedBy(1L << Math.min(f.blocks, MAX_DOUBLINGS));
            f.blocks++;
            f.blockedUntil = now.plus(d);
        }
        return f.blockedUntil != null && f.blockedUntil.isAfter(now) ? f.blockedUntil : null;
    }

    /**
     * Forgets the pair's failures: it authenticated.
     *
     * @param deviceId the DevId
     * @param source the source
     */
    public synchronized void succeeded(String deviceId, String source) {
        pairs.remove(new Pair(deviceId, source));
    }

    /**
     * Forgets every source's failures of a DevId (an operator unlocked it).
     *
     * @param deviceId the DevId
     */
    public synchronized void unlock(String deviceId) {
        pairs.keySet().removeIf(p -> p.deviceId().equals(deviceId));
    }

    /** @param attempt a refused attempt to remember */
    public void record(AuthAttempt attempt) {
        Objects.requireNonNull(attempt, "attempt");
        synchronized (attempts) {
            Deque<AuthAttempt> q = attempts.computeIfAbsent(attempt.deviceId(), k -> new ArrayDeque<>());
            q.addFirst(attempt);
            while (q.size() > PER_DEVICE) {
                q.removeLast();
            }
        }
    }

    /**
     * @param deviceId a DevId
     * @return its remembered refused attempts, newest first
     */
    public List<AuthAttempt> attempts(String deviceId) {
        synchronized (attempts) {
            Deque<AuthAttempt> q = attempts.get(deviceId);
            return q == null ? List.of() : List.copyOf(new ArrayList<>(q));
        }
    }
}
