package org.cardinaldm.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;

import org.postgresql.Driver;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A PostgreSQL database of one test class. Hand {@link #url()} to a data source
 * ({@code PGConnectionPoolDataSource.setURL(db.url())}) or use {@link #dataSource()} / {@link #connect()}.
 * {@link #toString()} masks any password.
 */
public final class PostgresDatabase {
    private final String name;
    private final String url;
    private final Runnable drop;

    PostgresDatabase(String name, String url, Runnable drop) {
        this.name = Objects.requireNonNull(name, "name");
        this.url = Objects.requireNonNull(url, "url");
        this.drop = Objects.requireNonNull(drop, "drop");
    }

    /** @return the database name (or schema name, on a server where the test user may not create databases) */
    public String name() {
        return name;
    }

    /**
     * @return the JDBC URL, with the user (and the password an external server needs): keep it out of messages,
     *         print {@link #toString()} instead
     */
    public String url() {
        return url;
    }

    /** @return the server's host */
    public String host() {
        return property("PGHOST");
    }

    /** @return the server's TCP port */
    public int port() {
        return Integer.parseInt(property("PGPORT"));
    }

    /** @return the user the tests connect as */
    public String user() {
        return property("user");
    }

    /** @return a new data source on this database */
    public PGSimpleDataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        return ds;
    }

    /**
     * @return a new connection to this database
     * @throws SQLException when the server refuses it
     */
    public Connection connect() throws SQLException {
        return Postgres.connect(url);
    }

    void drop() {
        drop.run();
    }

    private String property(String key) {
        Properties p = Driver.parseURL(url, null);
        if (p == null || p.getProperty(key) == null) {
            throw new IllegalStateException("no " + key + " in " + this);
        }
        return p.getProperty(key);
    }

    @Override
    public String toString() {
        return Secrets.mask(url);
    }
}
