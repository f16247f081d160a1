package org.cardinaldm.server.api;

/** What the server currently thinks of a device. */
public enum DeviceState {
    /** Registered, never authenticated. */
    NEW,
    /** Authenticated at least once and free to connect. */
    ACTIVE,
    /** Refused for a while after too many authentication failures. */
    LOCKED,
    /** Refused until an operator enables it again. */
    DISABLED
}
