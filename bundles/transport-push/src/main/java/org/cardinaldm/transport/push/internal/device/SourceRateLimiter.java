package org.cardinaldm.transport.push.internal.device;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Token buckets for unauthenticated datagrams: one per source and one for all. A datagram is admitted when
 * both its source's bucket and the global bucket hold a token; a source that is refused takes nothing from the
 * global bucket, so one noisy source cannot crowd out the others. Each bucket refills at its rate up to its
 * burst. At most {@code maxSources} sources are remembered (least recently seen forgotten first; a forgotten
 * source starts with a full bucket again, still within the global bucket). Time comes from an injectable
 * nanosecond clock. Thread-safe.
 */
final class SourceRateLimiter {
    private static final double NANOS = 1_000_000_000d;

    /** One token bucket. */
    private static final class Bucket {
        private double tokens;
        private long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        void refill(long now, double perSecond, double burst) {
            if (now > at) {
                tokens = Math.min(burst, tokens + (now - at) / NANOS * perSecond);
            }
            at = now;
        }
    }

    private final double perSource;
    private final double sourceBurst;
    private final double global;
    private final double globalBurst;
    private final LongSupplier nanoTime;
    private final Bucket all;
    private final Map<String, Bucket> sources;

    /**
     * @param perSource datagrams per second from one source, more than 0
     * @param sourceBurst datagrams one source may send at once, 1 or more
     * @param global datagrams per second from all sources, more than 0
     * @param globalBurst datagrams all sources may send at once, 1 or more
     * @param maxSources sources remembered, 1 or more
     * @param nanoTime the clock ({@link System#nanoTime()} in production)
     */
    SourceRateLimiter(double perSource, int sourceBurst, double global, int globalBurst, int maxSources,
            LongSupplier nanoTime) {
        this.perSource = perSource;
        this.sourceBurst = Math.max(1, sourceBurst);
        this.global = global;
        this.globalBurst = Math.max(1, globalBurst);
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.all = new Bucket(this.globalBurst, nanoTime.getAsLong());
        int max = Math.max(1, maxSources);
        this.sources = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > max;
            }
        };
    }

    /**
     * @param source the sender, e.g. its IP address
     * @return whether a datagram from it may be handled now
     */
    synchronized boolean admit(String source) {
        long now = nanoTime.getAsLong();
        Bucket b = sources.computeIfAbsent(source, s -> new Bucket(sourceBurst, now));
        b.refill(now, perSource, sourceBurst);
        all.refill(now, global, globalBurst);
        if (b.tokens < 1 || all.tokens < 1) {
            return false;
        }
        b.tokens--;
        all.tokens--;
        return true;
    }

    /** @return how many sources are remembered */
    synchronized int sources() {
        return sources.size();
    }
}
