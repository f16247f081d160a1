package org.cardinaldm.server.api;

/**
 * One Item of a Results command (the value of a Get) or of a Status.
 *
 * @param uri the Source LocURI, or null
 * @param format the Meta Format, or null
 * @param type the Meta Type, or null
 * @param value the Data: text as sent, or base64 when {@code binary}
 * @param binary true when the device sent raw bytes (WBXML opaque) and {@code value} is their base64
 */
public record ResultItem(String uri, String format, String type, String value, boolean binary) {
}
