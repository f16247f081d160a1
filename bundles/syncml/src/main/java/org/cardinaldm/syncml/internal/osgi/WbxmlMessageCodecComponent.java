package org.cardinaldm.syncml.internal.osgi;

import org.cardinaldm.syncml.api.MediaType;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.internal.codec.WbxmlMessageCodec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/** The WBXML message codec as a service for {@code application/vnd.syncml.dm+wbxml} and {@code vnd.syncml+wbxml}. */
@Component(service = MessageCodec.class, configurationPid = CodecConfig.PID)
@MediaType({MediaTypes.DM_WBXML, MediaTypes.DS_WBXML})
public final class WbxmlMessageCodecComponent extends DelegatingMessageCodec {
    /**
     * @param config the codec configuration
     */
    @Activate
    public WbxmlMessageCodecComponent(CodecConfig config) {
        super(new WbxmlMessageCodec(CodecConfig.Options.wbxml(config)));
    }
}
