package org.cardinaldm.syncml.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

import org.cardinaldm.syncml.api.model.SyncMessage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Encodes and decodes SyncML messages in one representation (XML or WBXML).
 *
 * <p>In OSGi every codec is a service whose {@value #MEDIA_TYPE_PROPERTY} property lists the media
 * types it answers to, e.g. {@code (syncml.media.type=application/vnd.syncml.dm+wbxml)}; providers
 * declare it with the component property type {@link MediaType}. Outside OSGi, use {@link SyncML}.
 * Implementations are thread-safe.
 */
@ProviderType
public interface MessageCodec {
    /**
     * Service property listing the media types of a codec, for readers of service properties and
     * filters; providers set it with {@link MediaType}.
     */
    String MEDIA_TYPE_PROPERTY = "syncml.media.type";

    /** @return the media types this codec answers to; the first is the one it writes */
    List<String> mediaTypes();

    /**
     * @param bytes a whole message
     * @return the message
     * @throws CodecException when the bytes are malformed, incomplete or over a limit
     */
    SyncMessage decode(byte[] bytes) throws CodecException;

    /**
     * Reads a stream to its end, failing as soon as it exceeds the message size limit.
     *
     * @param in the stream, not closed
     * @return the message
     * @throws IOException when the stream fails
     * @throws CodecException when the bytes are malformed, incomplete or over a limit
     */
    SyncMessage decode(InputStream in) throws IOException, CodecException;

    /**
     * @param message the message
     * @return its encoding
     * @throws CodecException when a value cannot be represented in this encoding
     */
    byte[] encode(SyncMessage message) throws CodecException;

    /**
     * @param message the message
     * @param out the stream, not closed
     * @throws IOException when the stream fails
     * @throws CodecException when a value cannot be represented in this encoding
     */
    default void encode(SyncMessage message, OutputStream out) throws IOException, CodecException {
        out.write(encode(message));
    }
}
