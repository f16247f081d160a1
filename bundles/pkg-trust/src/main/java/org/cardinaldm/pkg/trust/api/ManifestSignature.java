package org.cardinaldm.pkg.trust.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One signature of a signed manifest whose cryptography verified: who signed (the SHA-256 of the signer's
 * SubjectPublicKeyInfo), the certificate's subject for logs, the signer's claimed signing time, and whether the
 * caller's list trusted that key. A firmware manifest may carry several (M-of-N, {@code docs/signed-packages.md}
 * §3.3); {@link SignedManifest#signatures()} lists them all, trusted or not, so that a caller can apply a
 * threshold of its own. Immutable.
 */
public final class ManifestSignature {
    private final String signerSha256;
    private final String subject;
    private final Instant signingTime;
    private final boolean trusted;

    private ManifestSignature(String signerSha256, String subject, Instant signingTime, boolean trusted) {
        this.signerSha256 = TrustedSigners.normalize(signerSha256);
        this.subject = Objects.requireNonNull(subject, "subject");
        this.signingTime = signingTime;
        this.trusted = trusted;
    }

    /**
     * @param signerSha256 the SHA-256 of the signer's SubjectPublicKeyInfo, hex
     * @param subject the signer certificate's subject (informational)
     * @param signingTime the CMS signing-time attribute, or {@code null}
     * @param trusted whether the verifier's caller trusted this key
     * @return the signature's description
     */
    public static ManifestSignature of(String signerSha256, String subject, Instant signingTime, boolean trusted) {
        return new ManifestSignature(signerSha256, subject, signingTime, trusted);
    }

    /** @return the SHA-256 of the signer's SubjectPublicKeyInfo, lower-case hex */
    public String signerSha256() {
        return signerSha256;
    }

    /** @return the subject of the signer's certificate (RFC 4514), informational only */
    public String subject() {
        return subject;
    }

    /** @return the signer's claimed signing time (the signer's clock, not verified) */
    public Optional<Instant> signingTime() {
        return Optional.ofNullable(signingTime);
    }

    /** @return whether the list the verifier was given trusts this key */
    public boolean trusted() {
        return trusted;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ManifestSignature s && signerSha256.equals(s.signerSha256) && subject.equals(s.subject)
                && Objects.equals(signingTime, s.signingTime) && trusted == s.trusted;
    }

    @Override
    public int hashCode() {
        return Objects.hash(signerSha256, subject, signingTime, trusted);
    }

    @Override
    public String toString() {
        return (trusted ? "trusted " : "untrusted ") + signerSha256 + " (" + subject + ")";
    }
}
