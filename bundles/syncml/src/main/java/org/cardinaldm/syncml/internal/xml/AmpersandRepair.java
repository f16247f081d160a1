package org.cardinaldm.syncml.internal.xml;

/**
 * Finds raw {@code &} characters that start no valid entity or character reference and escapes them
 * as {@code &amp;}. Real DM servers send {@code MAXDT=15&DR=1} in alert options (SCTS captures).
 *
 * <p>Works on the bytes of an ASCII-compatible encoding (UTF-8, ISO-8859-1, US-ASCII); comments,
 * CDATA sections, processing instructions and the DOCTYPE are left alone.
 */
public final class AmpersandRepair {
    private static final int MAX_REFERENCE = 64;

    private AmpersandRepair() {
    }

    /**
     * @param in the document
     * @return the number of raw ampersands found (0 when the document needs no repair)
     */
    public static int count(byte[] in) {
        for (byte b : in) {
            if (b == '&') {
                return scan(in, null);
            }
        }
        return 0;
    }

    /**
     * @param in the document
     * @param count the result of {@link #count(byte[])}
     * @return a copy with each raw ampersand replaced by {@code &amp;}
     */
    public static byte[] repair(byte[] in, int count) {
        byte[] out = new byte[in.length + 4 * count];
        scan(in, out);
        return out;
    }

    /** @return true when the document starts with a UTF-16 or UTF-32 byte order mark or a NUL byte */
    static boolean notAsciiCompatible(byte[] in) {
        if (in.length >= 2) {
            int b0 = in[0] & 0xFF;
            int b1 = in[1] & 0xFF;
            return (b0 == 0xFE && b1 == 0xFF) || (b0 == 0xFF && b1 == 0xFE) || b0 == 0 || b1 == 0;
        }
        return false;
    }

    private static int scan(byte[] in, byte[] out) {
        if (notAsciiCompatible(in)) {
            return 0;
        }
        int found = 0;
        int o = 0;
        int i = 0;
        int n = in.length;
        while (i < n) {
            byte b = in[i];
            if (b == '<' && i + 1 < n) {
                int skipTo = -1;
                if (startsWith(in, i, "<!--")) {
                    skipTo = indexOf(in, i + 4, "-->", 3);
                } else if (startsWith(in, i, "<![CDATA[")) {
                    skipTo = indexOf(in, i + 9, "]]>", 3);
                } else if (startsWith(in, i, "<?")) {
                    skipTo = indexOf(in, i + 2, "?>", 2);
                } else if (startsWith(in, i, "<!")) {
                    skipTo = endOfDeclaration(in, i + 2);
                }
                if (skipTo != -1 || startsWith(in, i, "<!") || startsWith(in, i, "<?")) {
                    int end = skipTo == -1 ? n : skipTo;
                    if (out != null) {
                        System.arraycopy(in, i, out, o, end - i);
                    }
                    o += end - i;
                    i = end;
                    continue;
                }
            }
            if (b == '&' && !isReference(in, i + 1)) {
                found++;
                if (out != null) {
                    out[o] = '&';
                    out[o + 1] = 'a';
                    out[o + 2] = 'm';
                    out[o + 3] = 'p';
                    out[o + 4] = ';';
                }
                o += 5;
                i++;
                continue;
            }
            if (out != null) {
                out[o] = b;
            }
            o++;
            i++;
        }
        return found;
    }

    private static boolean isReference(byte[] in, int start) {
        int n = Math.min(in.length, start + MAX_REFERENCE);
        int i = start;
        if (i >= n) {
            return false;
        }
        if (in[i] == '#') {
            i++;
            boolean hex = i < n && in[i] == 'x';
            if (hex) {
                i++;
            }
            int digits = 0;
            while (i < n && (hex ? isHex(in[i]) : isDigit(in[i]))) {
                i++;
                digits++;
            }
            return digits > 0 && i < n && in[i] == ';';
        }
        if (!isNameStart(in[i])) {
            return false;
        }
        i++;
        while (i < n && isNameChar(in[i])) {
            i++;
        }
        return i < n && in[i] == ';';
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isHex(byte b) {
        return isDigit(b) || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }

    private static boolean isNameStart(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '_' || b == ':';
    }

    private static boolean isNameChar(byte b) {
        return isNameStart(b) || isDigit(b) || b == '-' || b == '.';
    }

    private static boolean startsWith(byte[] in, int at, String s) {
        if (at + s.length() > in.length) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (in[at + k] != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** @return the index just after the terminator, or -1 */
    private static int indexOf(byte[] in, int from, String terminator, int length) {
        for (int i = from; i + length <= in.length; i++) {
            if (startsWith(in, i, terminator)) {
                return i + length;
            }
        }
        return -1;
    }

    /** @return the index after the {@code >} that closes a declaration such as DOCTYPE, or -1 */
    private static int endOfDeclaration(byte[] in, int from) {
        int brackets = 0;
        byte quote = 0;
        for (int i = from; i < in.length; i++) {
            byte b = in[i];
            if (quote != 0) {
                if (b == quote) {
                    quote = 0;
                }
            } else if (b == '"' || b == '\'') {
                quote = b;
            } else if (b == '[') {
                brackets++;
            } else if (b == ']') {
                brackets--;
            } else if (b == '>' && brackets <= 0) {
                return i + 1;
            }
        }
        return -1;
    }
}
