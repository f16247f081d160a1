package org.cardinaldm.syncml.internal.osgi;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.api.model.SyncMessage;

/** A codec component's body: every call goes to the configured codec it was made with. */
abstract class DelegatingMessageCodec implements MessageCodec {
    private final MessageCodec codec;

    DelegatingMessageCodec(MessageCodec codec) {
        this.codec = codec;
    }

    @Override
    public final List<String> mediaTypes() {
        return codec.mediaTypes();
    }

    @Override
    public final SyncMessage decode(byte[] bytes) throws CodecException {
        return codec.decode(bytes);
    }

    @Override
    public final SyncMessage decode(InputStream in) throws IOException, CodecException {
        return codec.decode(in);
    }

    @Override
    public final byte[] encode(SyncMessage message) throws CodecException {
        return codec.encode(message);
    }
}
