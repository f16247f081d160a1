package org.cardinaldm.syncml.api.notification;

/** The initiator bit of a notification. */
public enum Initiator {
    /** 0: the user or client initiated the management action. */
    CLIENT,
    /** 1: the server initiated it. */
    SERVER;

    /** @return the bit value */
    public int bit() {
        return ordinal();
    }
}
