package org.cardinaldm.api.spi.store;

import java.util.List;
import java.util.Optional;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Persists tree nodes. Reads outside a transaction see the last committed state. Failures are
 * {@link DmException}s with status 510 (data store failure) or 420 (device full).
 */
@ConsumerType
public interface TreeStore {
    /**
     * @param uri a node
     * @return the node as last committed, or empty
     * @throws DmException 510 when the store cannot be read
     */
    Optional<StoredNode> read(NodeUri uri) throws DmException;

    /**
     * @param uri an interior node
     * @return the names of its stored children in a stable order (empty when none or absent)
     * @throws DmException 510 when the store cannot be read
     */
    List<String> children(NodeUri uri) throws DmException;

    /**
     * @return a new transaction; only one may write at a time, others wait
     * @throws DmException 510 when the store is closed or broken
     */
    StoreTransaction begin() throws DmException;
}
