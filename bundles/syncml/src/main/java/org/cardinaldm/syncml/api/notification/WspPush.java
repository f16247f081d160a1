package org.cardinaldm.syncml.api.notification;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The WAP Push framing of a package 0 on the WDP bearer (connectionless WSP Push; digest 4.3, 4.4): what
 * a server's sender wraps and a device's listener unwraps.
 *
 * <p>Unwraps a connectionless WSP Push PDU carrying a DM notification (digest 4.3, 4.4): TID, PDU type
 * 0x06 (Push), headers length (uintvar), content type {@code application/vnd.syncml.notification}
 * (well-known 0x44, encoded 0xC4, or as text), headers among which X-WAP-Application-ID must name
 * {@code x-wap-application:syncml.dm} (0x07, encoded 0xAF 0x87, or as text), then the package 0.
 * Anything that is not exactly such a PDU is left to be read as a bare package 0.
 *
 * @since 1.1
 */
public final class WspPush {
    private static final int PUSH = 0x06;
    private static final int CONTENT_TYPE_NOTIFICATION = 0x44;
    private static final String CONTENT_TYPE_TEXT = "application/vnd.syncml.notification";
    private static final int X_WAP_APPLICATION_ID = 0x2F;
    private static final int APP_SYNCML_DM = 0x07;
    private static final String APP_TEXT = "x-wap-application:syncml.dm";

    private WspPush() {
    }

    /**
     * @param datagram a received datagram
     * @return the package 0 inside, when the datagram is a WSP push of a DM notification
     */
    public static Optional<byte[]> unwrap(byte[] datagram) {
        try {
            return Optional.ofNullable(parse(datagram));
        } catch (ArrayIndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    private static byte[] parse(byte[] d) {
        if (d.length < 5 || (d[1] & 0xFF) != PUSH) {
            return null;
        }
        int[] pos = {2};
        long headersLength = uintvar(d, pos);
        if (headersLength < 1 || pos[0] + headersLength > d.length) {
            return null;
        }
        int headersEnd = (int) (pos[0] + headersLength);
        int p = pos[0];
        int ct = d[p] & 0xFF;
        if (ct == (CONTENT_TYPE_NOTIFICATION | 0x80)) {
            p++;
        } else if (ct >= 0x20 && ct < 0x80) {
            int end = indexOf0(d, p, headersEnd);
            if (end < 0 || !new String(d, p, end - p, StandardCharsets.US_ASCII).equalsIgnoreCase(CONTENT_TYPE_TEXT)) {
                return null;
            }
            p = end + 1;
        } else {
            return null; // another content type, or a general form we do not accept
        }
        boolean dmApplication = false;
        while (p < headersEnd) {
            int h = d[p] & 0xFF;
            if (h == (X_WAP_APPLICATION_ID | 0x80)) {
                int v = d[p + 1] & 0xFF;
                if (v == (APP_SYNCML_DM | 0x80)) {
                    dmApplication = true;
                    p += 2;
                } else if (v >= 0x20 && v < 0x80) {
                    int end = indexOf0(d, p + 1, headersEnd);
                    if (end < 0) {
                        return null;
                    }
                    dmApplication |= new String(d, p + 1, end - p - 1, StandardCharsets.US_ASCII).equalsIgnoreCase(APP_TEXT);
                    p = end + 1;
                } else {
                    return null;
                }
            } else {
                p = skipHeader(d, p, headersEnd);
                if (p < 0) {
                    return null;
                }
            }
        }
        if (!dmApplication || p != headersEnd || headersEnd >= d.length) {
            return null;
        }
        return Arrays.copyOfRange(d, headersEnd, d.length);
    }

    /** Skips one header (well-known name with a short, text or length-prefixed value; or a text name). */
    private static int skipHeader(byte[] d, int p, int end) {
        int h = d[p] & 0xFF;
        if (h >= 0x80) {
            return skipValue(d, p + 1, end);
        }
        int nameEnd = indexOf0(d, p, end);
        return nameEnd < 0 ? -1 : skipValue(d, nameEnd + 1, end);
    }

    private static int skipValue(byte[] d, int p, int end) {
        if (p >= end) {
            return -1;
        }
        int v = d[p] & 0xFF;
        if (v >= 0x80) {
            return p + 1;
        }
        if (v <= 30) {
            return p + 1 + v <= end ? p + 1 + v : -1;
        }
        if (v == 31) {
            int[] pos = {p + 1};
            long n = uintvar(d, pos);
            return pos[0] + n <= end ? (int) (pos[0] + n) : -1;
        }
        int z = indexOf0(d, p, end);
        return z < 0 ? -1 : z + 1;
    }

    private static int indexOf0(byte[] d, int from, int end) {
        for (int i = from; i < end; i++) {
            if (d[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static long uintvar(byte[] d, int[] pos) {
        long v = 0;
        for (int i = 0; i < 5; i++) {
            int b = d[pos[0]++] & 0xFF;
            v = (v << 7) | (b & 0x7F);
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        return -1;
    }

    /**
     * Wraps a package 0 the way the OMA example does: TID 0x01, Push, content type 0xC4 and
     * X-WAP-Application-ID 0xAF 0x87 (for tests and for senders on this bearer).
     *
     * @param pkg0 the notification
     * @return the WSP push PDU
     */
    public static byte[] wrap(byte[] pkg0) {
        return wrap(0x01, pkg0);
    }

    /**
     * Wraps a package 0 in a connectionless WSP Push PDU: the given transaction id, Push, content type
     * 0xC4 and X-WAP-Application-ID 0xAF 0x87.
     *
     * @param tid the WSP transaction id (its low 8 bits are used)
     * @param pkg0 the notification
     * @return the WSP push PDU
     */
    public static byte[] wrap(int tid, byte[] pkg0) {
        byte[] head = {(byte) tid, PUSH, 0x03, (byte) 0xC4, (byte) 0xAF, (byte) 0x87};
        byte[] out = Arrays.copyOf(head, head.length + pkg0.length);
        System.arraycopy(pkg0, 0, out, head.length, pkg0.length);
        return out;
    }

    /** The bytes {@link #wrap(int, byte[])} puts before the package 0. */
    public static final int HEADER_BYTES = 6;
}
