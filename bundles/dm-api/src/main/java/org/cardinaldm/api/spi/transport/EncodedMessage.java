package org.cardinaldm.api.spi.transport;

/**
 * What a request and a response of a transport have in common: an encoded message and its media type.
 * Package-private: callers see its methods on {@link TransportRequest} and {@link TransportResponse}.
 */
abstract class EncodedMessage {
    private final String mediaType;
    private final byte[] body;

    /**
     * @param mediaType the media type, not null
     * @param body the bytes, already copied by the caller
     */
    EncodedMessage(String mediaType, byte[] body) {
        this.mediaType = mediaType;
        this.body = body;
    }

    /** @return the media type of the body (for a response: the one the peer named, or empty) */
    public String mediaType() {
        return mediaType;
    }

    /** @return a copy of the body */
    public byte[] body() {
        return body.clone();
    }

    /** @return the number of bytes of the body */
    public int bodyLength() {
        return body.length;
    }
}
