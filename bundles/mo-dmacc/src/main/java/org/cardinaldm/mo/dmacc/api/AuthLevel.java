package org.cardinaldm.mo.dmacc.api;

import java.util.Optional;

/** The DMAcc {@code AAuthLevel} values (digest 5.2): whose credentials an AppAuth entry holds. */
public enum AuthLevel {
    /** Credentials the client sends to the server. */
    CLCRED,
    /** Credentials the server sends to the client. */
    SRVCRED,
    /** OBEX transport credentials. */
    OBEX,
    /** HTTP transport credentials. */
    HTTP;

    /**
     * @param token the value as stored, exact case
     * @return the level, or empty for an unknown value
     */
    public static Optional<AuthLevel> fromToken(String token) {
        for (AuthLevel l : values()) {
            if (l.name().equals(token)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }
}
