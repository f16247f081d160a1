package org.cardinaldm.server.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the device answered to one operation of a job: its Status and, for a Get, its Results.
 *
 * @param jobId the job
 * @param index the operation's position in the job, depth first from 0 (an Atomic at 2 with two children
 *        numbers them 3 and 4)
 * @param status the SyncML status code, e.g. 200 or 404
 * @param items the Results items of a Get, or the items of the Status; possibly empty
 * @param time when the server received it
 * @param async for an Exec answered {@code 202}: the wait for its Generic Alert 1226 and what it reported
 *        (result code, meaning, the alert's Source and Target, arrival time, lateness), or the timeout; null
 *        otherwise (since 2.1)
 */
public record OperationResult(long jobId, int index, int status, List<ResultItem> items, Instant time,
        AsyncExec async) {
    /** Copies the items. */
    public OperationResult {
        items = List.copyOf(items);
        Objects.requireNonNull(time, "time");
    }

    /**
     * An answer without asynchronous part.
     *
     * @param jobId the job
     * @param index the operation index
     * @param status the SyncML status code
     * @param items the items
     * @param time when the server received it
     */
    public OperationResult(long jobId, int index, int status, List<ResultItem> items, Instant time) {
        this(jobId, index, status, items, time, null);
    }

    /**
     * @param value the asynchronous part, or null
     * @return a copy with it
     * @since 2.1
     */
    public OperationResult withAsync(AsyncExec value) {
        return new OperationResult(jobId, index, status, items, time, value);
    }

    /**
     * @param newItems the items
     * @return a copy with those items
     */
    public OperationResult withItems(List<ResultItem> newItems) {
        return new OperationResult(jobId, index, status, newItems, time, async);
    }
}
