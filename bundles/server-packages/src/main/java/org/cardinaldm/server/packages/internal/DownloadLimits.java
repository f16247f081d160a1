package org.cardinaldm.server.packages.internal;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the downloads in progress: at most {@code total} at once, and at most {@code perSource} for one
 * source address. A download holds a container thread while it writes (the response is written with
 * blocking I/O), so these bounds are what a stranger can cost: {@code perSource} threads, and all sources
 * together {@code total}. A slot is taken before the file is opened and given back when the response is
 * done. Thread-safe.
 */
public final class DownloadLimits {
    private final int total;
    private final int perSource;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ConcurrentMap<String, AtomicInteger> bySource = new ConcurrentHashMap<>();

    /**
     * @param total most downloads at once, at least 1
     * @param perSource most downloads at once from one source, at least 1
     */
    public DownloadLimits(int total, int perSource) {
        if (total < 1 || perSource < 1) {
            throw new IllegalArgumentException("limits must be at least 1");
        }
        this.total = total;
        this.perSource = perSource;
    }

    /**
     * Takes a slot for a source.
     *
     * @param source the source address
     * @return whether a slot was free; when true, {@link #release(String)} must follow exactly once
     */
    boolean tryAcquire(String source) {
        Objects.requireNonNull(source, "source");
        if (inFlight.incrementAndGet() > total) {
            inFlight.decrementAndGet();
            return false;
        }
        boolean[] granted = new boolean[1];
        bySource.compute(source, (k, count) -> {
            AtomicInteger c = count == null ? new AtomicInteger() : count;
            if (c.get() < perSource) {
                c.incrementAndGet();
                granted[0] = true;
            }
            return c.get() == 0 ? null : c;
        });
        if (!granted[0]) {
            inFlight.decrementAndGet();
        }
        return granted[0];
    }

    /** @param source the source a slot was taken for */
    void release(String source) {
        bySource.computeIfPresent(source, (k, c) -> c.decrementAndGet() <= 0 ? null : c);
        inFlight.decrementAndGet();
    }

    /** @return downloads in progress, all sources */
    int inFlight() {
        return inFlight.get();
    }

    /** @return sources with a download in progress (the map never keeps idle sources) */
    int sources() {
        return bySource.size();
    }
}
