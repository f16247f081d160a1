package org.cardinaldm.fumo.core.internal;

import java.util.Objects;

import org.cardinaldm.fumo.api.FumoResult;

/** A download failed; carries the FUMO result code to report and a detail without secrets. */
final class FetchException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient FumoResult result;
    private final boolean notFound;

    FetchException(FumoResult result, String detail) {
        this(result, detail, false);
    }

    FetchException(FumoResult result, String detail, boolean notFound) {
        super(detail);
        this.result = Objects.requireNonNull(result, "result");
        this.notFound = notFound;
    }

    /** @return the result code */
    FumoResult result() {
        return result;
    }

    /** @return whether the server answered 404 or 410 */
    boolean notFound() {
        return notFound;
    }
}
