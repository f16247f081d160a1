package org.cardinaldm.mo.dmacc.api;

import java.util.Optional;

/** The DMAcc {@code AAuthType} values (digest 5.2). */
public enum AuthType {
    /** HTTP basic authentication (transport level). */
    HTTP_BASIC("HTTP-BASIC"),
    /** HTTP digest authentication (transport level). */
    HTTP_DIGEST("HTTP-DIGEST"),
    /** SyncML {@code syncml:auth-basic}. */
    BASIC("BASIC"),
    /** SyncML {@code syncml:auth-md5}. */
    DIGEST("DIGEST"),
    /** SyncML {@code syncml:auth-MAC} (HMAC-MD5). */
    HMAC("HMAC"),
    /** X.509 certificates. */
    X509("X509"),
    /** RSA SecurID. */
    SECURID("SECURID"),
    /** SafeWord. */
    SAFEWORD("SAFEWORD"),
    /** Digipass. */
    DIGIPASS("DIGIPASS"),
    /** Authentication by the transport (e.g. TLS client certificates). */
    TRANSPORT("TRANSPORT");

    private final String token;

    AuthType(String token) {
        this.token = token;
    }

    /** @return the value as stored in the tree, e.g. {@code HTTP-DIGEST} */
    public String token() {
        return token;
    }

    /**
     * @param token the value as stored, exact case
     * @return the type, or empty for an unknown value
     */
    public static Optional<AuthType> fromToken(String token) {
        for (AuthType t : values()) {
            if (t.token.equals(token)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** @return true for the types valid at the OBEX and HTTP levels (HTTP-BASIC, HTTP-DIGEST, TRANSPORT) */
    public boolean isTransportType() {
        return this == HTTP_BASIC || this == HTTP_DIGEST || this == TRANSPORT;
    }

    /** @return the token */
    @Override
    public String toString() {
        return token;
    }
}
