package org.cardinaldm.server.api.transport;

/**
 * What a message on the wire carries in either direction: its exact bytes, their media type and the
 * {@code x-syncml-hmac} header (OMA-TS-DM_Security-V1_2 section 5.1.4). Only {@link InboundMessage}
 * and {@link OutboundMessage} are messages.
 */
abstract sealed class WireMessage permits InboundMessage, OutboundMessage {
    final byte[] body;
    final String contentType;
    final String hmacHeader;

    /**
     * @param body the bytes, owned by this message from now on
     * @param contentType their media type, or null for a refusal
     * @param hmacHeader the {@code x-syncml-hmac} header value, or null
     */
    WireMessage(byte[] body, String contentType, String hmacHeader) {
        this.body = body;
        this.contentType = contentType;
        this.hmacHeader = hmacHeader;
    }

    /** @return a copy of the exact bytes (the HMAC covers them); empty for a refusal */
    public byte[] body() {
        return body.clone();
    }

    /** @return the media type of the body (the Content-Type header), or null for a refusal */
    public String contentType() {
        return contentType;
    }

    /** @return the {@code x-syncml-hmac} header received or to send, or null */
    public String hmacHeader() {
        return hmacHeader;
    }
}
