package org.cardinaldm.server.internal.session;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

import org.cardinaldm.server.api.ResultItem;

/**
 * How the value of an Item the device sent is kept. The Meta Format, not the WBXML token that carried the
 * Data, decides: {@code bin} and {@code b64} values are bytes; every other format ({@code chr}, which an absent
 * Format means, {@code int}, {@code bool}, {@code xml}, …) is text, whether it came as an inline string or as
 * WBXML OPAQUE (OMA DM 1.2 Representation Protocol §6.2 Meta Format, default {@code chr}; WBXML 1.3 §5.8.4.6
 * OPAQUE). OPAQUE bytes of a text format that are not valid UTF-8 are kept as bytes, so nothing is lost.
 */
final class ItemValues {
    private ItemValues() {
    }

    /** @return true when a value of this Meta Format is bytes rather than text */
    static boolean bytesFormat(String format) {
        if (format == null) {
            return false;
        }
        String f = format.trim().toLowerCase(Locale.ROOT);
        return f.equals("bin") || f.equals("b64");
    }

    /**
     * @param uri the item's source URI, or null
     * @param format the Meta Format, or null
     * @param type the Meta Type, or null
     * @param raw the bytes the device sent as OPAQUE
     * @return the item as text when its format is textual and the bytes are UTF-8, else as base64 bytes
     */
    static ResultItem fromBytes(String uri, String format, String type, byte[] raw) {
        if (!bytesFormat(format)) {
            String text = utf8(raw);
            if (text != null) {
                return new ResultItem(uri, format, type, text, false);
            }
        }
        return new ResultItem(uri, format, type, Base64.getEncoder().encodeToString(raw), true);
    }

    /** @return the bytes decoded as strict UTF-8, or null when they are not UTF-8 */
    static String utf8(byte[] raw) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
