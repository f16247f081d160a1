package org.cardinaldm.api.spi.transport;

import java.util.Objects;

/**
 * A message could not be exchanged. {@link #reason()} says why, {@link #peerStatus()} carries the
 * bearer's status code when the peer answered with an error (an HTTP status), and
 * {@link #isRetryable()} tells the session layer whether sending the same message again later can
 * help.
 *
 * <p>The message is one line for logs; it never contains message bytes, credentials or nonces.
 */
public final class TransportException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why an exchange failed. */
    public enum Reason {
        /** The peer could not be reached (name resolution, connection refused or reset). Retryable. */
        UNREACHABLE,
        /** The peer did not answer in time. Retryable. */
        TIMEOUT,
        /** The peer answered with an error status ({@link #peerStatus()}); 404, 408, 429 and 5xx are retryable. */
        PEER_STATUS,
        /** The answer is larger than {@link TransportRequest#maxResponseBytes()}. */
        RESPONSE_TOO_LARGE,
        /** The answer cannot be used (no body, a media type that is not a DM message). */
        BAD_RESPONSE,
        /** The secure channel could not be set up (certificate not trusted, handshake failed). */
        SECURITY,
        /** The URI cannot be served by this transport (scheme, malformed address). */
        UNSUPPORTED,
        /** The calling thread was interrupted while waiting. */
        INTERRUPTED
    }

    private final Reason reason;
    private final int peerStatus;

    /**
     * @param reason why
     * @param message one line for logs, without data or secrets
     */
    public TransportException(Reason reason, String message) {
        this(reason, 0, message, null);
    }

    /**
     * @param reason why
     * @param message one line for logs, without data or secrets
     * @param cause the underlying failure
     */
    public TransportException(Reason reason, String message, Throwable cause) {
        this(reason, 0, message, cause);
    }

    /**
     * @param reason why
     * @param peerStatus the bearer's status code (e.g. the HTTP status), or 0
     * @param message one line for logs, without data or secrets
     * @param cause the underlying failure, or null
     */
    public TransportException(Reason reason, int peerStatus, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.peerStatus = peerStatus;
    }

    /**
     * @param status the HTTP (or bearer) status of the answer
     * @param message one line for logs
     * @return a {@link Reason#PEER_STATUS} exception
     */
    public static TransportException peerStatus(int status, String message) {
        return new TransportException(Reason.PEER_STATUS, status, message, null);
    }

    /** @return why the exchange failed */
    public Reason reason() {
        return reason;
    }

    /** @return the bearer's status code of the answer (an HTTP status), or 0 when the peer did not answer */
    public int peerStatus() {
        return peerStatus;
    }

    /**
     * @return true when the same message may succeed later: the peer was unreachable or slow, or
     *     answered 404 (a server still starting, or a proxy whose backend is not registered yet, answers it
     *     for a path that will exist; the session layer's retries are bounded), 408, 429 or a 5xx status
     */
    public boolean isRetryable() {
        switch (reason) {
            case UNREACHABLE:
            case TIMEOUT:
                return true;
            case PEER_STATUS:
                return peerStatus == 404 || peerStatus == 408 || peerStatus == 429
                        || (peerStatus >= 500 && peerStatus < 600);
            default:
                return false;
        }
    }

    /** @return {@code "<REASON>[ <status>]: <message>"}, the one-line form logs and shells print */
    public String toDisplayString() {
        return reason + (peerStatus != 0 ? " " + peerStatus : "") + ": " + getMessage();
    }
}
