package org.cardinaldm.client.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.store.StoreTransaction;
import org.cardinaldm.api.spi.store.StoredNode;
import org.cardinaldm.api.spi.store.TreeStore;

/** A minimal in-memory {@link TreeStore} for the tests: one writer, all-or-nothing commits. */
final class MemoryStore implements TreeStore {
    private volatile TreeMap<NodeUri, StoredNode> committed = new TreeMap<>();
    private final ReentrantLock writer = new ReentrantLock();

    @Override
    public Optional<StoredNode> read(NodeUri uri) {
        return Optional.ofNullable(committed.get(uri));
    }

    @Override
    public List<String> children(NodeUri uri) {
        return children(committed, uri);
    }

    /** @return every stored node with its value, for leak checks */
    List<StoredNode> all() {
        return List.copyOf(committed.values());
    }

    private static List<String> children(TreeMap<NodeUri, StoredNode> map, NodeUri uri) {
        List<String> names = new ArrayList<>();
        for (NodeUri u : map.tailMap(uri, false).keySet()) {
            if (!u.startsWith(uri)) {
                break;
            }
            if (u.depth() == uri.depth() + 1) {
                names.add(u.name());
            }
        }
        return names;
    }

    @Override
    public StoreTransaction begin() {
        writer.lock();
        TreeMap<NodeUri, StoredNode> work = new TreeMap<>(committed);
        return new StoreTransaction() {
            private boolean open = true;

            @Override
            public Optional<StoredNode> read(NodeUri uri) {
                return Optional.ofNullable(work.get(uri));
            }

            @Override
            public List<String> children(NodeUri uri) {
                return MemoryStore.children(work, uri);
            }

            @Override
            public void put(StoredNode node) throws DmException {
                NodeUri uri = node.info().uri();
                if (!uri.isRoot() && !uri.parent().isRoot() && !work.containsKey(uri.parent())) {
                    throw new DmException(StatusCode.DATA_STORE_FAILURE, "no parent");
                }
                work.put(uri, node);
            }

            @Override
            public void deleteSubtree(NodeUri uri) {
                work.keySet().removeIf(u -> u.startsWith(uri));
            }

            @Override
            public void commit() {
                committed = work;
                close();
            }

            @Override
            public void close() {
                if (open) {
                    open = false;
                    writer.unlock();
                }
            }
        };
    }
}
