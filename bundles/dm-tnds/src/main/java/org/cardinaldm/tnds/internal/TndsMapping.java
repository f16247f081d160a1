package org.cardinaldm.tnds.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Property;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.SubtreeNode;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.tnds.MgmtTree;
import org.cardinaldm.syncml.api.tnds.RtProperties;
import org.cardinaldm.syncml.api.tnds.TndsNode;

/**
 * The TNDS model of the codec ({@link MgmtTree}) to and from the tree's neutral model
 * ({@link SubtreeNode}); OMA-TS-DM_TNDS-V1_2, digest 7.
 *
 * <ul>
 * <li>RTProperties map one to one; Type is {@code <MIME>} for leaves and {@code <DDFName>} for
 *     interior nodes.</li>
 * <li>Values of textual formats are text. A {@code bin} value is opaque bytes in WBXML and base64
 *     text in XML (XML cannot carry arbitrary bytes); on import, text in a {@code bin} leaf is read
 *     as base64.</li>
 * <li>On import, a node without Format is interior when it has children or no Value, else a
 *     {@code chr} leaf.</li>
 * </ul>
 */
final class TndsMapping {
    /** The only VerDTD of DM 1.2. */
    static final String VER_DTD = "1.2";

    private TndsMapping() {
    }

    /**
     * @param top the serialised subtree
     * @param opaqueBinary true for WBXML (bytes as they are), false for XML (bin values as base64)
     * @return a MgmtTree with one top-level node carrying the subtree's Path
     */
    static MgmtTree toMgmtTree(SubtreeNode top, boolean opaqueBinary) {
        return new MgmtTree(VER_DTD, null, null, List.of(toTnds(top, top.path().orElse(null), opaqueBinary)));
    }

    private static TndsNode toTnds(SubtreeNode n, String path, boolean opaqueBinary) {
        String size = n.properties().get(Property.SIZE);
        String type = n.properties().get(Property.TYPE);
        RtProperties props = new RtProperties(n.properties().get(Property.ACL), n.properties().get(Property.FORMAT),
                n.properties().get(Property.NAME), size == null ? null : Long.valueOf(size),
                n.properties().get(Property.TITLE), n.properties().get(Property.TSTAMP),
                n.isInterior() ? null : type, n.isInterior() ? type : null, n.properties().get(Property.VERNO));
        Data value = n.value().map(v -> data(v, opaqueBinary)).orElse(null);
        List<TndsNode> children = new ArrayList<>(n.children().size());
        for (SubtreeNode c : n.children()) {
            children.add(toTnds(c, null, opaqueBinary));
        }
        return new TndsNode(n.name(), path, props, value, children);
    }

    private static Data data(NodeValue v, boolean opaqueBinary) {
        if (v.isNull()) {
            return null;
        }
        if (v.format() == Format.BIN) {
            return opaqueBinary ? Data.bytes(v.data()) : Data.text(Base64.getEncoder().encodeToString(v.data()));
        }
        return Data.text(v.asString());
    }

    /**
     * @param tree a decoded TNDS object
     * @return its top-level nodes in the neutral model
     * @throws DmException 415 for a VerDTD other than 1.2 or an unknown Format, 400 for a bin value
     *     that is not base64 or a Size that is not a number
     */
    static List<SubtreeNode> fromMgmtTree(MgmtTree tree) throws DmException {
        if (!VER_DTD.equals(tree.verDtd())) {
            throw new DmException(StatusCode.UNSUPPORTED_MEDIA_TYPE, "Only TNDS VerDTD 1.2 is supported");
        }
        List<SubtreeNode> nodes = new ArrayList<>(tree.nodes().size());
        for (TndsNode n : tree.nodes()) {
            nodes.add(fromTnds(n, true));
        }
        return nodes;
    }

    private static SubtreeNode fromTnds(TndsNode n, boolean top) throws DmException {
        RtProperties p = n.properties();
        String formatToken = p == null ? null : p.format();
        Format format = null;
        if (formatToken != null) {
            format = Format.fromToken(formatToken).orElseThrow(() -> new DmException(StatusCode.UNSUPPORTED_MEDIA_TYPE,
                    "Node " + abbreviate(n.name()) + " has an unknown Format"));
        }
        boolean interior = format != null ? format == Format.NODE : !n.children().isEmpty() || n.value() == null;
        if (interior && n.value() != null) {
            throw new DmException(StatusCode.BAD_REQUEST, "Interior node " + abbreviate(n.name()) + " has a Value");
        }
        if (!interior && !n.children().isEmpty()) {
            throw new DmException(StatusCode.BAD_REQUEST, "Leaf " + abbreviate(n.name()) + " has child Nodes");
        }
        SubtreeNode.Builder b = interior ? SubtreeNode.interior(n.name()) : SubtreeNode.leaf(n.name());
        if (top) {
            b.path(n.path());
        }
        String type = null;
        if (p != null) {
            type = p.mimeType() != null ? p.mimeType() : p.ddfName();
            b.property(Property.ACL, p.acl()).property(Property.FORMAT, p.format()).property(Property.NAME, p.name())
                    .property(Property.SIZE, p.size() == null ? null : p.size().toString())
                    .property(Property.TITLE, p.title()).property(Property.TSTAMP, p.tstamp())
                    .property(Property.TYPE, type).property(Property.VERNO, p.verNo());
        }
        if (!interior && n.value() != null) {
            Format f = format != null ? format : Format.CHR;
            b.value(NodeValue.of(f, type == null ? "" : type, bytes(n.value(), f, n.name())));
        }
        for (TndsNode c : n.children()) {
            b.child(fromTnds(c, false));
        }
        return b.build();
    }

    private static byte[] bytes(Data value, Format format, String name) throws DmException {
        if (format == Format.BIN && value instanceof Data.Text) {
            try {
                return Base64.getMimeDecoder().decode(((Data.Text) value).text().trim());
            } catch (IllegalArgumentException e) {
                throw new DmException(StatusCode.BAD_REQUEST, "The bin Value of " + abbreviate(name) + " is not base64");
            }
        }
        return value instanceof Data.Text ? ((Data.Text) value).text().getBytes(StandardCharsets.UTF_8) : value.asBytes();
    }

    private static String abbreviate(String s) {
        return Optional.ofNullable(s).map(x -> x.length() > 40 ? x.substring(0, 40) + "…" : x).orElse("");
    }
}
