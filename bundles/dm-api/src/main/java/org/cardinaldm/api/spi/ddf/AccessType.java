package org.cardinaldm.api.spi.ddf;

/**
 * The commands a DDF allows on a node (the DDF {@code AccessType} element, OMA-TS-DM_TND-V1_2).
 *
 * <p>Unlike an ACL, which says which server may do what, an access type says what can be done to a
 * node at all, by anyone except Cardinal itself: a node without {@link #GET} can never be read by a
 * server or the local administrator.
 */
public enum AccessType {
    /** The node can be created. */
    ADD,
    /** The node can be the source of a Copy (informational; Copy is checked as Get plus Add or Replace). */
    COPY,
    /** The node can be deleted directly (children of a deleted interior node are always deleted). */
    DELETE,
    /** The node can be executed. */
    EXEC,
    /** The node's value can be read. */
    GET,
    /** The node's value can be replaced. */
    REPLACE
}
