package org.cardinaldm.server.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import org.cardinaldm.server.api.spi.ServerStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job retention ({@code job.retention.days}): removes the jobs that ended longer ago than the retention, with
 * their operations and results ({@link ServerStore#pruneJobs}), in batches of {@link #BATCH} (one short transaction
 * each), at most {@link #MAX_BATCHES} per run so that one run never holds the registry for long. Without it the
 * registry keeps every job a device ever ran: in the load generator's soak, 2.6 KiB per session, without bound.
 * Several nodes may run it at once: each removal is of jobs that exist.
 */
public final class JobRetention {
    /** Jobs removed per transaction. */
    public static final int BATCH = 500;
    /** Transactions per run at most. */
    public static final int MAX_BATCHES = 40;
    private static final Logger LOG = LoggerFactory.getLogger(JobRetention.class);

    private final ServerStore store;
    private final Duration keep;

    /**
     * @param store the registry
     * @param keep how long a job that ended is kept; zero keeps every job
     */
    public JobRetention(ServerStore store, Duration keep) {
        this.store = Objects.requireNonNull(store, "store");
        if (keep.isNegative()) {
            throw new IllegalArgumentException("job.retention.days cannot be negative");
        }
        this.keep = keep;
    }

    /**
     * @param now the time
     * @return how many jobs were removed
     */
    public int run(Instant now) {
        if (keep.isZero()) {
            return 0;
        }
        Instant before = now.minus(keep);
        int total = 0;
        for (int i = 0; i < MAX_BATCHES; i++) {
            int n = store.pruneJobs(before, BATCH);
            total += n;
            if (n < BATCH) {
                break;
            }
        }
        if (total > 0) {
            store.sync();
            LOG.info("Job retention: {} job(s) that ended before {} removed", total, before);
        }
        return total;
    }
}
