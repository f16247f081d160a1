package org.cardinaldm.client.api;

import java.util.List;
import java.util.Objects;

/**
 * What became of a {@link BootstrapPackage}: applied (with the ServerIDs of the accounts it
 * created), or not, and why. Nothing is applied unless the outcome is {@link Outcome#APPLIED}.
 *
 * @param outcome what happened
 * @param detail one line for people
 * @param serverIds the ServerIDs of the accounts the package created
 */
public record BootstrapResult(Outcome outcome, String detail, List<String> serverIds) {
    /** The outcomes. */
    public enum Outcome {
        /** Every command was applied. */
        APPLIED,
        /** The user refused, or had to be asked and could not be. */
        REFUSED_BY_USER,
        /** SEC/MAC missing where required, or the MAC does not match. */
        BAD_MAC,
        /** Not a DM 1.2 message. */
        INVALID,
        /** The tree refused a command; everything was rolled back. */
        FAILED
    }

    /** Checks for null and copies. */
    public BootstrapResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
        serverIds = List.copyOf(serverIds);
    }
}
