package org.cardinaldm.smartcard.dm.internal.pkcs15;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * BER-TLV framing (ISO/IEC 7816-4 clause 5.2, X.690): where each data object of a card file starts and ends,
 * so that files can be cut into objects before they are decoded, and padding after the last object (bytes
 * {@code 00} or {@code FF}, which card files are filled with) is recognised. Lengths in long form (up to
 * four bytes) and the indefinite form are accepted; nothing may reach past the end of the data.
 */
public final class Tlv {
    private static final int MAX_DEPTH = 32;

    /** One data object: its tag (1-3 bytes, as an int), its extent and its value's extent. */
    public record Element(int tag, int start, int valueStart, int end, boolean constructed, boolean indefinite) {
        /**
         * @param data the data the element was found in
         * @return the whole element (tag, length and value)
         */
        public byte[] encoding(byte[] data) {
            return Arrays.copyOfRange(data, start, end);
        }

        /**
         * @param data the data the element was found in
         * @return the value (for the indefinite form: without the end-of-contents octets)
         */
        public byte[] value(byte[] data) {
            return Arrays.copyOfRange(data, valueStart, indefinite ? end - 2 : end);
        }
    }

    private Tlv() {
    }

    /**
     * @param b a byte
     * @return whether it is a padding byte between or after data objects
     */
    public static boolean isPadding(byte b) {
        return b == 0x00 || b == (byte) 0xFF;
    }

    /**
     * Splits data into its top-level objects, stopping at padding.
     *
     * @param data the data, e.g. a whole file
     * @return the objects in order
     * @throws Pkcs15Exception if an object is truncated or its length is malformed
     */
    public static List<Element> split(byte[] data) throws Pkcs15Exception {
        List<Element> out = new ArrayList<>();
        int i = 0;
        while (i < data.length && !isPadding(data[i])) {
            Element e = read(data, i, data.length, 0);
            out.add(e);
            i = e.end();
        }
        return out;
    }

    /**
     * Tells whether data holds complete objects followed by padding, i.e. whether reading more of the file
     * can only yield padding.
     *
     * @param data the bytes read so far
     * @return true if the data reaches padding after complete objects
     */
    public static boolean endsInPadding(byte[] data) {
        int i = 0;
        try {
            while (i < data.length) {
                if (isPadding(data[i])) {
                    return true;
                }
                i = read(data, i, data.length, 0).end();
            }
        } catch (Pkcs15Exception e) {
            return false;
        }
        return false;
    }

    /**
     * Reads one data object.
     *
     * @param data the data
     * @param offset where the object starts
     * @param limit where the data ends
     * @param depth nesting depth so far
     * @return the object
     * @throws Pkcs15Exception if it is truncated or malformed
     */
    static Element read(byte[] data, int offset, int limit, int depth) throws Pkcs15Exception {
        if (depth > MAX_DEPTH) {
            throw new Pkcs15Exception("Data objects nested too deeply");
        }
        int i = offset;
        if (i >= limit) {
            throw new Pkcs15Exception("Data object expected at offset " + offset);
        }
        int first = data[i++] & 0xFF;
        int tag = first;
        if ((first & 0x1F) == 0x1F) {
            int more = 0;
            do {
                if (i >= limit || ++more > 2) {
                    throw new Pkcs15Exception("Malformed tag at offset " + offset);
                }
                tag = (tag << 8) | (data[i] & 0xFF);
            } while ((data[i++] & 0x80) != 0);
        }
        boolean constructed = (first & 0x20) != 0;
        if (i >= limit) {
            throw new Pkcs15Exception("Length missing at offset " + offset);
        }
        int l = data[i++] & 0xFF;
        if (l == 0x80) {
            if (!constructed) {
                throw new Pkcs15Exception("Indefinite length on a primitive object at offset " + offset);
            }
            int valueStart = i;
            while (true) {
                if (i + 1 < limit && data[i] == 0 && data[i + 1] == 0) {
                    return new Element(tag, offset, valueStart, i + 2, true, true);
                }
                i = read(data, i, limit, depth + 1).end();
            }
        }
        int length;
        if (l < 0x80) {
            length = l;
        } else {
            int n = l & 0x7F;
            if (n > 4 || i + n > limit) {
                throw new Pkcs15Exception("Malformed length at offset " + offset);
            }
            long v = 0;
            for (int k = 0; k < n; k++) {
                v = (v << 8) | (data[i++] & 0xFF);
            }
            if (v > Integer.MAX_VALUE) {
                throw new Pkcs15Exception("Length too large at offset " + offset);
            }
            length = (int) v;
        }
        if (length > limit - i) {
            throw new Pkcs15Exception("Data object at offset " + offset + " runs past the end (" + length
                    + " bytes announced, " + (limit - i) + " left)");
        }
        return new Element(tag, offset, i, i + length, constructed, false);
    }

    /**
     * The objects inside a constructed object's value (ISO/IEC 7816-4 templates such as EF.DIR's {@code 61}).
     *
     * @param data the data
     * @param parent a constructed object of it
     * @return its children; padding inside the value ends the list
     * @throws Pkcs15Exception if a child is malformed
     */
    public static List<Element> children(byte[] data, Element parent) throws Pkcs15Exception {
        List<Element> out = new ArrayList<>();
        int end = parent.indefinite() ? parent.end() - 2 : parent.end();
        int i = parent.valueStart();
        while (i < end && !isPadding(data[i])) {
            Element e = read(data, i, end, 1);
            out.add(e);
            i = e.end();
        }
        return out;
    }
}
