package org.cardinaldm.pkg.trust.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The device's list of keys trusted to sign application packages (SCOMO), from the configuration PID
 * {@code org.cardinaldm.pkg.trust}, property {@code trusted.signers}. Firmware is not gated by this list: FUMO
 * passes the card's own list (decision in {@code docs/decisions.md}). Without configuration the list is empty
 * and every application package is refused.
 */
@ProviderType
public interface ApplicationSigners {
    /** @return the signers trusted now (the configuration may change between calls) */
    TrustedSigners signers();
}
