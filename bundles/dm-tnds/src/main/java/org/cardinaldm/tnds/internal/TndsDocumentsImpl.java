package org.cardinaldm.tnds.internal;

import java.util.List;
import java.util.Objects;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.ListForm;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.SubtreeNode;
import org.cardinaldm.api.TndsDocuments;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.api.TreeSerialization;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.CodecLimits;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.WbxmlOptions;
import org.cardinaldm.syncml.api.XmlOptions;
import org.cardinaldm.syncml.api.tnds.MgmtTree;
import org.cardinaldm.syncml.api.tnds.TndsCodec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TNDS documents of the DM tree: {@link TreeSerialization} plus the syncml TNDS codecs (XML,
 * pretty-printed, and WBXML). Decoding is bounded by the configured limits, and the XML reader has
 * DTDs and external entities off (syncml's own reader). Configuration PID {@code org.cardinaldm.tnds}.
 */
@Component(service = TndsDocuments.class, configurationPid = TndsDocumentsImpl.PID)
@Designate(ocd = TndsDocumentsImpl.Config.class)
public final class TndsDocumentsImpl implements TndsDocuments {
    /** The configuration PID. */
    public static final String PID = "org.cardinaldm.tnds";

    private static final Logger LOG = LoggerFactory.getLogger(TndsDocumentsImpl.class);

    /** Limits of the documents read. */
    @ObjectClassDefinition(name = "Cardinal TNDS documents", description = "Limits of the TNDS documents imported into the DM tree")
    public @interface Config {
        /** @return the largest document, in MB */
        @AttributeDefinition(name = "Largest document (MB)", min = "1")
        int max_document_mb() default 32;

        /** @return the most elements in a document */
        @AttributeDefinition(name = "Most elements", min = "1")
        int max_elements() default 2_000_000;
    }

    private final TreeSerialization serialization;
    private final TndsCodec xml;
    private final TndsCodec wbxml;

    /**
     * @param serialization the tree's subtree service
     * @param config the limits
     */
    @Activate
    public TndsDocumentsImpl(@Reference TreeSerialization serialization, Config config) {
        this.serialization = Objects.requireNonNull(serialization, "serialization");
        int bytes = Math.max(1, config.max_document_mb()) << 20;
        CodecLimits limits = new CodecLimits(bytes, CodecLimits.DEFAULT.maxDepth(), Math.max(1, config.max_elements()),
                bytes, bytes);
        this.xml = SyncML.tndsXml(XmlOptions.DEFAULT.withLimits(limits).withPretty(true));
        this.wbxml = SyncML.tndsWbxml(WbxmlOptions.DEFAULT.withLimits(limits));
    }

    @Override
    public List<String> mediaTypes() {
        return List.of(XML, WBXML);
    }

    @Override
    public byte[] export(TreeAccess access, NodeUri uri, ListForm form, String mediaType) throws DmException {
        Objects.requireNonNull(form, "form");
        if (form.kind() != ListForm.Kind.TNDS) {
            throw new DmException(StatusCode.OPTIONAL_FEATURE_NOT_SUPPORTED, "A TNDS document needs a TNDS form, not " + form);
        }
        TndsCodec codec = codec(mediaType);
        SubtreeNode top = serialization.list(access, uri, form);
        try {
            return codec.encode(TndsMapping.toMgmtTree(top, codec == wbxml));
        } catch (CodecException e) {
            LOG.debug("Cannot encode {} as {}: {}", uri, codec.mediaType(), e.getMessage());
            throw new DmException(StatusCode.UNSUPPORTED_MEDIA_TYPE,
                    "The subtree cannot be written as " + codec.mediaType() + ": " + e.getMessage());
        }
    }

    @Override
    public void add(TreeAccess access, NodeUri target, byte[] document, String mediaType) throws DmException {
        serialization.add(access, target, decode(document, mediaType));
    }

    @Override
    public void replace(TreeAccess access, NodeUri target, byte[] document, String mediaType) throws DmException {
        serialization.replace(access, target, decode(document, mediaType));
    }

    private List<SubtreeNode> decode(byte[] document, String mediaType) throws DmException {
        Objects.requireNonNull(document, "document");
        TndsCodec codec = codec(mediaType);
        MgmtTree tree;
        try {
            tree = codec.decode(document);
        } catch (CodecException e) {
            StatusCode status = StatusCode.of(e.error().status()).filter(s -> !s.isSuccess())
                    .orElse(StatusCode.BAD_REQUEST);
            if (status == StatusCode.INCOMPLETE_COMMAND || status == StatusCode.COMMAND_FAILED) {
                status = StatusCode.BAD_REQUEST;
            }
            throw new DmException(status, "Not a valid " + codec.mediaType() + " document: " + e.getMessage());
        }
        return TndsMapping.fromMgmtTree(tree);
    }

    private TndsCodec codec(String mediaType) throws DmException {
        String type = MediaTypes.normalize(Objects.requireNonNull(mediaType, "mediaType"));
        if (type.equals(XML)) {
            return xml;
        }
        if (type.equals(WBXML)) {
            return wbxml;
        }
        throw new DmException(StatusCode.UNSUPPORTED_MEDIA_TYPE, "Unsupported TNDS media type (use " + XML + " or "
                + WBXML + ")");
    }
}
