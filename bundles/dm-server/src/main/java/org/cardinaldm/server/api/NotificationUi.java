package org.cardinaldm.server.api;

/** The ui-mode of a package-0 notification (digest section 4.1). */
public enum NotificationUi {
    /** 00: not specified. */
    NOT_SPECIFIED,
    /** 01: background, no user interaction. */
    BACKGROUND,
    /** 10: informative, the user is told. */
    INFORMATIVE,
    /** 11: the user is asked before the session starts. */
    USER_INTERACTION
}
