package org.cardinaldm.server.api.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A job a session holds ({@code ACTIVE}), as the registry knows it: who claimed it and whether its commands were
 * sent. What a node recovering the claims of a node that died needs ({@link ServerStore#claimedJobs}).
 *
 * @param jobId the job
 * @param deviceId its device
 * @param owner the claiming session: {@code <nodeId>/<incarnation>/<session>} (older servers wrote
 *        {@code <nodeId>/<session>})
 * @param claimed when it was claimed
 * @param dispatched whether the owner marked the job's commands as leaving the node ({@link ServerStore#markDispatched})
 *        before sending them: when false they never reached the device
 * @param recoveries how many times the job went back to pending after a node that had sent it was lost
 */
public record ClaimedJob(long jobId, String deviceId, String owner, Instant claimed, boolean dispatched,
        int recoveries) {
    /** Checks the mandatory parts. */
    public ClaimedJob {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(owner, "owner");
    }
}
