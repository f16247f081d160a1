package org.cardinaldm.tree.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.store.StoreTransaction;
import org.cardinaldm.api.spi.store.StoredNode;
import org.cardinaldm.api.spi.store.TreeStore;

/**
 * A {@link TreeStore} in memory with the SPI's semantics: one writer at a time (others wait),
 * transactions that see their own writes and publish all of them at once, the root always present.
 * Faults can be injected: a failing commit, a failing put, a runtime exception.
 */
public class InMemoryTreeStore implements TreeStore {
    private volatile TreeMap<NodeUri, StoredNode> committed = new TreeMap<>();
    private final Semaphore writer = new Semaphore(1);
    final AtomicInteger begun = new AtomicInteger();
    final AtomicInteger commits = new AtomicInteger();
    volatile boolean failCommit;
    volatile boolean brokenReads;
    volatile Predicate<NodeUri> failPut = u -> false;

    /** An empty store holding only the root. */
    public InMemoryTreeStore() {
        committed.put(NodeUri.root(), StoredNode.of(NodeInfo.interior(NodeUri.root()).build(), NodeValue.interior()));
    }

    @Override
    public Optional<StoredNode> read(NodeUri uri) throws DmException {
        if (brokenReads) {
            throw new IllegalStateException("disk on fire");
        }
        return Optional.ofNullable(committed.get(uri));
    }

    @Override
    public List<String> children(NodeUri uri) throws DmException {
        return childrenIn(committed, uri);
    }

    private static List<String> childrenIn(TreeMap<NodeUri, StoredNode> map, NodeUri uri) {
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
    public StoreTransaction begin() throws DmException {
        try {
            writer.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DmException(StatusCode.DATA_STORE_FAILURE, "interrupted");
        }
        begun.incrementAndGet();
        return new Txn(new TreeMap<>(committed));
    }

    /** @return true when no transaction is open */
    boolean idle() {
        return writer.availablePermits() == 1;
    }

    /** @return the committed nodes */
    Map<NodeUri, StoredNode> snapshot() {
        return committed;
    }

    /** @return the number of committed nodes, root included */
    int size() {
        return committed.size();
    }

    private final class Txn implements StoreTransaction {
        private final TreeMap<NodeUri, StoredNode> work;
        private boolean open = true;

        Txn(TreeMap<NodeUri, StoredNode> work) {
            this.work = work;
        }

        private void checkOpen() {
            if (!open) {
                throw new IllegalStateException("transaction closed");
            }
        }

        @Override
        public Optional<StoredNode> read(NodeUri uri) {
            checkOpen();
            return Optional.ofNullable(work.get(uri));
        }

        @Override
        public List<String> children(NodeUri uri) {
            checkOpen();
            return childrenIn(work, uri);
        }

        @Override
        public void put(StoredNode node) throws DmException {
            checkOpen();
            NodeUri uri = node.info().uri();
            if (failPut.test(uri)) {
                throw new DmException(StatusCode.DEVICE_FULL, "no room for " + uri);
            }
            if (!uri.isRoot()) {
                StoredNode parent = work.get(uri.parent());
                if (parent == null || !parent.info().isInterior()) {
                    throw new IllegalStateException("parent of " + uri + " is not a stored interior node");
                }
            }
            work.put(uri, node);
        }

        @Override
        public void deleteSubtree(NodeUri uri) {
            checkOpen();
            if (uri.isRoot()) {
                throw new IllegalStateException("root");
            }
            work.keySet().removeIf(u -> u.startsWith(uri));
        }

        @Override
        public void commit() throws DmException {
            checkOpen();
            if (failCommit) {
                close();
                throw new DmException(StatusCode.DATA_STORE_FAILURE, "commit failed");
            }
            committed = work;
            commits.incrementAndGet();
            close();
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                writer.release();
            }
        }
    }
}
