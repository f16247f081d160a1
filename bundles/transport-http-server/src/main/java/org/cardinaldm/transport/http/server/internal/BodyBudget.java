package org.cardinaldm.transport.http.server.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * The bytes of request bodies being received and not yet handed to the DM server, in total and per source.
 * Bodies are read without a thread each ({@link BodyReader}), so the number of bodies in flight is bounded
 * only by the connections Jetty accepts; this budget bounds the memory they hold instead. A body that would
 * take the total or its source's share past the limit is refused (503) and gives its bytes back. Thread-safe.
 */
final class BodyBudget {
    private final long maxBytes;
    private final long maxBytesPerSource;
    private final Map<String, Long> perSource = new HashMap<>();
    private long total;

    /**
     * @param maxBytes the most body bytes held at once
     * @param maxBytesPerSource the most held for one source
     */
    BodyBudget(long maxBytes, long maxBytesPerSource) {
        if (maxBytes <= 0 || maxBytesPerSource <= 0) {
            throw new IllegalArgumentException("body budgets must be positive");
        }
        this.maxBytes = maxBytes;
        this.maxBytesPerSource = maxBytesPerSource;
    }

    /**
     * @param source the body's source
     * @param bytes bytes about to be held
     * @return false, holding nothing more, when the total or the source's share would be exceeded
     */
    synchronized boolean reserve(String source, long bytes) {
        long held = perSource.getOrDefault(source, 0L);
        if (total + bytes > maxBytes || held + bytes > maxBytesPerSource) {
            return false;
        }
        total += bytes;
        perSource.put(source, held + bytes);
        return true;
    }

    /**
     * @param source the body's source
     * @param bytes bytes no longer held (what {@link #reserve} granted it, in all)
     */
    synchronized void release(String source, long bytes) {
        if (bytes <= 0) {
            return;
        }
        total -= bytes;
        long left = perSource.getOrDefault(source, 0L) - bytes;
        if (left <= 0) {
            perSource.remove(source);
        } else {
            perSource.put(source, left);
        }
    }

    /** @return the bytes held now */
    synchronized long held() {
        return total;
    }
}
