package org.cardinaldm.smartcard.dm.internal.mo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.tnds.MgmtTree;
import org.cardinaldm.syncml.api.tnds.RtProperties;
import org.cardinaldm.syncml.api.tnds.TndsNode;

/**
 * The card-resident MOs as a tree that can be changed and written back: the top-level nodes of the MO
 * store's TNDS document are the children of {@code ./SmartCard/MO}. Each node keeps its TNDS RTProperties
 * (Format, Type, ACL). Not thread-safe; changes are made on a {@link #copy()}.
 */
final class MoTree {
    /** One node. */
    static final class Node {
        final String name;
        RtProperties props;
        Data value;
        final boolean interior;
        final Map<String, Node> children = new LinkedHashMap<>();

        Node(String name, RtProperties props, Data value, boolean interior) {
            this.name = name;
            this.props = props;
            this.value = value;
            this.interior = interior;
        }

        Node copy() {
            Node n = new Node(name, props, value, interior);
            for (Node c : children.values()) {
                n.children.put(c.name, c.copy());
            }
            return n;
        }

        Format format() {
            if (interior) {
                return Format.NODE;
            }
            return Optional.ofNullable(props).map(RtProperties::format).flatMap(Format::fromToken).orElse(Format.CHR);
        }

        String type() {
            if (props == null) {
                return "";
            }
            String t = interior ? props.ddfName() : props.mimeType();
            return t == null ? "" : t;
        }

        String acl() {
            return props == null || props.acl() == null ? "" : props.acl();
        }

        NodeValue nodeValue() {
            byte[] data = value == null ? new byte[0] : value.asBytes();
            return NodeValue.of(format(), type(), data);
        }
    }

    private final Node root;

    private MoTree(Node root) {
        this.root = root;
    }

    /** @return an empty tree */
    static MoTree empty() {
        return new MoTree(new Node("MO", null, null, true));
    }

    /**
     * @param tree a decoded MO store
     * @return the tree
     * @throws IllegalArgumentException if node names repeat or are not valid URI segments
     */
    static MoTree of(MgmtTree tree) {
        Node root = new Node("MO", null, null, true);
        for (TndsNode n : tree.nodes()) {
            add(root, n, 1);
        }
        return new MoTree(root);
    }

    private static void add(Node parent, TndsNode n, int depth) {
        if (depth > 32) {
            throw new IllegalArgumentException("MO store nested too deeply");
        }
        if (n.name().isEmpty() || n.name().contains("/") || n.name().equals(".") || n.name().equals("..")) {
            throw new IllegalArgumentException("MO store node without a valid name");
        }
        boolean interior = n.value() == null && (!n.children().isEmpty()
                || n.properties() != null && "node".equals(n.properties().format()));
        Node node = new Node(n.name(), n.properties(), n.value(), interior);
        if (parent.children.putIfAbsent(n.name(), node) != null) {
            throw new IllegalArgumentException("MO store holds a node name twice");
        }
        for (TndsNode c : n.children()) {
            add(node, c, depth + 1);
        }
    }

    /** @return the TNDS form */
    MgmtTree toMgmtTree() {
        List<TndsNode> nodes = new ArrayList<>();
        for (Node c : root.children.values()) {
            nodes.add(tnds(c));
        }
        return new MgmtTree("1.2", null, null, nodes);
    }

    private static TndsNode tnds(Node n) {
        List<TndsNode> children = new ArrayList<>();
        for (Node c : n.children.values()) {
            children.add(tnds(c));
        }
        return new TndsNode(n.name, null, n.props, n.interior ? null : (n.value == null ? Data.text("") : n.value), children);
    }

    /** @return a deep copy */
    MoTree copy() {
        return new MoTree(root.copy());
    }

    /**
     * @param relative segments below {@code MO}
     * @return the node
     */
    Optional<Node> find(List<String> relative) {
        Node n = root;
        for (String s : relative) {
            if (!n.interior) {
                return Optional.empty();
            }
            n = n.children.get(s);
            if (n == null) {
                return Optional.empty();
            }
        }
        return Optional.of(n);
    }

    /** @return the synthetic root ({@code ./SmartCard/MO}) */
    Node root() {
        return root;
    }

    /**
     * @param value a DM value
     * @return the TNDS value: bytes for {@code bin}, text otherwise
     */
    static Data data(NodeValue value) {
        return value.format() == Format.BIN ? Data.bytes(value.data()) : Data.text(value.asString());
    }

    /**
     * @param value a DM value
     * @param acl the ACL to keep, or null
     * @return the RTProperties of a node holding it
     */
    static RtProperties properties(NodeValue value, String acl) {
        if (value.isInterior()) {
            return new RtProperties(acl, "node", null, null, null, null, null,
                    value.type().isEmpty() || value.type().equals(NodeValue.TEXT_PLAIN) ? null : value.type(), null);
        }
        return new RtProperties(acl, value.format().token(), null, null, null, null,
                value.type().isEmpty() ? null : value.type(), null, null);
    }
}
