package org.cardinaldm.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable node value: its {@link Format}, its MIME type (the node's Type property for leaves)
 * and its bytes.
 *
 * <p>Textual formats ({@code chr}, {@code int}, {@code bool}, {@code float}, {@code date},
 * {@code time}, {@code xml}, {@code b64}) hold UTF-8 text. An interior node's value
 * ({@link Format#NODE}) is, when read, its child names separated by {@code /}, as DM Get returns
 * them. {@link #toString()} never prints the data, so a value that is a secret can be logged safely.
 */
public final class NodeValue {
    /** The MIME type of plain text values. */
    public static final String TEXT_PLAIN = "text/plain";

    private static final byte[] NO_DATA = new byte[0];
    private static final NodeValue NULL = new NodeValue(Format.NULL, "", NO_DATA);
    private static final NodeValue INTERIOR = new NodeValue(Format.NODE, "", NO_DATA);

    private final Format format;
    private final String type;
    private final byte[] data;

    private NodeValue(Format format, String type, byte[] data) {
        this.format = format;
        this.type = type;
        this.data = data;
    }

    /**
     * @param format the format
     * @param type the MIME type, or empty for none
     * @param data the bytes (copied)
     * @return the value
     */
    public static NodeValue of(Format format, String type, byte[] data) {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        return new NodeValue(format, type, data.clone());
    }

    /**
     * @param format a textual format
     * @param type the MIME type, or empty
     * @param text the text, stored as UTF-8
     * @return the value
     */
    public static NodeValue ofText(Format format, String type, String text) {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(type, "type");
        return new NodeValue(format, type, text.getBytes(StandardCharsets.UTF_8));
    }

    /** @param text a string @return a {@code chr} value of type {@code text/plain} */
    public static NodeValue ofString(String text) {
        return ofText(Format.CHR, TEXT_PLAIN, text);
    }

    /** @param value an integer @return an {@code int} value of type {@code text/plain} */
    public static NodeValue ofInt(long value) {
        return ofText(Format.INT, TEXT_PLAIN, Long.toString(value));
    }

    /** @param value a boolean @return a {@code bool} value of type {@code text/plain} */
    public static NodeValue ofBool(boolean value) {
        return ofText(Format.BOOL, TEXT_PLAIN, Boolean.toString(value));
    }

    /**
     * @param data bytes (copied)
     * @param type MIME type, e.g. {@code application/octet-stream}
     * @return a {@code bin} value
     */
    public static NodeValue ofBinary(byte[] data, String type) {
        return of(Format.BIN, type, data);
    }

    /** @return the value of a leaf that holds nothing ({@code null} format) */
    public static NodeValue ofNull() {
        return NULL;
    }

    /** @return the value that marks an interior node on Add */
    public static NodeValue interior() {
        return INTERIOR;
    }

    /**
     * @param childNames child names in tree order
     * @return the value Get returns for an interior node: names joined with {@code /}
     */
    public static NodeValue ofChildren(Iterable<String> childNames) {
        return ofText(Format.NODE, TEXT_PLAIN, String.join("/", childNames));
    }

    /** @return the format */
    public Format format() {
        return format;
    }

    /** @return the MIME type, or empty */
    public String type() {
        return type;
    }

    /** @return a copy of the bytes */
    public byte[] data() {
        return data.clone();
    }

    /** @return the number of bytes, the Size property of a leaf */
    public int size() {
        return data.length;
    }

    /** @return true for the {@code node} format */
    public boolean isInterior() {
        return format == Format.NODE;
    }

    /** @return true for the {@code null} format */
    public boolean isNull() {
        return format == Format.NULL;
    }

    /** @return the bytes decoded as UTF-8 */
    public String asString() {
        return new String(data, StandardCharsets.UTF_8);
    }

    /**
     * @return the value as a long
     * @throws DmException 400 when the text is not a decimal integer
     */
    public long asLong() throws DmException {
        try {
            return Long.parseLong(asString().trim());
        } catch (NumberFormatException e) {
            throw new DmException(StatusCode.BAD_REQUEST, "Value is not an integer");
        }
    }

    /**
     * @return the value as a boolean
     * @throws DmException 400 when the text is neither {@code true} nor {@code false}
     */
    public boolean asBoolean() throws DmException {
        String s = asString().trim();
        if (s.equalsIgnoreCase("true")) {
            return true;
        }
        if (s.equalsIgnoreCase("false")) {
            return false;
        }
        throw new DmException(StatusCode.BAD_REQUEST, "Value is not a boolean");
    }

    /**
     * @return text for people: the string for textual formats, hex for binary ones; callers must not
     *     use it for values that may be secret
     */
    public String displayString() {
        if (format == Format.BIN) {
            StringBuilder sb = new StringBuilder(data.length * 2);
            for (byte b : data) {
                sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return sb.toString().toUpperCase(java.util.Locale.ROOT);
        }
        return asString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NodeValue)) {
            return false;
        }
        NodeValue v = (NodeValue) o;
        return format == v.format && type.equals(v.type) && Arrays.equals(data, v.data);
    }

    @Override
    public int hashCode() {
        return (format.hashCode() * 31 + type.hashCode()) * 31 + Arrays.hashCode(data);
    }

    /** @return format, type and size; never the data */
    @Override
    public String toString() {
        return "NodeValue[" + format + (type.isEmpty() ? "" : " " + type) + ", " + data.length + " bytes]";
    }
}
