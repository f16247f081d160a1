package org.cardinaldm.server.jdbc.internal;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.postgresql.ds.PGConnectionPoolDataSource;

/**
 * The contract on a real PostgreSQL server: {@code CARDINAL_TEST_PG_URL}, or the cluster that
 * {@code .ci/start-postgres.sh} starts. Skipped when no server answers, failed instead when {@code CI=true}.
 */
class PostgresStoreTest extends StoreContract {
    static final String DEFAULT_URL =
            "jdbc:postgresql://127.0.0.1:55432/cardinal_test?user=cardinal&password=cardinal";

    static String url() {
        String env = System.getenv("CARDINAL_TEST_PG_URL");
        return env == null || env.isBlank() ? DEFAULT_URL : env;
    }

    @Override
    ConnectionPool newPool() {
        PGConnectionPoolDataSource ds = new PGConnectionPoolDataSource();
        ds.setURL(url());
        return new ConnectionPool(ds, 8, 10_000);
    }

    @Override
    void wipe() {
        PGConnectionPoolDataSource ds = new PGConnectionPoolDataSource();
        ds.setURL(url());
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS cdm_result_item, cdm_result, cdm_operation, cdm_job, cdm_alert, "
                    + "cdm_device_info, cdm_device, cdm_schema_version CASCADE");
        } catch (SQLException e) {
            String why = "no PostgreSQL at " + url().replaceAll("password=[^&]*", "password=***") + " ("
                    + e.getMessage() + "); install the Debian package postgresql and run .ci/start-postgres.sh";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            assumeTrue(false, why);
        }
    }
}
