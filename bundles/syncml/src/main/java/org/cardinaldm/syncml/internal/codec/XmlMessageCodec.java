package org.cardinaldm.syncml.internal.codec;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.api.XmlOptions;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.syncml.internal.bind.MessageReader;
import org.cardinaldm.syncml.internal.bind.MessageWriter;
import org.cardinaldm.syncml.internal.io.Bytes;
import org.cardinaldm.syncml.internal.io.Limiter;
import org.cardinaldm.syncml.internal.xml.XmlTokenReader;
import org.cardinaldm.syncml.internal.xml.XmlTokenWriter;

/** The XML message codec ({@code application/vnd.syncml.dm+xml}). */
public final class XmlMessageCodec implements MessageCodec {
    private final XmlOptions options;

    /**
     * @param options the settings
     */
    public XmlMessageCodec(XmlOptions options) {
        this.options = options;
    }

    /** @return the settings */
    public XmlOptions options() {
        return options;
    }

    @Override
    public List<String> mediaTypes() {
        return MediaTypes.MESSAGE_XML_TYPES;
    }

    @Override
    public SyncMessage decode(byte[] bytes) throws CodecException {
        return new MessageReader(XmlTokenReader.open(bytes, options, new Limiter(options.limits())), false).read();
    }

    @Override
    public SyncMessage decode(InputStream in) throws IOException, CodecException {
        return decode(Bytes.readBounded(in, options.limits().maxMessageBytes()));
    }

    @Override
    public byte[] encode(SyncMessage message) throws CodecException {
        XmlTokenWriter w = new XmlTokenWriter(options);
        new MessageWriter(w, false).write(message);
        return w.finish();
    }
}
