package org.cardinaldm.syncml.api.model;

import java.util.Optional;

/**
 * The five user-interaction alerts of OMA DM 1.2 (digest sections 1.8 and 1.9), with their alert codes: the
 * server sends one as an Alert whose Data is the {@link #code() code}, and the device answers with the user's
 * response. The one definition that the DM server (which sends them) and the device agent (which shows them)
 * share.
 *
 * @since 1.1.0
 */
public enum UiAlertKind {
    /** 1100: shows a message. */
    DISPLAY(AlertCodes.DISPLAY),
    /** 1101: asks yes or no; yes is 200, no is 304. */
    CONFIRM(AlertCodes.CONFIRM_OR_REJECT),
    /** 1102: asks for a text, returned in the Status's Item. */
    TEXT_INPUT(AlertCodes.TEXT_INPUT),
    /** 1103: asks for one of the choices, its number returned in the Status's Item. */
    SINGLE_CHOICE(AlertCodes.SINGLE_CHOICE),
    /** 1104: asks for any number of the choices, one Item per chosen number. */
    MULTIPLE_CHOICE(AlertCodes.MULTIPLE_CHOICE);

    private final int code;

    UiAlertKind(int code) {
        this.code = code;
    }

    /** @return the alert code, 1100 to 1104 */
    public int code() {
        return code;
    }

    /** @return true for the two kinds that carry choices, 1103 and 1104 */
    public boolean isChoice() {
        return this == SINGLE_CHOICE || this == MULTIPLE_CHOICE;
    }

    /**
     * @param code an alert code
     * @return the kind, or empty when the code is no user-interaction alert (not 1100 to 1104)
     */
    public static Optional<UiAlertKind> ofCode(int code) {
        for (UiAlertKind k : values()) {
            if (k.code == code) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
