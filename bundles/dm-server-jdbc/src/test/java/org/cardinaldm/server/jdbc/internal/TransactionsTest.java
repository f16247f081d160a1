package org.cardinaldm.server.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import org.cardinaldm.server.api.spi.StoreException;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TransactionsTest {
    private ConnectionPool pool;

    @BeforeEach
    void open() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:transactions-test-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        pool = ConnectionPool.of(ds, 1, 1_000, "transactions-test");
        Transactions.run(pool, "creation of a table", c -> {
            try (Statement st = c.createStatement()) {
                return st.executeUpdate("CREATE TABLE t (v INT)");
            }
        });
    }

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void an_auto_commit_read_leaves_the_next_borrower_in_a_transaction() {
        boolean autoCommit = Transactions.autoCommit(pool, "read", c -> c.getAutoCommit());
        assertThat(autoCommit).isTrue();
        // the only connection again: a write that fails after its first statement leaves nothing behind
        assertThatThrownBy(() -> Transactions.run(pool, "insert", c -> {
            assertThat(c.getAutoCommit()).isFalse();
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO t VALUES (1)");
                return st.executeUpdate("INSERT INTO missing VALUES (2)");
            }
        })).isInstanceOf(StoreException.class);
        int rows = Transactions.autoCommit(pool, "count", c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM t")) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertThat(rows).isZero();
    }

    @Test
    void a_failed_auto_commit_read_names_the_work_and_is_not_retried_unless_retryable() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> Transactions.autoCommit(pool, "read of a device", c -> {
            attempts.incrementAndGet();
            try (Statement st = c.createStatement()) {
                return st.executeQuery("SELECT * FROM missing").next();
            }
        })).isInstanceOf(StoreException.class).hasMessageStartingWith("registry read of a device failed: ");
        assertThat(attempts).hasValue(1);
    }

    @Test
    void a_retryable_failure_is_tried_again() {
        AtomicInteger attempts = new AtomicInteger();
        String read = Transactions.autoCommit(pool, "read", c -> {
            if (attempts.incrementAndGet() < 3) {
                throw new SQLException("deadlock", "40P01");
            }
            return "read";
        });
        assertThat(read).isEqualTo("read");
        assertThat(attempts).hasValue(3);
    }
}
