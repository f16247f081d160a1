package org.cardinaldm.syncml.api.notification;

/** The ui-mode field of a notification (2 bits). */
public enum UiMode {
    /** 00: not specified. */
    NOT_SPECIFIED,
    /** 01: background, no user interaction. */
    BACKGROUND,
    /** 10: informative, the user is told. */
    INFORMATIVE,
    /** 11: user interaction, the user is asked before the session. */
    USER_INTERACTION;

    /** @return the 2-bit value */
    public int bits() {
        return ordinal();
    }

    /**
     * @param bits a 2-bit value
     * @return the mode
     */
    public static UiMode of(int bits) {
        return values()[bits & 3];
    }
}
