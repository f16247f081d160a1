package org.cardinaldm.server.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import org.cardinaldm.syncml.api.auth.Credentials;

/**
 * What only the server adds to {@code syncml}'s credentials API ({@link Credentials},
 * {@link org.cardinaldm.syncml.api.auth.UserDigests}): the nonces it makes and stores, and the lenient
 * reading of stored nonces (digest sections 3.2, 3.3 and 4.2). The digests themselves are computed by
 * {@code UserDigests} from B64(H(user ":" password)) alone, so that the registry never needs the password.
 */
public final class Secrets {
    /** The resynchronisation nonce: four zero bytes, base64. */
    public static final String RESYNC_NONCE = "AAAAAA==";

    private Secrets() {
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
     * The raw nonces worth trying for a stored NextNonce ({@link Credentials#nonceCandidates(String)}).
     *
     * @param nextNonce a base64 nonce, or null when none was issued
     * @return one or two candidates; none for null
     */
    public static List<byte[]> nonceCandidates(String nextNonce) {
        return nextNonce == null ? List.of() : Credentials.nonceCandidates(nextNonce);
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
     * @return its raw bytes ({@link Credentials#decodeNonce(String)}), or its text when it is not base64
     */
    public static byte[] decodeNonce(String nonce) {
        try {
            return Credentials.decodeNonce(nonce);
        } catch (IllegalArgumentException e) {
            return nonce.getBytes(StandardCharsets.UTF_8);
        }
    }
}
