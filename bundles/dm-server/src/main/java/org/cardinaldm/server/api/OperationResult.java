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
 */
public record OperationResult(long jobId, int index, int status, List<ResultItem> items, Instant time) {
    /** Copies the items. */
    public OperationResult {
        items = List.copyOf(items);
        Objects.requireNonNull(time, "time");
    }

    /**
     * @param newItems the items
     * @return a copy with those items
     */
    public OperationResult withItems(List<ResultItem> newItems) {
        return new OperationResult(jobId, index, status, newItems, time);
    }
}
