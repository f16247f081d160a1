package org.cardinaldm.pkg.trust.api;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a verification: accepted, or refused with a {@link Refusal} and a one-line detail for logs
 * and result messages (never key material). Immutable.
 *
 * <p>Only {@link #accepted()} allows an install. {@link #manifest()} is also present for refusals that come
 * after the signature and the signer were checked ({@link Refusal#WRONG_KIND}, {@link Refusal#WRONG_DEVICE_CLASS},
 * {@link Refusal#PAYLOAD_MISMATCH}, {@link Refusal#PAYLOAD_UNREADABLE}), so that a report can name the package.
 */
public final class Verification {
    private final Refusal refusal;
    private final String detail;
    private final SignedManifest manifest;

    private Verification(Refusal refusal, String detail, SignedManifest manifest) {
        this.refusal = refusal;
        this.detail = Objects.requireNonNull(detail, "detail");
        this.manifest = manifest;
    }

    /**
     * @param manifest the verified manifest
     * @return an acceptance
     */
    public static Verification accept(SignedManifest manifest) {
        return new Verification(null, "accepted", Objects.requireNonNull(manifest, "manifest"));
    }

    /**
     * @param refusal why
     * @param detail one sentence for logs
     * @return a refusal without an authenticated manifest
     */
    public static Verification refuse(Refusal refusal, String detail) {
        return new Verification(Objects.requireNonNull(refusal, "refusal"), detail, null);
    }

    /**
     * @param refusal why
     * @param detail one sentence for logs
     * @param manifest the manifest, authenticated by a trusted signer, that failed a later check
     * @return a refusal
     */
    public static Verification refuse(Refusal refusal, String detail, SignedManifest manifest) {
        return new Verification(Objects.requireNonNull(refusal, "refusal"), detail,
                Objects.requireNonNull(manifest, "manifest"));
    }

    /** @return whether every check passed: the only state in which a package may be installed */
    public boolean accepted() {
        return refusal == null;
    }

    /** @return why the package was refused; empty when accepted */
    public Optional<Refusal> refusal() {
        return Optional.ofNullable(refusal);
    }

    /** @return a one-line explanation */
    public String detail() {
        return detail;
    }

    /**
     * @return the manifest authenticated by a trusted signer: present when accepted, and for the refusals that
     *         come after the signer was checked (see the class comment)
     */
    public Optional<SignedManifest> manifest() {
        return Optional.ofNullable(manifest);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Verification v && refusal == v.refusal && detail.equals(v.detail)
                && Objects.equals(manifest, v.manifest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(refusal, detail, manifest);
    }

    @Override
    public String toString() {
        return accepted() ? "Verification[accepted " + manifest + "]" : "Verification[" + refusal + ": " + detail + "]";
    }
}
