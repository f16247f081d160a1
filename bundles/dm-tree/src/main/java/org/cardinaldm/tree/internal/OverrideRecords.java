package org.cardinaldm.tree.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.spi.store.StoredNode;
import org.cardinaldm.api.spi.store.TreeStore;

/**
 * Reads and writes the {@link Overrides} records kept below {@link Overrides#ROOT}: through the unit
 * of work's transaction for write commands, else from a cache of the committed records that is
 * reloaded after every commit that changed them.
 */
final class OverrideRecords {
    private record OverrideCache(Map<NodeUri, Overrides> records, long generation) {
    }

    private final TreeStore store;
    private volatile OverrideCache overrideCache;
    private volatile long overrideGeneration;

    OverrideRecords(TreeStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * The overrides of a node: through the unit of work's transaction when it has one (write
     * commands), else from a cache of the committed records (reloaded after every commit that
     * changed them).
     */
    Overrides of(Op op, NodeUri uri) throws DmException {
        if (op.hasTransaction()) {
            return op.read(Overrides.recordUri(uri)).map(Overrides::from).orElse(Overrides.NONE);
        }
        return committedOverrides().getOrDefault(uri, Overrides.NONE);
    }

    private Map<NodeUri, Overrides> committedOverrides() throws DmException {
        OverrideCache cache = overrideCache;
        long generation = overrideGeneration;
        if (cache != null && cache.generation() == generation) {
            return cache.records();
        }
        Op reader = new Op(store, Principal.system(), false);
        Map<NodeUri, Overrides> records = new HashMap<>();
        for (String name : reader.children(Overrides.ROOT)) {
            NodeUri node = Overrides.nodeOf(name);
            if (node != null) {
                Optional<StoredNode> record = reader.read(Overrides.ROOT.child(name));
                if (record.isPresent()) {
                    records.put(node, Overrides.from(record.get()));
                }
            }
        }
        Map<NodeUri, Overrides> frozen = Map.copyOf(records);
        overrideCache = new OverrideCache(frozen, generation);
        return frozen;
    }

    /** To be called after a unit of work committed: drops the cache if it wrote records. */
    void committed(Op op) {
        if (op.overridesTouched()) {
            synchronized (this) {
                overrideGeneration++;
            }
            overrideCache = null;
        }
    }

    /** Stores a node's overrides; {@link Overrides#NONE} deletes its record. */
    void put(Op op, NodeUri uri, Overrides value) throws DmException {
        NodeUri record = Overrides.recordUri(uri);
        op.touchOverrides();
        if (value.isEmpty()) {
            op.deleteSubtree(record);
            return;
        }
        if (op.read(Overrides.ROOT).isEmpty()) {
            op.put(StoredNode.of(NodeInfo.interior(Overrides.ROOT).permanent(true).build(), NodeValue.interior()));
        }
        op.put(value.toRecord(uri));
    }

    /** @return the nodes at or below {@code uri} that have overrides */
    List<NodeUri> below(Op op, NodeUri uri) throws DmException {
        List<NodeUri> found = new ArrayList<>();
        if (op.hasTransaction()) {
            for (String name : op.children(Overrides.ROOT)) {
                NodeUri node = Overrides.nodeOf(name);
                if (node != null && node.startsWith(uri)) {
                    found.add(node);
                }
            }
        } else {
            for (NodeUri node : committedOverrides().keySet()) {
                if (node.startsWith(uri)) {
                    found.add(node);
                }
            }
        }
        return found;
    }

    /** Deletes the records of a deleted subtree. */
    void deleteBelow(Op op, NodeUri uri) throws DmException {
        for (NodeUri node : below(op, uri)) {
            put(op, node, Overrides.NONE);
        }
    }

    /** Moves the records of a renamed subtree. */
    void move(Op op, NodeUri from, NodeUri to) throws DmException {
        for (NodeUri node : below(op, from)) {
            Overrides o = of(op, node);
            put(op, node, Overrides.NONE);
            put(op, Node.moved(node, from, to), o);
        }
    }
}
