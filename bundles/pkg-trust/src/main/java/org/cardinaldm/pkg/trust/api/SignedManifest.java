package org.cardinaldm.pkg.trust.api;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A manifest whose signature verified with a trusted key: its content and who signed it. Only a
 * {@link ManifestVerifier} makes one for a real package (the public factories are for tests and tools).
 *
 * <p>A firmware manifest may carry several signatures (M-of-N, since 1.1): {@link #signatures()} lists every
 * signature that verified, trusted or not, in the SignedData's order; {@link #signerSha256()},
 * {@link #signerSubject()} and {@link #signingTime()} describe the first trusted one, as for a manifest with
 * one signer.
 */
public final class SignedManifest {
    private final PackageManifest manifest;
    private final List<ManifestSignature> signatures;
    private final byte[] encodedManifest;

    private SignedManifest(PackageManifest manifest, List<ManifestSignature> signatures, byte[] encodedManifest) {
        this.manifest = Objects.requireNonNull(manifest, "manifest");
        this.signatures = List.copyOf(signatures);
        if (this.signatures.stream().noneMatch(ManifestSignature::trusted)) {
            throw new IllegalArgumentException("A signed manifest has at least one trusted signature");
        }
        Set<String> keys = new HashSet<>();
        for (ManifestSignature s : this.signatures) {
            if (!keys.add(s.signerSha256())) {
                throw new IllegalArgumentException("The same key is listed twice among the signatures");
            }
        }
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
        return new SignedManifest(manifest,
                List.of(ManifestSignature.of(signerSha256, signerSubject, signingTime, true)), encodedManifest);
    }

    /**
     * @param manifest the content
     * @param signatures every signature that verified, in the SignedData's order; at least one trusted, no key twice
     * @param encodedManifest the DER of the manifest as signed
     * @return the signed manifest
     * @throws IllegalArgumentException when no signature is trusted or a key is listed twice
     * @since 1.1
     */
    public static SignedManifest of(PackageManifest manifest, List<ManifestSignature> signatures,
            byte[] encodedManifest) {
        return new SignedManifest(manifest, signatures, encodedManifest);
    }

    /**
     * @return every signature that verified, trusted or not, in the SignedData's order (one for an application
     *         manifest); a caller applies its own threshold to the {@link ManifestSignature#trusted()} ones
     * @since 1.1
     */
    public List<ManifestSignature> signatures() {
        return signatures;
    }

    /**
     * @return how many distinct trusted keys signed
     * @since 1.1
     */
    public int trustedSignatureCount() {
        return (int) signatures.stream().filter(ManifestSignature::trusted).count();
    }

    private ManifestSignature firstTrusted() {
        return signatures.stream().filter(ManifestSignature::trusted).findFirst().orElseThrow();
    }

    /** @return what the signer vouches for */
    public PackageManifest manifest() {
        return manifest;
    }

    /** @return the SHA-256 of the signer's SubjectPublicKeyInfo, lower-case hex (the value that was trusted) */
    public String signerSha256() {
        return firstTrusted().signerSha256();
    }

    /**
     * @return the subject of the signer's certificate, RFC 4514; informational only: trust is the key, the
     *         certificate's names and dates are not checked
     */
    public String signerSubject() {
        return firstTrusted().subject();
    }

    /** @return the signer's claimed signing time (the signer's clock, not verified) */
    public Optional<Instant> signingTime() {
        return firstTrusted().signingTime();
    }

    /** @return a copy of the manifest's DER, the eContent that was signed (what FUMO binds a card's authorisation to) */
    public byte[] encodedManifest() {
        return encodedManifest.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedManifest s && manifest.equals(s.manifest) && signatures.equals(s.signatures)
                && Arrays.equals(encodedManifest, s.encodedManifest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(manifest, signatures, Arrays.hashCode(encodedManifest));
    }

    @Override
    public String toString() {
        return "SignedManifest[" + manifest + " signed by " + (signatures.size() == 1 ? signatures.get(0).signerSha256()
                + " (" + signatures.get(0).subject() + ")" : signatures.toString()) + "]";
    }
}
