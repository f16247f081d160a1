package org.cardinaldm.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One node of a serialised subtree: the information model of a TNDS {@code Node}
 * (OMA-TS-DM_TNDS-V1_2; digest 7) without any XML. {@link TreeSerialization} produces it for
 * {@code Get ?list=} and consumes it for Add and Replace of a whole subtree.
 *
 * <ul>
 * <li>{@link #name()}: the NodeName; empty for the root when exported, and on import "the node the
 *     command targets".</li>
 * <li>{@link #path()}: the TNDS Path of a top-level node, the URI of its parent. Exports set it to
 *     the absolute parent URI ({@code ./A/B}, none for the root). On import it is resolved against
 *     the command's target, so {@code ./A/B} below the target {@code .} is {@code ./A/B}.</li>
 * <li>{@link #properties()}: the RTProperties as DM renders them (ACL grammar, Format token, MIME
 *     type or MO identifier as Type, decimal Size and VerNo, TStamp in ISO 8601 basic UTC).</li>
 * <li>{@link #value()}: the value of a leaf, absent for interior nodes, when values were not
 *     asked for, and always for write-only leaves (secrets are never serialised).</li>
 * </ul>
 *
 * <p>Immutable; {@link #toString()} never prints a value.
 */
public final class SubtreeNode {
    private final String name;
    private final String path;
    private final boolean interior;
    private final Map<Property, String> properties;
    private final NodeValue value;
    private final List<SubtreeNode> children;

    private SubtreeNode(Builder b) {
        this.name = b.name;
        this.path = b.path;
        this.interior = b.interior;
        this.properties = b.properties.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(b.properties));
        this.value = b.value;
        this.children = List.copyOf(b.children);
    }

    /**
     * @param name the NodeName, possibly empty
     * @return a builder for an interior node
     */
    public static Builder interior(String name) {
        return new Builder(name, true);
    }

    /**
     * @param name the NodeName, possibly empty
     * @return a builder for a leaf
     */
    public static Builder leaf(String name) {
        return new Builder(name, false);
    }

    /** @return the NodeName; empty for an exported root or an import that names its target */
    public String name() {
        return name;
    }

    /** @return the TNDS Path of a top-level node (the parent's URI), if any */
    public Optional<String> path() {
        return Optional.ofNullable(path);
    }

    /** @return true for an interior node */
    public boolean isInterior() {
        return interior;
    }

    /** @return the RTProperties present, in the order of {@link Property} */
    public Map<Property, String> properties() {
        return properties;
    }

    /**
     * @param property a property
     * @return its value, when present
     */
    public Optional<String> property(Property property) {
        return Optional.ofNullable(properties.get(property));
    }

    /** @return the value of a leaf, when it is serialised */
    public Optional<NodeValue> value() {
        return Optional.ofNullable(value);
    }

    /** @return the children of an interior node, in tree order */
    public List<SubtreeNode> children() {
        return children;
    }

    /** @return this node and every node below it */
    public int count() {
        int n = 1;
        for (SubtreeNode c : children) {
            n += c.count();
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SubtreeNode)) {
            return false;
        }
        SubtreeNode n = (SubtreeNode) o;
        return name.equals(n.name) && Objects.equals(path, n.path) && interior == n.interior
                && properties.equals(n.properties) && Objects.equals(value, n.value) && children.equals(n.children);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, path, interior, properties, value, children);
    }

    /** @return name, kind, property names and child count; never a value */
    @Override
    public String toString() {
        return "SubtreeNode[" + (path == null ? "" : path + "/") + name + (interior ? "/ " + children.size()
                + " children" : value == null ? " no value" : " " + value) + " " + properties.keySet() + "]";
    }

    /** Builds a {@link SubtreeNode}. */
    public static final class Builder {
        private final String name;
        private final boolean interior;
        private final Map<Property, String> properties = new EnumMap<>(Property.class);
        private final List<SubtreeNode> children = new ArrayList<>();
        private String path;
        private NodeValue value;

        private Builder(String name, boolean interior) {
            this.name = Objects.requireNonNull(name, "name");
            this.interior = interior;
        }

        /** @param parent the TNDS Path (a URI), or null @return this */
        public Builder path(String parent) {
            this.path = parent;
            return this;
        }

        /**
         * @param property a property
         * @param text its value as DM renders it, or null to remove it
         * @return this
         */
        public Builder property(Property property, String text) {
            Objects.requireNonNull(property, "property");
            if (text == null) {
                properties.remove(property);
            } else {
                properties.put(property, text);
            }
            return this;
        }

        /**
         * @param leafValue the value of a leaf, or null
         * @return this
         * @throws IllegalArgumentException for an interior node, or an interior value
         */
        public Builder value(NodeValue leafValue) {
            if (leafValue != null && (interior || leafValue.isInterior())) {
                throw new IllegalArgumentException("Only a leaf has a value");
            }
            this.value = leafValue;
            return this;
        }

        /**
         * @param child a child
         * @return this
         * @throws IllegalArgumentException for a leaf
         */
        public Builder child(SubtreeNode child) {
            Objects.requireNonNull(child, "child");
            if (!interior) {
                throw new IllegalArgumentException("A leaf has no children");
            }
            children.add(child);
            return this;
        }

        /** @return the node */
        public SubtreeNode build() {
            return new SubtreeNode(this);
        }
    }
}
