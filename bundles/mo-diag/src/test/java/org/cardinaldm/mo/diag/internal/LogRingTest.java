package org.cardinaldm.mo.diag.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class LogRingTest {
    private static void fill(LogRing ring, int n) {
        for (int i = 1; i <= n; i++) {
            ring.add(Instant.EPOCH.plusSeconds(i), "WARN", "src", "m" + i);
        }
    }

    @Test
    void a_full_ring_drops_the_oldest_and_keeps_numbering() {
        LogRing ring = new LogRing(3);
        fill(ring, 5);
        assertThat(ring.size()).isEqualTo(3);
        assertThat(ring.snapshot()).extracting(LogLine::seq).containsExactly(3L, 4L, 5L);
        assertThat(ring.snapshot()).extracting(LogLine::message).containsExactly("m3", "m4", "m5");
    }

    @Test
    void find_returns_held_entries_only() {
        LogRing ring = new LogRing(3);
        fill(ring, 5);
        assertThat(ring.find(4)).map(LogLine::message).contains("m4");
        assertThat(ring.find(3)).map(LogLine::message).contains("m3");
        assertThat(ring.find(5)).map(LogLine::message).contains("m5");
        assertThat(ring.find(2)).isEmpty();
        assertThat(ring.find(6)).isEmpty();
        assertThat(ring.find(0)).isEmpty();
        assertThat(new LogRing(1).find(1)).isEmpty();
    }

    @Test
    void shrinking_drops_the_oldest_and_growing_keeps_everything() {
        LogRing ring = new LogRing(5);
        fill(ring, 5);
        ring.resize(2);
        assertThat(ring.snapshot()).extracting(LogLine::seq).containsExactly(4L, 5L);
        ring.resize(10);
        assertThat(ring.capacity()).isEqualTo(10);
        ring.add(Instant.EPOCH, "ERROR", "s", "m6");
        assertThat(ring.snapshot()).extracting(LogLine::seq).containsExactly(4L, 5L, 6L);
    }

    @Test
    void clear_empties_but_sequence_numbers_are_never_reused() {
        LogRing ring = new LogRing(3);
        fill(ring, 2);
        ring.clear();
        assertThat(ring.size()).isZero();
        assertThat(ring.find(1)).isEmpty();
        LogLine next = ring.add(Instant.EPOCH, "WARN", "s", "after");
        assertThat(next.seq()).isEqualTo(3L);
        assertThat(ring.find(3)).contains(next);
    }

    @Test
    void capacity_outside_the_bounds_is_refused() {
        assertThatThrownBy(() -> new LogRing(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LogRing(LogRing.MAX_CAPACITY + 1)).isInstanceOf(IllegalArgumentException.class);
        LogRing ring = new LogRing(1);
        assertThatThrownBy(() -> ring.resize(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ring.capacity()).isEqualTo(1);
    }
}
