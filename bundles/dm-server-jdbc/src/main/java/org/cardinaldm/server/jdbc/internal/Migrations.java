package org.cardinaldm.server.jdbc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations: each {@code V<nnn>__<name>.sql} resource is applied once, in order, in
 * its own transaction, and recorded in {@code cdm_schema_version}. On PostgreSQL an advisory lock keeps
 * two nodes starting at once from migrating together.
 */
public final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    /** The migrations, in order; a new one is appended, never edited. */
    static final List<String> SCRIPTS = List.of("V001__registry.sql", "V002__secrets.sql",
            "V003__async_execs.sql", "V004__campaigns.sql", "V005__fleet_search_audit.sql",
            "V006__server_nodes.sql", "V007__audit_filters.sql");
    private static final long LOCK_KEY = 0x43444d5f52454731L; // "CDM_REG1"

    private Migrations() {
    }

    /** @return the schema version the code expects */
    public static int latest() {
        return SCRIPTS.size();
    }

    /**
     * Brings the schema to the latest version.
     *
     * @param c a connection (its auto-commit is restored)
     * @param dialect the database
     * @return the version before migrating
     * @throws SQLException when a statement fails (the failing migration is rolled back where the
     *         database supports transactional DDL)
     * @throws IllegalStateException when the database is newer than this code
     */
    public static int migrate(Connection c, Dialect dialect) throws SQLException {
        boolean auto = c.getAutoCommit();
        try (Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            st.execute("CREATE TABLE IF NOT EXISTS cdm_schema_version (version INT NOT NULL PRIMARY KEY, "
                    + "applied BIGINT NOT NULL, script VARCHAR(256) NOT NULL)");
            c.setAutoCommit(false);
            if (dialect == Dialect.POSTGRESQL) {
                st.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
            }
            int current = current(c);
            if (current > latest()) {
                throw new IllegalStateException("the registry schema is version " + current
                        + ", newer than this server (" + latest() + ")");
            }
            for (int v = current + 1; v <= latest(); v++) {
                String script = SCRIPTS.get(v - 1);
                for (String sql : statements(load(script), dialect)) {
                    st.execute(sql);
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO cdm_schema_version (version, applied, script) VALUES (?, ?, ?)")) {
                    ps.setInt(1, v);
                    ps.setLong(2, System.currentTimeMillis());
                    ps.setString(3, script);
                    ps.executeUpdate();
                }
                LOG.info("Registry schema migrated to version {} ({})", v, script);
            }
            c.commit();
            return current;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /**
     * @param c a connection
     * @return the applied schema version, 0 for an empty database
     * @throws SQLException when the version table cannot be read
     */
    public static int current(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT MAX(version) FROM cdm_schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    static String load(String script) {
        try (InputStream in = Migrations.class.getResourceAsStream(script)) {
            if (in == null) {
                throw new IllegalStateException("missing migration " + script);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration " + script, e);
        }
    }

    static List<String> statements(String script, Dialect dialect) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (t.endsWith(";")) {
                String sql = current.toString().trim();
                out.add(sql.substring(0, sql.length() - 1).replace("${text}", dialect.textType()));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().trim().replace("${text}", dialect.textType()));
        }
        return out;
    }
}
