package org.cardinaldm.api;

import java.util.Optional;

/**
 * The node properties of DM 1.2 (OMA-TS-DM_TND-V1_2, "Properties of Nodes"; digest section 5.6),
 * addressed as {@code <uri>?prop=<Name>}. No other property can be created.
 */
public enum Property {
    /** Access control list; Get and Replace. */
    ACL("ACL"),
    /** Format; Get only. */
    FORMAT("Format"),
    /** Name; Get, and Replace to rename a dynamic node. */
    NAME("Name"),
    /** Size in bytes of a leaf's value; Get only; never for interior nodes. */
    SIZE("Size"),
    /** Human-readable title, at most 255 bytes; Get and Replace. */
    TITLE("Title"),
    /** Time of the last change, ISO 8601 basic UTC ({@code 20010711T163817Z}); Get only. */
    TSTAMP("TStamp"),
    /** MIME type of a leaf, or MO identifier of an interior root; Get only. */
    TYPE("Type"),
    /** 16-bit version number, incremented on change and wrapping FFFF to 0000; Get only. */
    VERNO("VerNo");

    private final String token;

    Property(String token) {
        this.token = token;
    }

    /** @return the name as written after {@code ?prop=} */
    public String token() {
        return token;
    }

    /**
     * @param token a property name, exact case as in the spec
     * @return the property, or empty when it is not one of DM 1.2's
     */
    public static Optional<Property> fromToken(String token) {
        for (Property p : values()) {
            if (p.token.equals(token)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** @return true for ACL, Name and Title, the properties a server may Replace */
    public boolean isReplaceable() {
        return this == ACL || this == NAME || this == TITLE;
    }

    /** @return the token */
    @Override
    public String toString() {
        return token;
    }
}
