package org.cardinaldm.server.api;

import java.util.Locale;
import java.util.Optional;

/** SyncML DM authentication schemes (OMA-TS-DM_Security-V1_2 section 5.1; digest section 3.1). */
public enum AuthScheme {
    /** {@code syncml:auth-basic}: B64(user ":" password) in Cred. */
    BASIC("syncml:auth-basic"),
    /** {@code syncml:auth-md5}: B64(H(B64(H(user ":" password)) ":" nonce)) in Cred; the default. */
    MD5("syncml:auth-md5"),
    /** {@code syncml:auth-MAC}: the {@code x-syncml-hmac} transport header on every message. */
    HMAC("syncml:auth-MAC");

    private final String metaType;

    AuthScheme(String metaType) {
        this.metaType = metaType;
    }

    /** @return the Meta Type text, e.g. {@code syncml:auth-md5} */
    public String metaType() {
        return metaType;
    }

    /**
     * @param text a scheme name ({@code md5}, {@code BASIC}, {@code hmac}) or a Meta Type
     *        ({@code syncml:auth-md5})
     * @return the scheme, or empty when the text names none
     */
    public static Optional<AuthScheme> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.trim();
        for (AuthScheme s : values()) {
            if (s.metaType.equalsIgnoreCase(t) || s.name().equalsIgnoreCase(t)) {
                return Optional.of(s);
            }
        }
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.equals("digest")) {
            return Optional.of(MD5);
        }
        if (lower.equals("mac")) {
            return Optional.of(HMAC);
        }
        return Optional.empty();
    }
}
