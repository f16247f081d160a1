package org.cardinaldm.client.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard listener for DM sessions: register it as a service to learn when sessions start and
 * end. Called on the client's session thread: return quickly and never block; exceptions are logged
 * and ignored.
 */
@ConsumerType
public interface SessionListener {
    /**
     * A session is about to send its first package.
     *
     * @param serverId the ServerID
     * @param sessionId the SessionID
     * @param initiator who initiated it
     */
    default void sessionStarted(String serverId, String sessionId, SessionRequest.Initiator initiator) {
    }

    /**
     * A session has ended, successfully or not.
     *
     * @param result how it went
     */
    default void sessionEnded(SessionResult result) {
    }
}
