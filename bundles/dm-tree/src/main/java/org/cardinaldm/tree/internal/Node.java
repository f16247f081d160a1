package org.cardinaldm.tree.internal;

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
}
