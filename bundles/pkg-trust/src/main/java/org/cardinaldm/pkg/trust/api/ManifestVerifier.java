package org.cardinaldm.pkg.trust.api;

import java.io.InputStream;
import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Verifies signed package manifests and their payloads (a DS service of the {@code org.cardinaldm.pkg.trust}
 * bundle). Hostile input never makes it throw: every problem of the manifest or payload is a refused
 * {@link Verification}. Passing {@code null} is a programming error and throws {@link NullPointerException}.
 *
 * <p>The caller names whom it trusts on each call: SCOMO passes {@link ApplicationSigners#signers()}, FUMO the
 * card's {@code FumoPolicy.trustedSigners}. Checks run cheapest first: size, structure, algorithms, signer,
 * signature, content, kind, device class, then the payload, which is hashed streaming (bounded memory; a
 * payload longer than the signed length is refused as soon as it passes that length).
 */
@ProviderType
public interface ManifestVerifier {
    /** Largest manifest accepted (64 KiB); a longer one is refused with {@link Refusal#TOO_LARGE} unparsed. */
    int MAX_MANIFEST_BYTES = 64 * 1024;

    /**
     * Most signatures in one firmware manifest (application manifests have exactly one); a SignedData with more
     * is {@link Refusal#MALFORMED} before any signature is checked.
     *
     * @since 1.1
     */
    int MAX_SIGNERS = 8;


    /**
     * Verifies the manifest alone: before a payload is downloaded (FUMO checks it before fetching megabytes).
     * An acceptance here says nothing about a payload; check it with {@link #verifyPayload}.
     *
     * @param manifest the CMS SignedData, DER ({@code <package>.manifest.p7})
     * @param signers the trusted signers
     * @param kind the kind the caller installs
     * @param deviceClass this device's class
     * @return the outcome
     */
    Verification verifyManifest(byte[] manifest, TrustedSigners signers, PackageKind kind, String deviceClass);

    /**
     * Verifies a manifest that must be signed by at least {@code threshold} distinct trusted keys (M-of-N,
     * {@code docs/signed-packages.md} §3.3). Only firmware manifests may carry several signatures (at most
     * {@link #MAX_SIGNERS}, each key once); every signature present must verify, trusted or not, otherwise
     * {@link Refusal#BAD_SIGNATURE}. Fewer than {@code threshold} trusted keys is {@link Refusal#UNTRUSTED_SIGNER}
     * (no signature is checked then). An accepted manifest lists every signer in
     * {@link SignedManifest#signatures()}. {@link #verifyManifest(byte[], TrustedSigners, PackageKind, String)}
     * is this method with a threshold of 1.
     *
     * <p>The default implementation verifies with a threshold of 1 and then counts the trusted signatures; the
     * service's implementation refuses before checking any signature when too few signers are trusted.
     *
     * @param manifest the CMS SignedData, DER
     * @param signers the trusted signers
     * @param threshold how many distinct trusted keys must have signed, at least 1 (exactly 1 for applications)
     * @param kind the kind the caller installs
     * @param deviceClass this device's class
     * @return the outcome
     * @throws IllegalArgumentException when the threshold is below 1, or above 1 for an application
     * @since 1.1
     */
    default Verification verifyManifest(byte[] manifest, TrustedSigners signers, int threshold, PackageKind kind,
            String deviceClass) {
        checkThreshold(threshold, kind);
        Verification v = verifyManifest(manifest, signers, kind, deviceClass);
        if (!v.accepted() || threshold == 1) {
            return v;
        }
        int trusted = v.manifest().orElseThrow().trustedSignatureCount();
        return trusted >= threshold ? v
                : Verification.refuse(Refusal.UNTRUSTED_SIGNER,
                        trusted + " trusted signer(s), " + threshold + " required");
    }

    private static void checkThreshold(int threshold, PackageKind kind) {
        java.util.Objects.requireNonNull(kind, "kind");
        if (threshold < 1 || threshold > 1 && kind != PackageKind.FIRMWARE) {
            throw new IllegalArgumentException("The signer threshold is at least 1, and exactly 1 for " + kind
                    + " packages; not " + threshold);
        }
    }

    /**
     * Checks a payload against an already verified manifest. Reads the stream to its end or to the first byte
     * beyond the signed length; the caller closes it.
     *
     * @param manifest a manifest accepted by {@link #verifyManifest}
     * @param payload the payload
     * @return accepted, {@link Refusal#PAYLOAD_MISMATCH} or {@link Refusal#PAYLOAD_UNREADABLE}
     */
    Verification verifyPayload(SignedManifest manifest, InputStream payload);

    /**
     * Verifies a manifest and then its payload.
     *
     * @param manifest the CMS SignedData, DER
     * @param payload the payload; read, not closed
     * @param signers the trusted signers
     * @param kind the kind the caller installs
     * @param deviceClass this device's class
     * @return the outcome
     */
    Verification verify(byte[] manifest, InputStream payload, TrustedSigners signers, PackageKind kind,
            String deviceClass);

    /**
     * Verifies a manifest and then a payload file.
     *
     * @param manifest the CMS SignedData, DER
     * @param payload the payload file
     * @param signers the trusted signers
     * @param kind the kind the caller installs
     * @param deviceClass this device's class
     * @return the outcome ({@link Refusal#PAYLOAD_UNREADABLE} when the file cannot be read)
     */
    Verification verify(byte[] manifest, Path payload, TrustedSigners signers, PackageKind kind, String deviceClass);
}
