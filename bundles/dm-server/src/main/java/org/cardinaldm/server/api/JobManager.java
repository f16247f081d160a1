package org.cardinaldm.server.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** Management jobs: submitted by operators, sent when the device connects, answered by it. */
@ProviderType
public interface JobManager {
    /**
     * Queues operations for a device. They are sent in order, after the jobs submitted before, the
     * next time the device is in session (in the current session if it is in one).
     *
     * @param deviceId a registered DevId
     * @param description a free text, or null
     * @param operations at least one operation
     * @return the pending job
     * @throws IllegalArgumentException when the device is unknown or there is no operation
     */
    Job submit(String deviceId, String description, List<Operation> operations);

    /**
     * @param jobId a job id
     * @return the job with its results, or empty
     */
    Optional<Job> job(long jobId);

    /**
     * @param deviceId a DevId, or null for every device
     * @param limit the most jobs to return
     * @return jobs, newest first
     */
    List<Job> jobs(String deviceId, int limit);

    /**
     * Cancels a job that has not been sent yet.
     *
     * @param jobId a job id
     * @return false when the job is unknown or no longer pending
     */
    boolean cancel(long jobId);
}
