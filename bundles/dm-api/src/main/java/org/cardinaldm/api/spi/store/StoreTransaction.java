package org.cardinaldm.api.spi.store;

import java.util.List;
import java.util.Optional;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A unit of change to a {@link TreeStore}: reads see the transaction's own writes; {@link #commit()}
 * makes all writes durable at once; {@link #close()} without a commit discards them. A crash at
 * any point leaves either all or none of a transaction's writes.
 */
@ConsumerType
public interface StoreTransaction extends AutoCloseable {
    /**
     * @param uri a node
     * @return the node as this transaction sees it
     * @throws DmException 510
     */
    Optional<StoredNode> read(NodeUri uri) throws DmException;

    /**
     * @param uri an interior node
     * @return its children as this transaction sees them
     * @throws DmException 510
     */
    List<String> children(NodeUri uri) throws DmException;

    /**
     * Creates or overwrites a node. The parent must exist in the store or be written in this
     * transaction first (the root always exists).
     *
     * @param node the node
     * @throws DmException 510, 420
     */
    void put(StoredNode node) throws DmException;

    /**
     * Removes a node and everything below it; does nothing when absent.
     *
     * @param uri the node
     * @throws DmException 510
     */
    void deleteSubtree(NodeUri uri) throws DmException;

    /**
     * Makes the writes durable.
     *
     * @throws DmException 510 or 420; the transaction is then rolled back
     */
    void commit() throws DmException;

    /** Discards uncommitted writes; idempotent. */
    @Override
    void close();
}
