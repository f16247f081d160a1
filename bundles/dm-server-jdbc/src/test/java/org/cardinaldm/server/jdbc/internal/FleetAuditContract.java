package org.cardinaldm.server.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.DeviceSearch;
import org.cardinaldm.server.api.DeviceState;
import org.cardinaldm.server.api.FleetStats;
import org.cardinaldm.server.api.audit.AuditEntry;
import org.cardinaldm.server.api.spi.DeviceRecord;
import org.cardinaldm.server.api.spi.ServerStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fleet search, the figures and the audit log of schema version 5, on each database: the SQL answers what
 * the whole-registry default of {@link ServerStore} answers for the same devices.
 */
abstract class FleetAuditContract {
    static final Instant NOW = Instant.parse("2026-03-01T12:30:00Z");

    ConnectionPool pool;
    JdbcServerStore store;
    /** The same devices behind the SPI's defaults (what the whole-registry read computes). */
    final ServerStore baseline = new ServerStore() {
        @Override
        public List<DeviceRecord> devices() {
            return store.devices();
        }

        // the rest is not used by the defaults under test
        @Override public java.util.Optional<DeviceRecord> device(String id) { throw new UnsupportedOperationException(); }
        @Override public boolean insertDevice(DeviceRecord r) { throw new UnsupportedOperationException(); }
        @Override public java.util.Optional<DeviceRecord> updateDevice(String id,
                java.util.function.UnaryOperator<DeviceRecord> c) { throw new UnsupportedOperationException(); }
        @Override public boolean deleteDevice(String id) { throw new UnsupportedOperationException(); }
        @Override public org.cardinaldm.server.api.Job createJob(String d, String s,
                List<org.cardinaldm.server.api.Operation> o, Instant n) { throw new UnsupportedOperationException(); }
        @Override public java.util.Optional<org.cardinaldm.server.api.Job> job(long id) { throw new UnsupportedOperationException(); }
        @Override public List<org.cardinaldm.server.api.Job> jobs(String d, int l) { throw new UnsupportedOperationException(); }
        @Override public List<org.cardinaldm.server.api.Job> claimJobs(String d, String o, int m, Instant n) { throw new UnsupportedOperationException(); }
        @Override public boolean releaseJob(long j, String o, Instant n) { throw new UnsupportedOperationException(); }
        @Override public void recordResult(org.cardinaldm.server.api.OperationResult r) { throw new UnsupportedOperationException(); }
        @Override public boolean transitionJob(long j, org.cardinaldm.server.api.JobState e,
                org.cardinaldm.server.api.JobState s, Instant n) { throw new UnsupportedOperationException(); }
        @Override public int interruptStaleClaims(Instant c, Instant n) { throw new UnsupportedOperationException(); }
        @Override public void recordAlert(org.cardinaldm.server.api.DeviceAlert a) { throw new UnsupportedOperationException(); }
        @Override public List<org.cardinaldm.server.api.DeviceAlert> alerts(String d, int l) { throw new UnsupportedOperationException(); }
    };

    abstract ConnectionPool newPool();

    abstract void wipe();

    @BeforeEach
    void open() {
        wipe();
        pool = newPool();
        store = JdbcServerStore.open(pool);
    }

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
    }

    /** A device with the given reported values, last contact, lock-out and enablement. */
    static DeviceRecord device(String id, String card, Map<String, String> info, Instant last, Instant lockedUntil,
            boolean enabled) {
        return new DeviceRecord(id, card, info, last == null ? null : last.minusSeconds(3600), last, AuthScheme.MD5,
                "u-" + id, "ZGlnZXN0Y2xpZW50PT0=", "bm9uY2U=", AuthScheme.MD5, "cardinal", "ZGlnZXN0c2VydmVyPT0=",
                null, null, enabled, 0, 0, lockedUntil, null);
    }

    /** Forty devices in every state, with manufacturers, models and firmware versions in several places. */
    void fleet() {
        for (int i = 0; i < 40; i++) {
            Map<String, String> info = new HashMap<>();
            info.put("./DevInfo/Man", i % 2 == 0 ? "Acme Corp" : "Globex");
            info.put("./DevInfo/Mod", "Model-" + (i % 5));
            if (i % 3 == 0) {
                info.put("./DevDetail/FwV", "2.0." + i);
            } else if (i % 3 == 1) {
                info.put("./DevDetail/FwV", " ");
                info.put("./DevInfo/FwV", "1.9." + i);
            }
            info.put("./DevInfo/Lang", "needle-only-in-lang");
            Instant last = i % 4 == 0 ? null : NOW.minusSeconds(600L * i);
            Instant locked = i % 7 == 0 ? NOW.plusSeconds(60) : i % 7 == 1 ? NOW.minusSeconds(60) : null;
            String id = String.format("IMEI:%05d%s", i, i % 6 == 0 ? "_x%" : "");
            assertThat(store.insertDevice(device(id, i % 5 == 0 ? "CARD-" + i : null, info, last, locked,
                    i % 9 != 0))).isTrue();
        }
    }

    private List<String> ids(List<DeviceRecord> records) {
        return records.stream().map(DeviceRecord::deviceId).toList();
    }

    @Test
    void search_in_sql_answers_what_the_whole_registry_read_answers() {
        fleet();
        for (String q : List.of("", "acme", "GLOBEX", "model-3", "2.0.1", "1.9.", "card-1", "imei:0001", "_x%",
                "%", "_", "\\", "needle-only-in-lang", "no such thing")) {
            for (DeviceState state : new DeviceState[] {null, DeviceState.NEW, DeviceState.ACTIVE, DeviceState.LOCKED,
                DeviceState.DISABLED}) {
                String needle = DeviceSearch.normalise(q);
                assertThat(ids(store.searchDevices(needle, state, null, 500, NOW)))
                        .as("q=%s state=%s", q, state)
                        .isEqualTo(ids(baseline.searchDevices(needle, state, null, 500, NOW)));
            }
        }
        assertThat(store.searchDevices("needle-only-in-lang", null, null, 500, NOW)).isEmpty();
        assertThat(store.searchDevices("_x%", null, null, 500, NOW)).hasSize(7);
    }

    @Test
    void keyset_pages_cover_the_fleet_once_in_devid_order_with_their_reported_values() {
        fleet();
        List<String> seen = new ArrayList<>();
        String after = null;
        for (int guard = 0; guard < 100; guard++) {
            List<DeviceRecord> page = store.searchDevices("acme", null, after, 7, NOW);
            for (DeviceRecord r : page) {
                assertThat(r.devInfo()).containsEntry("./DevInfo/Man", "Acme Corp");
                assertThat(r.clientDigest()).isEqualTo("ZGlnZXN0Y2xpZW50PT0="); // secrets opened as by device()
            }
            seen.addAll(ids(page));
            if (page.size() < 7) {
                break;
            }
            after = page.get(page.size() - 1).deviceId();
        }
        assertThat(seen).hasSize(20).isSorted().doesNotHaveDuplicates();
        assertThat(store.countDevices()).isEqualTo(40);
    }

    @Test
    void the_search_copies_follow_updates_of_the_reported_values() {
        fleet();
        store.updateDevice("IMEI:00002", r -> r.toBuilder().devInfo(Map.of("./DevInfo/Man", "Initech",
                "./DevDetail/SwV", "9.9.9")).build());
        assertThat(ids(store.searchDevices("initech", null, null, 10, NOW))).containsExactly("IMEI:00002");
        assertThat(ids(store.searchDevices("9.9.9", null, null, 10, NOW))).containsExactly("IMEI:00002");
        assertThat(ids(store.searchDevices("model-2", null, null, 50, NOW))).doesNotContain("IMEI:00002");
    }

    @Test
    void figures_in_sql_equal_the_whole_registry_figures() {
        fleet();
        for (int hours : new int[] {1, 3, 24, DeviceSearch.MAX_HOURS}) {
            FleetStats sql = store.fleetStats(NOW, hours);
            assertThat(sql).isEqualTo(baseline.fleetStats(NOW, hours));
            assertThat(sql.total()).isEqualTo(40);
        }
        FleetStats day = store.fleetStats(NOW, 24);
        assertThat(day.states().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(40);
        assertThat(day.seenPerHour().stream().mapToLong(Long::longValue).sum()).isPositive();
    }

    @Test
    void an_empty_registry_has_zero_figures_and_no_page() {
        FleetStats s = store.fleetStats(NOW, 24);
        assertThat(s.total()).isZero();
        assertThat(s.states()).containsOnlyKeys(DeviceState.values()).allSatisfy((k, v) -> assertThat(v).isZero());
        assertThat(s.seenPerHour()).hasSize(24).containsOnly(0L);
        assertThat(store.searchDevices("", null, null, 10, NOW)).isEmpty();
    }

    @Test
    void migration_5_fills_the_search_copies_of_devices_registered_before_it() throws Exception {
        fleet();
        try (Connection c = pool.borrow(); Statement st = c.createStatement()) {
            st.execute("UPDATE cdm_device SET search_man = NULL, search_mod = NULL, search_fwv = NULL");
            for (String sql : Migrations.statements(Migrations.load("V005__fleet_search_audit.sql"), store.dialect())) {
                if (sql.startsWith("UPDATE")) {
                    st.execute(sql);
                }
            }
        }
        String needle = DeviceSearch.normalise("1.9.");
        assertThat(ids(store.searchDevices(needle, null, null, 500, NOW)))
                .isEqualTo(ids(baseline.searchDevices(needle, null, null, 500, NOW))).isNotEmpty();
        assertThat(ids(store.searchDevices("acme", null, null, 500, NOW))).hasSize(20);
    }

    // ------------------------------------------------------------------ audit log

    static AuditEntry entry(Instant at, String action) {
        return new AuditEntry(0, at, "admin", AuditEntry.Channel.REST, action, "IMEI:1", "201 Created", "127.0.0.1");
    }

    @Test
    void audit_entries_come_back_newest_first_in_pages_with_every_field() {
        List<Long> idsInOrder = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            idsInOrder.add(store.insertAudit(entry(NOW.plusSeconds(i), "POST /devices/IMEI:1/jobs #" + i)));
        }
        assertThat(idsInOrder).isSorted().doesNotHaveDuplicates();
        List<AuditEntry> first = store.auditEntries(0, 3);
        assertThat(first).extracting(AuditEntry::action).containsExactly("POST /devices/IMEI:1/jobs #4",
                "POST /devices/IMEI:1/jobs #3", "POST /devices/IMEI:1/jobs #2");
        assertThat(first.get(0)).isEqualTo(entry(NOW.plusSeconds(4), "POST /devices/IMEI:1/jobs #4")
                .withId(idsInOrder.get(4)));
        assertThat(store.auditEntries(first.get(2).id(), 3)).extracting(AuditEntry::action)
                .containsExactly("POST /devices/IMEI:1/jobs #1", "POST /devices/IMEI:1/jobs #0");
        assertThat(store.auditEntries(0, 0)).isEmpty();
    }

    @Test
    void audit_retention_removes_old_entries_and_keeps_the_newest_rows() {
        for (int i = 0; i < 10; i++) {
            store.insertAudit(entry(NOW.plusSeconds(60L * i), "action " + i));
        }
        assertThat(store.pruneAudit(NOW.plusSeconds(120), 0)).isEqualTo(2);
        assertThat(store.pruneAudit(null, 5)).isEqualTo(3);
        assertThat(store.auditEntries(0, 100)).extracting(AuditEntry::action)
                .containsExactly("action 9", "action 8", "action 7", "action 6", "action 5");
        assertThat(store.pruneAudit(null, 5)).isZero();
        assertThat(store.pruneAudit(null, 0)).isZero();
    }

    @Test
    void hostile_audit_texts_are_bounded_and_stored_as_text() {
        String huge = "x".repeat(10_000);
        long id = store.insertAudit(new AuditEntry(0, NOW, "eve\u001b[31m\n" + huge, AuditEntry.Channel.CONSOLE,
                "DELETE /devices/'; DROP TABLE cdm_audit; --" + huge, huge, huge, huge));
        AuditEntry back = store.auditEntries(0, 1).get(0);
        assertThat(back.id()).isEqualTo(id);
        assertThat(back.user()).hasSize(AuditEntry.MAX_USER).startsWith("eve?[31m?").endsWith("…");
        assertThat(back.action()).hasSize(AuditEntry.MAX_ACTION).startsWith("DELETE /devices/'; DROP TABLE");
        assertThat(back.outcome()).hasSize(AuditEntry.MAX_OUTCOME);
        assertThat(back.origin()).hasSize(AuditEntry.MAX_USER);
    }
}
