package org.cardinaldm.syncml.api.tnds;

/**
 * {@code RTProperties} of a TNDS node: ACL?, Format?, Name?, Size?, Title?, TStamp?, Type?, VerNo?.
 * At most one of {@code mimeType} and {@code ddfName} is set.
 *
 * @param acl the ACL, e.g. {@code Get=*&Replace=srv}, or null
 * @param format the Format name, e.g. {@code chr} or {@code node}, or null
 * @param name the Name property, or null
 * @param size the Size, or null
 * @param title the Title, or null
 * @param tstamp the TStamp, or null
 * @param mimeType the Type of a leaf ({@code <MIME>}), or null
 * @param ddfName the Type of an interior node ({@code <DDFName>}), or null
 * @param verNo the VerNo, or null
 */
public record RtProperties(String acl, String format, String name, Long size, String title, String tstamp,
        String mimeType, String ddfName, String verNo) {

    /** Checks that Type is either MIME or DDFName. */
    public RtProperties {
        if (mimeType != null && ddfName != null) {
            throw new IllegalArgumentException("Type is either MIME or DDFName, not both");
        }
        if (format != null && !format.matches("[A-Za-z_][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("Format must be an element name such as chr or node: " + format);
        }
    }

    /**
     * @param format the Format name, e.g. {@code chr}
     * @param mimeType the MIME type, e.g. {@code text/plain}
     * @return properties of a leaf
     */
    public static RtProperties leaf(String format, String mimeType) {
        return new RtProperties(null, format, null, null, null, null, mimeType, null, null);
    }

    /**
     * @param ddfName the DDF name or MO identifier, or null
     * @return properties of an interior node (Format node)
     */
    public static RtProperties interior(String ddfName) {
        return new RtProperties(null, "node", null, null, null, null, null, ddfName, null);
    }

    /**
     * @param value the ACL
     * @return a copy with that ACL
     */
    public RtProperties withAcl(String value) {
        return new RtProperties(value, format, name, size, title, tstamp, mimeType, ddfName, verNo);
    }
}
