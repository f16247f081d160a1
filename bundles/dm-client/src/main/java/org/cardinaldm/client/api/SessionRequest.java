package org.cardinaldm.client.api;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which DM server to open a session with, and who initiated it (digest 1.6): the client (Alert 1201,
 * SessionID chosen by the client) or the server through a notification (Alert 1200, SessionID of the
 * package 0). Immutable.
 */
public final class SessionRequest {
    /** Who initiated a session. */
    public enum Initiator {
        /** The device or its user: Alert 1201. */
        CLIENT,
        /** The server, through a package-0 notification: Alert 1200. */
        SERVER
    }

    private static final Pattern SESSION_ID = Pattern.compile("[1-9A-F][0-9A-F]{0,3}");

    private final String serverId;
    private final Initiator initiator;
    private final String sessionId;

    private SessionRequest(String serverId, Initiator initiator, String sessionId) {
        this.serverId = serverId;
        this.initiator = initiator;
        this.sessionId = sessionId;
    }

    /**
     * @param serverId the ServerID of a {@code ./DMAcc} account
     * @return a client-initiated session request
     */
    public static SessionRequest clientInitiated(String serverId) {
        return new SessionRequest(checkedServerId(serverId), Initiator.CLIENT, null);
    }

    /**
     * @param serverId the ServerID of a {@code ./DMAcc} account
     * @param sessionId the notification's SessionID: 1 to 4 upper-case hex digits without leading zeros
     * @return a server-initiated session request
     * @throws IllegalArgumentException when the SessionID is not in that form
     */
    public static SessionRequest serverInitiated(String serverId, String sessionId) {
        Objects.requireNonNull(sessionId, "sessionId");
        if (!SESSION_ID.matcher(sessionId).matches()) {
            throw new IllegalArgumentException("SessionID must be 1 to 4 upper-case hex digits without leading zeros");
        }
        return new SessionRequest(checkedServerId(serverId), Initiator.SERVER, sessionId);
    }

    private static String checkedServerId(String serverId) {
        Objects.requireNonNull(serverId, "serverId");
        if (serverId.isEmpty()) {
            throw new IllegalArgumentException("ServerID is empty");
        }
        return serverId;
    }

    /** @return the ServerID */
    public String serverId() {
        return serverId;
    }

    /** @return who initiated the session */
    public Initiator initiator() {
        return initiator;
    }

    /** @return the SessionID to use, for server-initiated sessions */
    public Optional<String> sessionId() {
        return Optional.ofNullable(sessionId);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SessionRequest)) {
            return false;
        }
        SessionRequest r = (SessionRequest) o;
        return serverId.equals(r.serverId) && initiator == r.initiator && Objects.equals(sessionId, r.sessionId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(serverId, initiator, sessionId);
    }

    @Override
    public String toString() {
        return "SessionRequest[" + serverId + " " + initiator + (sessionId == null ? "" : " session " + sessionId) + "]";
    }
}
