package org.cardinaldm.server.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;

import org.cardinaldm.server.api.spi.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a unit of work in one transaction on a pooled connection, retrying serialisation failures, deadlocks and
 * lock timeouts; every other failure becomes a {@link StoreException}. Shared by the registry
 * ({@link JdbcServerStore}) and the campaign store ({@link JdbcCampaignStore}).
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

    static <T> T run(ConnectionPool pool, String what, Work<T> work) {
        SQLException last = null;
        for (int attempt = 0; attempt < RETRIES; attempt++) {
            try (Connection c = pool.borrow()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
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
