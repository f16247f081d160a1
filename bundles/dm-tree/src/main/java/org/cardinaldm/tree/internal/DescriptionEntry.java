package org.cardinaldm.tree.internal;

import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.spi.ddf.MoDescription;
import org.cardinaldm.api.spi.ddf.NodeDescription;

/** A registered MO description with its root node's description, read once when it was bound. */
record DescriptionEntry(NodeUri root, MoDescription service, NodeDescription description, String moId, String bundle) {

    /** @return the name used in warnings */
    String label() {
        return bundle + " (description of " + root + ")";
    }
}
