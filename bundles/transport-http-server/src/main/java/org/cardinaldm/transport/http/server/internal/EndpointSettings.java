package org.cardinaldm.transport.http.server.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * What the endpoint accepts before it hands a message to the DM server, independent of OSGi so that tests
 * can build it.
 *
 * @param maxBytes the largest body accepted, or 0 for the server's MaxMsgSize
 * @param publicUrl the URL clients reach the servlet at (behind a proxy), or null for the request URL
 * @param bodyTimeout how long a client may take to send a whole body, from the end of its headers
 * @param sources how the source address is found (peer, or forwarded from trusted proxies)
 * @param pendingBytes the most bytes of bodies being received at once, all sources together
 * @param pendingBytesPerSource the most of them one source may hold
 */
record EndpointSettings(int maxBytes, String publicUrl, Duration bodyTimeout, SourceAddress sources,
        long pendingBytes, long pendingBytesPerSource) {
    /** Default time to receive a body: 60 s, a 256 KiB MaxMsgSize at about 4.3 KiB/s. */
    static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(60);
    /** Default bytes of bodies in flight: 32 MiB, 128 bodies of the default 256 KiB MaxMsgSize. */
    static final long DEFAULT_PENDING_BYTES = 32L << 20;
    /** Default share of one source: 4 MiB, 16 bodies of 256 KiB. */
    static final long DEFAULT_PENDING_BYTES_PER_SOURCE = 4L << 20;

    EndpointSettings {
        Objects.requireNonNull(bodyTimeout, "bodyTimeout");
        Objects.requireNonNull(sources, "sources");
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative");
        }
        if (pendingBytes <= 0 || pendingBytesPerSource <= 0) {
            throw new IllegalArgumentException("the bytes of bodies in flight must be positive");
        }
        if (bodyTimeout.isNegative() || bodyTimeout.isZero()) {
            throw new IllegalArgumentException("body timeout must be positive");
        }
        publicUrl = publicUrl == null || publicUrl.isBlank() ? null : publicUrl;
    }

    /**
     * @param maxBytes the largest body accepted, or 0 for the server's MaxMsgSize
     * @param publicUrl the public URL, or null
     * @return settings with the default body timeout and the peer as the source of every request
     */
    static EndpointSettings of(int maxBytes, String publicUrl) {
        return new EndpointSettings(maxBytes, publicUrl, DEFAULT_BODY_TIMEOUT, SourceAddress.PEER_ONLY,
                DEFAULT_PENDING_BYTES, DEFAULT_PENDING_BYTES_PER_SOURCE);
    }

    EndpointSettings withBodyTimeout(Duration value) {
        return new EndpointSettings(maxBytes, publicUrl, value, sources, pendingBytes, pendingBytesPerSource);
    }

    EndpointSettings withSources(SourceAddress value) {
        return new EndpointSettings(maxBytes, publicUrl, bodyTimeout, value, pendingBytes, pendingBytesPerSource);
    }

    EndpointSettings withPendingBytes(long total, long perSource) {
        return new EndpointSettings(maxBytes, publicUrl, bodyTimeout, sources, total, perSource);
    }
}
