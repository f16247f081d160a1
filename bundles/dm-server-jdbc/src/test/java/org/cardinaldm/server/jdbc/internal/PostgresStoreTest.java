package org.cardinaldm.server.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.cardinaldm.testing.PostgresDatabase;
import org.cardinaldm.testing.RequiresPostgres;
import org.postgresql.ds.PGConnectionPoolDataSource;

/**
 * The contract on a real PostgreSQL server: a database of this class's own on the server the test kit starts
 * from Maven artifacts, or on {@code CARDINAL_TEST_PG_URL}'s ({@link RequiresPostgres}).
 */
@RequiresPostgres
class PostgresStoreTest extends StoreContract {
    private final PostgresDatabase database;

    PostgresStoreTest(PostgresDatabase database) {
        this.database = database;
    }

    @Override
    ConnectionPool newPool() {
        PGConnectionPoolDataSource ds = new PGConnectionPoolDataSource();
        ds.setURL(PostgresSettings.tuned(database.url())); // as the registry component connects
        return new ConnectionPool(ds, 8, 10_000);
    }

    @Override
    void wipe() {
        // the class's database outlives each test
        try (Connection c = database.connect(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS cdm_notification, cdm_node, cdm_audit, cdm_device_tag, cdm_campaign_device, cdm_campaign, cdm_async_exec, cdm_result_item, cdm_result, cdm_operation, cdm_job, cdm_alert, "
                    + "cdm_device_info, cdm_device, cdm_schema_version CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty " + database, e);
        }
    }
}
