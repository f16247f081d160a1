package org.cardinaldm.smartcard.dm.api;

import java.util.Objects;

/**
 * One entry of a card's PKCS#15 structure as Cardinal reads it (for tools such as {@code card:ls}): an
 * application of EF.DIR, the token information, an ODF entry, a data object, a PIN or a certificate.
 * Immutable.
 */
public final class CardObject {
    /** What kind of entry. */
    public enum Kind {
        /** An application template of EF.DIR. */
        APPLICATION,
        /** EF.TokenInfo. */
        TOKEN,
        /** An entry of EF.ODF (a directory file). */
        DIRECTORY,
        /** A DODF data object. */
        DATA,
        /** An AODF PIN object. */
        PIN,
        /** A CDF certificate object. */
        CERTIFICATE
    }

    private final Kind kind;
    private final String path;
    private final String label;
    private final String oid;
    private final String detail;

    private CardObject(Kind kind, String path, String label, String oid, String detail) {
        this.kind = kind;
        this.path = path;
        this.label = label;
        this.oid = oid;
        this.detail = detail;
    }

    /**
     * @param kind the kind
     * @param path where it is, as hex file identifiers separated by {@code /} (e.g. {@code 3F00/5015}), or empty
     * @param label its label, or empty
     * @param oid its OID, or empty
     * @param detail what Cardinal makes of it, e.g. {@code DM bootstrap}, or empty
     * @return the entry
     */
    public static CardObject of(Kind kind, String path, String label, String oid, String detail) {
        return new CardObject(Objects.requireNonNull(kind, "kind"), Objects.requireNonNull(path, "path"),
                Objects.requireNonNull(label, "label"), Objects.requireNonNull(oid, "oid"),
                Objects.requireNonNull(detail, "detail"));
    }

    /** @return the kind */
    public Kind kind() {
        return kind;
    }

    /** @return the path, e.g. {@code 6431}, or empty */
    public String path() {
        return path;
    }

    /** @return the label, or empty */
    public String label() {
        return label;
    }

    /** @return the OID, or empty */
    public String oid() {
        return oid;
    }

    /** @return what Cardinal makes of it, or empty */
    public String detail() {
        return detail;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CardObject)) {
            return false;
        }
        CardObject c = (CardObject) o;
        return kind == c.kind && path.equals(c.path) && label.equals(c.label) && oid.equals(c.oid) && detail.equals(c.detail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, path, label, oid, detail);
    }

    @Override
    public String toString() {
        return kind + " " + path + (label.isEmpty() ? "" : " '" + label + "'") + (oid.isEmpty() ? "" : " " + oid)
                + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
