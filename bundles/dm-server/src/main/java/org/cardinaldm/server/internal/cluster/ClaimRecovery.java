package org.cardinaldm.server.internal.cluster;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.spi.ClaimedJob;
import org.cardinaldm.server.api.spi.ServerStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What becomes of a job whose session was lost with its node (killed, hung, cut off from the registry), decided
 * from what the registry knows:
 * <ul>
 * <li>its commands never left the node (no dispatch mark): back to {@link JobState#PENDING}, the device's next
 * session on any node runs it;</li>
 * <li>its commands may have reached the device and every operation is {@linkplain RepeatSafety safe to repeat}
 * (Get, Replace): back to {@link JobState#PENDING} too, its answers so far kept until new ones replace them, at most
 * {@code maxRecoveries} times (a job that keeps losing its node is not retried for ever);</li>
 * <li>otherwise: {@link JobState#INTERRUPTED}, with the answers that were stored (what is known: which operations
 * the device answered and how; an operation without answer may or may not have run).</li>
 * </ul>
 * Every change is conditional on the claim being unchanged in the registry ({@link ServerStore#releaseClaim}), so
 * two nodes recovering at once, or the lost node still finishing a message, never both win.
 */
public final class ClaimRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(ClaimRecovery.class);

    /** What recovering one claim did. */
    public enum Outcome {
        /** Never sent: pending again. */
        REQUEUED_UNSENT,
        /** Sent, safe to repeat: pending again. */
        RETRIED,
        /** Sent, not safe to repeat (or retried too often): interrupted. */
        INTERRUPTED,
        /** The claim changed meanwhile (another node recovered it, or its session finished): nothing done. */
        UNCHANGED
    }

    private final ServerStore store;
    private final int maxRecoveries;

    /**
     * @param store the registry
     * @param maxRecoveries how many times a job that may have reached its device goes back to pending
     */
    public ClaimRecovery(ServerStore store, int maxRecoveries) {
        this.store = Objects.requireNonNull(store, "store");
        if (maxRecoveries < 0) {
            throw new IllegalArgumentException("job.recovery.max must not be negative");
        }
        this.maxRecoveries = maxRecoveries;
    }

    /**
     * @param claim a claim whose session is lost
     * @param now the time
     * @return what became of it
     */
    public Outcome recover(ClaimedJob claim, Instant now) {
        if (!claim.dispatched()) {
            return store.releaseClaim(claim, JobState.PENDING, now) ? log(claim, Outcome.REQUEUED_UNSENT)
                    : Outcome.UNCHANGED;
        }
        Optional<Job> job = store.job(claim.jobId());
        if (job.isEmpty()) {
            return Outcome.UNCHANGED; // removed with its device meanwhile
        }
        boolean repeat = RepeatSafety.safe(job.get().operations()) && claim.recoveries() < maxRecoveries;
        if (repeat) {
            return store.releaseClaim(claim, JobState.PENDING, now) ? log(claim, Outcome.RETRIED) : Outcome.UNCHANGED;
        }
        return store.releaseClaim(claim, JobState.INTERRUPTED, now) ? log(claim, Outcome.INTERRUPTED)
                : Outcome.UNCHANGED;
    }

    private static Outcome log(ClaimedJob claim, Outcome o) {
        LOG.debug("Job {} of {} claimed by a lost session: {}", claim.jobId(), claim.deviceId(), o);
        return o;
    }
}
