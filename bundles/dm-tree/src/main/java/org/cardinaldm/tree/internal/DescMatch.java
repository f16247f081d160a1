package org.cardinaldm.tree.internal;

import org.cardinaldm.api.spi.ddf.NodeDescription;

/**
 * Where a URI falls in the MO descriptions ({@link DescriptionRules#match}).
 *
 * @param state the kind of match
 * @param node the description of the node ({@link State#DESCRIBED}), of the open node above it
 *     ({@link State#OPEN}) or of the deepest described ancestor ({@link State#UNDESCRIBED})
 * @param entry the description that covers the node, null for {@link State#NONE}
 */
record DescMatch(State state, NodeDescription node, DescriptionEntry entry) {
    /** The kinds of match. */
    enum State {
        /** No description covers the node. */
        NONE,
        /** Below an open (free-form) described node. */
        OPEN,
        /** Covered by a description that does not define the node. */
        UNDESCRIBED,
        /** Defined by {@link DescMatch#node()}. */
        DESCRIBED
    }

    static final DescMatch NONE_MATCH = new DescMatch(State.NONE, null, null);
}
