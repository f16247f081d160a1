package org.cardinaldm.fumo.api.spi;

import java.util.Objects;

import org.cardinaldm.fumo.api.FumoResult;

/** An update agent could not do what was asked; the result code goes to the server. */
public class UpdateException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient FumoResult result;

    /**
     * @param result the FUMO result code to report
     * @param message one line for people, without secrets
     */
    public UpdateException(FumoResult result, String message) {
        super(message);
        this.result = Objects.requireNonNull(result, "result");
    }

    /**
     * @param result the FUMO result code to report
     * @param message one line for people, without secrets
     * @param cause the cause
     */
    public UpdateException(FumoResult result, String message, Throwable cause) {
        super(message, cause);
        this.result = Objects.requireNonNull(result, "result");
    }

    /** @return the result code to report */
    public FumoResult result() {
        return result;
    }
}
