package org.cardinaldm.pkg.trust.internal;

/**
 * An iterative pre-check of a DER byte string before any recursive parser sees it: definite, minimal lengths
 * only, tags of one or two octets, every element inside its parent, nothing after the outer element, and a
 * bounded nesting depth (so a hostile 64 KiB of nested SEQUENCEs cannot exhaust the stack of the parser).
 */
final class DerShape {
    private DerShape() {
    }

    /**
     * @param der the bytes
     * @param maxDepth the deepest nesting allowed
     * @return {@code null} when the shape is acceptable, otherwise why not
     */
    static String problem(byte[] der, int maxDepth) {
        int[] ends = new int[maxDepth + 1];
        int depth = 0;
        ends[0] = der.length;
        int pos = 0;
        boolean first = true;
        while (pos < der.length) {
            while (depth > 0 && pos == ends[depth]) {
                depth--;
            }
            if (!first && depth == 0) {
                return "bytes after the outer element";
            }
            first = false;
            int tag = der[pos++] & 0xFF;
            if ((tag & 0x1F) == 0x1F) {
                if (pos >= der.length) {
                    return "truncated tag";
                }
                int next = der[pos++] & 0xFF;
                if ((next & 0x80) != 0 || next < 0x1F) {
                    return "unsupported tag";
                }
            }
            if (pos >= der.length) {
                return "truncated length";
            }
            int first8 = der[pos++] & 0xFF;
            long len;
            if (first8 < 0x80) {
                len = first8;
            } else {
                int n = first8 & 0x7F;
                if (n == 0) {
                    return "indefinite length (BER, not DER)";
                }
                if (n > 4 || pos + n > der.length) {
                    return "bad length";
                }
                len = 0;
                for (int i = 0; i < n; i++) {
                    len = len << 8 | der[pos++] & 0xFF;
                }
                if (len < 0x80 || len >> (8 * (n - 1)) == 0) {
                    return "non-minimal length";
                }
            }
            if (len > ends[depth] - pos) {
                return "element longer than its container";
            }
            if ((tag & 0x20) != 0) {
                if (depth == maxDepth) {
                    return "nested deeper than " + maxDepth;
                }
                depth++;
                ends[depth] = pos + (int) len;
            } else {
                pos += (int) len;
            }
        }
        return first ? "empty" : null;
    }
}
