package org.cardinaldm.client.internal.session;

import java.util.Locale;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.ListForm;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TndsDocuments;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.XmlOptions;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.ItemCommand;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.Replace;
import org.cardinaldm.syncml.api.model.XmlElement;
import org.cardinaldm.syncml.api.tnds.MgmtTree;

/**
 * TNDS items of the server's commands (OMA-TS-DM_TNDS-V1_2): an Add or Replace whose item is a
 * {@code MgmtTree} (inline XML, WBXML or text) is handed to the tree's {@link TndsDocuments} service, and
 * a Get of {@code ?list=TNDS} is answered with the exported tree as an inline {@code MgmtTree}. Without
 * that service, TNDS data is refused (415) and {@code ?list=TNDS} is not supported (406).
 */
final class TndsItems {
    private final TndsDocuments tnds;
    private final boolean xml;

    /**
     * @param tnds the TNDS service, or null
     * @param xml whether the session speaks XML (else WBXML)
     */
    TndsItems(TndsDocuments tnds, boolean xml) {
        this.tnds = tnds;
        this.xml = xml;
    }

    /**
     * @param item an item
     * @param meta its command's Meta
     * @return true when its type is TNDS (XML or WBXML)
     */
    static boolean isTnds(Item item, Meta meta) {
        String type = Values.type(item, meta).toLowerCase(Locale.ROOT);
        return type.equals(MediaTypes.TNDS_XML) || type.equals(MediaTypes.TNDS_WBXML);
    }

    /**
     * Adds or replaces the subtree a TNDS item describes.
     *
     * @param c the Add or Replace
     * @param item its TNDS item
     * @param acc the tree as the server
     * @param target where the subtree goes
     * @throws DmException when the tree or the TNDS service refuses it
     */
    void apply(ItemCommand c, Item item, TreeAccess acc, NodeUri target) throws DmException {
        TndsDocuments docs = tnds;
        if (docs == null) {
            throw new DmException(StatusCode.UNSUPPORTED_MEDIA_TYPE, "TNDS is not available on this device");
        }
        String type = Values.type(item, c.meta()).toLowerCase(Locale.ROOT);
        byte[] document;
        String mediaType;
        Data data = item.data();
        if (data instanceof Data.Xml x) {
            XmlElement root = x.elements().stream().filter(e -> e.name().equals("MgmtTree")).findFirst()
                    .orElseThrow(() -> new DmException(StatusCode.BAD_REQUEST, "TNDS data has no MgmtTree"));
            try {
                document = SyncML.tndsXml(XmlOptions.DEFAULT).encode(MgmtTree.fromXml(root));
            } catch (CodecException e) {
                throw new DmException(StatusCode.BAD_REQUEST, "Malformed TNDS object: " + e.getMessage());
            }
            mediaType = MediaTypes.TNDS_XML;
        } else if (data instanceof Data.Binary b) {
            document = b.asBytes();
            mediaType = SyncML.isWbxml(document) ? MediaTypes.TNDS_WBXML : MediaTypes.TNDS_XML;
        } else {
            document = Values.bytes(data);
            mediaType = type.equals(MediaTypes.TNDS_WBXML) && SyncML.isWbxml(document) ? MediaTypes.TNDS_WBXML
                    : MediaTypes.TNDS_XML;
        }
        if (c instanceof Add) {
            docs.add(acc, target, document, mediaType);
        } else if (c instanceof Replace) {
            docs.replace(acc, target, document, mediaType);
        } else {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "TNDS data only with Add or Replace");
        }
    }

    /**
     * @param acc the tree as the server
     * @param node the subtree's root
     * @param form the {@code ?list=TNDS+...} form
     * @param asked the URI as the server asked for it (the result's Source)
     * @return the result item, an inline {@code MgmtTree}
     * @throws DmException when TNDS is not available or the export fails
     */
    Item export(TreeAccess acc, NodeUri node, ListForm form, String asked) throws DmException {
        TndsDocuments docs = tnds;
        if (docs == null) {
            throw new DmException(StatusCode.OPTIONAL_FEATURE_NOT_SUPPORTED, "?list=TNDS is not available");
        }
        // WBXML sessions read the WBXML form, which also holds binary values; the message codec writes it back
        byte[] doc = docs.export(acc, node, form, xml ? MediaTypes.TNDS_XML : MediaTypes.TNDS_WBXML);
        try {
            MgmtTree tree = xml ? SyncML.tndsXml(XmlOptions.DEFAULT).decode(doc)
                    : SyncML.tndsWbxml(org.cardinaldm.syncml.api.WbxmlOptions.DEFAULT).decode(doc);
            return Item.builder().source(asked).meta(Meta.of("xml", MediaTypes.TNDS_XML))
                    .data(Data.xml(tree.toXml())).build();
        } catch (CodecException e) {
            throw new DmException(StatusCode.COMMAND_FAILED, "TNDS export cannot be read back: " + e.getMessage());
        }
    }
}
