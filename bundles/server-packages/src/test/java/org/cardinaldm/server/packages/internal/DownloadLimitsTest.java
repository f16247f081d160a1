package org.cardinaldm.server.packages.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class DownloadLimitsTest {
    @Test
    void one_source_gets_its_share_and_no_more_while_others_go_on() {
        DownloadLimits limits = new DownloadLimits(10, 2);
        assertThat(limits.tryAcquire("192.0.2.1")).isTrue();
        assertThat(limits.tryAcquire("192.0.2.1")).isTrue();
        assertThat(limits.tryAcquire("192.0.2.1")).isFalse();
        assertThat(limits.tryAcquire("192.0.2.2")).isTrue();
        assertThat(limits.inFlight()).isEqualTo(3);
        limits.release("192.0.2.1");
        assertThat(limits.tryAcquire("192.0.2.1")).isTrue();
    }

    @Test
    void the_total_bounds_all_sources_together() {
        DownloadLimits limits = new DownloadLimits(3, 2);
        assertThat(limits.tryAcquire("a")).isTrue();
        assertThat(limits.tryAcquire("b")).isTrue();
        assertThat(limits.tryAcquire("c")).isTrue();
        assertThat(limits.tryAcquire("d")).isFalse();
        assertThat(limits.inFlight()).isEqualTo(3);
        limits.release("b");
        assertThat(limits.tryAcquire("d")).isTrue();
    }

    @Test
    void released_sources_leave_no_trace() {
        DownloadLimits limits = new DownloadLimits(4, 4);
        for (int i = 0; i < 1000; i++) {
            String source = "198.51.100." + (i % 250);
            assertThat(limits.tryAcquire(source)).isTrue();
            limits.release(source);
        }
        assertThat(limits.inFlight()).isZero();
        assertThat(limits.sources()).isZero();
    }

    @Test
    void a_refused_attempt_takes_nothing() {
        DownloadLimits limits = new DownloadLimits(1, 1);
        assertThat(limits.tryAcquire("a")).isTrue();
        for (int i = 0; i < 100; i++) {
            assertThat(limits.tryAcquire("a")).isFalse();
            assertThat(limits.tryAcquire("b")).isFalse();
        }
        limits.release("a");
        assertThat(limits.inFlight()).isZero();
        assertThat(limits.sources()).isZero();
        assertThat(limits.tryAcquire("b")).isTrue();
    }

    @Test
    void racing_threads_never_exceed_the_limits() throws Exception {
        DownloadLimits limits = new DownloadLimits(5, 3);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 64; i++) {
                String source = "s" + (i % 2);
                results.add(pool.submit(() -> {
                    start.await();
                    return limits.tryAcquire(source);
                }));
            }
            start.countDown();
            int granted = 0;
            for (Future<Boolean> f : results) {
                granted += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            // racing attempts may refuse one another, never grant too many
            assertThat(granted).isBetween(1, 5);
            assertThat(limits.inFlight()).isEqualTo(granted);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void limits_below_one_are_a_programming_error() {
        assertThatThrownBy(() -> new DownloadLimits(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DownloadLimits(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
