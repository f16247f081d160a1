package org.cardinaldm.syncml.api.auth;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The DM digests computed from a user digest, B64(H(name ":" password)), instead of the password
 * (digest sections 3.2, 3.3 and 4.2; OMA-TS-DM_Security-V1_2 sections 5.1.3 and 5.1.4). A server keeps
 * only that digest of an account, never its password, and still checks and makes the same values as
 * {@link Credentials#md5Digest(String, String, byte[])} and {@link HmacHeader#mac(String, String, byte[], byte[])}.
 *
 * <pre>{@code
 * String stored = UserDigests.of("Bruce2", "OhBehave");          // kept instead of the password
 * UserDigests.md5Digest(stored, nonce);                            // == Credentials.md5Digest("Bruce2", "OhBehave", nonce)
 * }</pre>
 *
 * @since 1.1.0
 */
public final class UserDigests {
    private UserDigests() {
    }

    /**
     * @param name a user name (or a server identifier)
     * @param password its password
     * @return the user digest B64(H(name ":" password))
     */
    public static String of(String name, String password) {
        return Digests.ascii(Digests.userDigest(name, password));
    }

    /**
     * @param userDigest B64(H(name ":" password)), see {@link #of(String, String)}
     * @param nonce the raw nonce
     * @return the {@code syncml:auth-md5} Cred data B64(H(userDigest ":" nonce))
     */
    public static String md5Digest(String userDigest, byte[] nonce) {
        Objects.requireNonNull(nonce, "nonce");
        return Digests.ascii(Digests.b64(Digests.md5(bytes(userDigest), Digests.COLON, nonce)));
    }

    /**
     * @param userDigest B64(H(name ":" password))
     * @param nonce the raw nonce
     * @param body the exact message bytes
     * @return the {@code x-syncml-hmac} mac B64(H(userDigest ":" nonce ":" B64(H(body))))
     */
    public static String mac(String userDigest, byte[] nonce, byte[] body) {
        return Digests.ascii(Digests.b64(macBytes(userDigest, nonce, body)));
    }

    /**
     * The digest of a package-0 notification (OMA-TS-DM_Notification-V1_2 section 6.1.3):
     * H(userDigest ":" nonce ":" B64(H(trigger))), with the server's user digest.
     *
     * @param userDigest B64(H(server-identifier ":" password))
     * @param nonce the raw nonce
     * @param trigger the trigger bytes
     * @return the 16-byte MD5 digest
     */
    public static byte[] notificationDigest(String userDigest, byte[] nonce, byte[] trigger) {
        return macBytes(userDigest, nonce, trigger);
    }

    private static byte[] macBytes(String userDigest, byte[] nonce, byte[] body) {
        Objects.requireNonNull(nonce, "nonce");
        return Digests.md5(bytes(userDigest), Digests.COLON, nonce, Digests.COLON, Digests.b64(Digests.md5(body)));
    }

    private static byte[] bytes(String userDigest) {
        return Objects.requireNonNull(userDigest, "userDigest").getBytes(StandardCharsets.US_ASCII);
    }
}
