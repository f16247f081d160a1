package org.cardinaldm.smartcard.sim.internal.card;

import java.io.ByteArrayOutputStream;

/** Minimal BER-TLV encoding for one-byte tags (ISO/IEC 7816-4 clause 6.3): definite lengths up to 65535. */
public final class Tlv {
    private Tlv() {
    }

    static byte[] of(int tag, byte[] value) {
        return builder().add(tag, value).build();
    }

    static Builder builder() {
        return new Builder();
    }

    static final class Builder {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Builder add(int tag, byte[] value) {
            out.write(tag);
            writeLength(out, value.length);
            out.writeBytes(value);
            return this;
        }

        byte[] build() {
            return out.toByteArray();
        }
    }

    /**
     * Writes a BER length: one byte below 128, else {@code 81 nn} or {@code 82 nnnn} (at most 65,535).
     *
     * @param out where to write
     * @param n the length
     */
    public static void writeLength(java.io.ByteArrayOutputStream out, int n) {
        if (n < 0x80) {
            out.write(n);
        } else if (n <= 0xFF) {
            out.write(0x81);
            out.write(n);
        } else {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        }
    }
}
