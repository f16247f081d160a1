package org.cardinaldm.pkg.trust.api;

/**
 * Why a package was refused. Every refusal means the same to an installer: install nothing. The reasons let
 * SCOMO and FUMO report the right result code (see {@code docs/signed-packages.md} for the mapping).
 */
public enum Refusal {
    /** No manifest (empty input), or a SignedData without any signer. */
    UNSIGNED,
    /** The manifest exceeds {@link ManifestVerifier#MAX_MANIFEST_BYTES}; it is refused before parsing. */
    TOO_LARGE,
    /**
     * Not a CMS SignedData in DER with the manifest attached, with the wrong content type, without the
     * signer's certificate or signed attributes, with more than one signer (an application manifest) or more than
     * {@link ManifestVerifier#MAX_SIGNERS} or one key twice (a firmware manifest), or a manifest that does not decode.
     */
    MALFORMED,
    /** The manifest's format version is not one this verifier knows. */
    UNSUPPORTED_VERSION,
    /** A digest other than SHA-256, a signature algorithm other than RSA (≥ 2048 bits) or ECDSA P-256/P-384. */
    UNSUPPORTED_ALGORITHM,
    /** The signature does not verify with the signer's key (the manifest or the signed attributes changed). */
    BAD_SIGNATURE,
    /**
     * The SHA-256 of the signer's SubjectPublicKeyInfo is not a trusted one; for a manifest verified with a
     * threshold (M-of-N), fewer distinct trusted keys signed than the threshold.
     */
    UNTRUSTED_SIGNER,
    /** The signed manifest is for another kind of package than the one expected. */
    WRONG_KIND,
    /** The signed manifest does not name the device class of this device. */
    WRONG_DEVICE_CLASS,
    /** The payload's length or SHA-256 differs from the signed manifest's. */
    PAYLOAD_MISMATCH,
    /** The payload could not be read (an I/O error of the device, not a property of the package). */
    PAYLOAD_UNREADABLE
}
