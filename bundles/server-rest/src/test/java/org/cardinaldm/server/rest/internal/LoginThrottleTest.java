package org.cardinaldm.server.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.cardinaldm.testing.MutableClock;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private final MutableClock clock = new MutableClock(TestSupport.NOW);
    /** 3 free wrong passwords per user and address, 10 per address, at most 60 s, 100 entries. */
    private final LoginThrottle throttle = new LoginThrottle(clock, 3, 10, Duration.ofSeconds(60), 100);

    private void fail(String user, String source, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(throttle.blocked(user, source)).as("attempt %d", i + 1).isEmpty();
            throttle.failed(user, source);
        }
    }

    @Test
    void the_free_wrong_passwords_do_not_slow_down() {
        fail("admin", "192.0.2.1", 3);
        assertThat(throttle.blocked("admin", "192.0.2.1")).isEmpty();
    }

    @Test
    void beyond_the_allowance_the_user_at_that_address_waits_twice_as_long_each_time_up_to_the_maximum() {
        fail("admin", "192.0.2.1", 4);
        assertThat(throttle.blocked("admin", "192.0.2.1")).contains(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        fail("admin", "192.0.2.1", 1);
        assertThat(throttle.blocked("admin", "192.0.2.1")).contains(Duration.ofSeconds(2));
        clock.advance(Duration.ofSeconds(2));
        fail("admin", "192.0.2.1", 1);
        assertThat(throttle.blocked("admin", "192.0.2.1")).contains(Duration.ofSeconds(4));
        for (int i = 0; i < 10; i++) {
            clock.advance(throttle.blocked("admin", "192.0.2.1").orElseThrow());
            fail("admin", "192.0.2.1", 1);
        }
        assertThat(throttle.blocked("admin", "192.0.2.1")).contains(Duration.ofSeconds(60));
        clock.advance(Duration.ofSeconds(59));
        assertThat(throttle.blocked("admin", "192.0.2.1")).contains(Duration.ofSeconds(1));
    }

    @Test
    void a_lock_out_of_one_address_does_not_lock_the_same_user_out_from_another() {
        fail("admin", "192.0.2.66", 4);
        assertThat(throttle.blocked("admin", "192.0.2.66")).isPresent();
        assertThat(throttle.blocked("admin", "198.51.100.7")).isEmpty();
        throttle.succeeded("admin", "198.51.100.7");
        assertThat(throttle.blocked("admin", "192.0.2.66")).isPresent();
    }

    @Test
    void many_user_names_from_one_address_lock_the_address_for_every_name() {
        for (int i = 0; i < 11; i++) {
            fail("user" + i, "192.0.2.66", 1);
        }
        assertThat(throttle.blocked("admin", "192.0.2.66")).contains(Duration.ofSeconds(1));
        assertThat(throttle.blocked("admin", "192.0.2.67")).isEmpty();
    }

    @Test
    void addresses_of_one_ipv6_64_network_share_their_counter() {
        for (int i = 0; i < 11; i++) {
            fail("user" + i, "2001:db8:1:2::" + Integer.toHexString(i + 1), 1);
        }
        assertThat(throttle.blocked("admin", "2001:db8:1:2:ffff::9")).isPresent();
        assertThat(throttle.blocked("admin", "2001:db8:1:3::1")).isEmpty();
        assertThat(LoginThrottle.sourceKey("::ffff:192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(LoginThrottle.sourceKey(null)).isEqualTo("unknown");
    }

    @Test
    void a_success_resets_the_counter_of_that_user_at_that_address() {
        fail("admin", "192.0.2.1", 3);
        throttle.succeeded("admin", "192.0.2.1");
        fail("admin", "192.0.2.1", 3);
        assertThat(throttle.blocked("admin", "192.0.2.1")).isEmpty();
    }

    @Test
    void counters_are_forgotten_after_a_quiet_hour() {
        fail("admin", "192.0.2.1", 3);
        clock.advance(Duration.ofHours(1));
        fail("admin", "192.0.2.1", 3);
        assertThat(throttle.blocked("admin", "192.0.2.1")).isEmpty();
    }

    @Test
    void the_counters_hold_at_most_the_configured_number_of_entries() {
        for (int i = 0; i < 1000; i++) {
            throttle.failed("u" + i + "x".repeat(5000), "10.0." + (i / 250) + "." + (i % 250));
        }
        assertThat(throttle.size()).isLessThanOrEqualTo(200);
        assertThat(LoginThrottle.pairKey("x".repeat(5000), "192.0.2.1"))
                .hasSizeLessThanOrEqualTo(LoginThrottle.MAX_USER_KEY + 200)
                .isNotEqualTo(LoginThrottle.pairKey("x".repeat(4999), "192.0.2.1"));
    }
}
