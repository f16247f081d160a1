package org.cardinaldm.server.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The DM digests computed from B64(H(user ":" password)) alone, so that the registry never needs the
 * password (digest sections 3.2, 3.3 and 4.2).
 */
public final class Secrets {
    /** The resynchronisation nonce: four zero bytes, base64. */
    public static final String RESYNC_NONCE = "AAAAAA==";

    private Secrets() {
    }

    /**
     * @param user a user name
     * @param password a password
     * @return B64(H(user ":" password))
     */
    public static String userDigest(String user, String password) {
        return ascii(b64(md5((user + ":" + password).getBytes(StandardCharsets.UTF_8))));
    }

    /**
     * @param userDigest B64(H(user ":" password))
     * @param nonce the raw nonce
     * @return the md5 Cred data B64(H(userDigest ":" nonce))
     */
    public static String md5Cred(String userDigest, byte[] nonce) {
        return ascii(b64(md5(userDigest.getBytes(StandardCharsets.US_ASCII), new byte[] {':'}, nonce)));
    }

    /**
     * @param userDigest B64(H(user ":" password))
     * @param nonce the raw nonce
     * @param body the message bytes
     * @return the {@code x-syncml-hmac} mac
     */
    public static String hmac(String userDigest, byte[] nonce, byte[] body) {
        return ascii(b64(md5(userDigest.getBytes(StandardCharsets.US_ASCII), new byte[] {':'}, nonce,
                new byte[] {':'}, b64(md5(body)))));
    }

    /**
     * @param expected the expected text
     * @param received the received text
     * @return whether they are equal, in constant time
     */
    public static boolean same(String expected, String received) {
        if (expected == null || received == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                received.trim().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The raw nonces worth trying for a stored NextNonce: its decoded bytes (the spec) and its text
     * (clients that hash the base64 string).
     *
     * @param nextNonce a base64 nonce
     * @return one or two candidates
     */
    public static List<byte[]> nonceCandidates(String nextNonce) {
        List<byte[]> out = new ArrayList<>(2);
        if (nextNonce == null) {
            return out;
        }
        try {
            out.add(Base64.getDecoder().decode(nextNonce.trim()));
        } catch (IllegalArgumentException e) {
            // not base64: only the text can have been used
        }
        out.add(nextNonce.getBytes(StandardCharsets.UTF_8));
        return out;
    }

    /**
     * @param random the source
     * @return a fresh 128-bit nonce, base64
     */
    public static String newNonce(SecureRandom random) {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    /**
     * @param nonce a base64 nonce
     * @return its raw bytes, or its text when it is not base64
     */
    public static byte[] decodeNonce(String nonce) {
        try {
            return Base64.getDecoder().decode(nonce.trim());
        } catch (IllegalArgumentException e) {
            return nonce.getBytes(StandardCharsets.UTF_8);
        }
    }

    static byte[] md5(byte[]... parts) {
        try {
            MessageDigest m = MessageDigest.getInstance("MD5");
            for (byte[] p : parts) {
                m.update(p);
            }
            return m.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JVM", e);
        }
    }

    private static byte[] b64(byte[] b) {
        return Base64.getEncoder().encode(b);
    }

    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }
}
