package org.cardinaldm.server.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * The server's settings, from the component configuration.
 *
 * @param serverId the ServerID: the default name the server authenticates with towards devices
 * @param nodeId this node's name, written on the jobs its sessions claim
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
 */
public record ServerConfig(String serverId, String nodeId, int maxMessageBytes, int maxObjectBytes,
        Duration idleTimeout, int maxSessions, int maxAuthFailures, Duration lockout, int maxAuthAttemptsPerSession,
        int maxJobsPerSession, String respUriBase, boolean requireToken, String cardIdUri) {

    /** The defaults: ServerID {@code cardinal}, 256 KiB messages, 4 MiB objects, 5 failures lock 15 minutes. */
    public static final ServerConfig DEFAULT = new ServerConfig("cardinal", "node1", 256 * 1024, 4 * 1024 * 1024,
            Duration.ofMinutes(5), 10_000, 5, Duration.ofMinutes(15), 3, 50, null, true, null);

    /** Checks the values. */
    public ServerConfig {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(lockout, "lockout");
        if (maxMessageBytes < 1024 || maxObjectBytes < 1 || maxSessions < 1 || maxAuthFailures < 1
                || maxAuthAttemptsPerSession < 1 || maxJobsPerSession < 1) {
            throw new IllegalArgumentException("server limits must be positive (MaxMsgSize at least 1024)");
        }
    }

    /**
     * @param bytes the MaxMsgSize
     * @return a copy
     */
    public ServerConfig withMaxMessageBytes(int bytes) {
        return new ServerConfig(serverId, nodeId, bytes, maxObjectBytes, idleTimeout, maxSessions, maxAuthFailures,
                lockout, maxAuthAttemptsPerSession, maxJobsPerSession, respUriBase, requireToken, cardIdUri);
    }

    /**
     * @param bytes the MaxObjSize
     * @return a copy
     */
    public ServerConfig withMaxObjectBytes(int bytes) {
        return new ServerConfig(serverId, nodeId, maxMessageBytes, bytes, idleTimeout, maxSessions, maxAuthFailures,
                lockout, maxAuthAttemptsPerSession, maxJobsPerSession, respUriBase, requireToken, cardIdUri);
    }

    /**
     * @param value whether authenticated sessions need their RespURI token
     * @return a copy
     */
    public ServerConfig withRequireToken(boolean value) {
        return new ServerConfig(serverId, nodeId, maxMessageBytes, maxObjectBytes, idleTimeout, maxSessions,
                maxAuthFailures, lockout, maxAuthAttemptsPerSession, maxJobsPerSession, respUriBase, value, cardIdUri);
    }

    /**
     * @param uri the card id node, or null
     * @return a copy
     */
    public ServerConfig withCardIdUri(String uri) {
        return new ServerConfig(serverId, nodeId, maxMessageBytes, maxObjectBytes, idleTimeout, maxSessions,
                maxAuthFailures, lockout, maxAuthAttemptsPerSession, maxJobsPerSession, respUriBase, requireToken, uri);
    }

    /**
     * @param sessions the most open sessions
     * @return a copy
     */
    public ServerConfig withMaxSessions(int sessions) {
        return new ServerConfig(serverId, nodeId, maxMessageBytes, maxObjectBytes, idleTimeout, sessions,
                maxAuthFailures, lockout, maxAuthAttemptsPerSession, maxJobsPerSession, respUriBase, requireToken, cardIdUri);
    }
}
