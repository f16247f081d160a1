package org.cardinaldm.syncml.api.auth;

import java.util.Optional;

/** Authentication types written in {@code Meta/Type} of Cred and Chal (digest section 3.1). */
public enum AuthType {
    /** {@code syncml:auth-basic}: B64(user ":" password). */
    BASIC("syncml:auth-basic"),
    /** {@code syncml:auth-md5}: B64(H(B64(H(user ":" password)) ":" nonce)). */
    MD5("syncml:auth-md5"),
    /** {@code syncml:auth-MAC}: the x-syncml-hmac transport header, never in Cred. */
    HMAC("syncml:auth-MAC");

    private final String metaType;

    AuthType(String metaType) {
        this.metaType = metaType;
    }

    /** @return the Meta Type text, e.g. {@code syncml:auth-md5} */
    public String metaType() {
        return metaType;
    }

    /**
     * @param type a Meta Type value
     * @return the matching type, compared without case (peers write {@code auth-MAC} and {@code auth-mac})
     */
    public static Optional<AuthType> fromMetaType(String type) {
        if (type != null) {
            for (AuthType t : values()) {
                if (t.metaType.equalsIgnoreCase(type.trim())) {
                    return Optional.of(t);
                }
            }
        }
        return Optional.empty();
    }
}
