package org.cardinaldm.client.api;

/** What became of a package-0 notification (digest 4). */
public enum NotificationOutcome {
    /** Valid: the server-initiated session was queued. */
    ACCEPTED,
    /** Not a package 0 (too short, truncated, wrong version). */
    MALFORMED,
    /** No DM account has the notification's ServerID. */
    UNKNOWN_SERVER,
    /** The digest does not match the server's credentials (also with the re-synchronisation nonce). */
    BAD_DIGEST,
    /** The same notification, or one for a session already handled, arrived again. */
    REPLAYED,
    /** The user refused the session (ui-mode "user interaction"). */
    REFUSED_BY_USER,
    /** The server's credentials cannot be checked (no SRVCRED, credential source unavailable). */
    NO_CREDENTIALS
}
