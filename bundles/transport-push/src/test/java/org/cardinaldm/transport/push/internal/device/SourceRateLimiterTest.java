package org.cardinaldm.transport.push.internal.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class SourceRateLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000);

    private SourceRateLimiter limiter() {
        return new SourceRateLimiter(1, 3, 20, 20, 4, now::get);
    }

    private static int admitted(SourceRateLimiter l, String source, int datagrams) {
        int n = 0;
        for (int i = 0; i < datagrams; i++) {
            n += l.admit(source) ? 1 : 0;
        }
        return n;
    }

    @Test
    void a_flooding_source_gets_its_burst_and_no_more() {
        SourceRateLimiter l = limiter();

        assertThat(admitted(l, "a", 1000)).isEqualTo(3);
    }

    @Test
    void another_source_still_gets_through_after_a_flood() {
        SourceRateLimiter l = limiter();
        admitted(l, "attacker", 1000);

        assertThat(l.admit("server")).isTrue();
    }

    @Test
    void a_source_refills_at_its_rate() {
        SourceRateLimiter l = limiter();
        admitted(l, "a", 10);

        now.addAndGet(1_000_000_000L);

        assertThat(admitted(l, "a", 10)).isEqualTo(1);
    }

    @Test
    void the_global_bucket_bounds_all_sources_together() {
        SourceRateLimiter l = limiter();
        int total = 0;
        for (int i = 0; i < 100; i++) {
            total += admitted(l, "s" + i, 5);
        }

        assertThat(total).isEqualTo(20);
    }

    @Test
    void the_map_of_sources_is_bounded() {
        SourceRateLimiter l = limiter();
        for (int i = 0; i < 1000; i++) {
            l.admit("s" + i);
        }

        assertThat(l.sources()).isEqualTo(4);
    }
}
