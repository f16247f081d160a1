package org.cardinaldm.fumo.api.spi;

import java.util.Objects;

import org.cardinaldm.fumo.api.FumoResult;

/**
 * The authorizer refuses: 404 bad signature, 403 wrong device class, 405 rollback or a server it does not
 * allow, 409 when the authority (the card) cannot be asked.
 */
public class FumoRefusedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient FumoResult result;

    /**
     * @param result the FUMO result code to report
     * @param message one line for people, without secrets, nonces or keys
     */
    public FumoRefusedException(FumoResult result, String message) {
        super(message);
        this.result = Objects.requireNonNull(result, "result");
    }

    /** @return the result code to report */
    public FumoResult result() {
        return result;
    }
}
