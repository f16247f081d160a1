package org.cardinaldm.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.cardinaldm.server.api.audit.AuditEntry;
import org.cardinaldm.server.api.audit.AuditLog;
import org.cardinaldm.server.api.audit.AuditQuery;
import org.cardinaldm.server.api.audit.AuditQueryStore;
import org.cardinaldm.server.api.spi.ServerStore;
import org.cardinaldm.server.internal.store.InMemoryServerStore;
import org.cardinaldm.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** The audit log's filters: what a query accepts, what it matches, and how the trail answers it. */
class AuditQueryTest {
    private static final Instant NOW = Instant.parse("2026-06-01T10:15:00Z");
    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryServerStore store = new InMemoryServerStore();

    private static AuditEntry entry(String user, String action, String target, Instant at) {
        return new AuditEntry(0, at, user, AuditEntry.Channel.REST, action, target, "ok", null);
    }

    @Test
    void a_query_refuses_hostile_or_out_of_bounds_filters_with_a_message_for_the_operator() {
        AuditQuery q = AuditQuery.newest();
        assertThatThrownBy(() -> q.withActor("eve\nadmin")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("actor must not contain control characters");
        assertThatThrownBy(() -> q.withAction("x\u2028y")).hasMessage("action must not contain control characters");
        assertThatThrownBy(() -> q.withTarget("x".repeat(AuditEntry.MAX_TARGET + 1)))
                .hasMessage("target must be at most 512 characters");
        assertThatThrownBy(() -> q.withActor("a".repeat(AuditEntry.MAX_USER + 1))).hasMessageContaining("actor");
        assertThatThrownBy(() -> q.between(NOW, NOW)).hasMessage("since must be before until");
        assertThatThrownBy(() -> q.between(NOW, NOW.minusSeconds(1))).hasMessage("since must be before until");
        assertThatThrownBy(() -> q.page(-1, 10)).hasMessage("after must be 0 or an entry's id");
        assertThatThrownBy(() -> q.page(0, 0)).hasMessage("limit must be 1 to 500");
        assertThatThrownBy(() -> q.page(0, AuditLog.MAX_LIST + 1)).hasMessage("limit must be 1 to 500");
        assertThat(q.page(7, AuditLog.MAX_LIST).limit()).isEqualTo(500);
        assertThat(q.between(null, NOW).until()).isEqualTo(NOW);
    }

    @Test
    void blank_filters_mean_any_and_texts_are_stripped() {
        AuditQuery q = AuditQuery.newest().withActor("  ").withAction("").withTarget(" IMEI:1 ");
        assertThat(q.actor()).isNull();
        assertThat(q.action()).isNull();
        assertThat(q.target()).isEqualTo("IMEI:1");
        assertThat(q.unfiltered()).isFalse();
        assertThat(AuditQuery.newest().page(42, 5).unfiltered()).isTrue();
    }

    @Test
    void filters_combine_actor_exactly_action_contained_ignoring_case_target_exactly_and_a_half_open_time_range() {
        AuditEntry e = entry("alice", "POST /devices/IMEI:1/jobs", "IMEI:1", NOW);
        AuditQuery any = AuditQuery.newest();
        assertThat(any.matches(e)).isTrue();
        assertThat(any.withActor("alice").matches(e)).isTrue();
        assertThat(any.withActor("Alice").matches(e)).isFalse();
        assertThat(any.withActor("ali").matches(e)).isFalse();
        assertThat(any.withAction("/JOBS").matches(e)).isTrue();
        assertThat(any.withAction("post /devices").matches(e)).isTrue();
        assertThat(any.withAction("%").matches(e)).isFalse();
        assertThat(any.withAction("_").matches(e)).isFalse();
        assertThat(any.withTarget("IMEI:1").matches(e)).isTrue();
        assertThat(any.withTarget("IMEI:").matches(e)).isFalse();
        assertThat(any.withTarget("IMEI:1").matches(entry("alice", "x", null, NOW))).isFalse();
        assertThat(any.between(NOW, null).matches(e)).isTrue();
        assertThat(any.between(null, NOW).matches(e)).isFalse();
        assertThat(any.between(NOW.minusSeconds(1), NOW.plusMillis(1)).matches(e)).isTrue();
        assertThat(any.withActor("alice").withAction("jobs").withTarget("IMEI:2").matches(e)).isFalse();
    }

    @Test
    void the_trail_filters_the_pages_of_a_store_without_queries_across_many_pages() {
        AuditTrail trail = new AuditTrail(store, clock, null, 0, 1000);
        List<Long> bobsJobs = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            boolean bob = i % 400 == 7;
            AuditEntry e = trail.record(bob ? "bob" : "alice", AuditEntry.Channel.SHELL,
                    bob ? "dms:job-add get ./DevInfo/Mod" : "dms:device-unlock", "IMEI:" + (i % 3), "ok", null);
            if (bob) {
                bobsJobs.add(0, e.id());
            }
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(bobsJobs).hasSize(3);
        // three matches, 400 entries apart, spread over three of the store's pages of 500
        assertThat(trail.list(AuditQuery.newest().withActor("bob"))).extracting(AuditEntry::id)
                .containsExactlyElementsOf(bobsJobs);
        List<AuditEntry> first = trail.list(AuditQuery.newest().withActor("bob").page(0, 2));
        assertThat(first).extracting(AuditEntry::id).containsExactlyElementsOf(bobsJobs.subList(0, 2));
        assertThat(trail.list(AuditQuery.newest().withActor("bob").page(first.get(1).id(), 2)))
                .extracting(AuditEntry::id).containsExactly(bobsJobs.get(2));
        assertThat(trail.list(AuditQuery.newest().withAction("JOB-ADD").withTarget("IMEI:1")))
                .extracting(AuditEntry::id).containsExactly(bobsJobs.get(2)); // i = 7, the oldest of bob's
        Instant tenth = NOW.plusSeconds(10);
        assertThat(trail.list(AuditQuery.newest().between(tenth, tenth.plusSeconds(3)).page(0, 500)))
                .extracting(AuditEntry::time).containsExactly(tenth.plusSeconds(2), tenth.plusSeconds(1), tenth);
        assertThat(trail.list(AuditQuery.newest().withActor("nobody"))).isEmpty();
    }

    @Test
    void a_store_that_answers_queries_itself_gets_them_and_unfiltered_pages_stay_plain_pages() {
        AtomicReference<AuditQuery> asked = new AtomicReference<>();
        AtomicInteger plainPages = new AtomicInteger();
        ServerStore queryingStore = (ServerStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServerStore.class, AuditQueryStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("queryAudit")) {
                        asked.set((AuditQuery) args[0]);
                        return List.of(entry("carol", "from the store", null, NOW).withId(5));
                    }
                    if (method.getName().equals("auditEntries")) {
                        plainPages.incrementAndGet();
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        AuditTrail trail = new AuditTrail(queryingStore, clock, null, 0, 1);
        AuditQuery q = AuditQuery.newest().withTarget("IMEI:9").page(77, 3);
        assertThat(trail.list(q)).extracting(AuditEntry::user).containsExactly("carol");
        assertThat(asked.get()).isEqualTo(q);
        assertThat(plainPages.get()).isZero();
        assertThat(trail.list(AuditQuery.newest().page(0, 3))).isEmpty();
        assertThat(plainPages.get()).isEqualTo(1);
    }
}
