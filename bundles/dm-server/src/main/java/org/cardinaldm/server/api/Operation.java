package org.cardinaldm.server.api;

import java.util.List;
import java.util.Objects;

/**
 * One management command of a job. URIs are sent as given ({@code ./SmartCard/MO/...} is an URI like
 * any other). Build operations with the static factories.
 *
 * @param kind the command
 * @param target the target URI (for Atomic: null)
 * @param source the source URI (Copy), or null
 * @param data the value (Add, Replace, Exec argument), or null; binary values are base64 text with
 *        format {@code b64}
 * @param format the Meta Format ({@code chr}, {@code int}, {@code bool}, {@code b64}, {@code node} ...), or null
 * @param type the Meta Type (a MIME type), or null
 * @param correlator the Exec Correlator, or null
 * @param children the operations of an Atomic, otherwise empty
 */
public record Operation(OperationKind kind, String target, String source, String data, String format, String type,
        String correlator, List<Operation> children) {

    /** Checks that each kind has what it needs. */
    public Operation {
        Objects.requireNonNull(kind, "kind");
        children = children == null ? List.of() : List.copyOf(children);
        if (kind == OperationKind.ATOMIC) {
            if (children.isEmpty()) {
                throw new IllegalArgumentException("an Atomic needs at least one operation");
            }
            for (Operation c : children) {
                if (c.kind == OperationKind.GET || c.kind == OperationKind.ATOMIC || c.kind == OperationKind.EXEC) {
                    throw new IllegalArgumentException(c.kind + " is not allowed inside an Atomic");
                }
            }
        } else {
            if (target == null || target.isBlank()) {
                throw new IllegalArgumentException(kind + " needs a target URI");
            }
            if (!children.isEmpty()) {
                throw new IllegalArgumentException("only an Atomic has nested operations");
            }
        }
        if (kind == OperationKind.COPY && (source == null || source.isBlank())) {
            throw new IllegalArgumentException("Copy needs a source URI");
        }
    }

    /**
     * @param uri the node, property ({@code ?prop=ACL}) or view ({@code ?list=Struct})
     * @return a Get
     */
    public static Operation get(String uri) {
        return new Operation(OperationKind.GET, uri, null, null, null, null, null, List.of());
    }

    /**
     * @param uri the new leaf
     * @param value its value
     * @param format its format, e.g. {@code chr}
     * @return an Add of a leaf
     */
    public static Operation add(String uri, String value, String format) {
        return new Operation(OperationKind.ADD, uri, null, value, format, "text/plain", null, List.of());
    }

    /**
     * @param uri the new interior node
     * @return an Add with format {@code node}
     */
    public static Operation addInterior(String uri) {
        return new Operation(OperationKind.ADD, uri, null, null, "node", null, null, List.of());
    }

    /**
     * @param uri the node or property
     * @param value the new value
     * @param format its format, e.g. {@code chr}
     * @return a Replace
     */
    public static Operation replace(String uri, String value, String format) {
        return new Operation(OperationKind.REPLACE, uri, null, value, format, "text/plain", null, List.of());
    }

    /**
     * @param uri the node
     * @return a Delete
     */
    public static Operation delete(String uri) {
        return new Operation(OperationKind.DELETE, uri, null, null, null, null, null, List.of());
    }

    /**
     * @param uri the executable node
     * @param argument the argument, or null
     * @param correlator the Correlator, or null for one chosen by the server
     * @return an Exec
     */
    public static Operation exec(String uri, String argument, String correlator) {
        return new Operation(OperationKind.EXEC, uri, null, argument, argument == null ? null : "chr", null,
                correlator, List.of());
    }

    /**
     * @param sourceUri the leaf to copy
     * @param targetUri the leaf to overwrite
     * @return a Copy
     */
    public static Operation copy(String sourceUri, String targetUri) {
        return new Operation(OperationKind.COPY, targetUri, sourceUri, null, null, null, null, List.of());
    }

    /**
     * @param operations the operations to apply all or nothing (no Get, Exec or Atomic)
     * @return an Atomic
     */
    public static Operation atomic(List<Operation> operations) {
        return new Operation(OperationKind.ATOMIC, null, null, null, null, null, null, operations);
    }

    /**
     * @param newType the Meta Type
     * @return a copy with that type
     */
    public Operation withType(String newType) {
        return new Operation(kind, target, source, data, format, newType, correlator, children);
    }

    /** @return this operation and its children, depth first: the numbering of {@link OperationResult#index()} */
    public int size() {
        int n = 1;
        for (Operation c : children) {
            n += c.size();
        }
        return n;
    }
}
