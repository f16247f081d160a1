package org.cardinaldm.fumo.api.spi;

import java.nio.file.Path;
import java.util.Objects;

import org.cardinaldm.pkg.trust.api.SignedManifest;

/**
 * A package FUMO hands to an {@link UpdateAgent}: downloaded, its manifest verified against the authority's
 * signers, its payload's SHA-256 checked, and authorised.
 *
 * @param payload the payload file (read-only for the agent; FUMO deletes it afterwards)
 * @param manifest the verified manifest
 * @param authorisation the authority's authorisation, which the agent may check again
 */
public record FirmwarePackage(Path payload, SignedManifest manifest, Authorisation authorisation) {
    /** Checks that nothing is null. */
    public FirmwarePackage {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(authorisation, "authorisation");
    }
}
