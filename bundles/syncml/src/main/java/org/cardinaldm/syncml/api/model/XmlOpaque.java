package org.cardinaldm.syncml.api.model;

import java.util.Arrays;

/** Binary content of a generic element (a WBXML OPAQUE value). Immutable: the bytes are copied. */
public final class XmlOpaque implements XmlNode {
    private final byte[] bytes;

    /**
     * @param bytes the value, copied
     */
    public XmlOpaque(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    /** @return a copy of the bytes */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** @return the number of bytes */
    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof XmlOpaque other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "XmlOpaque[" + bytes.length + " bytes]";
    }
}
