package org.cardinaldm.syncml.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.cardinaldm.syncml.api.model.Cred;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Meta;

/**
 * Builds and checks SyncHdr credentials (digest sections 3.1, 3.2 and 10.1).
 *
 * <pre>{@code
 * Cred c = Credentials.md5("Bruce2", "OhBehave", Credentials.decodeNonce(nextNonce));
 * boolean ok = Credentials.verify(c, "Bruce2", "OhBehave", nonce);
 * }</pre>
 */
public final class Credentials {
    private Credentials() {
    }

    /**
     * @param user the user name
     * @param password the password
     * @return a {@code syncml:auth-basic} Cred with Format b64
     */
    public static Cred basic(String user, String password) {
        String value = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new Cred(Meta.of("b64", AuthType.BASIC.metaType()), Data.text(value));
    }

    /**
     * @param user the user name (also to be sent as SyncHdr Source LocName)
     * @param password the password
     * @param nonce the raw nonce: the base64-decoded NextNonce
     * @return a {@code syncml:auth-md5} Cred with Format b64
     */
    public static Cred md5(String user, String password, byte[] nonce) {
        return new Cred(Meta.of("b64", AuthType.MD5.metaType()), Data.text(md5Digest(user, password, nonce)));
    }

    /**
     * Computes B64(H(B64(H(user ":" password)) ":" nonce)).
     *
     * @param user the user name
     * @param password the password
     * @param nonce the raw nonce
     * @return the base64 digest, e.g. {@code Zz6EivR3yeaaENcRN6lpAQ==} for the spec's example
     */
    public static String md5Digest(String user, String password, byte[] nonce) {
        Objects.requireNonNull(nonce, "nonce");
        return Digests.ascii(Digests.b64(Digests.md5(Digests.userDigest(user, password), Digests.COLON, nonce)));
    }

    /**
     * @param nextNonce a NextNonce value (base64 text)
     * @return the raw nonce bytes
     * @throws IllegalArgumentException when the text is not base64
     */
    public static byte[] decodeNonce(String nextNonce) {
        return Base64.getDecoder().decode(nextNonce.trim());
    }

    /**
     * The nonces worth trying when verifying an md5 digest made with {@code nextNonce}: the decoded
     * bytes (the spec) and the undecoded text (clients that hash the base64 string), as the
     * Android DM engine does.
     *
     * @param nextNonce a NextNonce value as sent
     * @return one or two candidate nonces
     */
    public static List<byte[]> nonceCandidates(String nextNonce) {
        List<byte[]> out = new ArrayList<>(2);
        try {
            out.add(decodeNonce(nextNonce));
        } catch (IllegalArgumentException e) {
            // not base64: only the raw text can have been used
        }
        out.add(nextNonce.getBytes(StandardCharsets.UTF_8));
        return out;
    }

    /**
     * The user name and password of a basic Cred. {@link #toString()} hides the password.
     *
     * @param user the user name
     * @param password the password
     */
    public record UserPassword(String user, String password) {
        @Override
        public String toString() {
            return "UserPassword[user=" + user + ", password=***]";
        }
    }

    /**
     * @param cred a Cred of type {@code syncml:auth-basic}
     * @return the user and password, or empty when the Cred is not basic or not decodable
     */
    public static Optional<UserPassword> parseBasic(Cred cred) {
        if (cred.meta() != null && cred.meta().type() != null
                && AuthType.fromMetaType(cred.meta().type()).orElse(null) != AuthType.BASIC) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getMimeDecoder().decode(cred.data().asText().trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            return Optional.of(new UserPassword(decoded.substring(0, colon), decoded.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Checks a Cred against the expected credentials, in constant time for the secret parts.
     *
     * @param cred the received Cred
     * @param user the expected user name
     * @param password the expected password
     * @param nonces the nonces to accept for md5 (see {@link #nonceCandidates(String)}); ignored for basic
     * @return true when the Cred is basic or md5 and matches
     */
    public static boolean verify(Cred cred, String user, String password, byte[]... nonces) {
        AuthType type = cred.meta() == null || cred.meta().type() == null ? AuthType.BASIC
                : AuthType.fromMetaType(cred.meta().type()).orElse(null);
        byte[] received = cred.data().asText().trim().getBytes(StandardCharsets.US_ASCII);
        if (type == AuthType.BASIC) {
            byte[] expected = Base64.getEncoder().encode((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(expected, received);
        }
        if (type == AuthType.MD5) {
            boolean match = false;
            for (byte[] nonce : nonces) {
                byte[] expected = md5Digest(user, password, nonce).getBytes(StandardCharsets.US_ASCII);
                match |= MessageDigest.isEqual(expected, received);
            }
            return match;
        }
        return false;
    }
}
