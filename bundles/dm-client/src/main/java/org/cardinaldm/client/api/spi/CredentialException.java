package org.cardinaldm.client.api.spi;

import java.util.Objects;

/**
 * Credentials could not be used. The message never contains a secret, a nonce or a digest.
 */
public final class CredentialException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Reason {
        /** The credential store is not there now (e.g. the card was removed). */
        UNAVAILABLE,
        /** The store cannot do this (e.g. a card that only computes md5 digests was asked for basic). */
        UNSUPPORTED,
        /** The store failed (an I/O error, a card error, a refused PIN). */
        FAILED
    }

    private final Reason reason;

    /**
     * @param reason why
     * @param message one line for logs, without secrets
     */
    public CredentialException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * @param reason why
     * @param message one line for logs, without secrets
     * @param cause the underlying failure
     */
    public CredentialException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** @return why */
    public Reason reason() {
        return reason;
    }
}
