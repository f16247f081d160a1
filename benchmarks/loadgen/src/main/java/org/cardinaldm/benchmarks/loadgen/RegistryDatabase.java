package org.cardinaldm.benchmarks.loadgen;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.cardinaldm.server.api.spi.ServerStore;
import org.cardinaldm.server.internal.store.InMemoryServerStore;
import org.cardinaldm.server.jdbc.internal.ConnectionPool;
import org.cardinaldm.server.jdbc.internal.H2Settings;
import org.cardinaldm.server.jdbc.internal.JdbcServerStore;
import org.cardinaldm.server.jdbc.internal.PostgresSettings;
import org.cardinaldm.testing.Environment;
import org.cardinaldm.testing.Postgres;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The registry the load generator's server runs on, wired as dm-server-jdbc's component wires it (HikariCP pool of
 * 10 connections, 10 s wait): an embedded H2 file in a fresh temporary directory ({@code h2}, the distribution's
 * default), H2 in memory ({@code h2mem}), a database of its own on a PostgreSQL server ({@code postgres}), or
 * dm-server's in-memory store ({@code memory}, for comparison only).
 *
 * <p>PostgreSQL: the server of {@code --pg-url}, else of {@code CARDINAL_TEST_PG_URL}, else the one this machine's
 * CI runs at {@value #MACHINE_PG_URL} when it answers; the run creates a database {@code cardinal_loadgen_<n>} there
 * (or a schema, when the user may not create databases) and drops it at the end, so the registry tests' databases
 * are not touched. With none of them reachable, the test kit's embedded PostgreSQL (binaries from Maven artifacts).
 */
final class RegistryDatabase implements AutoCloseable {
    /** The PostgreSQL server this machine's CI starts ({@code .ci/start-postgres.sh}). */
    static final String MACHINE_PG_URL = "jdbc:postgresql://127.0.0.1:55432/cardinal_test?user=cardinal&password=cardinal";

    final ServerStore store;
    /** The registry's pool, or null for the in-memory store. */
    final ConnectionPool pool;
    /** The database, for other pools on it (the campaign store), or null for the in-memory store. */
    final DataSource dataSource;
    /** What the report says the registry is. */
    final String description;
    private final Path h2Dir;
    private final Runnable drop;

    private RegistryDatabase(ServerStore store, ConnectionPool pool, DataSource dataSource, String description,
            Path h2Dir, Runnable drop) {
        this.store = store;
        this.pool = pool;
        this.dataSource = dataSource;
        this.description = description;
        this.h2Dir = h2Dir;
        this.drop = drop;
    }

    /**
     * @param kind h2, h2mem, postgres or memory
     * @param h2Options appended to an H2 URL
     * @param pgUrl the PostgreSQL server's JDBC URL (a user that may create databases or schemas), or null
     * @param connections the registry's connections (H2 and PostgreSQL)
     * @return the registry, open
     * @throws Exception when it cannot be opened
     */
    static RegistryDatabase open(String kind, String h2Options, String pgUrl, int connections) throws Exception {
        switch (kind) {
            case "memory" -> {
                return new RegistryDatabase(new InMemoryServerStore(), null, null, "in memory", null, () -> {
                });
            }
            case "postgres" -> {
                return postgres(pgUrl, connections);
            }
            default -> {
                JdbcDataSource ds = new JdbcDataSource();
                Path dir = null;
                if (kind.equals("h2")) {
                    dir = Files.createTempDirectory("cardinal-loadgen-");
                    ds.setURL(H2Settings.tuned("jdbc:h2:file:" + dir.resolve("server-registry").toAbsolutePath()
                            + h2Options));
                } else {
                    ds.setURL(H2Settings.tuned("jdbc:h2:mem:loadgen;DB_CLOSE_DELAY=-1" + h2Options));
                }
                ConnectionPool pool = ConnectionPool.of(ds, connections, 10_000, "dm-server-jdbc-registry");
                return new RegistryDatabase(JdbcServerStore.open(pool), pool, ds,
                        dir != null ? "H2 file " + dir : "H2 in memory", dir, () -> {
                        });
            }
        }
    }

    private static RegistryDatabase postgres(String pgUrl, int connections) throws SQLException {
        String server = pgUrl != null ? pgUrl
                : Environment.system().get(Postgres.URL_VARIABLE).orElse(reachable(MACHINE_PG_URL) ? MACHINE_PG_URL : null);
        String url;
        String where;
        Runnable drop;
        if (server != null) {
            String name = String.format(Locale.ROOT, "cardinal_loadgen_%d_%06x", ProcessHandle.current().pid(),
                    ThreadLocalRandom.current().nextInt(1 << 24));
            String created = create(server, name);
            url = created;
            boolean schema = created.contains("currentSchema=");
            where = (schema ? "schema " : "database ") + name + " on " + hostOf(server);
            drop = () -> dropQuietly(server, name, schema);
        } else {
            // a bare machine: the test kit's embedded server (stopped with this JVM)
            url = Postgres.createDatabase("loadgen", Environment.of(Map.of())).url();
            where = "the test kit's embedded PostgreSQL";
            drop = () -> {
            };
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(PostgresSettings.tuned(url)); // as the server's registry component does
        ConnectionPool pool = ConnectionPool.of(ds, connections, 10_000, "dm-server-jdbc-registry");
        try (Connection c = pool.borrow(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT version()")) {
            rs.next();
            where = rs.getString(1).replaceAll(" on .*", "") + ", " + where;
        }
        return new RegistryDatabase(JdbcServerStore.open(pool), pool, ds, where, null, drop);
    }

    private static boolean reachable(String url) {
        try (Connection c = DriverManager.getConnection(url)) {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    /** @return the URL of a new database, or of a new schema in the URL's database when databases are refused */
    private static String create(String server, String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(server); Statement st = c.createStatement()) {
            try {
                st.execute("CREATE DATABASE \"" + name + "\"");
                return withDatabase(server, name);
            } catch (SQLException e) {
                if (!"42501".equals(e.getSQLState())) {
                    throw e;
                }
            }
            st.execute("CREATE SCHEMA \"" + name + "\"");
            return server + (server.indexOf('?') < 0 ? "?" : "&") + "currentSchema=" + name;
        }
    }

    private static void dropQuietly(String server, String name, boolean schema) {
        try (Connection c = DriverManager.getConnection(server); Statement st = c.createStatement()) {
            st.execute(schema ? "DROP SCHEMA IF EXISTS \"" + name + "\" CASCADE"
                    : "DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("could not drop " + name + ": " + e.getMessage());
        }
    }

    private static String withDatabase(String url, String database) {
        int hosts = url.indexOf("//");
        int query = url.indexOf('?', hosts);
        String head = query < 0 ? url : url.substring(0, query);
        String tail = query < 0 ? "" : url.substring(query);
        int slash = head.indexOf('/', hosts + 2);
        return (slash < 0 ? head : head.substring(0, slash)) + "/" + database + tail;
    }

    private static String hostOf(String url) {
        int hosts = url.indexOf("//");
        int slash = url.indexOf('/', hosts + 2);
        return url.substring(hosts + 2, slash < 0 ? url.length() : slash);
    }

    /** @return the checkpoints that made the H2 registry's commits durable so far (0 elsewhere) */
    long checkpoints() {
        return store instanceof JdbcServerStore j ? j.checkpoints() : 0;
    }

    /** @return the bytes H2 wrote to its file so far (its info.FILE_WRITE_BYTES; 0 elsewhere) */
    long h2WrittenBytes() {
        if (pool == null || !description.startsWith("H2")) {
            return 0;
        }
        try (Connection c = pool.borrow(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'info.FILE_WRITE_BYTES'")) {
            return rs.next() ? Long.parseLong(rs.getString(1)) : 0;
        } catch (SQLException | NumberFormatException e) {
            return 0;
        }
    }

    /**
     * @return the bytes H2's MVStore page cache holds now (its info.CACHE_SIZE, in whole MiB; 0 elsewhere): heap that
     *         grows with the file up to the cache's limit (info.CACHE_MAX_SIZE)
     */
    long h2CacheBytes() {
        if (pool == null || !description.startsWith("H2")) {
            return 0;
        }
        try (Connection c = pool.borrow(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'info.CACHE_SIZE'")) {
            return rs.next() ? Long.parseLong(rs.getString(1)) * 1048576L : 0;
        } catch (SQLException | NumberFormatException e) {
            return 0;
        }
    }

    /** @return H2's chunk count and fill rates (its info.* settings), for the report; empty elsewhere */
    String h2Chunks() {
        if (pool == null || !description.startsWith("H2")) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        try (Connection c = pool.borrow(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME IN "
                        + "('info.CHUNK_COUNT', 'info.CHUNKS_FILL_RATE', 'info.FILL_RATE', 'info.FILE_SIZE', "
                        + "'info.PAGE_COUNT_LIVE', 'info.CACHE_SIZE', 'info.CACHE_MAX_SIZE') ORDER BY SETTING_NAME")) {
            while (rs.next()) {
                b.append(b.length() == 0 ? "" : ", ").append(rs.getString(1).substring(5).toLowerCase(Locale.ROOT))
                        .append(' ').append(rs.getString(2));
            }
        } catch (SQLException e) {
            return "";
        }
        return b.toString();
    }

    /** @return the size of the H2 registry's files in bytes (0 elsewhere) */
    long h2FileBytes() {
        if (h2Dir == null) {
            return 0;
        }
        try (Stream<Path> s = Files.list(h2Dir)) {
            return s.mapToLong(p -> p.toFile().length()).sum();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /** Closes the pool and removes the H2 files or the PostgreSQL database. */
    @Override
    public void close() throws Exception {
        if (store instanceof JdbcServerStore j) {
            j.close();
        }
        if (pool != null) {
            pool.close();
        }
        drop.run();
        if (h2Dir != null) {
            try (Stream<Path> s = Files.walk(h2Dir)) {
                s.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
