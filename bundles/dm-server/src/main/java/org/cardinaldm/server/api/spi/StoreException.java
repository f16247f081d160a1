package org.cardinaldm.server.api.spi;

/**
 * The store failed (database down, constraint broken). The message never contains a secret.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message one line for logs
     * @param cause the underlying failure
     */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * @param message one line for logs
     */
    public StoreException(String message) {
        super(message);
    }
}
