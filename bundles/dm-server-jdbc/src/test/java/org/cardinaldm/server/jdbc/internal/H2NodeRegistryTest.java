package org.cardinaldm.server.jdbc.internal;

import java.util.UUID;

import org.h2.jdbcx.JdbcDataSource;

/** The node registry contract on embedded H2 (always runs). */
class H2NodeRegistryTest extends NodeRegistryContract {
    private final String url = "jdbc:h2:mem:nodes-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";

    @Override
    ConnectionPool newPool() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url);
        return new ConnectionPool(ds, 8, 10_000);
    }

    @Override
    void wipe() {
        // a fresh in-memory database per test instance
    }
}
