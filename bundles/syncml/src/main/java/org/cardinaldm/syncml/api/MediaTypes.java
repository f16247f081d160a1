package org.cardinaldm.syncml.api;

import java.util.List;
import java.util.Locale;

/** Media types handled by the SyncML codecs (digest sections 1.1, 4 and 7). */
public final class MediaTypes {
    /** SyncML DM message, XML. */
    public static final String DM_XML = "application/vnd.syncml.dm+xml";
    /** SyncML DM message, WBXML. */
    public static final String DM_WBXML = "application/vnd.syncml.dm+wbxml";
    /** Data-synchronisation SyncML, XML; some DM clients send it for DM messages. */
    public static final String DS_XML = "application/vnd.syncml+xml";
    /** Data-synchronisation SyncML, WBXML; some DM clients send it for DM messages. */
    public static final String DS_WBXML = "application/vnd.syncml+wbxml";
    /** TNDS management tree, XML. */
    public static final String TNDS_XML = "application/vnd.syncml.dmtnds+xml";
    /** TNDS management tree, WBXML. */
    public static final String TNDS_WBXML = "application/vnd.syncml.dmtnds+wbxml";
    /** Package 0, the general notification that asks a device to open a session. */
    public static final String NOTIFICATION = "application/vnd.syncml.notification";

    /** Media types answered by the XML message codec. */
    public static final List<String> MESSAGE_XML_TYPES = List.of(DM_XML, DS_XML);
    /** Media types answered by the WBXML message codec. */
    public static final List<String> MESSAGE_WBXML_TYPES = List.of(DM_WBXML, DS_WBXML);

    private MediaTypes() {
    }

    /**
     * Strips parameters and case from a Content-Type value.
     *
     * @param contentType a header value such as {@code application/vnd.syncml.dm+wbxml; charset=utf-8}
     * @return the bare lower-case media type, e.g. {@code application/vnd.syncml.dm+wbxml}
     */
    public static String normalize(String contentType) {
        String bare = contentType;
        int semicolon = bare.indexOf(';');
        if (semicolon >= 0) {
            bare = bare.substring(0, semicolon);
        }
        return bare.trim().toLowerCase(Locale.ROOT);
    }
}
