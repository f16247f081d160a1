/**
 * Contract for the store that persists the nodes no plugin owns (accounts added by servers, ACLs,
 * titles): a transactional key-value view of the tree. The tree engine uses exactly one
 * {@link org.cardinaldm.api.spi.store.TreeStore} service.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.cardinaldm.api.spi.store;
