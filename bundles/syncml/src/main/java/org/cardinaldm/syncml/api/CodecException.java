package org.cardinaldm.syncml.api;

import java.util.Objects;

/**
 * A message, tree or notification could not be decoded or encoded.
 *
 * <p>{@link #error()} says why and {@link #status()} gives the SyncML status to answer. The message
 * is one line for logs; it never contains credentials, nonces or message data beyond element names
 * and byte offsets.
 */
public final class CodecException extends Exception {
    private static final long serialVersionUID = 1L;

    private final CodecError error;

    /**
     * @param error the reason
     * @param message one line for logs
     */
    public CodecException(CodecError error, String message) {
        super(message);
        this.error = Objects.requireNonNull(error, "error");
    }

    /**
     * @param error the reason
     * @param message one line for logs
     * @param cause the underlying failure
     */
    public CodecException(CodecError error, String message, Throwable cause) {
        super(message, cause);
        this.error = Objects.requireNonNull(error, "error");
    }

    /** @return why the codec failed */
    public CodecError error() {
        return error;
    }

    /** @return the SyncML status code for this failure, e.g. 400 or 413 */
    public int status() {
        return error.status();
    }

    /** @return {@code "<ERROR> (<status>): <message>"}, the one-line form tools print */
    public String toDisplayString() {
        return error + " (" + error.status() + "): " + getMessage();
    }
}
