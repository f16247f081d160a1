package org.cardinaldm.smartcard.dm.internal;

import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.spi.store.StoreTransaction;
import org.cardinaldm.api.spi.store.StoredNode;
import org.cardinaldm.api.spi.store.TreeStore;

/** A tree store in memory for the tree-engine tests; transactions are serialised and copy the map. */
final class TreeMemoryStore implements TreeStore {
    private volatile NavigableMap<NodeUri, StoredNode> nodes = new ConcurrentSkipListMap<>();

    @Override
    public Optional<StoredNode> read(NodeUri uri) {
        return Optional.ofNullable(nodes.get(uri));
    }

    @Override
    public List<String> children(NodeUri uri) {
        return childNames(nodes, uri);
    }

    static List<String> childNames(NavigableMap<NodeUri, StoredNode> map, NodeUri uri) {
        return map.tailMap(uri, false).keySet().stream().takeWhile(u -> u.startsWith(uri))
                .filter(u -> u.depth() == uri.depth() + 1).map(NodeUri::name).toList();
    }

    @Override
    public synchronized StoreTransaction begin() {
        NavigableMap<NodeUri, StoredNode> copy = new ConcurrentSkipListMap<>(nodes);
        return new StoreTransaction() {
            @Override
            public Optional<StoredNode> read(NodeUri uri) {
                return Optional.ofNullable(copy.get(uri));
            }

            @Override
            public List<String> children(NodeUri uri) {
                return childNames(copy, uri);
            }

            @Override
            public void put(StoredNode node) {
                copy.put(node.info().uri(), node);
            }

            @Override
            public void deleteSubtree(NodeUri uri) {
                copy.keySet().removeIf(u -> u.startsWith(uri));
            }

            @Override
            public void commit() {
                synchronized (TreeMemoryStore.this) {
                    nodes = copy;
                }
            }

            @Override
            public void close() {
            }
        };
    }

    Map<NodeUri, StoredNode> snapshot() {
        return Map.copyOf(nodes);
    }
}
