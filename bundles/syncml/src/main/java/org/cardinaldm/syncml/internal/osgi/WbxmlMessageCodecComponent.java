package org.cardinaldm.syncml.internal.osgi;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.syncml.internal.codec.WbxmlMessageCodec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/** The WBXML message codec as a service for {@code application/vnd.syncml.dm+wbxml} and {@code vnd.syncml+wbxml}. */
@Component(service = MessageCodec.class, configurationPid = CodecConfig.PID, property = {
    MessageCodec.MEDIA_TYPE_PROPERTY + "=" + MediaTypes.DM_WBXML, MessageCodec.MEDIA_TYPE_PROPERTY + "=" + MediaTypes.DS_WBXML})
public final class WbxmlMessageCodecComponent implements MessageCodec {
    private final WbxmlMessageCodec codec;

    /**
     * @param config the codec configuration
     */
    @Activate
    public WbxmlMessageCodecComponent(CodecConfig config) {
        this.codec = new WbxmlMessageCodec(CodecConfig.Options.wbxml(config));
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
