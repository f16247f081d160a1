package org.cardinaldm.server.api.transport;

import java.util.Objects;

/**
 * A message received by a transport, as it arrived.
 */
public final class InboundMessage extends WireMessage {
    private final String sessionToken;
    private final String requestUrl;
    private final String remoteAddress;

    /**
     * @param body the exact bytes received (HMAC is computed over them)
     * @param contentType the Content-Type header value
     * @param hmacHeader the {@code x-syncml-hmac} header value, or null
     * @param sessionToken the session token the RespURI carried, or null
     * @param requestUrl the URL the message was posted to, without the query; the RespURI is built on it
     * @param remoteAddress the peer address, for logs, or null
     */
    public InboundMessage(byte[] body, String contentType, String hmacHeader, String sessionToken,
            String requestUrl, String remoteAddress) {
        super(body.clone(), Objects.requireNonNull(contentType, "contentType"), hmacHeader);
        this.sessionToken = sessionToken;
        this.requestUrl = Objects.requireNonNull(requestUrl, "requestUrl");
        this.remoteAddress = remoteAddress;
    }

    /** @return the session token from the RespURI, or null */
    public String sessionToken() {
        return sessionToken;
    }

    /** @return the URL posted to, without query */
    public String requestUrl() {
        return requestUrl;
    }

    /** @return the peer address, or null */
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public String toString() {
        return "InboundMessage[" + body.length + " bytes, " + contentType + ", from " + remoteAddress + "]";
    }
}
