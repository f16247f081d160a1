package org.cardinaldm.tree.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.mo.MoContext;
import org.cardinaldm.api.spi.store.StoreTransaction;
import org.cardinaldm.api.spi.store.StoredNode;
import org.cardinaldm.api.spi.store.TreeStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One unit of work: a single command, or a whole Atomic. Store writes go into one
 * {@link StoreTransaction}, begun at the first write; plugin changes happen at once and leave an
 * undo action behind, so that {@link #rollback()} can compensate them. Reads see the transaction's
 * own writes. Used by one thread at a time.
 */
final class Op {
    private static final Logger LOG = LoggerFactory.getLogger(Op.class);

    /** A compensation for a plugin change. */
    @FunctionalInterface
    interface Undo {
        /** @throws Exception when the change cannot be undone */
        void run() throws Exception;
    }

    private record UndoStep(String what, Undo action) {
    }

    private final TreeStore store;
    private final Principal principal;
    private final MoContext context;
    private final boolean atomic;
    private final Deque<UndoStep> undo = new ArrayDeque<>();
    private StoreTransaction txn;
    private boolean transacted;
    private String irreversible;
    private boolean overridesTouched;

    Op(TreeStore store, Principal principal, boolean atomic) {
        this.store = store;
        this.principal = principal;
        this.context = new PluginContext(principal);
        this.atomic = atomic;
    }

    /** @return on whose behalf */
    Principal principal() {
        return principal;
    }

    /** @return the context handed to plugins */
    MoContext context() {
        return context;
    }

    /** @return true inside an Atomic */
    boolean isAtomic() {
        return atomic;
    }

    /** @return true when Cardinal itself runs the operation (no ACL, no access-type checks) */
    boolean isSystem() {
        return principal.kind() == Principal.Kind.SYSTEM;
    }

    Optional<StoredNode> read(NodeUri uri) throws DmException {
        try {
            return txn != null ? txn.read(uri) : store.read(uri);
        } catch (RuntimeException e) {
            throw storeFailure("read", e);
        }
    }

    List<String> children(NodeUri uri) throws DmException {
        try {
            return txn != null ? txn.children(uri) : store.children(uri);
        } catch (RuntimeException e) {
            throw storeFailure("list", e);
        }
    }

    void put(StoredNode node) throws DmException {
        try {
            tx().put(node);
        } catch (RuntimeException e) {
            throw storeFailure("write", e);
        }
    }

    void deleteSubtree(NodeUri uri) throws DmException {
        try {
            tx().deleteSubtree(uri);
        } catch (RuntimeException e) {
            throw storeFailure("delete", e);
        }
    }

    /**
     * Begins the store transaction now, so that every read of a write command happens under the
     * store's writer lock and nothing can change between a check and the write.
     */
    void begin() throws DmException {
        tx();
    }

    /** @return true when this unit of work ever opened a store transaction (it may have written) */
    boolean wasTransacted() {
        return transacted;
    }

    /** @return true while a store transaction is open */
    boolean hasTransaction() {
        return txn != null;
    }

    private StoreTransaction tx() throws DmException {
        if (txn == null) {
            try {
                txn = store.begin();
            } catch (RuntimeException e) {
                throw storeFailure("begin a transaction", e);
            }
            if (txn == null) {
                throw new DmException(StatusCode.DATA_STORE_FAILURE, "The tree store gave no transaction");
            }
            transacted = true;
        }
        return txn;
    }

    /** Notes that this unit of work wrote override records (reads of them then go to the store). */
    void touchOverrides() {
        overridesTouched = true;
    }

    /** @return true when this unit of work wrote override records */
    boolean overridesTouched() {
        return overridesTouched;
    }

    /**
     * @param what a short description for logs (no values)
     * @param action how to compensate
     */
    void onRollback(String what, Undo action) {
        undo.push(new UndoStep(what, action));
    }

    /** @param what a plugin change that cannot be compensated (reported as 516 if a rollback comes) */
    void cannotUndo(String what) {
        if (irreversible == null) {
            irreversible = what;
        }
    }

    /** @return true when a plugin change has happened, i.e. a rollback has something to compensate */
    boolean hasPluginChanges() {
        return !undo.isEmpty() || irreversible != null;
    }

    /**
     * Commits the store transaction, if any. On failure nothing of the store is applied; plugin
     * changes are still to be compensated by {@link #rollback()}.
     *
     * @throws DmException the store's status (510, 420)
     */
    void commit() throws DmException {
        StoreTransaction t = txn;
        txn = null;
        if (t != null) {
            try {
                t.commit();
            } catch (RuntimeException e) {
                throw storeFailure("commit", e);
            } finally {
                t.close();
            }
        }
        undo.clear();
        irreversible = null;
    }

    /**
     * Discards store writes and compensates plugin changes, newest first.
     *
     * @return true when everything was undone; false when a compensation failed or a change could
     *     not be undone (the caller answers 516)
     */
    boolean rollback() {
        StoreTransaction t = txn;
        txn = null;
        if (t != null) {
            try {
                t.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing a tree store transaction failed: {}", e.toString());
            }
        }
        boolean ok = irreversible == null;
        if (!ok) {
            LOG.warn("Rollback cannot undo: {}", irreversible);
        }
        while (!undo.isEmpty()) {
            UndoStep step = undo.pop();
            try {
                step.action().run();
            } catch (Exception | LinkageError e) {
                ok = false;
                LOG.warn("Rollback could not undo {}: {}", step.what(), e instanceof DmException d
                        ? d.toDisplayString() : e.toString());
            }
        }
        irreversible = null;
        return ok;
    }

    private static DmException storeFailure(String what, RuntimeException e) {
        LOG.warn("Tree store failed to {}: {}", what, e.toString());
        return new DmException(StatusCode.DATA_STORE_FAILURE, "Tree store failed to " + what, e);
    }
}
