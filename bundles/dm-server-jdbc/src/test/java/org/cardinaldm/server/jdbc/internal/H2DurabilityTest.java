package org.cardinaldm.server.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.cardinaldm.server.api.spi.StoreException;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The grouped checkpoints that make the embedded H2 registry's commits durable ({@link Durability}): one checkpoint
 * serves many threads, a thread that wrote nothing waits for none, a failed checkpoint fails the sync, and the
 * background sync thread ends with the store. (That the commits survive {@code kill -9} is
 * {@link KillNineDurabilityTest}.)
 */
class H2DurabilityTest {
    @TempDir
    Path dir;
    private ConnectionPool pool;

    private JdbcServerStore open() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(H2Settings.tuned("jdbc:h2:file:" + dir.resolve("registry").toAbsolutePath()));
        pool = ConnectionPool.of(ds, 8, 10_000, "durability-test");
        return JdbcServerStore.open(pool);
    }

    /** @return a store whose background sync is stopped, so that only the test's syncs run checkpoints */
    private JdbcServerStore openQuiet() {
        JdbcServerStore store = open();
        store.close();
        return store;
    }

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
    }

    @Test
    void a_sync_after_nothing_written_runs_no_checkpoint() {
        JdbcServerStore store = openQuiet();
        long before = store.checkpoints();
        store.device("IMEI:nobody");
        store.sync();
        store.sync();
        assertThat(store.checkpoints()).isEqualTo(before);
    }

    @Test
    void a_write_then_a_sync_runs_one_checkpoint_and_a_second_sync_none() {
        JdbcServerStore store = openQuiet();
        store.insertDevice(StoreContract.device("IMEI:1")); // durable when it returns: one checkpoint
        long before = store.checkpoints();
        store.updateDevice("IMEI:1", r -> r.toBuilder().serverNonce("bmV3").build());
        assertThat(store.checkpoints()).as("the update waits for nobody").isEqualTo(before);
        store.sync();
        assertThat(store.checkpoints()).isEqualTo(before + 1);
        store.sync();
        assertThat(store.checkpoints()).as("already covered").isEqualTo(before + 1);
    }

    @Test
    void one_checkpoint_serves_many_threads_that_committed_before_it() throws Exception {
        JdbcServerStore store = openQuiet();
        int threads = 8;
        for (int i = 0; i < threads; i++) {
            store.insertDevice(StoreContract.device("IMEI:" + i));
        }
        long before = store.checkpoints();
        CountDownLatch written = new CountDownLatch(threads);
        ExecutorService pool8 = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String id = "IMEI:" + i;
                fs.add(pool8.submit(() -> {
                    store.updateDevice(id, r -> r.toBuilder().lastContact(Instant.ofEpochMilli(1)).build());
                    written.countDown();
                    written.await(); // everyone committed before anyone syncs
                    store.sync();
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool8.shutdownNow();
        }
        // the first sync's checkpoint covers all eight commits; at most one more for a thread that came late
        assertThat(store.checkpoints() - before).isBetween(1L, 2L);
    }

    @Test
    void a_checkpoint_that_cannot_run_fails_the_sync() {
        JdbcServerStore store = openQuiet();
        store.insertDevice(StoreContract.device("IMEI:1"));
        store.updateDevice("IMEI:1", r -> r.toBuilder().serverNonce("bmV3").build());
        pool.close();
        assertThatThrownBy(store::sync).isInstanceOf(StoreException.class).hasMessageContaining("durable");
    }

    @Test
    void the_background_sync_thread_ends_with_the_store() throws Exception {
        JdbcServerStore store = open();
        assertThat(syncThreads()).isNotEmpty();
        store.close();
        for (Thread t : syncThreads()) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(syncThreads()).isEmpty();
    }

    private static List<Thread> syncThreads() {
        List<Thread> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("dm-server-jdbc-sync-") && t.isAlive()) {
                out.add(t);
            }
        }
        return out;
    }
}
