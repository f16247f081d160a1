package org.cardinaldm.server.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A job: ordered operations for one device, with every answer received so far.
 *
 * @param id the job id, unique in the registry
 * @param deviceId the device
 * @param description a free text for operators, or null
 * @param state the state
 * @param created when it was submitted
 * @param updated when it last changed
 * @param operations the top-level operations, in order
 * @param results the answers received, by operation index
 */
public record Job(long id, String deviceId, String description, JobState state, Instant created, Instant updated,
        List<Operation> operations, List<OperationResult> results) {

    /** Checks and copies. */
    public Job {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(state, "state");
        operations = List.copyOf(operations);
        results = List.copyOf(results);
    }

    /** @return the operations depth first (an Atomic followed by its children), as results number them */
    public List<Operation> flatOperations() {
        List<Operation> out = new ArrayList<>();
        for (Operation o : operations) {
            flatten(o, out);
        }
        return out;
    }

    private static void flatten(Operation o, List<Operation> out) {
        out.add(o);
        for (Operation c : o.children()) {
            flatten(c, out);
        }
    }

    /**
     * @param index an operation index
     * @return the latest answer for that operation, or empty
     */
    public Optional<OperationResult> result(int index) {
        OperationResult found = null;
        for (OperationResult r : results) {
            if (r.index() == index) {
                found = r;
            }
        }
        return Optional.ofNullable(found);
    }
}
