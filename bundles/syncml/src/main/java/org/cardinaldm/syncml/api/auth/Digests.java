package org.cardinaldm.syncml.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** MD5 and base64 helpers shared by the credential types (digest section 10.1). */
final class Digests {
    static final byte[] COLON = {':'};

    private Digests() {
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

    static byte[] b64(byte[] bytes) {
        return Base64.getEncoder().encode(bytes);
    }

    /** B64(H(name ":" password)), the first step of every DM digest. */
    static byte[] userDigest(String name, String password) {
        return b64(md5((name + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
