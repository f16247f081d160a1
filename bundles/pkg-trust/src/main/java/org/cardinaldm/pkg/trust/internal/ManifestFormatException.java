package org.cardinaldm.pkg.trust.internal;

import org.cardinaldm.pkg.trust.api.Refusal;

/** A manifest content that does not decode; carries the refusal it maps to. */
final class ManifestFormatException extends Exception {
    private static final long serialVersionUID = 1L;
    private final Refusal refusal;

    ManifestFormatException(Refusal refusal, String message) {
        super(message, null, false, false);
        this.refusal = refusal;
    }

    Refusal refusal() {
        return refusal;
    }
}
