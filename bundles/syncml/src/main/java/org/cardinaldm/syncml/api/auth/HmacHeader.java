package org.cardinaldm.syncml.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Objects;

import org.cardinaldm.syncml.api.CodecError;
import org.cardinaldm.syncml.api.CodecException;

/**
 * The {@code x-syncml-hmac} transport header (digest section 3.3):
 * {@code algorithm=MD5, username="…", mac=…} with
 * mac = B64(H(B64(H(username ":" password)) ":" nonce ":" B64(H(body)))) over the exact HTTP body.
 *
 * @param algorithm the algorithm, {@code MD5} (the only one defined)
 * @param username the sender's user name (its LocName)
 * @param mac the base64 MAC
 */
public record HmacHeader(String algorithm, String username, String mac) {

    /** The HTTP header name. */
    public static final String HEADER = "x-syncml-hmac";
    /** The default and only defined algorithm. */
    public static final String MD5 = "MD5";

    /** Checks for nulls. */
    public HmacHeader {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(mac, "mac");
    }

    /**
     * @param username the sender's user name
     * @param password the sender's password
     * @param nonce the raw nonce (base64-decoded NextNonce from the peer)
     * @param body the exact message bytes
     * @return the header with algorithm MD5
     */
    public static HmacHeader compute(String username, String password, byte[] nonce, byte[] body) {
        return new HmacHeader(MD5, username, mac(username, password, nonce, body));
    }

    /**
     * @param username the user name
     * @param password the password
     * @param nonce the raw nonce
     * @param body the exact message bytes
     * @return the base64 MAC, e.g. {@code aSBvnDHzBa7JhdjeEEUR2g==} for the digest's vector
     */
    public static String mac(String username, String password, byte[] nonce, byte[] body) {
        byte[] h = Digests.md5(Digests.userDigest(username, password), Digests.COLON, nonce, Digests.COLON,
                Digests.b64(Digests.md5(body)));
        return Digests.ascii(Digests.b64(h));
    }

    /**
     * Checks the MAC of a received message in constant time.
     *
     * @param password the expected password of {@link #username()}
     * @param nonce the nonce the sender had to use
     * @param body the exact received bytes
     * @return true when the algorithm is MD5 and the MAC matches
     */
    public boolean verify(String password, byte[] nonce, byte[] body) {
        byte[] expected = mac(username, password, nonce, body).getBytes(StandardCharsets.US_ASCII);
        byte[] received = mac.getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, received) & MD5.equalsIgnoreCase(algorithm);
    }

    /** @return the header value, {@code algorithm=MD5, username="…", mac=…} */
    public String toHeaderValue() {
        return "algorithm=" + algorithm + ", username=\"" + username.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\", mac=" + mac;
    }

    /**
     * Parses a header value. Parameter names ignore case, white space around commas and equals signs
     * is optional, values may be quoted or not; algorithm defaults to MD5.
     *
     * @param value the header value
     * @return the header
     * @throws CodecException when username or mac is missing or the syntax is broken
     */
    public static HmacHeader parse(String value) throws CodecException {
        String algorithm = MD5;
        String username = null;
        String mac = null;
        int i = 0;
        int n = value.length();
        while (i < n) {
            while (i < n && (value.charAt(i) == ',' || Character.isWhitespace(value.charAt(i)))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int eq = value.indexOf('=', i);
            if (eq < 0) {
                throw malformed("parameter without '='");
            }
            String key = value.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            while (i < n && Character.isWhitespace(value.charAt(i))) {
                i++;
            }
            StringBuilder v = new StringBuilder();
            if (i < n && value.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = value.charAt(i++);
                    if (c == '\\' && i < n) {
                        v.append(value.charAt(i++));
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        v.append(c);
                    }
                }
                if (!closed) {
                    throw malformed("unterminated quoted value");
                }
            } else {
                while (i < n && value.charAt(i) != ',') {
                    v.append(value.charAt(i++));
                }
            }
            String val = v.toString().trim();
            switch (key) {
                case "algorithm" -> algorithm = val;
                case "username" -> username = val;
                case "mac" -> mac = val;
                default -> {
                    // unknown parameters are ignored
                }
            }
        }
        if (username == null || mac == null) {
            throw new CodecException(CodecError.INCOMPLETE, HEADER + ": username and mac are required");
        }
        return new HmacHeader(algorithm, username, mac);
    }

    private static CodecException malformed(String what) {
        return new CodecException(CodecError.MALFORMED, HEADER + ": " + what);
    }

    @Override
    public String toString() {
        return "HmacHeader[algorithm=" + algorithm + ", username=" + username + ", mac=***]";
    }
}
