package org.cardinaldm.server.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;

import org.cardinaldm.server.api.spi.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a unit of work in one transaction on a pooled connection, retrying serialisation failures, deadlocks and
 * lock timeouts; every other failure becomes a {@link StoreException}. Shared by the registry
 * ({@link JdbcServerStore}) and the campaign store ({@link JdbcCampaignStore}). A unit that changed something reports
 * its commit to the store's {@link Durability}.
 */
final class Transactions {
    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);
    private static final int RETRIES = 5;

    /** A unit of work in one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private Transactions() {
    }

    /** Runs {@code work} in a transaction of its own (a read, or a write whose durability nobody waits for). */
    static <T> T run(ConnectionPool pool, String what, Work<T> work) {
        return run(pool, Durability.NONE, what, work, r -> false);
    }

    /**
     * Runs {@code work} in a transaction of its own and, when it changed something, reports its commit to
     * {@code durability} (whose {@link Durability#await} then covers it).
     *
     * @param pool the connections
     * @param durability what makes commits survive the end of this process
     * @param what the work, named for errors ("update of a device")
     * @param work the work
     * @param changed tells from the work's result whether it changed anything
     * @return what the work returned
     * @throws StoreException when the work fails
     */
    static <T> T run(ConnectionPool pool, Durability durability, String what, Work<T> work,
            java.util.function.Predicate<? super T> changed) {
        T result = retrying(pool, what, false, work);
        if (changed.test(result)) {
            durability.committed();
        }
        return result;
    }

    /**
     * Runs {@code work} in auto-commit mode: every statement commits on its own, with no transaction to begin or
     * commit, one round trip to the database fewer than {@link #run(ConnectionPool, String, Work)}. For reads (each
     * statement sees what was committed when it started, as in a transaction at the READ COMMITTED level the registry
     * uses on H2 and PostgreSQL) and for work whose only change is one statement. Never for a read that takes row
     * locks for a later statement ({@code FOR UPDATE}): those end with the statement here. The pool turns auto-commit
     * off again when the connection comes back.
     *
     * @param pool the connections
     * @param what the work, named for errors ("read of a device")
     * @param work the work
     * @return what the work returned
     * @throws StoreException when the work fails
     */
    static <T> T autoCommit(ConnectionPool pool, String what, Work<T> work) {
        return retrying(pool, what, true, work);
    }

    /**
     * Runs {@code work} on a pooled connection, in auto-commit mode or in a transaction it commits (and rolls back
     * when the work fails), again up to {@value #RETRIES} times while the failure is {@linkplain #retryable
     * retryable}.
     */
    private static <T> T retrying(ConnectionPool pool, String what, boolean autoCommit, Work<T> work) {
        SQLException last = null;
        for (int attempt = 0; attempt < RETRIES; attempt++) {
            try (Connection c = pool.borrow()) {
                if (c.getAutoCommit() != autoCommit) {
                    c.setAutoCommit(autoCommit);
                }
                if (autoCommit) {
                    return work.run(c);
                }
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                last = e;
                if (!retryable(e)) {
                    break;
                }
                LOG.debug("Retrying {} after {}", what, e.getSQLState());
            }
        }
        throw new StoreException("registry " + what + " failed: " + (last == null ? "" : last.getMessage()), last);
    }

    static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        // 40001 serialization failure, 40P01 deadlock (PostgreSQL), HYT00 lock timeout (H2)
        return state != null && (state.startsWith("40") || state.equals("HYT00"));
    }
}
