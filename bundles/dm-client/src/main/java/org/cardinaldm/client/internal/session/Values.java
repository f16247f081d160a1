package org.cardinaldm.client.internal.session;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.Meta;

/** Conversions between message Items and tree values. */
final class Values {
    private Values() {
    }

    /**
     * @param item an item
     * @param commandMeta the command's Meta, or null
     * @return the Format token that applies (item, then command, then {@code chr})
     */
    static String format(Item item, Meta commandMeta) {
        if (item.meta() != null && item.meta().format() != null && !item.meta().format().isBlank()) {
            return item.meta().format().trim();
        }
        if (commandMeta != null && commandMeta.format() != null && !commandMeta.format().isBlank()) {
            return commandMeta.format().trim();
        }
        return Format.CHR.token();
    }

    /**
     * @param item an item
     * @param commandMeta the command's Meta, or null
     * @return the Type that applies (item, then command), or empty
     */
    static String type(Item item, Meta commandMeta) {
        if (item.meta() != null && item.meta().type() != null && !item.meta().type().isBlank()) {
            return item.meta().type().trim();
        }
        if (commandMeta != null && commandMeta.type() != null && !commandMeta.type().isBlank()) {
            return commandMeta.type().trim();
        }
        return "";
    }

    /**
     * @param formatToken a Format token
     * @param type the Type, or empty
     * @param data the bytes as received
     * @return the tree value
     * @throws DmException 415 for a Format DM does not define
     */
    static NodeValue value(String formatToken, String type, byte[] data) throws DmException {
        Format format = Format.fromToken(formatToken).orElseThrow(() -> new DmException(StatusCode.UNSUPPORTED_MEDIA_TYPE,
                "Unknown Format '" + shorten(formatToken) + "'"));
        switch (format) {
            case NODE:
                return type.isEmpty() ? NodeValue.interior() : NodeValue.of(Format.NODE, type, new byte[0]);
            case NULL:
                return NodeValue.ofNull();
            default:
                return NodeValue.of(format, type, data);
        }
    }

    /**
     * @param item an item
     * @param commandMeta the command's Meta, or null
     * @return the item's value
     * @throws DmException 415 for an unknown Format
     */
    static NodeValue value(Item item, Meta commandMeta) throws DmException {
        return value(format(item, commandMeta), type(item, commandMeta), bytes(item.data()));
    }

    /** @param data Data or null @return its bytes as received (UTF-8 of a text) */
    static byte[] bytes(Data data) {
        return data == null ? new byte[0] : data.asBytes();
    }

    /**
     * A Results item for a value.
     *
     * @param sourceUri the URI the server asked for, as it wrote it
     * @param v the value
     * @param xml whether the message is XML (binary data then travels as b64 text)
     * @return the item
     */
    static Item resultItem(String sourceUri, NodeValue v, boolean xml) {
        Encoded e = encode(v, xml);
        Meta meta = Meta.builder().format(e.format()).type(v.type().isEmpty() ? null : v.type()).build();
        return Item.builder().source(sourceUri).meta(meta).data(e.data()).build();
    }

    /** A value as it travels: the Format written and the Data. */
    record Encoded(String format, Data data) {
        int length() {
            return data instanceof Data.Binary b ? b.length() : data.asText().getBytes(StandardCharsets.UTF_8).length;
        }
    }

    static Encoded encode(NodeValue v, boolean xml) {
        switch (v.format()) {
            case NODE:
                return new Encoded(Format.NODE.token(), Data.text(v.asString()));
            case NULL:
                return new Encoded(Format.NULL.token(), Data.text(""));
            case BIN:
                return xml ? new Encoded(Format.B64.token(), Data.text(Base64.getEncoder().encodeToString(v.data())))
                        : new Encoded(Format.BIN.token(), Data.bytes(v.data()));
            default:
                String text = v.asString();
                if (xml && !xmlSafe(v.data(), text)) {
                    return new Encoded(Format.B64.token(), Data.text(Base64.getEncoder().encodeToString(v.data())));
                }
                return new Encoded(v.format().token(), Data.text(text));
        }
    }

    /** @return true when the bytes are UTF-8 and every character may appear in XML 1.0 */
    private static boolean xmlSafe(byte[] bytes, String text) {
        if (!java.util.Arrays.equals(bytes, text.getBytes(StandardCharsets.UTF_8))) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0xFFFE || c == 0xFFFF) {
                return false;
            }
        }
        return true;
    }

    static String shorten(String s) {
        return s == null ? "" : s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
