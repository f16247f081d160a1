package org.cardinaldm.client.api;

/** How a DM session ended. Only {@link #COMPLETED} is a success. */
public enum SessionOutcome {
    /** The server closed the session normally (a final package without commands). */
    COMPLETED,
    /** The server aborted the session (Alert 1223). */
    ABORTED_BY_SERVER,
    /** The user cancelled the session, or refused it when the notification asked first. */
    ABORTED_BY_USER,
    /** The server did not accept the device's credentials, or the device did not accept the server's. */
    AUTHENTICATION_FAILED,
    /** No DM account with that ServerID, or the account has no usable address or credentials. */
    NO_ACCOUNT,
    /** No transport serves the scheme of the server's address. */
    NO_TRANSPORT,
    /** The server could not be reached, after the configured retries. */
    UNREACHABLE,
    /** The server did not answer in time, after the configured retries. */
    TIMEOUT,
    /** The server answered with a transport error status (e.g. HTTP 500), after the configured retries. */
    SERVER_ERROR,
    /** The server sent something that is not a usable DM 1.2 message (garbage, wrong version or session). */
    PROTOCOL_ERROR,
    /** A server message was larger than the device's MaxMsgSize. */
    MESSAGE_TOO_LARGE,
    /** The client was stopped or interrupted during the session. */
    CANCELLED,
    /** The device failed (a bug or a missing component); the log says more. */
    INTERNAL_ERROR
}
