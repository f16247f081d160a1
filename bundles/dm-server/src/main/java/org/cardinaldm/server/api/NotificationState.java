package org.cardinaldm.server.api;

/** The life of a package-0 notification. */
public enum NotificationState {
    /** Sent; waiting for the device to open the session (retried while it does not). */
    SENT,
    /** The device opened the session the notification asked for (same SessionID, Alert 1200). */
    ANSWERED,
    /** No session followed after the last retry. */
    EXPIRED,
    /** It could not be sent (no sender for the address, or every attempt failed). */
    FAILED
}
