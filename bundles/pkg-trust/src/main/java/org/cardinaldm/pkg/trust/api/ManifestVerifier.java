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
