package org.cardinaldm.api;

import java.util.Objects;
import java.util.Optional;

/**
 * A command target as a peer writes it: a node URI, optionally followed by {@code ?prop=<Name>}
 * or {@code ?list=<form>} (OMA-TS-DM_TND-V1_2; digest 5.6).
 *
 * <p>The {@code ?list=} form is kept as written ({@code Struct}, {@code StructData}, {@code TNDS},
 * {@code TNDS+ACL+Value}, …); the tree decides which forms it supports and answers 406 for others.
 */
public final class TargetUri {
    private final NodeUri node;
    private final Property property;
    private final String list;

    private TargetUri(NodeUri node, Property property, String list) {
        this.node = node;
        this.property = property;
        this.list = list;
    }

    /**
     * @param node a node
     * @return a target naming the node itself
     */
    public static TargetUri of(NodeUri node) {
        return new TargetUri(Objects.requireNonNull(node, "node"), null, null);
    }

    /**
     * @param node a node
     * @param property one of its properties
     * @return a target naming that property
     */
    public static TargetUri of(NodeUri node, Property property) {
        return new TargetUri(Objects.requireNonNull(node, "node"), Objects.requireNonNull(property, "property"), null);
    }

    /**
     * @param text e.g. {@code ./DevInfo?list=Struct} or {@code ./DMAcc/x?prop=ACL}
     * @return the parsed target
     * @throws DmException 400 for a malformed URI or query, 406 for a property DM 1.2 does not define
     */
    public static TargetUri parse(String text) throws DmException {
        if (text == null) {
            throw new DmException(StatusCode.BAD_REQUEST, "Target URI is missing");
        }
        int q = text.indexOf('?');
        if (q < 0) {
            return new TargetUri(NodeUri.parse(text), null, null);
        }
        NodeUri node = NodeUri.parse(text.substring(0, q));
        String query = text.substring(q + 1);
        if (query.startsWith("prop=")) {
            String name = query.substring(5);
            Property p = Property.fromToken(name).orElseThrow(() -> new DmException(
                    StatusCode.OPTIONAL_FEATURE_NOT_SUPPORTED, "Unsupported property in ?prop="));
            return new TargetUri(node, p, null);
        }
        if (query.startsWith("list=") && query.length() > 5) {
            return new TargetUri(node, null, query.substring(5));
        }
        throw new DmException(StatusCode.BAD_REQUEST, "Unknown URI query; only ?prop= and ?list= are defined");
    }

    /** @return the node */
    public NodeUri node() {
        return node;
    }

    /** @return the property named by {@code ?prop=}, if any */
    public Optional<Property> property() {
        return Optional.ofNullable(property);
    }

    /** @return the form named by {@code ?list=}, if any */
    public Optional<String> list() {
        return Optional.ofNullable(list);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TargetUri)) {
            return false;
        }
        TargetUri t = (TargetUri) o;
        return node.equals(t.node) && property == t.property && Objects.equals(list, t.list);
    }

    @Override
    public int hashCode() {
        return Objects.hash(node, property, list);
    }

    /** @return the target as a peer would write it */
    @Override
    public String toString() {
        return node + (property != null ? "?prop=" + property.token() : list != null ? "?list=" + list : "");
    }
}
