package org.cardinaldm.server.api.transport;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The DM server's entry point for transports. Thread-safe: messages of different sessions are
 * processed in parallel, messages of one session one after the other.
 */
@ProviderType
public interface ServerEndpoint {
    /** Name of the query parameter that carries the session token in the RespURI. */
    String SESSION_PARAMETER = "s";

    /**
     * Processes one message and returns the answer. Never throws for anything a peer sends: a
     * malformed message gets a refusal or a SyncML status.
     *
     * @param message the received message
     * @return the answer
     */
    OutboundMessage process(InboundMessage message);

    /** @return the largest message the server accepts, in bytes (its MaxMsgSize) */
    int maxMessageBytes();
}
