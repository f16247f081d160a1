package org.cardinaldm.server.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.cardinaldm.testing.MutableClock;
import org.junit.jupiter.api.Test;

class ConsoleSessionsTest {
    private final MutableClock clock = new MutableClock(TestSupport.NOW);
    private final ConsoleSessions sessions = new ConsoleSessions(clock, Duration.ofMinutes(30), Duration.ofHours(12), 3);

    @Test
    void a_session_is_found_by_its_cookie_with_user_role_and_a_csrf_token_of_its_own() {
        ConsoleSessions.Opened a = sessions.open("alice", true);
        ConsoleSessions.Opened b = sessions.open("bob", false);
        assertThat(a.cookie()).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(sessions.find(a.cookie())).hasValueSatisfying(s -> {
            assertThat(s.user()).isEqualTo("alice");
            assertThat(s.admin()).isTrue();
        });
        assertThat(sessions.find(b.cookie()).orElseThrow().admin()).isFalse();
        assertThat(a.session().csrf()).isNotEqualTo(b.session().csrf()).isNotEqualTo(a.cookie());
    }

    @Test
    void unknown_empty_null_and_overlong_cookies_find_nothing() {
        sessions.open("alice", true);
        assertThat(sessions.find(null)).isEmpty();
        assertThat(sessions.find("")).isEmpty();
        assertThat(sessions.find("x".repeat(43))).isEmpty();
        assertThat(sessions.find("x".repeat(100_000))).isEmpty();
        assertThat(sessions.close("x".repeat(100_000))).isFalse();
    }

    @Test
    void a_session_ends_after_the_idle_time_without_a_request_and_each_request_restarts_it() {
        ConsoleSessions.Opened a = sessions.open("alice", true);
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.find(a.cookie())).isPresent();
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.find(a.cookie())).as("used 29 minutes ago").isPresent();
        clock.advance(Duration.ofMinutes(30));
        assertThat(sessions.find(a.cookie())).isEmpty();
        assertThat(sessions.size()).isZero();
    }

    @Test
    void a_session_in_constant_use_still_ends_after_its_lifetime() {
        ConsoleSessions.Opened a = sessions.open("alice", true);
        for (int i = 0; i < 47; i++) {
            clock.advance(Duration.ofMinutes(15));
            assertThat(sessions.find(a.cookie())).isPresent();
        }
        clock.advance(Duration.ofMinutes(15));
        assertThat(sessions.find(a.cookie())).as("12 h after the login").isEmpty();
    }

    @Test
    void logout_ends_the_session_once() {
        ConsoleSessions.Opened a = sessions.open("alice", true);
        assertThat(sessions.close(a.cookie())).isTrue();
        assertThat(sessions.close(a.cookie())).isFalse();
        assertThat(sessions.find(a.cookie())).isEmpty();
    }

    @Test
    void the_table_is_bounded_and_drops_the_least_recently_used_session() {
        ConsoleSessions.Opened a = sessions.open("a", true);
        ConsoleSessions.Opened b = sessions.open("b", true);
        ConsoleSessions.Opened c = sessions.open("c", true);
        sessions.find(a.cookie());
        ConsoleSessions.Opened d = sessions.open("d", true);
        assertThat(sessions.size()).isEqualTo(3);
        assertThat(sessions.find(b.cookie())).isEmpty();
        assertThat(sessions.find(a.cookie())).isPresent();
        assertThat(sessions.find(c.cookie())).isPresent();
        assertThat(sessions.find(d.cookie())).isPresent();
    }

    @Test
    void the_csrf_check_takes_only_the_sessions_own_token() {
        ConsoleSessions.Session s = sessions.open("alice", true).session();
        assertThat(s.csrfMatches(s.csrf())).isTrue();
        assertThat(s.csrfMatches(null)).isFalse();
        assertThat(s.csrfMatches("")).isFalse();
        assertThat(s.csrfMatches(sessions.open("alice", true).session().csrf())).isFalse();
        assertThat(s.toString()).doesNotContain(s.csrf());
    }

    @Test
    void cookies_are_not_repeated() {
        Set<String> seen = new HashSet<>();
        ConsoleSessions many = new ConsoleSessions(clock, Duration.ofMinutes(1), Duration.ofMinutes(2), 10);
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(many.open("u", false).cookie())).isTrue();
        }
    }

    @Test
    void nonsense_limits_are_refused() {
        assertThatThrownBy(() -> new ConsoleSessions(clock, Duration.ZERO, Duration.ofHours(1), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConsoleSessions(clock, Duration.ofMinutes(1), Duration.ofHours(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
