package org.cardinaldm.syncml.internal.io;

import org.cardinaldm.syncml.api.CodecException;

/** Writes the events of {@link TokenReader} as XML or WBXML. */
public interface TokenWriter {
    /**
     * @param namespace the namespace URI
     * @param name the local name
     * @throws CodecException when the element cannot be represented
     */
    void start(String namespace, String name) throws CodecException;

    /**
     * @param text character content of a non-Data element
     * @throws CodecException when the text cannot be represented
     */
    void text(String text) throws CodecException;

    /**
     * Character content of a {@code Data} or TNDS {@code Value} element; encodings may choose a
     * different form for it (CDATA in XML, OPAQUE in WBXML).
     *
     * @param text the characters
     * @throws CodecException when the text cannot be represented
     */
    void dataText(String text) throws CodecException;

    /**
     * @param bytes a binary value (OPAQUE in WBXML)
     * @throws CodecException when the bytes cannot be represented
     */
    void opaque(byte[] bytes) throws CodecException;

    /**
     * Ends the most recently started element.
     *
     * @throws CodecException when the writer is inconsistent
     */
    void end() throws CodecException;

    /**
     * @return the complete document
     * @throws CodecException when elements are still open
     */
    byte[] finish() throws CodecException;
}
