package org.cardinaldm.smartcard.sim.internal.fumo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The little DER the card's FUMO commands read and write, as a card's own code would: one-byte tags, definite
 * minimal lengths up to 65535, nothing after the outer element. Everything is checked against the data before
 * anything is allocated; a violation is a {@link Malformed} (the command answers {@code 6A80}).
 */
final class Der {
    /** Largest length the card accepts in one element. */
    static final int MAX_LENGTH = 0xFFFF;

    private Der() {
    }

    /** The input is not the DER the card expects. No stack trace: it ends a command. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String what) {
            super(what, null, false, false);
        }
    }

    /** One element: its tag, and where its header and value lie in the source. */
    static final class Element {
        private final byte[] source;
        private final int tag;
        private final int headerAt;
        private final int valueAt;
        private final int length;

        private Element(byte[] source, int tag, int headerAt, int valueAt, int length) {
            this.source = source;
            this.tag = tag;
            this.headerAt = headerAt;
            this.valueAt = valueAt;
            this.length = length;
        }

        int tag() {
            return tag;
        }

        int length() {
            return length;
        }

        /** @return a copy of the value octets */
        byte[] value() {
            return Arrays.copyOfRange(source, valueAt, valueAt + length);
        }

        /** @return a copy of the whole element, header included */
        byte[] encoded() {
            return Arrays.copyOfRange(source, headerAt, valueAt + length);
        }

        /** @return a reader over the value (the children of a constructed element) */
        Reader children() {
            return new Reader(source, valueAt, valueAt + length);
        }

        /**
         * @param expected the tag this element must have
         * @return this element
         * @throws Malformed if it has another
         */
        Element expect(int expected) throws Malformed {
            if (tag != expected) {
                throw new Malformed(String.format("tag %02X where %02X was expected", tag, expected));
            }
            return this;
        }

        /** @return the value of a non-negative INTEGER up to 2^63-1, minimally encoded */
        long nonNegative() throws Malformed {
            expect(0x02);
            if (length < 1 || length > 9 || (source[valueAt] & 0x80) != 0
                    || length > 1 && source[valueAt] == 0 && (source[valueAt + 1] & 0x80) == 0
                    || length == 9 && source[valueAt] != 0) {
                throw new Malformed("not a non-negative minimal INTEGER of at most 63 bits");
            }
            long v = 0;
            for (int i = 0; i < length; i++) {
                v = v << 8 | (source[valueAt + i] & 0xFF);
            }
            return v;
        }

        /** @return the text of a UTF8String (well-formed UTF-8, no control characters) */
        String utf8() throws Malformed {
            expect(0x0C);
            try {
                String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(source, valueAt, length)).toString();
                if (s.chars().anyMatch(Character::isISOControl)) {
                    throw new Malformed("control character in a UTF8String");
                }
                return s;
            } catch (CharacterCodingException e) {
                throw new Malformed("UTF8String is not UTF-8");
            }
        }
    }

    /** Reads consecutive elements from a range of bytes. */
    static final class Reader {
        private final byte[] source;
        private int at;
        private final int end;

        Reader(byte[] source) {
            this(source, 0, source.length);
        }

        private Reader(byte[] source, int from, int end) {
            this.source = source;
            this.at = from;
            this.end = end;
        }

        boolean hasMore() {
            return at < end;
        }

        /** @return the tag of the next element, or -1 at the end */
        int peekTag() {
            return at < end ? source[at] & 0xFF : -1;
        }

        Element next() throws Malformed {
            if (at + 2 > end) {
                throw new Malformed("element cut short");
            }
            int headerAt = at;
            int tag = source[at++] & 0xFF;
            if ((tag & 0x1F) == 0x1F) {
                throw new Malformed("multi-byte tag");
            }
            int first = source[at++] & 0xFF;
            int length;
            if (first < 0x80) {
                length = first;
            } else if (first == 0x81) {
                if (at + 1 > end) {
                    throw new Malformed("length cut short");
                }
                length = source[at++] & 0xFF;
                if (length < 0x80) {
                    throw new Malformed("non-minimal length");
                }
            } else if (first == 0x82) {
                if (at + 2 > end) {
                    throw new Malformed("length cut short");
                }
                length = (source[at] & 0xFF) << 8 | (source[at + 1] & 0xFF);
                at += 2;
                if (length < 0x100) {
                    throw new Malformed("non-minimal length");
                }
            } else {
                throw new Malformed("indefinite or too long a length");
            }
            if (length > end - at) {
                throw new Malformed("value runs past its container");
            }
            Element e = new Element(source, tag, headerAt, at, length);
            at += length;
            return e;
        }

        /** @throws Malformed if anything is left */
        void end() throws Malformed {
            if (at != end) {
                throw new Malformed("trailing bytes");
            }
        }
    }

    /**
     * @param der bytes that must be exactly one element
     * @return it
     */
    static Element single(byte[] der) throws Malformed {
        Reader r = new Reader(der);
        Element e = r.next();
        r.end();
        return e;
    }

    // ---------------------------------------------------------------- writing

    /**
     * @param tag a one-byte tag
     * @param parts the value, concatenated
     * @return the element
     */
    static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            value.writeBytes(p);
        }
        int n = value.size();
        if (n > MAX_LENGTH) {
            throw new IllegalArgumentException("element longer than " + MAX_LENGTH + " bytes");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(n + 4);
        out.write(tag);
        org.cardinaldm.smartcard.sim.internal.card.Tlv.writeLength(out, n);
        out.writeBytes(value.toByteArray());
        return out.toByteArray();
    }

    /**
     * @param tag the tag (0x02 for INTEGER, or an implicit context tag)
     * @param v a non-negative value
     * @return its minimal DER INTEGER form
     */
    static byte[] integer(int tag, long v) {
        if (v < 0) {
            throw new IllegalArgumentException("negative");
        }
        byte[] full = ByteBuffer.allocate(9).put((byte) 0).putLong(v).array();
        int from = 0;
        while (from < 8 && full[from] == 0 && (full[from + 1] & 0x80) == 0) {
            from++;
        }
        return tlv(tag, Arrays.copyOfRange(full, from, 9));
    }

    /** @return the UTF8String of a text */
    static byte[] utf8(String s) {
        return tlv(0x0C, s.getBytes(StandardCharsets.UTF_8));
    }
}
