package org.cardinaldm.fumo.api.spi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Objects;

/**
 * The authority's "yes" to one manifest: bound to the manifest, its security counter, the installer's nonce
 * and a nonce of the authority's own, and signed by the authority's key. The installer checks it with
 * {@link #verifies(byte[], byte[], long)} before it applies anything.
 *
 * <p>Signed bytes ({@link #signedBytes}): ASCII {@code "CDM-FUMO-AUTH-1"}, the SHA-256 of the encoded manifest
 * (32 bytes), the security counter (8 bytes, big-endian), the installer's nonce (16 bytes), the authority's
 * nonce (16 bytes).
 */
public final class Authorisation {
    /** Length of both nonces. */
    public static final int NONCE_LENGTH = 16;
    private static final byte[] LABEL = "CDM-FUMO-AUTH-1".getBytes(StandardCharsets.US_ASCII);

    private final byte[] manifestSha256;
    private final long securityCounter;
    private final byte[] installerNonce;
    private final byte[] authorityNonce;
    private final String algorithm;
    private final byte[] signature;
    private final PublicKey key;

    /**
     * @param manifestSha256 SHA-256 of the encoded manifest (the signed content), 32 bytes
     * @param securityCounter the manifest's security counter
     * @param installerNonce the installer's nonce, 16 bytes
     * @param authorityNonce the authority's nonce, 16 bytes
     * @param algorithm the JCA signature algorithm, e.g. {@code SHA256withECDSA}
     * @param signature the authority's signature over {@link #signedBytes}
     * @param key the authority's public key
     */
    public Authorisation(byte[] manifestSha256, long securityCounter, byte[] installerNonce, byte[] authorityNonce,
            String algorithm, byte[] signature, PublicKey key) {
        if (manifestSha256.length != 32 || installerNonce.length != NONCE_LENGTH
                || authorityNonce.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("Wrong digest or nonce length");
        }
        this.manifestSha256 = manifestSha256.clone();
        this.securityCounter = securityCounter;
        this.installerNonce = installerNonce.clone();
        this.authorityNonce = authorityNonce.clone();
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.signature = signature.clone();
        this.key = Objects.requireNonNull(key, "key");
    }

    /**
     * @param manifestSha256 SHA-256 of the encoded manifest
     * @param securityCounter the counter
     * @param installerNonce the installer's nonce
     * @param authorityNonce the authority's nonce
     * @return the bytes the authority signs
     */
    public static byte[] signedBytes(byte[] manifestSha256, long securityCounter, byte[] installerNonce,
            byte[] authorityNonce) {
        return ByteBuffer.allocate(LABEL.length + 32 + 8 + 2 * NONCE_LENGTH).put(LABEL).put(manifestSha256)
                .putLong(securityCounter).put(installerNonce).put(authorityNonce).array();
    }

    /**
     * @param expectedManifestSha256 SHA-256 of the manifest the installer is about to apply
     * @param expectedInstallerNonce the nonce the installer gave for this authorisation
     * @param expectedCounter the manifest's security counter
     * @return whether this authorisation is for exactly that manifest, counter and nonce, and its signature
     *         verifies with {@link #key()}
     */
    public boolean verifies(byte[] expectedManifestSha256, byte[] expectedInstallerNonce, long expectedCounter) {
        if (!Arrays.equals(manifestSha256, expectedManifestSha256)
                || !Arrays.equals(installerNonce, expectedInstallerNonce) || securityCounter != expectedCounter) {
            return false;
        }
        try {
            Signature s = Signature.getInstance(algorithm);
            s.initVerify(key);
            s.update(signedBytes(manifestSha256, securityCounter, installerNonce, authorityNonce));
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** @return a copy of the manifest's SHA-256 */
    public byte[] manifestSha256() {
        return manifestSha256.clone();
    }

    /** @return the security counter this authorisation is for */
    public long securityCounter() {
        return securityCounter;
    }

    /** @return a copy of the installer's nonce */
    public byte[] installerNonce() {
        return installerNonce.clone();
    }

    /** @return a copy of the authority's nonce */
    public byte[] authorityNonce() {
        return authorityNonce.clone();
    }

    /** @return the JCA signature algorithm */
    public String algorithm() {
        return algorithm;
    }

    /** @return a copy of the signature */
    public byte[] signature() {
        return signature.clone();
    }

    /** @return the authority's public key */
    public PublicKey key() {
        return key;
    }

    /** Names the counter only: nonces and signature are not shown. */
    @Override
    public String toString() {
        return "Authorisation[counter=" + securityCounter + "]";
    }
}
