package org.cardinaldm.server.internal.session;

import java.util.ArrayList;
import java.util.List;

import org.cardinaldm.server.api.Operation;

/**
 * An operation of a claimed job waiting to be sent, with its depth-first index.
 *
 * @param jobId the job
 * @param index the depth-first index of the operation in its job
 * @param operation the operation
 * @param children the nested operations of an Atomic, indexed
 */
record PendingOp(long jobId, int index, Operation operation, List<PendingOp> children) {

    /**
     * @param jobId a job
     * @param operations its top-level operations
     * @return the top-level pending operations, indexed depth first
     */
    static List<PendingOp> of(long jobId, List<Operation> operations) {
        List<PendingOp> out = new ArrayList<>();
        int[] next = {0};
        for (Operation o : operations) {
            out.add(build(jobId, o, next));
        }
        return out;
    }

    private static PendingOp build(long jobId, Operation o, int[] next) {
        int index = next[0]++;
        List<PendingOp> children = new ArrayList<>();
        for (Operation c : o.children()) {
            children.add(build(jobId, c, next));
        }
        return new PendingOp(jobId, index, o, List.copyOf(children));
    }
}
