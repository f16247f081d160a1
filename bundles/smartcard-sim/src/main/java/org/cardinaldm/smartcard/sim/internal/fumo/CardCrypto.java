package org.cardinaldm.smartcard.sim.internal.fumo;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.X509EncodedKeySpec;

/**
 * The card's own cryptography for FUMO (what a card's crypto co-processor offers): SHA-256, ECDSA on P-256
 * with SHA-256, verification with public keys the card holds and signatures with its own FUMO authorisation
 * key. Other curves and algorithms are refused: a card implements few, and the profile names only this one.
 */
final class CardCrypto {
    static final String ALGORITHM = "SHA256withECDSA";
    private static final ECParameterSpec P256;

    static {
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
            p.init(new ECGenParameterSpec("secp256r1"));
            P256 = p.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 is missing from this JVM", e);
        }
    }

    private CardCrypto() {
    }

    static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * @param spki a DER SubjectPublicKeyInfo
     * @return the key, if it is an EC key on P-256
     * @throws Der.Malformed otherwise
     */
    static PublicKey p256(byte[] spki) throws Der.Malformed {
        try {
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki));
            if (!(key instanceof ECPublicKey ec) || !isP256(ec.getParams())) {
                throw new Der.Malformed("not a P-256 key");
            }
            return key;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new Der.Malformed("not an EC public key");
        }
    }

    private static boolean isP256(ECParameterSpec p) {
        return p.getOrder().equals(P256.getOrder()) && p.getCurve().equals(P256.getCurve())
                && p.getGenerator().equals(P256.getGenerator());
    }

    /**
     * @param key a P-256 key
     * @param data the signed bytes
     * @param signature a DER ECDSA signature
     * @return whether it verifies; a malformed signature does not
     */
    static boolean verifies(PublicKey key, byte[] data, byte[] signature) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /**
     * @param scalar the card key's private scalar (big-endian, 1..32 bytes)
     * @param data the bytes to sign
     * @return the DER ECDSA signature
     */
    static byte[] sign(byte[] scalar, byte[] data) {
        try {
            PrivateKey key = KeyFactory.getInstance("EC")
                    .generatePrivate(new ECPrivateKeySpec(new BigInteger(1, scalar), P256));
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The card's FUMO key cannot sign", e);
        }
    }
}
