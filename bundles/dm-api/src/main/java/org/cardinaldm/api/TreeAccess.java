package org.cardinaldm.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The DM 1.2 commands on the tree, on behalf of one {@link Principal} (OMA-TS-DM_Protocol-V1_2 and
 * OMA-TS-DM_TND-V1_2; digest 1.5 and 5.6). Every refusal is a {@link DmException} whose status is
 * what the DM server receives: 404 no such node, 405 not allowed on this node, 418 exists already,
 * 425 the ACL refuses, 414 a URI limit is exceeded, 500 the owning plugin failed.
 */
@ProviderType
public interface TreeAccess {
    /** @return the principal this view acts for */
    Principal principal();

    /**
     * @param uri a node
     * @return true when the node exists (no ACL check; use it for the caller's own decisions only)
     * @throws DmException 510 when the store cannot be read
     */
    boolean exists(NodeUri uri) throws DmException;

    /**
     * @param uri a node
     * @return its kind and properties, with {@link NodeInfo#acl()} being the node's own ACL
     * @throws DmException 404 when absent, 425 when Get is refused
     */
    NodeInfo describe(NodeUri uri) throws DmException;

    /**
     * DM Get on a node: a leaf's value, or for an interior node its child names joined with {@code /}
     * in a {@link Format#NODE} value.
     *
     * @param uri a node
     * @return its value
     * @throws DmException 404, 425, 405 (for example Get below ./Inbox)
     */
    NodeValue get(NodeUri uri) throws DmException;

    /**
     * @param uri an interior node
     * @return the names of its children, in stable order
     * @throws DmException 404, 425, 405 for a leaf
     */
    List<String> children(NodeUri uri) throws DmException;

    /**
     * @param uri a node
     * @param property one of its properties
     * @return the property's value as DM renders it (ACL in ACL grammar, Size in decimal, …)
     * @throws DmException 404, 425, 406 for a property this node does not have (Size of an interior node)
     */
    String getProperty(NodeUri uri, Property property) throws DmException;

    /**
     * Replace on {@code <uri>?prop=<Name>}: only ACL, Name and Title are replaceable.
     *
     * @param uri a node
     * @param property ACL, Name or Title
     * @param value the new value
     * @throws DmException 405 for other properties or for renaming a permanent node, 418 for a name
     *     clash, 400 for a malformed ACL, 425 when the ACL refuses
     */
    void setProperty(NodeUri uri, Property property, String value) throws DmException;

    /**
     * DM Add. A value of format {@link Format#NODE} creates an interior node; missing interior
     * parents are created implicitly where the parent's rules allow it.
     *
     * @param uri the new node
     * @param value its value
     * @throws DmException 418 exists, 404 the parent cannot be created, 405, 425
     */
    void add(NodeUri uri, NodeValue value) throws DmException;

    /**
     * DM Replace of a leaf's value; never creates a node.
     *
     * @param uri an existing leaf
     * @param value the new value
     * @throws DmException 404, 405 (interior node, read-only leaf), 425
     */
    void replace(NodeUri uri, NodeValue value) throws DmException;

    /**
     * DM Delete of a node and everything below it.
     *
     * @param uri a node
     * @throws DmException 404, 405 (root, permanent node), 425
     */
    void delete(NodeUri uri) throws DmException;

    /**
     * DM Exec.
     *
     * @param uri an executable node
     * @param data the Exec item's data, or {@link NodeValue#ofNull()}
     * @param correlator the Exec correlator for an asynchronous result, or the empty string
     * @return {@link StatusCode#OK} when done, {@link StatusCode#ACCEPTED} when started asynchronously
     * @throws DmException 404, 405 not executable, 425
     */
    StatusCode exec(NodeUri uri, NodeValue data, String correlator) throws DmException;

    /**
     * DM Copy of a leaf's value onto another leaf (created when absent). Needs Get on the source
     * and Replace (or Add when created) on the target.
     *
     * @param source an existing leaf
     * @param target a leaf
     * @throws DmException 404, 405 when either is interior, 403, 425
     */
    void copy(NodeUri source, NodeUri target) throws DmException;

    /**
     * Starts an Atomic: commands run through the returned view take effect together at
     * {@link AtomicAccess#commit()}, or not at all.
     *
     * @return the atomic view; close it to roll back anything not committed
     * @throws DmException 500 when called on an atomic view (Atomic does not nest)
     */
    AtomicAccess atomic() throws DmException;
}
