package org.cardinaldm.syncml.api.tnds;

import org.cardinaldm.syncml.api.CodecException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Encodes and decodes standalone TNDS documents ({@code application/vnd.syncml.dmtnds+xml} or
 * {@code +wbxml}). In OSGi each codec is a service with the property {@code syncml.media.type}.
 */
@ProviderType
public interface TndsCodec {
    /** @return the media type of this codec, e.g. {@code application/vnd.syncml.dmtnds+wbxml} */
    String mediaType();

    /**
     * @param bytes the document
     * @return the tree
     * @throws CodecException when the document is malformed, incomplete or over a limit
     */
    MgmtTree decode(byte[] bytes) throws CodecException;

    /**
     * @param tree the tree
     * @return the document
     * @throws CodecException when a value cannot be represented
     */
    byte[] encode(MgmtTree tree) throws CodecException;
}
