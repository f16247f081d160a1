package org.cardinaldm.smartcard.sim.internal.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The retry counter PINs and keys share ({@link CountedSecret}). */
class CountedSecretTest {
    private static Pin pin(int max, int left) {
        return new Pin(0x01, Pin.block("1234"), max, left, null, 0, 0);
    }

    private static CardKey key(int max, int left) {
        return new CardKey(0x02, "dm-server", new byte[16], max, left);
    }

    @Test
    void a_failed_try_counts_down_to_blocked_and_stops_at_zero() {
        for (CountedSecret s : new CountedSecret[] {pin(2, 2), key(2, 2)}) {
            s.decrement();
            assertThat(s.retries()).isEqualTo(1);
            assertThat(s.isBlocked()).isFalse();
            s.decrement();
            s.decrement();
            assertThat(s.retries()).isZero();
            assertThat(s.isBlocked()).isTrue();
            assertThat(s.maxRetries()).isEqualTo(2);
        }
    }

    @Test
    void a_reset_restores_the_limit() {
        for (CountedSecret s : new CountedSecret[] {pin(3, 0), key(3, 0)}) {
            assertThat(s.isBlocked()).isTrue();
            s.resetCounter();
            assertThat(s.retries()).isEqualTo(3);
            assertThat(s.isBlocked()).isFalse();
        }
    }

    @Test
    void pins_and_keys_keep_their_references() {
        assertThat(pin(3, 3).reference()).isEqualTo(0x01);
        assertThat(key(3, 3).reference()).isEqualTo(0x02);
    }

    @Test
    void counters_out_of_range_are_refused_for_pins_and_keys() {
        assertThatThrownBy(() -> pin(0, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("PIN retry counter");
        assertThatThrownBy(() -> pin(16, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pin(3, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pin(3, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> key(0, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Key retry counter");
        assertThatThrownBy(() -> key(3, 4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void references_out_of_range_are_refused_before_the_counter_is_looked_at() {
        assertThatThrownBy(() -> new CardKey(0x20, "dm-server", new byte[16], 3, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Key reference");
        assertThatThrownBy(() -> new CardKey(0x00, "dm-server", new byte[16], 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Key reference");
        assertThatThrownBy(() -> new Pin(0x00, Pin.block("1234"), 3, 3, null, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
