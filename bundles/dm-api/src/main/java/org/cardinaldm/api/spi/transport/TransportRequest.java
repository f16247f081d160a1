package org.cardinaldm.api.spi.transport;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One message to send: where, what (bytes and media type), which media types the answer may have,
 * extra header values (e.g. {@code x-syncml-hmac}), how long to wait and how much to accept back.
 * Immutable; {@link #toString()} shows neither the body nor header values.
 */
public final class TransportRequest extends EncodedMessage {
    /** Default time to wait for the whole answer. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** Default largest answer accepted, in bytes. */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 1 << 20;

    private final URI uri;
    private final List<String> accept;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final int maxResponseBytes;

    private TransportRequest(Builder b) {
        super(b.mediaType, b.body);
        this.uri = b.uri;
        this.accept = b.accept.isEmpty() ? List.of(b.mediaType) : List.copyOf(b.accept);
        this.headers = Collections.unmodifiableMap(new TreeMap<>(b.headers));
        this.timeout = b.timeout;
        this.maxResponseBytes = b.maxResponseBytes;
    }

    /**
     * @param uri the server address (or the RespURI it gave)
     * @param mediaType the media type of {@code body}, e.g. {@code application/vnd.syncml.dm+wbxml}
     * @param body the encoded message (copied)
     * @return a builder with the default timeout and response limit
     */
    public static Builder builder(URI uri, String mediaType, byte[] body) {
        return new Builder(uri, mediaType, body);
    }

    /** @return where the message goes */
    public URI uri() {
        return uri;
    }

    /** @return the media types the answer may have, preferred first (at least the request's own) */
    public List<String> accept() {
        return accept;
    }

    /** @return extra header values by lower-case name, e.g. {@code x-syncml-hmac} */
    public Map<String, String> headers() {
        return headers;
    }

    /** @return how long to wait for the whole answer */
    public Duration timeout() {
        return timeout;
    }

    /** @return the largest answer, in bytes, the caller accepts */
    public int maxResponseBytes() {
        return maxResponseBytes;
    }

    /** @return URI, media type, body length and header names; never the body or header values */
    @Override
    public String toString() {
        return "TransportRequest[" + uri + " " + mediaType() + " " + bodyLength() + " bytes, headers "
                + headers.keySet() + ", timeout " + timeout + "]";
    }

    /** Builds a {@link TransportRequest}. */
    public static final class Builder {
        private final URI uri;
        private final String mediaType;
        private final byte[] body;
        private final List<String> accept = new java.util.ArrayList<>();
        private final Map<String, String> headers = new TreeMap<>();
        private Duration timeout = DEFAULT_TIMEOUT;
        private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;

        private Builder(URI uri, String mediaType, byte[] body) {
            this.uri = Objects.requireNonNull(uri, "uri");
            this.mediaType = Objects.requireNonNull(mediaType, "mediaType");
            if (mediaType.isBlank()) {
                throw new IllegalArgumentException("mediaType is blank");
            }
            this.body = Objects.requireNonNull(body, "body").clone();
        }

        /**
         * @param mediaTypes the media types the answer may have, preferred first
         * @return this
         */
        public Builder accept(String... mediaTypes) {
            for (String t : mediaTypes) {
                accept.add(Objects.requireNonNull(t, "mediaType"));
            }
            return this;
        }

        /**
         * @param name a header name (stored lower-case), e.g. {@code x-syncml-hmac}
         * @param value its value, without line breaks
         * @return this
         */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (name.isBlank() || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("Header name is blank or value has a line break");
            }
            headers.put(name.trim().toLowerCase(Locale.ROOT), value);
            return this;
        }

        /**
         * @param value how long to wait for the whole answer, positive
         * @return this
         */
        public Builder timeout(Duration value) {
            Objects.requireNonNull(value, "timeout");
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("timeout must be positive");
            }
            this.timeout = value;
            return this;
        }

        /**
         * @param value the largest answer accepted, in bytes, positive
         * @return this
         */
        public Builder maxResponseBytes(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("maxResponseBytes must be positive");
            }
            this.maxResponseBytes = value;
            return this;
        }

        /** @return the request */
        public TransportRequest build() {
            return new TransportRequest(this);
        }
    }
}
