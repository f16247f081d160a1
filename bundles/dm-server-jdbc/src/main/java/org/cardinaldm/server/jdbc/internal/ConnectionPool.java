package org.cardinaldm.server.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import javax.sql.ConnectionEvent;
import javax.sql.ConnectionEventListener;
import javax.sql.ConnectionPoolDataSource;
import javax.sql.PooledConnection;

import org.cardinaldm.server.api.spi.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small bounded pool over a driver's {@link ConnectionPoolDataSource} (what
 * {@code DataSourceFactory.createConnectionPoolDataSource} returns for H2 and PostgreSQL).
 */
public final class ConnectionPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionPool.class);

    private final ConnectionPoolDataSource source;
    private final Semaphore permits;
    private final long waitMillis;
    private final Deque<PooledConnection> idle = new ArrayDeque<>();
    /** When each idle connection was given back: only those idle for a while are checked before use. */
    private final java.util.Map<PooledConnection, Long> returned = new java.util.IdentityHashMap<>();
    private static final long CHECK_AFTER_IDLE_NANOS = 30_000_000_000L;
    private final java.util.Set<PooledConnection> broken = java.util.Collections
            .newSetFromMap(new java.util.IdentityHashMap<>());
    private volatile boolean closed;

    /**
     * @param source the driver's pooled-connection source
     * @param maxConnections the most connections open at once
     * @param waitMillis how long a caller waits for a free connection
     */
    public ConnectionPool(ConnectionPoolDataSource source, int maxConnections, long waitMillis) {
        this.source = Objects.requireNonNull(source, "source");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("the pool needs at least one connection");
        }
        this.permits = new Semaphore(maxConnections, true);
        this.waitMillis = waitMillis;
    }

    /**
     * @return a connection; closing it gives it back to the pool
     * @throws StoreException when none is free in time or the database cannot be reached
     */
    public Connection borrow() {
        if (closed) {
            throw new StoreException("the registry is closed");
        }
        try {
            if (!permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
                throw new StoreException("no database connection free after " + waitMillis + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a database connection", e);
        }
        try {
            PooledConnection pc;
            Long since;
            synchronized (idle) {
                pc = idle.pollFirst();
                since = pc == null ? null : returned.remove(pc);
            }
            if (pc == null) {
                pc = source.getPooledConnection();
                pc.addConnectionEventListener(new Listener());
            }
            Connection c = pc.getConnection();
            boolean check = since != null && System.nanoTime() - since > CHECK_AFTER_IDLE_NANOS;
            if (check && !c.isValid(5)) {
                discard(pc);
                pc = source.getPooledConnection();
                pc.addConnectionEventListener(new Listener());
                c = pc.getConnection();
            }
            return c;
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw new StoreException("cannot open a database connection: " + e.getMessage(), e);
        }
    }

    private final class Listener implements ConnectionEventListener {
        @Override
        public void connectionClosed(ConnectionEvent event) {
            PooledConnection pc = (PooledConnection) event.getSource();
            boolean wasBroken;
            synchronized (idle) {
                wasBroken = broken.remove(pc);
            }
            if (closed || wasBroken) {
                discard(pc);
            } else {
                synchronized (idle) {
                    idle.addFirst(pc);
                    returned.put(pc, System.nanoTime());
                }
            }
            permits.release();
        }

        @Override
        public void connectionErrorOccurred(ConnectionEvent event) {
            PooledConnection pc = (PooledConnection) event.getSource();
            synchronized (idle) {
                idle.remove(pc);
                returned.remove(pc);
                broken.add(pc);
            }
        }
    }

    private static void discard(PooledConnection pc) {
        try {
            pc.close();
        } catch (SQLException e) {
            LOG.debug("Closing a pooled connection failed: {}", e.getMessage());
        }
    }

    /** Closes the idle connections; connections in use are closed when given back. */
    @Override
    public void close() {
        closed = true;
        synchronized (idle) {
            for (PooledConnection pc : idle) {
                discard(pc);
            }
            idle.clear();
            returned.clear();
        }
    }
}
