package org.cardinaldm.syncml.api;

import java.util.Optional;

import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.syncml.api.tnds.TndsCodec;
import org.cardinaldm.syncml.internal.codec.TndsCodecs;
import org.cardinaldm.syncml.internal.codec.WbxmlMessageCodec;
import org.cardinaldm.syncml.internal.codec.XmlMessageCodec;

/**
 * Entry point for plain Java: creates codecs without OSGi.
 *
 * <pre>{@code
 * MessageCodec wbxml = SyncML.wbxml();
 * SyncMessage m = wbxml.decode(bytes);
 * byte[] xml = SyncML.xml(XmlOptions.DEFAULT.withPretty(true)).encode(m);
 * }</pre>
 */
public final class SyncML {
    private static final MessageCodec XML = new XmlMessageCodec(XmlOptions.DEFAULT);
    private static final MessageCodec WBXML = new WbxmlMessageCodec(WbxmlOptions.DEFAULT);

    private SyncML() {
    }

    /** @return the XML message codec with default options */
    public static MessageCodec xml() {
        return XML;
    }

    /**
     * @param options the settings
     * @return an XML message codec
     */
    public static MessageCodec xml(XmlOptions options) {
        return new XmlMessageCodec(options);
    }

    /** @return the WBXML message codec with default options */
    public static MessageCodec wbxml() {
        return WBXML;
    }

    /**
     * @param options the settings
     * @return a WBXML message codec
     */
    public static MessageCodec wbxml(WbxmlOptions options) {
        return new WbxmlMessageCodec(options);
    }

    /**
     * @param options the settings
     * @return the XML TNDS codec
     */
    public static TndsCodec tndsXml(XmlOptions options) {
        return new TndsCodecs.Xml(options);
    }

    /**
     * @param options the settings
     * @return the WBXML TNDS codec
     */
    public static TndsCodec tndsWbxml(WbxmlOptions options) {
        return new TndsCodecs.Binary(options);
    }

    /**
     * @param contentType a Content-Type value, parameters allowed
     * @return the default message codec for it: the DM and data-synchronisation XML and WBXML types
     */
    public static Optional<MessageCodec> forMediaType(String contentType) {
        String type = MediaTypes.normalize(contentType);
        if (MediaTypes.MESSAGE_XML_TYPES.contains(type)) {
            return Optional.of(XML);
        }
        if (MediaTypes.MESSAGE_WBXML_TYPES.contains(type)) {
            return Optional.of(WBXML);
        }
        return Optional.empty();
    }

    /**
     * @param bytes a document
     * @return true when it starts like WBXML 1.1 to 1.3 (version byte 1 to 3); XML starts with
     *         {@code <}, white space or a byte order mark
     */
    public static boolean isWbxml(byte[] bytes) {
        return bytes.length > 0 && bytes[0] >= 1 && bytes[0] <= 3;
    }

    /**
     * Decodes a message whose encoding is detected from its first byte.
     *
     * @param bytes the message
     * @return the message
     * @throws CodecException when it is malformed
     */
    public static SyncMessage decode(byte[] bytes) throws CodecException {
        return isWbxml(bytes) ? WBXML.decode(bytes) : XML.decode(bytes);
    }
}
