package org.cardinaldm.tree.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cardinaldm.tree.internal.Fixture.s;
import static org.cardinaldm.tree.internal.Fixture.u;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.cardinaldm.api.AtomicAccess;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TreeAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Smoke test: servers writing their own subtrees, Atomics, readers listing the root and a plugin
 * bundle coming and going, all at once. Nothing may fail except with the statuses the races allow,
 * and the tree must end consistent. (The timeout only guards against a deadlock hanging the build.)
 */
class ConcurrencyTest {
    private static final int WORKERS = 4;
    private static final int ROUNDS = 150;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void concurrent_commands_and_plugin_churn_keep_the_tree_consistent() throws Exception {
        Fixture f = new Fixture(Map.of("root.acl", "Add=*&Get=*&Replace=*&Delete=*"));
        FakePlugin hot = new FakePlugin("./Hot").leaf("V", "hot");
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS + 2);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        try {
            for (int w = 0; w < WORKERS; w++) {
                int id = w;
                results.add(pool.submit(worker(f, id, start)));
            }
            results.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < ROUNDS; i++) {
                    f.mount(hot);
                    f.unmount(hot);
                }
                f.mount(hot);
                return ROUNDS;
            }));
            results.add(pool.submit(() -> {
                start.await();
                TreeAccess reader = f.server("reader");
                int seen = 0;
                for (int i = 0; i < ROUNDS * 2; i++) {
                    reader.children(u("."));
                    try {
                        assertThat(reader.get(u("./Hot/V")).asString()).isEqualTo("hot");
                        seen++;
                    } catch (DmException e) {
                        assertThat(e.status()).isEqualTo(StatusCode.NOT_FOUND);
                    }
                }
                return seen;
            }));
            start.countDown();
            for (Future<Integer> r : results) {
                assertThat(r.get()).isNotNegative();
            }
        } finally {
            pool.shutdownNow();
        }
        TreeAccess check = f.system();
        for (int w = 0; w < WORKERS; w++) {
            NodeUri mine = u("./W" + w);
            assertThat(check.children(mine)).hasSize(ROUNDS / 2);
            for (String child : check.children(mine)) {
                assertThat(check.get(mine.child(child)).asString()).isEqualTo("v2");
            }
        }
        assertThat(check.get(u("./Hot/V")).asString()).isEqualTo("hot");
        assertThat(f.store.idle()).isTrue();
    }

    private static Callable<Integer> worker(Fixture f, int id, CountDownLatch start) {
        return () -> {
            start.await();
            TreeAccess me = f.server("srv" + id);
            NodeUri mine = u("./W" + id);
            for (int i = 0; i < ROUNDS; i++) {
                NodeUri leaf = mine.child("n" + i);
                if (i % 3 == 0) {
                    try (AtomicAccess atomic = me.atomic()) {
                        atomic.add(leaf, s("v1"));
                        atomic.replace(leaf, s("v2"));
                        atomic.commit();
                    }
                } else {
                    me.add(leaf, s("v1"));
                    me.replace(leaf, s("v2"));
                }
                assertThat(me.get(leaf).asString()).isEqualTo("v2");
                if (i % 2 == 1) {
                    me.delete(leaf);
                }
            }
            return ROUNDS;
        };
    }
}
