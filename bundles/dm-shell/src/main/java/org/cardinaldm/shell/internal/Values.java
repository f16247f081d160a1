package org.cardinaldm.shell.internal;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.StatusCode;

/**
 * Node values as an operator types them: text for the textual formats, hexadecimal for {@code bin}
 * (as {@code dm:get} prints it), {@code true}/{@code false}, decimal numbers.
 */
final class Values {
    /** The MIME type of binary values when none is given. */
    static final String OCTET_STREAM = "application/octet-stream";

    private Values() {
    }

    /**
     * @param token a Format name as {@code --format} takes it, case-insensitive
     * @return the format
     * @throws CommandException 415 for an unknown name
     */
    static Format format(String token) throws CommandException {
        return Format.fromToken(token).orElseThrow(() -> Refusals.of(StatusCode.UNSUPPORTED_MEDIA_TYPE,
                "Unknown format '" + abbreviate(token) + "' (chr, int, bool, bin, b64, float, date, time, xml, null, node)"));
    }

    /** @return the Type a value of this format gets when {@code --type} is not given */
    static String defaultType(Format format) {
        switch (format) {
            case NODE:
            case NULL:
                return "";
            case BIN:
                return OCTET_STREAM;
            default:
                return NodeValue.TEXT_PLAIN;
        }
    }

    /**
     * @param format the format
     * @param type the MIME type (or MO identifier for {@code node})
     * @param text the value as typed; null for none
     * @return the value
     * @throws CommandException 400 when the text does not fit the format
     */
    static NodeValue parse(Format format, String type, String text) throws CommandException {
        if (format == Format.NODE) {
            if (text != null) {
                throw Refusals.of(StatusCode.BAD_REQUEST, "An interior node (format node) has no value");
            }
            return NodeValue.of(Format.NODE, type, new byte[0]);
        }
        if (format == Format.NULL) {
            if (text != null && !text.isEmpty()) {
                throw Refusals.of(StatusCode.BAD_REQUEST, "A leaf of format null has no value");
            }
            return NodeValue.of(Format.NULL, type, new byte[0]);
        }
        String t = text == null ? "" : text;
        switch (format) {
            case BIN:
                return NodeValue.of(Format.BIN, type, hex(t));
            case INT:
                check(t.trim().matches("[+-]?\\d+"), "an integer", t);
                break;
            case BOOL:
                check(t.equals("true") || t.equals("false"), "true or false", t);
                break;
            case FLOAT:
                try {
                    new BigDecimal(t.trim().toUpperCase(Locale.ROOT));
                } catch (NumberFormatException e) {
                    check(false, "a number", t);
                }
                break;
            case B64:
                try {
                    Base64.getMimeDecoder().decode(t);
                } catch (IllegalArgumentException e) {
                    check(false, "base64", t);
                }
                break;
            default:
                break;
        }
        return NodeValue.of(format, type, t.getBytes(StandardCharsets.UTF_8));
    }

    private static void check(boolean ok, String what, String text) throws CommandException {
        if (!ok) {
            throw Refusals.of(StatusCode.BAD_REQUEST, "'" + abbreviate(text) + "' is not " + what);
        }
    }

    private static byte[] hex(String text) throws CommandException {
        String h = text.replace(" ", "").replace(":", "");
        if (h.length() % 2 != 0 || !h.matches("[0-9A-Fa-f]*")) {
            throw Refusals.of(StatusCode.BAD_REQUEST, "A bin value is typed in hexadecimal, e.g. 0AFF");
        }
        byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    static String abbreviate(String s) {
        return s == null ? "" : s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
