package org.cardinaldm.server.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.cardinaldm.testing.PostgresDatabase;
import org.cardinaldm.testing.RequiresPostgres;
import org.postgresql.ds.PGConnectionPoolDataSource;

/** The campaign store on a real PostgreSQL server (the test kit's, {@link RequiresPostgres}): SKIP LOCKED claims. */
@RequiresPostgres
class PostgresCampaignStoreTest extends CampaignStoreContract {
    private final PostgresDatabase database;

    PostgresCampaignStoreTest(PostgresDatabase database) {
        this.database = database;
    }

    @Override
    ConnectionPool newPool() {
        PGConnectionPoolDataSource ds = new PGConnectionPoolDataSource();
        ds.setURL(database.url());
        return new ConnectionPool(ds, 8, 10_000);
    }

    @Override
    void wipe() {
        try (Connection c = database.connect(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS cdm_notification, cdm_node, cdm_audit, cdm_device_tag, cdm_campaign_device, cdm_campaign, cdm_async_exec, "
                    + "cdm_result_item, cdm_result, cdm_operation, cdm_job, cdm_alert, cdm_device_info, cdm_device, "
                    + "cdm_schema_version CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty " + database, e);
        }
    }
}
