package org.cardinaldm.syncml.internal.osgi;

import org.cardinaldm.syncml.api.MediaType;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.internal.codec.XmlMessageCodec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The XML message codec as a service for {@code application/vnd.syncml.dm+xml} and {@code vnd.syncml+xml}. */
@Component(service = MessageCodec.class, configurationPid = CodecConfig.PID)
@MediaType({MediaTypes.DM_XML, MediaTypes.DS_XML})
public final class XmlMessageCodecComponent extends DelegatingMessageCodec {
    private static final Logger LOG = LoggerFactory.getLogger(XmlMessageCodecComponent.class);

    /**
     * @param config the codec configuration
     */
    @Activate
    public XmlMessageCodecComponent(CodecConfig config) {
        super(new XmlMessageCodec(CodecConfig.Options.xml(config, LOG)));
    }
}
