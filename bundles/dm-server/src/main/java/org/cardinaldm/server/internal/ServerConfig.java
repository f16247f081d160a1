package org.cardinaldm.server.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * The server's settings, from the component configuration.
 *
 * @param serverId the ServerID: the default name the server authenticates with towards devices
 * @param nodeId this node's name (1 to 64 letters, digits, {@code -} and {@code _}), written on the jobs its sessions
 *        claim; the RespURI token of its sessions starts with it and a dot, so that a load balancer in front of
 *        several nodes routes a session's messages to its node
 * @param maxMessageBytes the largest message accepted (the MaxMsgSize the server announces)
 * @param maxObjectBytes the largest large object accepted from a device (the MaxObjSize announced)
 * @param idleTimeout how long an authenticated session may stay silent
 * @param maxSessions the most sessions open at once on this node
 * @param maxAuthFailures authentication failures before a device is locked out
 * @param lockout how long a lock-out lasts
 * @param maxAuthAttemptsPerSession credentials tried in one session before it is closed
 * @param maxJobsPerSession the most jobs one session claims
 * @param respUriBase the base of the RespURI, or null for the URL the device posted to
 * @param requireToken whether an authenticated session is continued only through its RespURI token
 *        (clients that ignore RespURI then cannot continue; anyone knowing DevId and SessionID could otherwise)
 * @param cardIdUri the node read at the start of each session to learn the device's card
 *        ({@code ./SmartCard/Info/CardId}), or null not to read it (and not to provision on first contact)
 * @param strangers what a sender that has not authenticated may cost: header sizes, anonymous sessions,
 *        the failure throttle
 */
public record ServerConfig(String serverId, String nodeId, int maxMessageBytes, int maxObjectBytes,
        Duration idleTimeout, int maxSessions, int maxAuthFailures, Duration lockout, int maxAuthAttemptsPerSession,
        int maxJobsPerSession, String respUriBase, boolean requireToken, String cardIdUri, Strangers strangers) {

    /** What a node id may be: it starts RespURI tokens and job claims, so no dot, slash or escape. */
    private static final java.util.regex.Pattern NODE_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /**
     * The defaults: ServerID {@code cardinal}, 256 KiB messages, 4 MiB objects, 5 failures of one DevId from one
     * source throttle that pair for 15 minutes, {@link Strangers#DEFAULT}.
     */
    public static final ServerConfig DEFAULT = new ServerConfig("cardinal", "node1", 256 * 1024, 4 * 1024 * 1024,
            Duration.ofMinutes(5), 10_000, 5, Duration.ofMinutes(15), 3, 50, null, true, null);

    /**
     * The limits on senders that have not authenticated (yet).
     *
     * @param maxDeviceIdChars the longest DevId (SyncHdr Source LocURI) and LocName read; longer is 414
     * @param maxUriChars the longest SyncHdr Target LocURI read; longer is 414
     * @param maxHeaderChars the longest SessionID and MsgID read; longer is 414
     * @param anonymousSessions the most unauthenticated sessions kept on this node
     * @param anonymousSessionsPerSource the most unauthenticated sessions kept for one source address
     * @param anonymousBytes the most bytes (estimated) unauthenticated sessions hold on this node
     * @param anonymousBytesPerSource the most bytes (estimated) unauthenticated sessions of one source hold
     * @param throttleEntries the most (DevId, source) pairs whose failures are remembered (least recently
     *        used forgotten first)
     * @param nonceKey the key of the nonces given to unregistered DevIds (set the same on every node), or null
     *        for a random key per engine
     */
    public record Strangers(int maxDeviceIdChars, int maxUriChars, int maxHeaderChars, int anonymousSessions,
            int anonymousSessionsPerSource, long anonymousBytes, long anonymousBytesPerSource, int throttleEntries,
            String nonceKey) {

        /**
         * 256 characters for DevId and Target, 64 for SessionID and MsgID; 5000 anonymous sessions and 8 MiB in
         * all, 1000 sessions and 2 MiB per source; 10,000 throttled pairs; a random nonce key.
         */
        public static final Strangers DEFAULT = new Strangers(256, 256, 64, 5000, 1000, 8L << 20, 2L << 20, 10_000,
                null);

        /** Checks the values. */
        public Strangers {
            if (maxDeviceIdChars < 16 || maxUriChars < 16 || maxHeaderChars < 4 || anonymousSessions < 0
                    || anonymousSessionsPerSource < 0 || anonymousBytes < 0 || anonymousBytesPerSource < 0
                    || throttleEntries < 1) {
                throw new IllegalArgumentException("limits on strangers must be positive");
            }
            if (nonceKey != null && nonceKey.isEmpty()) {
                nonceKey = null;
            }
        }

        /**
         * @param total the most anonymous sessions on the node
         * @param perSource the most per source
         * @param bytes the most bytes on the node
         * @param bytesPerSource the most bytes per source
         * @return a copy
         */
        public Strangers withAnonymous(int total, int perSource, long bytes, long bytesPerSource) {
            return new Strangers(maxDeviceIdChars, maxUriChars, maxHeaderChars, total, perSource, bytes,
                    bytesPerSource, throttleEntries, nonceKey);
        }

        @Override
        public String toString() {
            return "Strangers[devId " + maxDeviceIdChars + ", uri " + maxUriChars + ", header " + maxHeaderChars
                    + ", anonymous " + anonymousSessions + "/" + anonymousSessionsPerSource + " sessions, "
                    + anonymousBytes + "/" + anonymousBytesPerSource + " bytes, throttle " + throttleEntries
                    + (nonceKey == null ? ", random nonce key]" : ", configured nonce key]");
        }
    }

    /** Checks the values. */
    public ServerConfig {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(lockout, "lockout");
        Objects.requireNonNull(strangers, "strangers");
        if (!NODE_ID.matcher(nodeId).matches()) {
            throw new IllegalArgumentException("node.id must be 1 to 64 letters, digits, '-' or '_' (it starts the "
                    + "RespURI token a load balancer routes on)");
        }
        if (maxMessageBytes < 1024 || maxObjectBytes < 1 || maxSessions < 1 || maxAuthFailures < 1
                || maxAuthAttemptsPerSession < 1 || maxJobsPerSession < 1) {
            throw new IllegalArgumentException("server limits must be positive (MaxMsgSize at least 1024)");
        }
    }

    /**
     * The settings with {@link Strangers#DEFAULT} limits on strangers.
     *
     * @param serverId the ServerID
     * @param nodeId this node's name
     * @param maxMessageBytes the MaxMsgSize
     * @param maxObjectBytes the MaxObjSize
     * @param idleTimeout the idle timeout of authenticated sessions
     * @param maxSessions the most authenticated sessions
     * @param maxAuthFailures failures of one DevId from one source before that pair is throttled
     * @param lockout the first throttle period
     * @param maxAuthAttemptsPerSession credentials tried in one session
     * @param maxJobsPerSession jobs per session
     * @param respUriBase the RespURI base, or null
     * @param requireToken whether authenticated sessions need their token
     * @param cardIdUri the card id node, or null
     */
    public ServerConfig(String serverId, String nodeId, int maxMessageBytes, int maxObjectBytes, Duration idleTimeout,
            int maxSessions, int maxAuthFailures, Duration lockout, int maxAuthAttemptsPerSession,
            int maxJobsPerSession, String respUriBase, boolean requireToken, String cardIdUri) {
        this(serverId, nodeId, maxMessageBytes, maxObjectBytes, idleTimeout, maxSessions, maxAuthFailures, lockout,
                maxAuthAttemptsPerSession, maxJobsPerSession, respUriBase, requireToken, cardIdUri, Strangers.DEFAULT);
    }

    /**
     * @param value the limits on strangers
     * @return a copy
     */
    public ServerConfig withStrangers(Strangers value) {
        return new ServerConfig(serverId, nodeId, maxMessageBytes, maxObjectBytes, idleTimeout, maxSessions,
                maxAuthFailures, lockout, maxAuthAttemptsPerSession, maxJobsPerSession, respUriBase, requireToken,
                cardIdUri, value);
    }

    /**
     * @param bytes the MaxMsgSize
     * @return a copy
     */
    public ServerConfig withMaxMessageBytes(int bytes) {
        return new ServerConfig(serverId, nodeId, bytes, maxObjectBytes, idleTimeout, maxSessions, maxAuthFailures,
                lockout, maxAuthAttemptsPerSession, maxJobsPerSession, respUriBase, requireToken, cardIdUri, strangers);
    }

    /**
     * @param bytes the MaxObjSize
     * @return a copy
     */
    public ServerConfig withMaxObjectBytes(int bytes) {
        return new ServerConfig(serverId, nodeId, maxMessageBytes, bytes, idleTimeout, maxSessions, maxAuthFailures,
                lockout, maxAuthAttemptsPerSession, maxJobsPerSession, respUriBase, requireToken, cardIdUri, strangers);
    }

    /**
     * @param value whether authenticated sessions need their RespURI token
     * @return a copy
     */
    public ServerConfig withRequireToken(boolean value) {
        return new ServerConfig(serverId, nodeId, maxMessageBytes, maxObjectBytes, idleTimeout, maxSessions,
                maxAuthFailures, lockout, maxAuthAttemptsPerSession, maxJobsPerSession, respUriBase, value, cardIdUri,
                strangers);
    }

    /**
     * @param uri the card id node, or null
     * @return a copy
     */
    public ServerConfig withCardIdUri(String uri) {
        return new ServerConfig(serverId, nodeId, maxMessageBytes, maxObjectBytes, idleTimeout, maxSessions,
                maxAuthFailures, lockout, maxAuthAttemptsPerSession, maxJobsPerSession, respUriBase, requireToken, uri,
                strangers);
    }

    /**
     * @param sessions the most open sessions
     * @return a copy
     */
    public ServerConfig withMaxSessions(int sessions) {
        return new ServerConfig(serverId, nodeId, maxMessageBytes, maxObjectBytes, idleTimeout, sessions,
                maxAuthFailures, lockout, maxAuthAttemptsPerSession, maxJobsPerSession, respUriBase, requireToken, cardIdUri, strangers);
    }
}
