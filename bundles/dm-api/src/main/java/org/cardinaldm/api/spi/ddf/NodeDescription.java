package org.cardinaldm.api.spi.ddf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.cardinaldm.api.Format;

/**
 * An immutable description of one node of a management object and of its subtree, like a DDF
 * {@code <Node>} (OMA-TS-DM_TND-V1_2): a fixed name or a placeholder ({@code <X>}, any name), the
 * formats it accepts, its access types, its occurrence, whether it is permanent, its default MIME
 * type and its children.
 * <pre>{@code
 * NodeDescription acc = NodeDescription.placeholder()
 *         .access(AccessType.ADD, AccessType.DELETE, AccessType.GET, AccessType.REPLACE)
 *         .occurrence(Occurrence.ONE_OR_MORE)
 *         .child(NodeDescription.named("AppID").leaf(Format.CHR).access(AccessType.ADD, AccessType.GET).build())
 *         .child(NodeDescription.named("AAuthSecret").leaf(Format.CHR).access(AccessType.ADD, AccessType.REPLACE).build())
 *         .build();
 * }</pre>
 *
 * <p>An interior node may be {@linkplain #isOpen() open}: its subtree is not described and any
 * node may be created below it (the {@code Ext} nodes of the standard MOs).
 */
public final class NodeDescription {
    private final String name;
    private final Set<Format> formats;
    private final Set<AccessType> accessTypes;
    private final Occurrence occurrence;
    private final boolean permanent;
    private final String mimeType;
    private final boolean open;
    private final String description;
    private final List<NodeDescription> children;

    private NodeDescription(Builder b) {
        this.name = b.name;
        this.formats = Collections.unmodifiableSet(EnumSet.copyOf(b.formats));
        this.accessTypes = b.accessTypes.isEmpty() ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(b.accessTypes));
        this.occurrence = b.occurrence;
        this.permanent = b.permanent;
        this.mimeType = b.mimeType;
        this.open = b.open;
        this.description = b.description;
        this.children = List.copyOf(b.children);
    }

    /**
     * @param name the node's fixed name, a valid URI segment
     * @return a builder for an interior node with that name (call {@link Builder#leaf} for a leaf)
     */
    public static Builder named(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.indexOf('/') >= 0 || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("Not a node name: '" + name + "'");
        }
        return new Builder(name);
    }

    /** @return a builder for a placeholder node ({@code <X>}: any name), interior by default */
    public static Builder placeholder() {
        return new Builder("");
    }

    /** @return the fixed name, or the empty string for a placeholder */
    public String name() {
        return name;
    }

    /** @return true when any name matches this node ({@code <X>} in the spec's figures) */
    public boolean isPlaceholder() {
        return name.isEmpty();
    }

    /** @return true for an interior node */
    public boolean isInterior() {
        return formats.contains(Format.NODE);
    }

    /** @return the accepted formats; {@code {node}} for an interior node */
    public Set<Format> formats() {
        return formats;
    }

    /** @return the commands the node allows (the DDF AccessType) */
    public Set<AccessType> accessTypes() {
        return accessTypes;
    }

    /**
     * @param type an access type
     * @return true when the node allows it
     */
    public boolean allows(AccessType type) {
        return accessTypes.contains(type);
    }

    /** @return how many instances may exist below one parent */
    public Occurrence occurrence() {
        return occurrence;
    }

    /** @return true for a permanent node (servers can neither delete nor rename it) */
    public boolean isPermanent() {
        return permanent;
    }

    /** @return the default MIME type (leaves) or MO identifier (interior roots); empty for none */
    public String mimeType() {
        return mimeType;
    }

    /** @return true for an interior node whose subtree is not described (anything may be created) */
    public boolean isOpen() {
        return open;
    }

    /** @return a human-readable description, possibly empty */
    public String description() {
        return description;
    }

    /** @return the described children, fixed names first in declaration order, then the placeholder */
    public List<NodeDescription> children() {
        return children;
    }

    /**
     * @param childName the name of a child node
     * @return the child with that fixed name, else the placeholder child, else empty
     */
    public Optional<NodeDescription> child(String childName) {
        NodeDescription placeholder = null;
        for (NodeDescription c : children) {
            if (c.name.equals(childName)) {
                return Optional.of(c);
            }
            if (c.isPlaceholder()) {
                placeholder = c;
            }
        }
        return Optional.ofNullable(placeholder);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NodeDescription)) {
            return false;
        }
        NodeDescription d = (NodeDescription) o;
        return name.equals(d.name) && formats.equals(d.formats) && accessTypes.equals(d.accessTypes)
                && occurrence == d.occurrence && permanent == d.permanent && mimeType.equals(d.mimeType)
                && open == d.open && description.equals(d.description) && children.equals(d.children);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, formats, accessTypes, occurrence, permanent, mimeType, open, description, children);
    }

    /** @return a one-line summary, e.g. {@code NodeDescription[<X> node ADD,GET ONE_OR_MORE, 7 children]} */
    @Override
    public String toString() {
        return "NodeDescription[" + (name.isEmpty() ? "<X>" : name) + " " + formats + " " + accessTypes + " "
                + occurrence + (permanent ? " permanent" : "") + (open ? " open" : "")
                + (children.isEmpty() ? "" : ", " + children.size() + " children") + "]";
    }

    /** Builds a {@link NodeDescription}; defaults: interior, access Get, occurrence One, dynamic. */
    public static final class Builder {
        private final String name;
        private Set<Format> formats = EnumSet.of(Format.NODE);
        private Set<AccessType> accessTypes = EnumSet.of(AccessType.GET);
        private Occurrence occurrence = Occurrence.ONE;
        private boolean permanent;
        private String mimeType = "";
        private boolean open;
        private String description = "";
        private final List<NodeDescription> children = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        /** @return this, describing an interior node (the default) */
        public Builder interior() {
            formats = EnumSet.of(Format.NODE);
            return this;
        }

        /**
         * @param format a leaf format
         * @param more further accepted formats
         * @return this, describing a leaf
         */
        public Builder leaf(Format format, Format... more) {
            EnumSet<Format> set = EnumSet.of(format, more);
            if (set.contains(Format.NODE)) {
                throw new IllegalArgumentException("A leaf cannot accept the node format");
            }
            formats = set;
            return this;
        }

        /** @param types the allowed commands (replacing the default Get) @return this */
        public Builder access(AccessType... types) {
            EnumSet<AccessType> set = EnumSet.noneOf(AccessType.class);
            Collections.addAll(set, types);
            accessTypes = set;
            return this;
        }

        /** @param value the occurrence @return this */
        public Builder occurrence(Occurrence value) {
            occurrence = Objects.requireNonNull(value, "occurrence");
            return this;
        }

        /** @return this, describing a permanent node */
        public Builder permanent() {
            permanent = true;
            return this;
        }

        /** @param type default MIME type of a leaf, or MO identifier of an interior root @return this */
        public Builder mimeType(String type) {
            mimeType = Objects.requireNonNull(type, "type");
            return this;
        }

        /** @return this, describing an interior node whose subtree is free-form */
        public Builder open() {
            open = true;
            return this;
        }

        /** @param text a human-readable description @return this */
        public Builder description(String text) {
            description = Objects.requireNonNull(text, "text");
            return this;
        }

        /** @param child a described child @return this */
        public Builder child(NodeDescription child) {
            children.add(Objects.requireNonNull(child, "child"));
            return this;
        }

        /**
         * @return the description
         * @throws IllegalArgumentException when a leaf has children, an open node has children, two
         *     children share a name, or there is more than one placeholder child
         */
        public NodeDescription build() {
            boolean interior = formats.contains(Format.NODE);
            if (!interior && (!children.isEmpty() || open)) {
                throw new IllegalArgumentException("A leaf has no children: " + (name.isEmpty() ? "<X>" : name));
            }
            if (open && !children.isEmpty()) {
                throw new IllegalArgumentException("An open node has no described children");
            }
            List<NodeDescription> ordered = new ArrayList<>();
            NodeDescription placeholder = null;
            for (NodeDescription c : children) {
                if (c.isPlaceholder()) {
                    if (placeholder != null) {
                        throw new IllegalArgumentException("More than one placeholder child below " + name);
                    }
                    placeholder = c;
                } else {
                    for (NodeDescription o : ordered) {
                        if (o.name.equals(c.name)) {
                            throw new IllegalArgumentException("Two children named " + c.name);
                        }
                    }
                    ordered.add(c);
                }
            }
            if (placeholder != null) {
                ordered.add(placeholder);
            }
            children.clear();
            children.addAll(ordered);
            return new NodeDescription(this);
        }
    }
}
