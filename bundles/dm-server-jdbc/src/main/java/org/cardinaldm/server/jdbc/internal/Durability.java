package org.cardinaldm.server.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What makes committed transactions survive the end of this process ({@code kill -9}): a writer calls
 * {@link #committed} after each commit that changed something, and {@link #await} returns once every such commit
 * the calling thread made is in the database's files (the operating system's page cache is enough: only the process
 * dies; a power loss is out of scope).
 *
 * <p>PostgreSQL (and any database in a process of its own) needs nothing: a commit that returned belongs to the
 * database server, whatever happens to this process ({@link #NONE}). Embedded H2 does: its MVStore keeps committed
 * changes in memory and writes them to the file within {@code WRITE_DELAY} (500 ms by default), so a {@code kill
 * -9} in that window loses commits whose answers were sent. {@link #h2} writes them with H2's {@code CHECKPOINT}
 * (an MVStore commit: one chunk holding every change so far), grouped: the first caller whose commits are not yet
 * covered runs one checkpoint for every commit made before it started, the others wait for it and are covered by
 * it or by the next one; when other commits are pending the leader waits a little first (group commit, as
 * PostgreSQL's {@code commit_delay}), so that one checkpoint covers more of them. At least every {@value H2Checkpoints#SYNC_MILLIS} ms (or a little more when idle) a
 * checkpoint is a {@code CHECKPOINT SYNC} (an {@code fsync} of the file): H2 overwrites a file area only {@code RETENTION_TIME} after it was freed
 * ({@link H2Settings} sets 5 s instead of H2's 45 s, whose file grew by hundreds of MB a minute under load), so with
 * everything older than a second on the disk a power loss still leaves an older consistent version.
 */
interface Durability {
    /** Nothing to do: commits are durable on their own (or nothing is, as with H2 in memory). */
    Durability NONE = new Durability() {
        @Override
        public void committed() {
        }

        @Override
        public void await() {
        }
    };

    /** A transaction that changed something has just committed. */
    void committed();

    /**
     * Waits until every commit the calling thread {@linkplain #committed reported} is durable (commits of other
     * threads may be made durable with them).
     *
     * @throws SQLException when the database cannot make them durable
     */
    void await() throws SQLException;

    /** Stops what this durability runs in the background, if anything. */
    default void close() {
    }

    /**
     * @param pool the connections to embedded H2 (one is borrowed for each checkpoint)
     * @param groupMicros how long a checkpoint waits before it starts when commits of other threads are pending too
     *        (0: never), so that it covers the commits that are about to come; under load a checkpoint then serves
     *        about twice as many DM exchanges (the H2 file's bytes per exchange fall by a quarter, the ratio to the
     *        echo baseline rose by a fifth in the load generator; docs/performance.md), and alone a session never
     *        waits for it
     * @return the grouped checkpoints, with their background {@code fsync} running
     */
    static Durability h2(ConnectionPool pool, long groupMicros) {
        H2Checkpoints h = new H2Checkpoints(pool, groupMicros);
        h.start();
        return h;
    }

    /**
     * Grouped {@code CHECKPOINT}s of an embedded H2 database, and a thread ({@code dm-server-jdbc-sync-N}) that runs a
     * {@code CHECKPOINT SYNC} when the file was last synced more than {@value #SYNC_MILLIS} ms ago, so that also what
     * H2's own background writer stored (other pools on the database: the campaign store) is on the disk within about
     * two seconds; it ends with {@link #close} or when the pool is closed.
     */
    final class H2Checkpoints implements Durability {
        /** The longest time between two checkpoints that {@code fsync} the file. */
        static final long SYNC_MILLIS = 1000;
        private static final java.util.concurrent.atomic.AtomicInteger THREADS = new java.util.concurrent.atomic.AtomicInteger();
        private final ConnectionPool pool;
        private final long groupNanos;
        /** Commits reported so far (each after the commit returned). */
        private final AtomicLong commits = new AtomicLong();
        /** The number of the last commit each thread reported. */
        private final ThreadLocal<long[]> last = ThreadLocal.withInitial(() -> new long[1]);
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition done = lock.newCondition();
        /** Every commit up to this number is durable. */
        private volatile long covered;
        private boolean running;
        private long checkpoints;
        /** When the file was last synced ({@link System#nanoTime}); touched by the running leader only. */
        private volatile long lastSync = System.nanoTime();
        private java.util.concurrent.ScheduledExecutorService syncer;

        H2Checkpoints(ConnectionPool pool, long groupMicros) {
            this.pool = Objects.requireNonNull(pool, "pool");
            if (groupMicros < 0) {
                throw new IllegalArgumentException("the group commit wait is 0 or more microseconds");
            }
            this.groupNanos = groupMicros * 1000;
        }

        private void start() {
            syncer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "dm-server-jdbc-sync-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            syncer.scheduleWithFixedDelay(this::syncIfDue, SYNC_MILLIS, SYNC_MILLIS / 2,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        /** The background thread's turn: an fsync when none ran for a while (and nobody runs a checkpoint now). */
        private void syncIfDue() {
            if (System.nanoTime() - lastSync <= SYNC_MILLIS * 1_000_000) {
                return;
            }
            lock.lock();
            try {
                if (!running) {
                    lead();
                }
            } catch (SQLException | org.cardinaldm.server.api.spi.StoreException e) {
                if (pool.isClosed()) {
                    syncer.shutdown(); // the registry closed
                } else {
                    org.slf4j.LoggerFactory.getLogger(Durability.class).warn("Cannot sync the registry's file: {}",
                            e.getMessage());
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            if (syncer != null) {
                // no interrupt: one inside H2's file I/O would close its FileChannel before H2 closes the file
                syncer.shutdown();
                try {
                    syncer.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void committed() {
            last.get()[0] = commits.incrementAndGet();
        }

        @Override
        public void await() throws SQLException {
            long target = last.get()[0];
            if (covered >= target) {
                return;
            }
            lock.lock();
            try {
                while (covered < target) {
                    if (running) {
                        done.awaitUninterruptibly();
                    } else {
                        lead();
                    }
                }
            } finally {
                lock.unlock();
            }
        }

        /** Runs one checkpoint for every commit reported so far; called and returns with the lock held. */
        private void lead() throws SQLException {
            running = true;
            if (groupNanos > 0 && commits.get() - covered >= 2) {
                // others committed too, and more are on their way: let them join this checkpoint
                lock.unlock();
                java.util.concurrent.locks.LockSupport.parkNanos(groupNanos);
                lock.lock();
            }
            // every commit counted so far has returned: one checkpoint now covers them all
            long upTo = commits.get();
            SQLException failure = null;
            boolean ok = false;
            lock.unlock();
            try {
                checkpoint();
                ok = true;
            } catch (SQLException e) {
                failure = e;
            } catch (RuntimeException e) {
                failure = new SQLException("checkpoint failed: " + e.getMessage(), e);
            } finally {
                lock.lock();
                running = false;
                if (ok) {
                    checkpoints++;
                    covered = Math.max(covered, upTo);
                }
                done.signalAll();
            }
            if (failure != null) {
                throw failure;
            }
        }

        private void checkpoint() throws SQLException {
            long now = System.nanoTime();
            boolean sync = now - lastSync > SYNC_MILLIS * 1_000_000;
            try (Connection c = pool.borrow(); Statement st = c.createStatement()) {
                st.execute(sync ? "CHECKPOINT SYNC" : "CHECKPOINT");
                c.commit();
            }
            if (sync) {
                lastSync = now;
            }
        }

        /** @return how many checkpoints ran (for benchmarks) */
        long checkpoints() {
            lock.lock();
            try {
                return checkpoints;
            } finally {
                lock.unlock();
            }
        }
    }
}
