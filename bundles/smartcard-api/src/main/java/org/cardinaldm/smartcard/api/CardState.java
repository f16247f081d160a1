package org.cardinaldm.smartcard.api;

/** What a reader holds, as last observed. */
public enum CardState {
    /** The reader is configured but not available (unplugged, or its daemon is not running). */
    NO_READER,
    /** The reader is available and has no card. */
    ABSENT,
    /** The reader has a card. */
    PRESENT
}
