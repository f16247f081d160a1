package org.cardinaldm.api;

import java.util.Objects;

/**
 * A DM operation was refused or failed; {@link #status()} is the SyncML status the peer receives.
 *
 * <p>The message is for logs and operators. It must never contain a secret, a nonce, a PIN or key
 * material.
 */
public final class DmException extends Exception {
    private static final long serialVersionUID = 1L;

    private final StatusCode status;

    /**
     * @param status the SyncML status, never a 2xx code
     * @param message what went wrong, for logs
     */
    public DmException(StatusCode status, String message) {
        super(message);
        this.status = checked(status);
    }

    /**
     * @param status the SyncML status, never a 2xx code
     * @param message what went wrong, for logs
     * @param cause the underlying failure
     */
    public DmException(StatusCode status, String message, Throwable cause) {
        super(message, cause);
        this.status = checked(status);
    }

    private static StatusCode checked(StatusCode status) {
        Objects.requireNonNull(status, "status");
        if (status.isSuccess()) {
            throw new IllegalArgumentException("A DmException cannot carry a success status: " + status);
        }
        return status;
    }

    /** @return the SyncML status that describes this failure */
    public StatusCode status() {
        return status;
    }

    /** @return {@code "<code> <reason>: <message>"}, the one-line form shells and logs print */
    public String toDisplayString() {
        String message = getMessage();
        return message == null || message.isEmpty() ? status.toString() : status + ": " + message;
    }
}
