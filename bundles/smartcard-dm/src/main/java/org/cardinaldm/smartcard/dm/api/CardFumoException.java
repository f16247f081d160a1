package org.cardinaldm.smartcard.dm.api;

import java.util.Objects;

/**
 * The card refused a FUMO command with one of its verdicts (docs/smartcard-profile.md A8.6-A8.9). Carries the
 * reason and the card's status word; the message never holds a nonce, a handle or key material.
 *
 * @since 1.2
 */
public final class CardFumoException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the card refused. */
    public enum Reason {
        /** FUMO ADMIT: the authenticated server is not among the policy's allowed servers ({@code 6F05}). */
        SERVER_NOT_ALLOWED,
        /** FUMO AUTHORISE: not firmware, or not for this device class ({@code 6F03}). */
        PACKAGE_MISMATCH,
        /** A signature does not verify with the card's keys, or fewer signers than the threshold ({@code 6F04}). */
        BAD_SIGNATURE,
        /** The security counter is missing or below the card's, or a policy change would lower it ({@code 6F05}). */
        ROLLBACK,
        /** No admission or authorisation of the card matches ({@code 6A88}). */
        UNKNOWN,
        /** The admission was already committed, or no FUMO challenge is pending ({@code 6985}). */
        CONDITIONS,
        /** The card found the input malformed ({@code 6A80}), or it did not fit ({@code 6A84}). */
        MALFORMED
    }

    private final Reason reason;
    private final int statusWord;

    /**
     * @param reason why
     * @param statusWord the card's status word
     * @param message what was refused, no secrets
     */
    public CardFumoException(Reason reason, int statusWord, String message) {
        super(message, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.statusWord = statusWord;
    }

    /** @return why the card refused */
    public Reason reason() {
        return reason;
    }

    /** @return the card's status word */
    public int statusWord() {
        return statusWord;
    }
}
