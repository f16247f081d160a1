package org.cardinaldm.tree.internal;

import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;

/**
 * A node as the engine resolved it for one operation.
 *
 * @param info what servers see: kind, own ACL (overrides applied), permanence
 * @param kind where it lives
 * @param plugin the owning plugin, for {@link Kind#PLUGIN}
 * @param value the stored value, for {@link Kind#STORED} and {@link Kind#ROOT}
 */
record Node(NodeInfo info, Kind kind, PluginEntry plugin, NodeValue value) {

    /** Where a node lives. */
    enum Kind {
        /** The root {@code .}: in the store, with the configured ACL while it has none. */
        ROOT,
        /** In the tree store. */
        STORED,
        /** Owned by an MO plugin. */
        PLUGIN,
        /** Synthesised: a parent of a plugin root, a permanent described MO root, or {@code ./Inbox}. */
        VIRTUAL
    }

    /** @return the node's address */
    NodeUri uri() {
        return info.uri();
    }

    /** @return true for interior nodes */
    boolean isInterior() {
        return info.isInterior();
    }

    /**
     * @return a builder holding all of {@code info}'s metadata at another address and format (a
     *     stored node read through another spelling, moved by a rename, or given a new value)
     */
    static NodeInfo.Builder rebuild(NodeInfo info, NodeUri uri, Format format) {
        NodeInfo.Builder b = format == Format.NODE ? NodeInfo.interior(uri) : NodeInfo.leaf(uri, format);
        return b.type(info.type()).acl(info.acl()).title(info.title()).timestamp(info.timestamp().orElse(null))
                .version(info.version()).size(info.size()).permanent(info.isPermanent());
    }

    /** @return where {@code node} lies after the subtree at {@code from} moved to {@code to} */
    static NodeUri moved(NodeUri node, NodeUri from, NodeUri to) {
        return node.equals(from) ? to : to.resolve(node.relativeTo(from));
    }
}
