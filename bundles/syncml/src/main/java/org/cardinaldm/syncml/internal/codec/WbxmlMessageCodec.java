package org.cardinaldm.syncml.internal.codec;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.api.Namespaces;
import org.cardinaldm.syncml.api.WbxmlOptions;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.syncml.internal.bind.MessageReader;
import org.cardinaldm.syncml.internal.bind.MessageWriter;
import org.cardinaldm.syncml.internal.io.Bytes;
import org.cardinaldm.syncml.internal.io.Limiter;
import org.cardinaldm.syncml.internal.wbxml.Wbxml;
import org.cardinaldm.syncml.internal.wbxml.WbxmlTokenReader;
import org.cardinaldm.syncml.internal.wbxml.WbxmlTokenWriter;

/** The WBXML message codec ({@code application/vnd.syncml.dm+wbxml}). */
public final class WbxmlMessageCodec implements MessageCodec {
    private final WbxmlOptions options;

    /**
     * @param options the settings
     */
    public WbxmlMessageCodec(WbxmlOptions options) {
        this.options = options;
    }

    /** @return the settings */
    public WbxmlOptions options() {
        return options;
    }

    @Override
    public List<String> mediaTypes() {
        return MediaTypes.MESSAGE_WBXML_TYPES;
    }

    @Override
    public SyncMessage decode(byte[] bytes) throws CodecException {
        WbxmlTokenReader r = WbxmlTokenReader.open(bytes, Wbxml.Kind.SYNCML, new Limiter(options.limits()),
                options.expandEmbedded());
        return new MessageReader(r, options.expandEmbedded()).read();
    }

    @Override
    public SyncMessage decode(InputStream in) throws IOException, CodecException {
        return decode(Bytes.readBounded(in, options.limits().maxMessageBytes()));
    }

    @Override
    public byte[] encode(SyncMessage message) throws CodecException {
        String ns = Namespaces.syncMLNamespaceFor(message.header().verDtd());
        WbxmlTokenWriter w = new WbxmlTokenWriter(options, Wbxml.Kind.SYNCML, ns);
        new MessageWriter(w, true).write(message);
        return w.finish();
    }
}
