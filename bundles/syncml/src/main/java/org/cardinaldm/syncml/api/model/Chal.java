package org.cardinaldm.syncml.api.model;

import java.util.Objects;

/**
 * {@code Chal}: an authentication challenge in a Status (digest section 3.4).
 *
 * @param meta Type, Format and NextNonce of the challenge
 */
public record Chal(Meta meta) {
    /** Checks for null. */
    public Chal {
        Objects.requireNonNull(meta, "meta");
    }

    @Override
    public String toString() {
        return "Chal[type=" + meta.type() + ", format=" + meta.format() + ", nextNonce="
                + (meta.nextNonce() == null ? null : "***") + "]";
    }
}
