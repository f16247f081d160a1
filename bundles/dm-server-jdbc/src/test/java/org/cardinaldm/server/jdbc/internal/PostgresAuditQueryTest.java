package org.cardinaldm.server.jdbc.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.cardinaldm.testing.PostgresDatabase;
import org.cardinaldm.testing.RequiresPostgres;
import org.postgresql.ds.PGConnectionPoolDataSource;

/**
 * The audit log's filtered listing on a real PostgreSQL server: a database of this class's own on the server the
 * test kit starts from Maven artifacts, or on {@code CARDINAL_TEST_PG_URL}'s ({@link RequiresPostgres}).
 */
@RequiresPostgres
class PostgresAuditQueryTest extends AuditQueryContract {
    private final PostgresDatabase database;

    PostgresAuditQueryTest(PostgresDatabase database) {
        this.database = database;
    }

    @Override
    ConnectionPool newPool() {
        PGConnectionPoolDataSource ds = new PGConnectionPoolDataSource();
        ds.setURL(database.url());
        return new ConnectionPool(ds, 4, 10_000);
    }

    @Override
    void wipe() {
        // the class's database outlives each test: drop every registry table, whatever the schema version
        try (Connection c = database.connect(); Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables "
                    + "WHERE table_schema = current_schema() AND table_name LIKE 'cdm\\_%'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            if (!tables.isEmpty()) {
                st.execute("DROP TABLE IF EXISTS " + String.join(", ", tables) + " CASCADE");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty " + database, e);
        }
    }
}
