/**
 * The DM tree as callers see it: node addresses ({@link org.cardinaldm.api.NodeUri}), values
 * ({@link org.cardinaldm.api.NodeValue}), node properties, access control lists
 * ({@link org.cardinaldm.api.Acl}), the tree itself ({@link org.cardinaldm.api.DmTree}) and the
 * SyncML status codes that every refusal carries ({@link org.cardinaldm.api.DmException}).
 * Whole subtrees ({@code ?list=} forms, TNDS Add and Replace) go through
 * {@link org.cardinaldm.api.TreeSerialization} (since 1.1), as {@link org.cardinaldm.api.SubtreeNode}s
 * or, with an optional bundle, as documents ({@link org.cardinaldm.api.TndsDocuments}).
 *
 * <p>The rules implemented here come from OMA-TS-DM_TND-V1_2 (URI grammar, properties, ACL grammar,
 * section 5.6 of Cardinal's protocol digest) and OMA-TS-DM_RepPro-V1_2 (status codes). This package
 * carries no XML, WBXML, HTTP or smart-card types.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.cardinaldm.api;
