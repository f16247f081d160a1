package org.cardinaldm.syncml.internal.osgi;

import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.MediaType;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.tnds.MgmtTree;
import org.cardinaldm.syncml.api.tnds.TndsCodec;
import org.cardinaldm.syncml.internal.codec.TndsCodecs;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The TNDS codecs as services keyed by media type. */
public final class TndsCodecComponents {
    private TndsCodecComponents() {
    }

    /** A TNDS codec component's body: every call goes to the configured codec it was made with. */
    abstract static class Delegating implements TndsCodec {
        private final TndsCodec codec;

        Delegating(TndsCodec codec) {
            this.codec = codec;
        }

        @Override
        public final String mediaType() {
            return codec.mediaType();
        }

        @Override
        public final MgmtTree decode(byte[] bytes) throws CodecException {
            return codec.decode(bytes);
        }

        @Override
        public final byte[] encode(MgmtTree tree) throws CodecException {
            return codec.encode(tree);
        }
    }

    /** {@code application/vnd.syncml.dmtnds+xml}. */
    @Component(service = TndsCodec.class, configurationPid = CodecConfig.PID)
    @MediaType(MediaTypes.TNDS_XML)
    public static final class Xml extends Delegating {
        private static final Logger LOG = LoggerFactory.getLogger(Xml.class);

        /**
         * @param config the codec configuration
         */
        @Activate
        public Xml(CodecConfig config) {
            super(new TndsCodecs.Xml(CodecConfig.Options.xml(config, LOG)));
        }
    }

    /** {@code application/vnd.syncml.dmtnds+wbxml}. */
    @Component(service = TndsCodec.class, configurationPid = CodecConfig.PID)
    @MediaType(MediaTypes.TNDS_WBXML)
    public static final class Binary extends Delegating {
        /**
         * @param config the codec configuration
         */
        @Activate
        public Binary(CodecConfig config) {
            super(new TndsCodecs.Binary(CodecConfig.Options.wbxml(config)));
        }
    }
}
