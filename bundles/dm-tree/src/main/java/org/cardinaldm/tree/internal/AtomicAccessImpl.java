package org.cardinaldm.tree.internal;

import org.cardinaldm.api.AtomicAccess;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DM Atomic (digest 1.5): every command shares one {@link Op}, i.e. one store transaction and one
 * list of plugin compensations. A failing command marks the Atomic failed, so that it can never be
 * committed in part: {@link #commit()} then rolls back and answers 507. Rollback discards the store
 * transaction and undoes plugin changes newest first; if one cannot be undone the answer is 516.
 * Used by one session thread; not thread-safe.
 */
final class AtomicAccessImpl extends TreeAccessImpl implements AtomicAccess {
    private static final Logger LOG = LoggerFactory.getLogger(AtomicAccessImpl.class);

    private enum State { ACTIVE, COMMITTED, ROLLED_BACK }

    private final Op op;
    private State state = State.ACTIVE;
    private boolean failed;

    AtomicAccessImpl(TreeEngine engine, Principal principal) {
        super(engine, principal);
        this.op = new Op(engine.store(), principal, true);
    }

    @Override
    <T> T run(String command, NodeUri uri, boolean write, TreeEngine.Body<T> body) throws DmException {
        if (state != State.ACTIVE) {
            throw new IllegalStateException("The Atomic is already " + (state == State.COMMITTED ? "committed" : "rolled back"));
        }
        try {
            return engine.runIn(op, command, uri, write, body);
        } catch (DmException e) {
            if (write) {
                failed = true;
            }
            throw e;
        }
    }

    @Override
    <T> T runAllOrNothing(String command, NodeUri uri, TreeEngine.Body<T> body) throws DmException {
        return run(command, uri, true, body);
    }

    @Override
    public StatusCode exec(NodeUri uri, NodeValue data, String correlator) throws DmException {
        if (state != State.ACTIVE) {
            throw new IllegalStateException("The Atomic is already " + (state == State.COMMITTED ? "committed" : "rolled back"));
        }
        failed = true;
        throw new DmException(StatusCode.COMMAND_FAILED, "Exec is not allowed inside an Atomic");
    }

    @Override
    public AtomicAccess atomic() throws DmException {
        throw new DmException(StatusCode.COMMAND_FAILED, "Atomic commands do not nest");
    }

    @Override
    public void commit() throws DmException {
        if (state != State.ACTIVE) {
            throw new IllegalStateException("The Atomic is already " + (state == State.COMMITTED ? "committed" : "rolled back"));
        }
        if (failed) {
            boolean undone = op.rollback();
            state = State.ROLLED_BACK;
            throw undone ? new DmException(StatusCode.ATOMIC_FAILED, "A command of the Atomic failed; it was rolled back")
                    : new DmException(StatusCode.ATOMIC_ROLL_BACK_FAILED, "A command of the Atomic failed and the rollback failed");
        }
        try {
            op.commit();
            engine.committed(op);
            state = State.COMMITTED;
            LOG.debug("{} Atomic committed", principal());
        } catch (DmException | RuntimeException e) {
            boolean undone = op.rollback();
            state = State.ROLLED_BACK;
            LOG.debug("{} Atomic commit failed: {}", principal(), e.toString());
            throw undone ? new DmException(StatusCode.ATOMIC_FAILED, "Committing the Atomic failed; it was rolled back", e)
                    : new DmException(StatusCode.ATOMIC_ROLL_BACK_FAILED, "Committing the Atomic failed and the rollback failed", e);
        } finally {
            engine.invalidateLimits();
        }
    }

    @Override
    public void rollback() throws DmException {
        if (state != State.ACTIVE) {
            return;
        }
        boolean undone = op.rollback();
        state = State.ROLLED_BACK;
        LOG.debug("{} Atomic rolled back{}", principal(), undone ? "" : " in part");
        if (!undone) {
            throw new DmException(StatusCode.ATOMIC_ROLL_BACK_FAILED, "A plugin change of the Atomic could not be undone");
        }
    }

    @Override
    public void close() {
        try {
            rollback();
        } catch (DmException e) {
            LOG.warn("{} Atomic closed without commit: {}", principal(), e.toDisplayString());
        }
    }

    @Override
    public String toString() {
        return "AtomicAccess[" + principal() + ", " + state + (failed ? ", failed" : "") + "]";
    }
}
