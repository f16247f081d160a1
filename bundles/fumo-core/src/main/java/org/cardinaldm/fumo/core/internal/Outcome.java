package org.cardinaldm.fumo.core.internal;

import java.util.Objects;

import org.cardinaldm.fumo.api.FumoResult;

/**
 * How an operation ended: its result code and one line for the history and the log (never a secret).
 *
 * @param result the FUMO result code
 * @param detail one line
 */
record Outcome(FumoResult result, String detail) {
    Outcome {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(detail, "detail");
    }

    /** @return success with a detail */
    static Outcome ok(String detail) {
        return new Outcome(FumoResult.SUCCESSFUL, detail);
    }

    /** @return a failure */
    static Outcome fail(FumoResult result, String detail) {
        return new Outcome(result, detail);
    }
}
