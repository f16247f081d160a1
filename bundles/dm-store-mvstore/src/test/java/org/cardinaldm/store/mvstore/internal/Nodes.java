package org.cardinaldm.store.mvstore.internal;

import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.spi.store.StoredNode;

/** Test helpers that build stored nodes. */
final class Nodes {
    private Nodes() {
    }

    static NodeUri uri(String s) {
        return NodeUri.of(s);
    }

    static StoredNode interior(String uri) {
        return StoredNode.of(NodeInfo.interior(uri(uri)).build(), NodeValue.interior());
    }

    static StoredNode leaf(String uri, String value) {
        NodeValue v = NodeValue.ofString(value);
        return StoredNode.of(NodeInfo.leaf(uri(uri), Format.CHR).type("text/plain").size(v.size()).build(), v);
    }
}
