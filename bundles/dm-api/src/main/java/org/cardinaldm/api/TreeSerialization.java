package org.cardinaldm.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Whole subtrees at once: {@code Get <uri>?list=Struct|StructData|TNDS} and Add or Replace of a
 * subtree described by a TNDS object (OMA-TS-DM_TND-V1_2 "Tree exchange", OMA-TS-DM_TNDS-V1_2;
 * digest 1.5, 5.6 and 7). The tree service registers this interface beside {@link DmTree}; its
 * methods act through a {@link TreeAccess} of that tree, so that every node is subject to the
 * principal's ACLs, and a command inside an Atomic joins the Atomic.
 *
 * <p>The model ({@link SubtreeNode}) carries no XML: encoding it as a TNDS document is the job of
 * the session layer or of {@link TndsDocuments}.
 * <pre>{@code
 * TreeAccess server = tree.as(Principal.server("dms.example.com"));
 * SubtreeNode accounts = serialization.list(server, NodeUri.of("./DMAcc"), ListForm.parse("TNDS+ACL+Value"));
 * }</pre>
 */
@ProviderType
public interface TreeSerialization {
    /**
     * DM Get with {@code ?list=}. The answer is the node at {@code uri} (its name, and as its path the
     * parent's URI) with the subtree below it, each node carrying the properties the form asks for.
     *
     * <p>The principal needs Get on {@code uri}. Nodes below it that it may not Get are left out,
     * with their subtrees. Write-only leaves (secrets) never carry a value or a Size, for any
     * principal. {@code ./Inbox} is never serialised.
     *
     * @param access a view of this tree (or an Atomic of it) for the principal
     * @param uri the top of the subtree
     * @param form what to include
     * @return the subtree
     * @throws DmException 404, 425 on {@code uri}, 405 (Get not allowed there, e.g. {@code ./Inbox}),
     *     414, 413 when the subtree has more nodes than the tree serialises at once, 500 a plugin failed
     * @throws IllegalArgumentException when {@code access} does not come from this tree
     */
    SubtreeNode list(TreeAccess access, NodeUri uri, ListForm form) throws DmException;

    /**
     * DM Add with a TNDS object: creates every node, all or nothing, with one status. Each top-level
     * node lands at {@code target}, then its {@link SubtreeNode#path() path}, then its name (an empty
     * name means {@code target} itself). Top-level nodes whose path points into another one of the
     * list continue it. ACL and Title are applied as Replace on {@code ?prop=} would (the ACL rules
     * included); Size, TStamp, VerNo and Name are the device's and are ignored. A leaf without a
     * value is created empty (null format: no value).
     *
     * @param access a view of this tree, or an Atomic of it (the nodes then join the Atomic)
     * @param target the command's target URI
     * @param nodes the top-level nodes
     * @throws DmException the status of the first node that failed (418 exists, 425, 405, 415, 414,
     *     400 for an inconsistent object); 516 when a plugin change could not be undone
     */
    void add(TreeAccess access, NodeUri target, List<SubtreeNode> nodes) throws DmException;

    /**
     * DM Replace with a TNDS object: each top-level node (resolved as for {@link #add}) must exist;
     * its subtree becomes what the object describes. Nodes missing from the object are deleted, new
     * ones are added, leaves whose value differs are replaced, ACL and Title are set where they
     * differ. A leaf without a value keeps its value (so an export, whose secrets carry no value,
     * can be replaced back). A node whose kind changes (leaf to interior) is deleted and added.
     * All or nothing, one status.
     *
     * @param access a view of this tree, or an Atomic of it
     * @param target the command's target URI
     * @param nodes the top-level nodes
     * @throws DmException 404 when a top-level node does not exist; otherwise as {@link #add}
     */
    void replace(TreeAccess access, NodeUri target, List<SubtreeNode> nodes) throws DmException;
}
