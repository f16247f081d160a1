package org.cardinaldm.pkg.trust.api;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A manifest whose signature verified with a trusted key: its content and who signed it. Only a
 * {@link ManifestVerifier} makes one for a real package (the public factory is for tests and tools).
 */
public final class SignedManifest {
    private final PackageManifest manifest;
    private final String signerSha256;
    private final String signerSubject;
    private final Instant signingTime;
    private final byte[] encodedManifest;

    private SignedManifest(PackageManifest manifest, String signerSha256, String signerSubject, Instant signingTime,
            byte[] encodedManifest) {
        this.manifest = Objects.requireNonNull(manifest, "manifest");
        this.signerSha256 = TrustedSigners.normalize(signerSha256);
        this.signerSubject = Objects.requireNonNull(signerSubject, "signerSubject");
        this.signingTime = signingTime;
        this.encodedManifest = Objects.requireNonNull(encodedManifest, "encodedManifest").clone();
    }

    /**
     * @param manifest the content
     * @param signerSha256 the SHA-256 of the signer's SubjectPublicKeyInfo, hex
     * @param signerSubject the signer certificate's subject (informational)
     * @param signingTime the CMS signing-time attribute, or {@code null}
     * @param encodedManifest the DER of the manifest as signed
     * @return the signed manifest
     */
    public static SignedManifest of(PackageManifest manifest, String signerSha256, String signerSubject,
            Instant signingTime, byte[] encodedManifest) {
        return new SignedManifest(manifest, signerSha256, signerSubject, signingTime, encodedManifest);
    }

    /** @return what the signer vouches for */
    public PackageManifest manifest() {
        return manifest;
    }

    /** @return the SHA-256 of the signer's SubjectPublicKeyInfo, lower-case hex (the value that was trusted) */
    public String signerSha256() {
        return signerSha256;
    }

    /**
     * @return the subject of the signer's certificate, RFC 4514; informational only: trust is the key, the
     *         certificate's names and dates are not checked
     */
    public String signerSubject() {
        return signerSubject;
    }

    /** @return the signer's claimed signing time (the signer's clock, not verified) */
    public Optional<Instant> signingTime() {
        return Optional.ofNullable(signingTime);
    }

    /** @return a copy of the manifest's DER, the eContent that was signed (what FUMO binds a card's authorisation to) */
    public byte[] encodedManifest() {
        return encodedManifest.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedManifest s && manifest.equals(s.manifest) && signerSha256.equals(s.signerSha256)
                && signerSubject.equals(s.signerSubject) && Objects.equals(signingTime, s.signingTime)
                && Arrays.equals(encodedManifest, s.encodedManifest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(manifest, signerSha256, signerSubject, signingTime, Arrays.hashCode(encodedManifest));
    }

    @Override
    public String toString() {
        return "SignedManifest[" + manifest + " signed by " + signerSha256 + " (" + signerSubject + ")]";
    }
}
