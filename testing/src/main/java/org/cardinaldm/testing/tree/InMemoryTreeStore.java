package org.cardinaldm.testing.tree;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * A {@link TreeStore} in memory with the SPI's semantics, for tests: one writer at a time (a second {@link #begin()}
 * waits until the first transaction is closed), transactions that see their own writes and publish all of them at
 * once on {@link StoreTransaction#commit() commit()}, nothing of a transaction closed without a commit, and the root
 * always present. A {@code put} of a node whose parent is not a stored interior node, a {@code deleteSubtree} of the
 * root and any use of a closed transaction throw {@link IllegalStateException} (a bug in the caller, which a test
 * should see).
 *
 * <p>Tests can count what the engine did ({@link #begunTransactions()}, {@link #commits()}, {@link #idle()},
 * {@link #size()}, {@link #snapshot()}) and inject faults: a failing commit ({@link #failCommits(boolean)}, status
 * 510), a failing put ({@link #failPuts(Predicate)}, status 420) and reads that throw a runtime exception ({@link
 * #breakReads(boolean)}).
 *
 * <pre>{@code
 * InMemoryTreeStore store = new InMemoryTreeStore();
 * DmTreeImpl tree = new DmTreeImpl(store, config);
 * store.failCommits(true);   // the next commits fail with 510 DATA_STORE_FAILURE
 * }</pre>
 */
public class InMemoryTreeStore implements TreeStore {
    private volatile TreeMap<NodeUri, StoredNode> committed = new TreeMap<>();
    private final Semaphore writer = new Semaphore(1);
    private final AtomicInteger begun = new AtomicInteger();
    private final AtomicInteger commits = new AtomicInteger();
    private volatile boolean failCommit;
    private volatile boolean brokenReads;
    private volatile Predicate<NodeUri> failPut = u -> false;

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

    /**
     * Opens the one write transaction, waiting while another one is open.
     *
     * @throws DmException 510 when the waiting thread is interrupted (its interrupt flag is set again)
     */
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
    public boolean idle() {
        return writer.availablePermits() == 1;
    }

    /** @return the committed nodes by URI, root included (a read-only view of the current state) */
    public Map<NodeUri, StoredNode> snapshot() {
        return Collections.unmodifiableMap(committed);
    }

    /** @return the number of committed nodes, root included */
    public int size() {
        return committed.size();
    }

    /** @return how many transactions were begun since the store was made */
    public int begunTransactions() {
        return begun.get();
    }

    /** @return how many transactions were committed since the store was made */
    public int commits() {
        return commits.get();
    }

    /**
     * @param fail true: every commit from now on closes its transaction, publishes nothing and throws a
     *             {@link DmException} with {@link StatusCode#DATA_STORE_FAILURE}; false: commits work again
     */
    public void failCommits(boolean fail) {
        failCommit = fail;
    }

    /**
     * @param broken true: every read outside a transaction throws an {@link IllegalStateException}, as a store with
     *               a bug would; false: reads work again
     */
    public void breakReads(boolean broken) {
        brokenReads = broken;
    }

    /**
     * @param which the URIs whose {@code put} throws a {@link DmException} with {@link StatusCode#DEVICE_FULL};
     *              {@code u -> false} for none (the default)
     */
    public void failPuts(Predicate<NodeUri> which) {
        failPut = Objects.requireNonNull(which, "which");
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
