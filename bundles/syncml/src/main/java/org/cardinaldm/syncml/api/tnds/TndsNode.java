package org.cardinaldm.syncml.api.tnds;

import java.util.List;
import java.util.Objects;

import org.cardinaldm.syncml.api.model.Data;

/**
 * A TNDS {@code Node}: NodeName, Path?, RTProperties?, then either a Value or child Nodes (or
 * neither: the hierarchy continues in another Node whose Path points here).
 *
 * @param name the NodeName, possibly empty (the name then comes from the target URI)
 * @param path the Path (URI of the parent), or null
 * @param properties the RTProperties, or null
 * @param value the Value of a leaf (text or bytes), or null
 * @param children the child nodes
 */
public record TndsNode(String name, String path, RtProperties properties, Data value, List<TndsNode> children) {

    /** Checks the node. */
    public TndsNode {
        Objects.requireNonNull(name, "NodeName");
        children = List.copyOf(children);
        if (value != null && !children.isEmpty()) {
            throw new IllegalArgumentException("a node has either a Value or child Nodes");
        }
        if (value instanceof Data.Xml) {
            throw new IllegalArgumentException("a Value holds text or bytes");
        }
    }

    /**
     * @param name the NodeName
     * @param properties the RTProperties
     * @param value the text value
     * @return a leaf
     */
    public static TndsNode leaf(String name, RtProperties properties, String value) {
        return new TndsNode(name, null, properties, value == null ? null : Data.text(value), List.of());
    }

    /**
     * @param name the NodeName
     * @param properties the RTProperties
     * @param children the children
     * @return an interior node
     */
    public static TndsNode interior(String name, RtProperties properties, TndsNode... children) {
        return new TndsNode(name, null, properties, null, List.of(children));
    }

    /**
     * @param newPath the Path
     * @return a copy with that Path
     */
    public TndsNode withPath(String newPath) {
        return new TndsNode(name, newPath, properties, value, children);
    }
}
