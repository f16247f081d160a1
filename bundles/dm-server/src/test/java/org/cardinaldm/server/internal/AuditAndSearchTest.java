package org.cardinaldm.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.DevicePage;
import org.cardinaldm.server.api.DeviceSearch;
import org.cardinaldm.server.api.DeviceState;
import org.cardinaldm.server.api.FleetStats;
import org.cardinaldm.server.api.audit.AuditEntry;
import org.cardinaldm.server.api.spi.DeviceRecord;
import org.cardinaldm.server.internal.store.InMemoryServerStore;
import org.cardinaldm.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** The registry's search and figures on a store without SQL, and the audit trail with its retention. */
class AuditAndSearchTest {
    private static final Instant NOW = Instant.parse("2026-06-01T10:15:00Z");
    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryServerStore store = new InMemoryServerStore();
    private final Registry registry = new Registry(store, ServerConfig.DEFAULT, clock, new SecureRandom());

    private void device(String id, Map<String, String> info, Instant last, Instant lockedUntil, boolean enabled) {
        store.insertDevice(new DeviceRecord(id, null, info, last, last, AuthScheme.MD5, id, "ZA==", null,
                AuthScheme.MD5, "cardinal", "ZA==", null, null, enabled, 0, 0, lockedUntil, null));
    }

    @Test
    void search_pages_by_devid_filters_by_state_on_the_registry_clock_and_matches_maker_model_firmware() {
        device("A", Map.of("./DevInfo/Man", "Acme"), NOW.minusSeconds(30), null, true);
        device("B", Map.of("./DevInfo/Mod", "Gateway-X"), null, null, true);
        device("C", Map.of("./DevDetail/FwV", " ", "./DevInfo/FwV", "3.1.4"), NOW, NOW.plusSeconds(60), true);
        device("D", Map.of("./DevInfo/Lang", "acme"), NOW, null, false);
        device("E", Map.of(), NOW.minusSeconds(7200), NOW.minusSeconds(1), true);
        DevicePage first = registry.search("", null, null, 2);
        assertThat(first.devices()).extracting(d -> d.deviceId()).containsExactly("A", "B");
        assertThat(first.next()).isEqualTo("B");
        assertThat(first.total()).isEqualTo(5);
        DevicePage last = registry.search(null, null, "D", 2);
        assertThat(last.devices()).extracting(d -> d.deviceId()).containsExactly("E");
        assertThat(last.next()).isNull();
        assertThat(registry.search("ACME", null, null, 10).devices()).extracting(d -> d.deviceId())
                .containsExactly("A"); // ./DevInfo/Lang is not searched
        assertThat(registry.search("3.1", null, null, 10).devices()).extracting(d -> d.deviceId()).containsExactly("C");
        assertThat(registry.search("gateway-x", null, null, 10).devices()).hasSize(1);
        assertThat(registry.search("", DeviceState.LOCKED, null, 10).devices()).extracting(d -> d.deviceId())
                .containsExactly("C");
        clock.advance(Duration.ofMinutes(2)); // C's lock-out ends on the registry's clock
        assertThat(registry.search("", DeviceState.LOCKED, null, 10).devices()).isEmpty();
        assertThat(registry.search("", DeviceState.ACTIVE, null, 10).devices()).extracting(d -> d.deviceId())
                .containsExactly("A", "C", "E");
    }

    @Test
    void search_and_figures_refuse_arguments_out_of_bounds() {
        for (Runnable bad : List.<Runnable>of(() -> registry.search("", null, null, 0),
                () -> registry.search("", null, null, DeviceSearch.MAX_PAGE + 1),
                () -> registry.search("x".repeat(DeviceSearch.MAX_TEXT + 1), null, null, 10),
                () -> registry.search("", null, "x".repeat(DeviceSearch.MAX_TEXT + 1), 10),
                () -> registry.fleetStats(0), () -> registry.fleetStats(DeviceSearch.MAX_HOURS + 1))) {
            assertThatThrownBy(bad::run).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void figures_count_states_and_last_contacts_per_hour_oldest_first() {
        device("A", Map.of(), NOW.minusSeconds(30), null, true);          // this hour
        device("B", Map.of(), null, null, true);                          // new
        device("C", Map.of(), NOW.minusSeconds(3 * 3600), NOW.plusSeconds(60), true); // locked, 3 h ago
        device("D", Map.of(), NOW.minusSeconds(5 * 3600), null, false);   // disabled, outside a 3 h window
        FleetStats s = registry.fleetStats(4);
        assertThat(s.states()).containsEntry(DeviceState.ACTIVE, 1L).containsEntry(DeviceState.NEW, 1L)
                .containsEntry(DeviceState.LOCKED, 1L).containsEntry(DeviceState.DISABLED, 1L);
        assertThat(s.firstHour()).isEqualTo(Instant.parse("2026-06-01T07:00:00Z"));
        assertThat(s.seenPerHour()).containsExactly(1L, 0L, 0L, 1L);
        assertThat(s.total()).isEqualTo(4);
    }

    @Test
    void the_trail_stores_lists_in_pages_and_enforces_age_and_rows() {
        AuditTrail trail = new AuditTrail(store, clock, Duration.ofDays(1), 3, 2);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(trail.record("alice", AuditEntry.Channel.SHELL, "dms:device-unlock", "IMEI:" + i, "ok", null).id());
            clock.advance(Duration.ofHours(12));
        }
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        // the second record pruned: nothing older than a day then
        assertThat(trail.list(0, 10)).extracting(AuditEntry::target).containsExactly("IMEI:2", "IMEI:1", "IMEI:0");
        clock.advance(Duration.ofHours(1)); // IMEI:0 is now 37 h old, IMEI:1 25 h
        assertThat(trail.prune()).isEqualTo(2);
        for (int i = 3; i < 8; i++) {
            trail.record("bob", AuditEntry.Channel.REST, "POST /devices", "IMEI:" + i, "201 Created", "10.0.0.1");
        }
        assertThat(trail.list(0, 10)).hasSizeLessThanOrEqualTo(3 + 1).first()
                .satisfies(e -> assertThat(e.target()).isEqualTo("IMEI:7"));
        trail.prune();
        List<AuditEntry> kept = trail.list(0, 10);
        assertThat(kept).extracting(AuditEntry::target).containsExactly("IMEI:7", "IMEI:6", "IMEI:5");
        assertThat(trail.list(kept.get(1).id(), 10)).extracting(AuditEntry::target).containsExactly("IMEI:5");
    }

    @Test
    void the_trail_refuses_bad_listing_and_bad_retention() {
        AuditTrail trail = new AuditTrail(store, clock, null, 0, 1);
        assertThat(trail.prune()).isZero();
        for (Runnable bad : List.<Runnable>of(() -> trail.list(-1, 10), () -> trail.list(0, 0),
                () -> trail.list(0, 501), () -> new AuditTrail(store, clock, Duration.ofDays(-1), 0, 1),
                () -> new AuditTrail(store, clock, null, -5, 1))) {
            assertThatThrownBy(bad::run).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void an_entry_bounds_its_texts_and_replaces_control_characters() {
        AuditEntry e = new AuditEntry(0, NOW, "", AuditEntry.Channel.CONSOLE, "x\r\ny\u2028" + "z".repeat(600), null,
                null, "1.2.3.4");
        assertThat(e.user()).isEqualTo("-");
        assertThat(e.action()).hasSize(AuditEntry.MAX_ACTION).startsWith("x??y?zzz").endsWith("…");
        assertThat(e.outcome()).isEmpty();
        assertThat(e.withId(9)).isEqualTo(new AuditEntry(9, NOW, "-", AuditEntry.Channel.CONSOLE, e.action(), null,
                "", "1.2.3.4"));
    }
}
