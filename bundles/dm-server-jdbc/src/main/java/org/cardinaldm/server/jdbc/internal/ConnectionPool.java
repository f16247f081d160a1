package org.cardinaldm.server.jdbc.internal;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import javax.sql.ConnectionPoolDataSource;
import javax.sql.DataSource;
import javax.sql.PooledConnection;

import org.cardinaldm.server.api.spi.StoreException;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;

/**
 * The registry's bounded connection pool: HikariCP over a driver's {@link DataSource} (what
 * {@code DataSourceFactory.createDataSource} returns for H2 and PostgreSQL). Connections come with auto-commit
 * off, so every borrower works in a transaction and commits or rolls back, unless it turns auto-commit on for reads
 * ({@link Transactions#autoCommit}); HikariCP rolls back what a borrower left uncommitted and resets the
 * connection's state (auto-commit off again) when it comes back. A connection that sat idle is checked
 * before it is lent again (HikariCP's own rule).
 */
public final class ConnectionPool implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final HikariDataSource pool;

    /**
     * @param source the driver's data source
     * @param maxConnections the most connections open at once
     * @param waitMillis how long a caller waits for a free connection (at least 250)
     * @param name the pool's name, which its threads carry (e.g. {@code dm-server-jdbc-registry})
     * @return the pool, with its first connection open
     * @throws StoreException when the database cannot be reached
     * @throws IllegalArgumentException for fewer than one connection
     */
    public static ConnectionPool of(DataSource source, int maxConnections, long waitMillis, String name) {
        return new ConnectionPool(source, maxConnections, waitMillis, name);
    }

    /**
     * Kept for callers that hold a driver's {@link ConnectionPoolDataSource}: one that is also a
     * {@link DataSource} (H2's) is used as such, any other lends the connections of its pooled connections.
     *
     * @param source the driver's pooled-connection source
     * @param maxConnections the most connections open at once
     * @param waitMillis how long a caller waits for a free connection
     * @throws StoreException when the database cannot be reached
     */
    public ConnectionPool(ConnectionPoolDataSource source, int maxConnections, long waitMillis) {
        this(source instanceof DataSource ds ? ds : new PooledSource(source), maxConnections, waitMillis,
                "dm-server-jdbc-" + POOLS.incrementAndGet());
    }

    private ConnectionPool(DataSource source, int maxConnections, long waitMillis, String name) {
        Objects.requireNonNull(source, "source");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("the pool needs at least one connection");
        }
        HikariConfig c = new HikariConfig();
        c.setDataSource(source);
        c.setPoolName(name);
        c.setMaximumPoolSize(maxConnections);
        c.setMinimumIdle(1);
        c.setAutoCommit(false);
        c.setConnectionTimeout(Math.max(250, waitMillis));
        try {
            this.pool = new HikariDataSource(c);
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new StoreException("cannot open a database connection: " + cause.getMessage(), cause);
        }
    }

    /**
     * @return a connection with auto-commit off; closing it gives it back to the pool
     * @throws StoreException when none is free in time, the pool is closed or the database cannot be reached
     */
    public Connection borrow() {
        if (pool.isClosed()) {
            throw new StoreException("the registry is closed");
        }
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            throw new StoreException("cannot open a database connection: " + e.getMessage(), e);
        }
    }

    /** @return whether the pool was closed */
    public boolean isClosed() {
        return pool.isClosed();
    }

    /** @return the pool's size limit */
    public int maxConnections() {
        return pool.getMaximumPoolSize();
    }

    /** Closes the idle connections at once and the others when they come back. */
    @Override
    public void close() {
        pool.close();
    }

    /**
     * A {@link DataSource} over a {@link ConnectionPoolDataSource}: each connection is the logical connection of a
     * pooled connection of its own, which closing it closes.
     */
    private static final class PooledSource implements DataSource {
        private final ConnectionPoolDataSource source;

        PooledSource(ConnectionPoolDataSource source) {
            this.source = source;
        }

        @Override
        public Connection getConnection() throws SQLException {
            PooledConnection pc = source.getPooledConnection();
            Connection c = pc.getConnection();
            InvocationHandler h = (proxy, method, args) -> invoke(pc, c, method, args);
            return (Connection) Proxy.newProxyInstance(ConnectionPool.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, h);
        }

        private static Object invoke(PooledConnection pc, Connection c, Method method, Object[] args)
                throws Throwable {
            if (method.getName().equals("close") && method.getParameterCount() == 0) {
                try {
                    c.close();
                } finally {
                    pc.close();
                }
                return null;
            }
            try {
                return method.invoke(c, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
            }
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            throw new SQLFeatureNotSupportedException("the user comes with the source");
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return source.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            source.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            source.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return source.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return source.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
