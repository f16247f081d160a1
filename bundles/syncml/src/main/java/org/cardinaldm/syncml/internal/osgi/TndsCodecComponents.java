package org.cardinaldm.syncml.internal.osgi;

import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.MessageCodec;
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

    /** {@code application/vnd.syncml.dmtnds+xml}. */
    @Component(service = TndsCodec.class, configurationPid = CodecConfig.PID,
            property = MessageCodec.MEDIA_TYPE_PROPERTY + "=" + MediaTypes.TNDS_XML)
    public static final class Xml implements TndsCodec {
        private static final Logger LOG = LoggerFactory.getLogger(Xml.class);
        private final TndsCodec codec;

        /**
         * @param config the codec configuration
         */
        @Activate
        public Xml(CodecConfig config) {
            this.codec = new TndsCodecs.Xml(CodecConfig.Options.xml(config, LOG));
        }

        @Override
        public String mediaType() {
            return codec.mediaType();
        }

        @Override
        public MgmtTree decode(byte[] bytes) throws CodecException {
            return codec.decode(bytes);
        }

        @Override
        public byte[] encode(MgmtTree tree) throws CodecException {
            return codec.encode(tree);
        }
    }

    /** {@code application/vnd.syncml.dmtnds+wbxml}. */
    @Component(service = TndsCodec.class, configurationPid = CodecConfig.PID,
            property = MessageCodec.MEDIA_TYPE_PROPERTY + "=" + MediaTypes.TNDS_WBXML)
    public static final class Binary implements TndsCodec {
        private final TndsCodec codec;

        /**
         * @param config the codec configuration
         */
        @Activate
        public Binary(CodecConfig config) {
            this.codec = new TndsCodecs.Binary(CodecConfig.Options.wbxml(config));
        }

        @Override
        public String mediaType() {
            return codec.mediaType();
        }

        @Override
        public MgmtTree decode(byte[] bytes) throws CodecException {
            return codec.decode(bytes);
        }

        @Override
        public byte[] encode(MgmtTree tree) throws CodecException {
            return codec.encode(tree);
        }
    }
}
