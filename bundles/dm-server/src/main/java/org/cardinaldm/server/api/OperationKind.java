package org.cardinaldm.server.api;

/** The management commands a job can send (digest section 1.5). */
public enum OperationKind {
    /** Get: reads a node, a property or a {@code ?list=} view; answered by Results. */
    GET,
    /** Add: creates a node. */
    ADD,
    /** Replace: overwrites a node or a property. */
    REPLACE,
    /** Delete: deletes a node and its subtree. */
    DELETE,
    /** Exec: executes a node. */
    EXEC,
    /** Copy: copies a leaf value from a source node to a target node. */
    COPY,
    /** Atomic: its operations succeed together or not at all. */
    ATOMIC,
    /**
     * Alert: a user-interaction alert, 1100 to 1104 ({@link UserAlert}); the answer is its Status (and the
     * Status's items for a text or a choice).
     *
     * @since 2.1.0
     */
    ALERT,
    /**
     * Sequence: its operations run in order; the device skips the rest (215) after a refused or cancelled
     * user interaction. Its own Status (200 once it started) says nothing about them.
     *
     * @since 2.1.0
     */
    SEQUENCE
}
