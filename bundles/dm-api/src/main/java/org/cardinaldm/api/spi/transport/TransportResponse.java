package org.cardinaldm.api.spi.transport;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The peer's answer: its bytes, its media type (empty when the peer named none) and the header
 * values the session layer may need (e.g. {@code x-syncml-hmac}). Immutable; {@link #toString()}
 * shows neither the body nor header values.
 */
public final class TransportResponse extends EncodedMessage {
    private final Map<String, String> headers;

    private TransportResponse(String mediaType, byte[] body, Map<String, String> headers) {
        super(mediaType, body);
        this.headers = headers;
    }

    /**
     * @param mediaType the answer's media type, or empty when the peer named none
     * @param body the answer's bytes (copied)
     * @param headers header values by name (names are stored lower-case)
     * @return the response
     */
    public static TransportResponse of(String mediaType, byte[] body, Map<String, String> headers) {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(body, "body");
        Map<String, String> copy = new TreeMap<>();
        Objects.requireNonNull(headers, "headers").forEach((k, v) -> copy.put(k.toLowerCase(Locale.ROOT),
                Objects.requireNonNull(v, "header value")));
        return new TransportResponse(mediaType, body.clone(), Collections.unmodifiableMap(copy));
    }

    /** @return header values by lower-case name */
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * @param name a header name, any case
     * @return its value, if the peer sent it
     */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** @return media type, body length and header names; never the body or header values */
    @Override
    public String toString() {
        return "TransportResponse[" + (mediaType().isEmpty() ? "no media type" : mediaType()) + " " + bodyLength()
                + " bytes, headers " + headers.keySet() + "]";
    }
}
