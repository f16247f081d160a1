package org.cardinaldm.syncml.internal.osgi;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.syncml.internal.codec.XmlMessageCodec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The XML message codec as a service for {@code application/vnd.syncml.dm+xml} and {@code vnd.syncml+xml}. */
@Component(service = MessageCodec.class, configurationPid = CodecConfig.PID, property = {
    MessageCodec.MEDIA_TYPE_PROPERTY + "=" + MediaTypes.DM_XML, MessageCodec.MEDIA_TYPE_PROPERTY + "=" + MediaTypes.DS_XML})
public final class XmlMessageCodecComponent implements MessageCodec {
    private static final Logger LOG = LoggerFactory.getLogger(XmlMessageCodecComponent.class);
    private final XmlMessageCodec codec;

    /**
     * @param config the codec configuration
     */
    @Activate
    public XmlMessageCodecComponent(CodecConfig config) {
        this.codec = new XmlMessageCodec(CodecConfig.Options.xml(config, LOG));
    }

    @Override
    public List<String> mediaTypes() {
        return codec.mediaTypes();
    }

    @Override
    public SyncMessage decode(byte[] bytes) throws CodecException {
        return codec.decode(bytes);
    }

    @Override
    public SyncMessage decode(InputStream in) throws IOException, CodecException {
        return codec.decode(in);
    }

    @Override
    public byte[] encode(SyncMessage message) throws CodecException {
        return codec.encode(message);
    }
}
