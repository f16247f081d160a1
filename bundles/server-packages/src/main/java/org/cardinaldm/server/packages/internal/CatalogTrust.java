package org.cardinaldm.server.packages.internal;

import java.util.Objects;

import org.cardinaldm.pkg.trust.api.ManifestVerifier;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.Refusal;
import org.cardinaldm.pkg.trust.api.TrustedSigners;
import org.cardinaldm.pkg.trust.api.Verification;

/**
 * Whom the operator trusts to sign what is published: firmware signers (with a threshold, M-of-N) and application
 * signers, each pinned by the SHA-256 of its SubjectPublicKeyInfo. The server does not know the device a package
 * is for, so a manifest is checked for its signers, kind, structure and payload, and its device classes are only
 * reported: a {@code WRONG_DEVICE_CLASS} refusal for a probe class the server makes up counts as verified, since it
 * comes after the signature, the signer and the kind passed.
 *
 * @param verifier pkg-trust's verifier
 * @param firmware the signers trusted for firmware
 * @param firmwareThreshold how many distinct trusted firmware signers must have signed, at least 1
 * @param applications the signers trusted for applications
 */
record CatalogTrust(ManifestVerifier verifier, TrustedSigners firmware, int firmwareThreshold,
        TrustedSigners applications) {
    /** A device class no manifest is for; passed because the verifier checks one. */
    static final String PROBE_CLASS = "cardinal-server/catalog";

    CatalogTrust {
        Objects.requireNonNull(verifier, "verifier");
        Objects.requireNonNull(firmware, "firmware");
        Objects.requireNonNull(applications, "applications");
        if (firmwareThreshold < 1) {
            throw new IllegalArgumentException("firmware threshold must be at least 1");
        }
    }

    /**
     * Verifies a manifest as firmware, then as an application.
     *
     * @param manifest the CMS SignedData, DER
     * @return an acceptance (with the manifest), or the refusal to report
     */
    Verification verify(byte[] manifest) {
        Verification asFirmware = deviceClassIgnored(
                verifier.verifyManifest(manifest, firmware, firmwareThreshold, PackageKind.FIRMWARE, PROBE_CLASS));
        if (asFirmware.accepted()) {
            return asFirmware;
        }
        Verification asApplication = deviceClassIgnored(
                verifier.verifyManifest(manifest, applications, 1, PackageKind.APPLICATION, PROBE_CLASS));
        if (asApplication.accepted()) {
            return asApplication;
        }
        // report what the manifest is: an authenticated WRONG_KIND shows which path it belonged to
        if (asFirmware.refusal().orElseThrow() == Refusal.WRONG_KIND) {
            return Verification.refuse(asApplication.refusal().orElseThrow(),
                    "an application manifest: " + asApplication.detail());
        }
        if (asApplication.refusal().orElseThrow() == Refusal.WRONG_KIND) {
            return Verification.refuse(asFirmware.refusal().orElseThrow(), "a firmware manifest: " + asFirmware.detail());
        }
        if (asApplication.refusal().orElseThrow() == Refusal.UNTRUSTED_SIGNER
                && asFirmware.refusal().orElseThrow() == Refusal.UNTRUSTED_SIGNER) {
            return Verification.refuse(
                    Refusal.UNTRUSTED_SIGNER,
                    "not signed by enough trusted firmware signers (" + asFirmware.detail()
                            + ") nor by a trusted application signer");
        }
        return asFirmware;
    }

    private static Verification deviceClassIgnored(Verification v) {
        if (v.refusal().orElse(null) == Refusal.WRONG_DEVICE_CLASS
                && v.manifest().isPresent()) {
            return Verification.accept(v.manifest().orElseThrow());
        }
        return v;
    }
}
