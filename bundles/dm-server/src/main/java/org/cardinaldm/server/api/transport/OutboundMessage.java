package org.cardinaldm.server.api.transport;

import java.util.Objects;

/**
 * What the server answers to an {@link InboundMessage}: a SyncML message, or a transport-level refusal
 * when no SyncML answer can be built (the request was not a SyncML message at all).
 */
public final class OutboundMessage extends WireMessage {
    private final int transportStatus;
    private final String reason;

    private OutboundMessage(int transportStatus, byte[] body, String contentType, String hmacHeader, String reason) {
        super(body, contentType, hmacHeader);
        this.transportStatus = transportStatus;
        this.reason = reason;
    }

    /**
     * @param body the encoded SyncML message
     * @param contentType its media type (the client's encoding)
     * @param hmacHeader the {@code x-syncml-hmac} value to send, or null
     * @return a SyncML answer (HTTP 200)
     */
    public static OutboundMessage message(byte[] body, String contentType, String hmacHeader) {
        return new OutboundMessage(200, body.clone(), Objects.requireNonNull(contentType, "contentType"), hmacHeader,
                null);
    }

    /**
     * @param transportStatus an HTTP-style status: 400 (not SyncML), 413 (too large), 415 (media type),
     *        503 (no capacity)
     * @param reason one line for logs and the response body; never a secret
     * @return a refusal without a SyncML body
     */
    public static OutboundMessage refusal(int transportStatus, String reason) {
        if (transportStatus < 400 || transportStatus > 599) {
            throw new IllegalArgumentException("a refusal needs a 4xx or 5xx status: " + transportStatus);
        }
        return new OutboundMessage(transportStatus, new byte[0], null, null, Objects.requireNonNull(reason, "reason"));
    }

    /** @return 200 for a SyncML answer, else the refusal status */
    public int transportStatus() {
        return transportStatus;
    }

    /** @return true when this carries a SyncML message */
    public boolean isMessage() {
        return transportStatus == 200;
    }

    /** @return why the message was refused, or null */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return isMessage() ? "OutboundMessage[" + body.length + " bytes, " + contentType + "]"
                : "OutboundMessage[refused " + transportStatus + ": " + reason + "]";
    }
}
