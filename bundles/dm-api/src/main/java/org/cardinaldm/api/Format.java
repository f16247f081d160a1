package org.cardinaldm.api;

import java.util.Optional;

/**
 * The Format property of a node (OMA-TS-DM_TND-V1_2, "Format"; MetInf {@code <Format>}).
 */
public enum Format {
    /** Character data: a UTF-8 string. */
    CHR("chr"),
    /** A signed integer written as decimal text. */
    INT("int"),
    /** {@code true} or {@code false}. */
    BOOL("bool"),
    /** Opaque binary data. */
    BIN("bin"),
    /** Base64-encoded data. */
    B64("b64"),
    /** A floating-point number written as text. */
    FLOAT("float"),
    /** An ISO 8601 date. */
    DATE("date"),
    /** An ISO 8601 time. */
    TIME("time"),
    /** An interior node. */
    NODE("node"),
    /** A leaf with no value. */
    NULL("null"),
    /** An XML document. */
    XML("xml");

    private final String token;

    Format(String token) {
        this.token = token;
    }

    /** @return the token as written in a message or a DDF, e.g. {@code chr} */
    public String token() {
        return token;
    }

    /**
     * @param token a Format token, case-insensitive
     * @return the format, or empty when the token is unknown
     */
    public static Optional<Format> fromToken(String token) {
        if (token != null) {
            for (Format f : values()) {
                if (f.token.equalsIgnoreCase(token.trim())) {
                    return Optional.of(f);
                }
            }
        }
        return Optional.empty();
    }

    /** @return the token */
    @Override
    public String toString() {
        return token;
    }
}
