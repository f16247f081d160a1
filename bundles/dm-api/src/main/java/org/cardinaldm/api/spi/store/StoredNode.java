package org.cardinaldm.api.spi.store;

import java.util.Objects;

import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeValue;

/** A node as a {@link TreeStore} keeps it: its information and, for a leaf, its value. */
public final class StoredNode {
    private final NodeInfo info;
    private final NodeValue value;

    private StoredNode(NodeInfo info, NodeValue value) {
        this.info = info;
        this.value = value;
    }

    /**
     * @param info the node's information
     * @param value its value; for interior nodes use {@link NodeValue#interior()}
     * @return the stored node
     */
    public static StoredNode of(NodeInfo info, NodeValue value) {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(value, "value");
        if (info.isInterior() != value.isInterior()) {
            throw new IllegalArgumentException("Value format " + value.format() + " does not fit " + info);
        }
        return new StoredNode(info, value);
    }

    /** @return the node's information */
    public NodeInfo info() {
        return info;
    }

    /** @return the node's value */
    public NodeValue value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredNode && ((StoredNode) o).info.equals(info) && ((StoredNode) o).value.equals(value);
    }

    @Override
    public int hashCode() {
        return info.hashCode() * 31 + value.hashCode();
    }

    @Override
    public String toString() {
        return "StoredNode[" + info + ", " + value + "]";
    }
}
