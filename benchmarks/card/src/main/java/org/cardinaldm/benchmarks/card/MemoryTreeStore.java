package org.cardinaldm.benchmarks.card;

import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.spi.store.StoreTransaction;
import org.cardinaldm.api.spi.store.StoredNode;
import org.cardinaldm.api.spi.store.TreeStore;

/** The tree engine's store, in memory (the benchmark measures the card, not the store). */
final class MemoryTreeStore implements TreeStore {
    private volatile NavigableMap<NodeUri, StoredNode> nodes = new ConcurrentSkipListMap<>();

    @Override
    public Optional<StoredNode> read(NodeUri uri) {
        return Optional.ofNullable(nodes.get(uri));
    }

    @Override
    public List<String> children(NodeUri uri) {
        return names(nodes, uri);
    }

    private static List<String> names(NavigableMap<NodeUri, StoredNode> map, NodeUri uri) {
        return map.tailMap(uri, false).keySet().stream().takeWhile(u -> u.startsWith(uri))
                .filter(u -> u.depth() == uri.depth() + 1).map(NodeUri::name).toList();
    }

    @Override
    public synchronized StoreTransaction begin() {
        NavigableMap<NodeUri, StoredNode> work = new ConcurrentSkipListMap<>(nodes);
        return new StoreTransaction() {
            @Override
            public Optional<StoredNode> read(NodeUri uri) {
                return Optional.ofNullable(work.get(uri));
            }

            @Override
            public List<String> children(NodeUri uri) {
                return names(work, uri);
            }

            @Override
            public void put(StoredNode node) {
                work.put(node.info().uri(), node);
            }

            @Override
            public void deleteSubtree(NodeUri uri) {
                work.keySet().removeIf(u -> u.startsWith(uri));
            }

            @Override
            public void commit() {
                nodes = work;
            }

            @Override
            public void close() {
            }
        };
    }
}
