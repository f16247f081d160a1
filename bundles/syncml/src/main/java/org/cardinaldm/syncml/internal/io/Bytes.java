package org.cardinaldm.syncml.internal.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import org.cardinaldm.syncml.api.CodecError;
import org.cardinaldm.syncml.api.CodecException;

/** Reads a whole stream with a size bound, and a growable byte buffer for writers. */
public final class Bytes {
    private byte[] buf;
    private int len;

    /**
     * @param capacity initial capacity
     */
    public Bytes(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    /**
     * Reads a stream to its end, failing as soon as it exceeds {@code max} bytes.
     *
     * @param in the stream
     * @param max the most bytes accepted
     * @return the bytes
     * @throws IOException on read failure
     * @throws CodecException when the stream holds more than {@code max} bytes
     */
    public static byte[] readBounded(InputStream in, int max) throws IOException, CodecException {
        byte[] out = new byte[Math.min(max, 8192) + 1];
        int n = 0;
        while (true) {
            if (n == out.length) {
                if (n > max) {
                    throw new CodecException(CodecError.MESSAGE_TOO_LARGE, "document larger than " + max + " bytes");
                }
                out = Arrays.copyOf(out, (int) Math.min((long) max + 1, (long) out.length * 2));
            }
            int r = in.read(out, n, out.length - n);
            if (r < 0) {
                break;
            }
            n += r;
            if (n > max) {
                throw new CodecException(CodecError.MESSAGE_TOO_LARGE, "document larger than " + max + " bytes");
            }
        }
        return Arrays.copyOf(out, n);
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    /**
     * @param b a byte, appended
     */
    public void write(int b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    /**
     * @param b bytes, appended
     * @param off offset
     * @param n count
     */
    public void write(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    /**
     * Appends a WBXML multi-byte unsigned integer.
     *
     * @param value a value from 0 to 2^32-1
     */
    public void writeMbUint32(long value) {
        int shift = 28;
        while (shift > 0 && (value >>> shift) == 0) {
            shift -= 7;
        }
        for (; shift > 0; shift -= 7) {
            write((int) (((value >>> shift) & 0x7F) | 0x80));
        }
        write((int) (value & 0x7F));
    }

    /**
     * Appends a string as UTF-8 without a terminator.
     *
     * @param s the string
     */
    public void writeUtf8(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                byte[] rest = s.substring(i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                write(rest, 0, rest.length);
                return;
            }
            buf[len++] = (byte) c;
        }
    }

    /** @return the number of bytes written */
    public int length() {
        return len;
    }

    /** @return a copy of the bytes written */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }
}
