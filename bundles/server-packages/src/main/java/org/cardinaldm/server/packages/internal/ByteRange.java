package org.cardinaldm.server.packages.internal;

import java.util.Locale;

/**
 * What a {@code Range} request header asks of a file of a known length (RFC 9110 §14.1-14.2), as the package
 * servlet answers it: one range of bytes ({@code bytes=a-b}, {@code bytes=a-}, {@code bytes=-n}), the whole file,
 * or nothing satisfiable (416). Decisions, all safe for a server that pays per byte sent:
 * <ul>
 * <li>a header that does not parse (another unit, a negative or non-decimal position, a last position before the
 * first, anything longer than {@value #MAX_HEADER} characters) is ignored: the whole file, 200, as RFC 9110
 * allows;</li>
 * <li>several ranges ({@code bytes=0-0,5-9}, thousands of {@code 0-0}) are ignored too: the whole file once, 200,
 * never a multipart answer that could cost more than the file;</li>
 * <li>positions too large for a {@code long} saturate (no overflow): a first position past the end is 416,
 * a last position past the end is cut at the end; a suffix of 0 bytes, or any range of an empty file, is
 * 416.</li>
 * </ul>
 *
 * @param first the first byte sent, or -1 for the whole file or an unsatisfiable range
 * @param last the last byte sent (inclusive)
 * @param satisfiable false when the answer is 416
 */
record ByteRange(long first, long last, boolean satisfiable) {
    /** Longest Range header read; longer ones are ignored (whole file). */
    static final int MAX_HEADER = 200;
    /** The answer for a missing, ignored or multi-range header: the whole file. */
    static final ByteRange WHOLE = new ByteRange(-1, -1, true);
    /** The answer for a range that does not overlap the file: 416. */
    static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1, false);

    /** @return whether this is one range of the file (206), not the whole file and not 416 */
    boolean partial() {
        return first >= 0;
    }

    /** @return the number of bytes a partial answer carries */
    long length() {
        return last - first + 1;
    }

    /**
     * @param header the Range header, or null
     * @param length the file's length
     * @return the range to send, {@link #WHOLE} or {@link #UNSATISFIABLE}
     */
    static ByteRange parse(String header, long length) {
        if (header == null || header.length() > MAX_HEADER || header.indexOf(',') >= 0) {
            return WHOLE;
        }
        String h = header.strip();
        int eq = h.indexOf('=');
        if (eq < 0 || !h.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("bytes")) {
            return WHOLE;
        }
        String spec = h.substring(eq + 1).strip();
        int dash = spec.indexOf('-');
        if (dash < 0 || spec.indexOf('-', dash + 1) >= 0) {
            return WHOLE;
        }
        String a = spec.substring(0, dash).strip();
        String b = spec.substring(dash + 1).strip();
        if (a.isEmpty()) {
            if (!digits(b)) {
                return WHOLE;
            }
            long suffix = saturating(b);
            if (suffix == 0 || length == 0) {
                return UNSATISFIABLE;
            }
            return new ByteRange(Math.max(0, length - suffix), length - 1, true);
        }
        if (!digits(a) || !b.isEmpty() && !digits(b)) {
            return WHOLE;
        }
        long first = saturating(a);
        long last = b.isEmpty() ? Long.MAX_VALUE : saturating(b);
        if (last < first) {
            return WHOLE;
        }
        if (first >= length) {
            return UNSATISFIABLE;
        }
        return new ByteRange(first, Math.min(last, length - 1), true);
    }

    private static boolean digits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** @return the decimal value, or {@link Long#MAX_VALUE} when it does not fit */
    private static long saturating(String digits) {
        String d = digits.replaceFirst("^0+(?=.)", "");
        if (d.length() > 19) {
            return Long.MAX_VALUE;
        }
        try {
            return Long.parseLong(d);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
