package org.cardinaldm.syncml.api.model;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The content of a {@code Data} element: text, bytes (WBXML OPAQUE) or embedded XML elements
 * (TNDS, MetInf, DevInf). Immutable.
 */
public sealed interface Data permits Data.Text, Data.Binary, Data.Xml {

    /**
     * @param text the characters
     * @return text data
     */
    static Data text(String text) {
        return new Text(text);
    }

    /**
     * @param bytes the value, copied
     * @return binary data, written as OPAQUE in WBXML
     */
    static Data bytes(byte[] bytes) {
        return new Binary(bytes);
    }

    /**
     * @param elements the embedded elements
     * @return XML data, e.g. a TNDS {@code MgmtTree}
     */
    static Data xml(XmlElement... elements) {
        return new Xml(List.of(elements));
    }

    /**
     * @return the text; binary data is decoded as UTF-8 (malformed bytes become U+FFFD); XML data is
     *         the concatenated text of its elements' text children
     */
    String asText();

    /** @return the bytes; text is encoded as UTF-8 */
    byte[] asBytes();

    /**
     * Character data.
     *
     * @param text the characters, never null
     */
    record Text(String text) implements Data {
        /** Checks for null. */
        public Text {
            java.util.Objects.requireNonNull(text, "text");
        }

        @Override
        public String asText() {
            return text;
        }

        @Override
        public byte[] asBytes() {
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Binary data (WBXML OPAQUE). The bytes are copied in and out. */
    final class Binary implements Data {
        private final byte[] bytes;

        /**
         * @param bytes the value, copied
         */
        public Binary(byte[] bytes) {
            this.bytes = bytes.clone();
        }

        /** @return the number of bytes */
        public int length() {
            return bytes.length;
        }

        @Override
        public String asText() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public byte[] asBytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Binary other && java.util.Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Binary[" + bytes.length + " bytes]";
        }
    }

    /**
     * Embedded elements, e.g. a TNDS {@code MgmtTree} in namespace {@code syncml:dmddf1.2}.
     *
     * @param elements at least one element
     */
    record Xml(List<XmlElement> elements) implements Data {
        /** Checks that there is at least one element. */
        public Xml {
            elements = List.copyOf(elements);
            if (elements.isEmpty()) {
                throw new IllegalArgumentException("XML data needs at least one element");
            }
        }

        @Override
        public String asText() {
            StringBuilder sb = new StringBuilder();
            for (XmlElement e : elements) {
                sb.append(e.textContent());
            }
            return sb.toString();
        }

        @Override
        public byte[] asBytes() {
            return asText().getBytes(StandardCharsets.UTF_8);
        }
    }
}
