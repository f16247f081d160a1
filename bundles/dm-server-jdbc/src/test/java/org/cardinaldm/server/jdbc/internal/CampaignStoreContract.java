package org.cardinaldm.server.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.cardinaldm.fumo.server.api.Campaign;
import org.cardinaldm.fumo.server.api.CampaignDevice;
import org.cardinaldm.fumo.server.api.CampaignPackage;
import org.cardinaldm.fumo.server.api.CampaignSpec;
import org.cardinaldm.fumo.server.api.CampaignState;
import org.cardinaldm.fumo.server.api.DeviceFilter;
import org.cardinaldm.fumo.server.api.DeviceUpdateState;
import org.cardinaldm.fumo.server.api.MaintenanceWindow;
import org.cardinaldm.fumo.server.api.WaveSize;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the campaign store must do on every database; subclasses supply the database. */
abstract class CampaignStoreContract {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    ConnectionPool pool;
    JdbcCampaignStore store;
    JdbcServerStore registry;

    abstract ConnectionPool newPool();

    abstract void wipe();

    @BeforeEach
    void open() {
        wipe();
        pool = newPool();
        registry = JdbcServerStore.open(pool);
        store = JdbcCampaignStore.open(pool);
    }

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
    }

    static Campaign campaign(List<Integer> waves) {
        MaintenanceWindow window = new MaintenanceWindow(EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY),
                LocalTime.of(22, 0), LocalTime.of(5, 30), ZoneId.of("Europe/Paris"));
        CampaignSpec spec = new CampaignSpec("eu roll-out", "fw-2.bin", new DeviceFilter("Acme", "X1", "1.0", true,
                Set.of("eu", "pilot"), Set.of("d1", "d2")), WaveSize.parseList("1,25%"), 80, 10, window, "Modem", true,
                "Update now?");
        CampaignPackage pkg = new CampaignPackage("fw-2.bin", "gw", "2.0", 5L, 1_048_576, "ab".repeat(32),
                "https://dm.example.com:8443/packages/fw-2.bin");
        return new Campaign(0, spec, pkg, CampaignState.CREATED, null, waves, -1, -1, T0, T0, 0);
    }

    static List<CampaignDevice> devices(int n, int perWave) {
        List<CampaignDevice> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new CampaignDevice(0, String.format("d%04d", i), i / perWave, DeviceUpdateState.QUEUED, null, null,
                    null, null, T0));
        }
        return out;
    }

    @Test
    void a_campaign_is_stored_with_every_field_and_ids_grow() {
        Campaign a = store.insertCampaign(campaign(List.of(2, 3)), devices(5, 2));
        Campaign b = store.insertCampaign(campaign(List.of(1)), devices(1, 1));

        assertThat(b.id()).isGreaterThan(a.id());
        assertThat(store.campaign(a.id())).contains(a);
        assertThat(store.campaigns()).extracting(Campaign::id).containsExactly(b.id(), a.id());
        assertThat(store.campaign(999)).isEmpty();
        Campaign simple = new Campaign(0, CampaignSpec.simple("s", "f", DeviceFilter.all()), new CampaignPackage("f",
                "n", "v", null, 1, "00", "u"), CampaignState.CREATED, null, List.of(1), -1, -1, T0, T0, 0);
        Campaign stored = store.insertCampaign(simple, devices(1, 1));
        assertThat(store.campaign(stored.id())).contains(stored);
    }

    @Test
    void a_campaign_changes_only_from_the_version_read() {
        Campaign a = store.insertCampaign(campaign(List.of(2)), devices(2, 2));
        Campaign running = a.with(CampaignState.RUNNING, null, T0.plusSeconds(1)).withWaves(0, -1, T0.plusSeconds(1));
        Campaign next = new Campaign(a.id(), running.spec(), running.pkg(), running.state(), running.reason(),
                running.waveSizes(), 0, -1, a.created(), running.updated(), a.version() + 1);

        assertThat(store.updateCampaign(next)).isTrue();
        assertThat(store.updateCampaign(next)).as("a second writer from the same version loses").isFalse();
        assertThat(store.campaign(a.id()).orElseThrow().state()).isEqualTo(CampaignState.RUNNING);
        assertThat(store.campaign(a.id()).orElseThrow().currentWave()).isZero();
    }

    @Test
    void devices_are_listed_counted_claimed_and_updated_from_their_state() {
        Campaign a = store.insertCampaign(campaign(List.of(2, 2, 1)), devices(5, 2));

        List<CampaignDevice> claimed = store.claimQueued(a.id(), 0, "node-a", 10, T0.plusSeconds(5));
        assertThat(claimed).extracting(CampaignDevice::deviceId).containsExactly("d0000", "d0001");
        assertThat(store.claimQueued(a.id(), 0, "node-b", 10, T0)).as("wave 0 is taken").isEmpty();

        CampaignDevice started = claimed.get(0).with(DeviceUpdateState.NOTIFIED, 42L, null, null, T0.plusSeconds(6));
        assertThat(store.updateDevice(started, DeviceUpdateState.STARTING)).isTrue();
        assertThat(store.updateDevice(started, DeviceUpdateState.STARTING)).isFalse();
        CampaignDevice failed = started.with(DeviceUpdateState.FAILED, 42L, 410, "firmware update failed", T0);
        assertThat(store.updateDevice(failed, DeviceUpdateState.NOTIFIED)).isTrue();

        assertThat(store.devices(a.id(), Set.of(DeviceUpdateState.FAILED), 10)).singleElement()
                .satisfies(d -> {
                    assertThat(d.jobId()).isEqualTo(42L);
                    assertThat(d.resultCode()).isEqualTo(410);
                    assertThat(d.owner()).isEqualTo("node-a");
                });
        assertThat(store.devices(a.id(), Set.of(), 3)).extracting(CampaignDevice::deviceId)
                .containsExactly("d0000", "d0001", "d0002");
        assertThat(store.counts(a.id())).isEqualTo(Map.of(0, Map.of(DeviceUpdateState.FAILED, 1,
                DeviceUpdateState.STARTING, 1), 1, Map.of(DeviceUpdateState.QUEUED, 2), 2,
                Map.of(DeviceUpdateState.QUEUED, 1)));

        assertThat(store.cancelQueued(a.id(), T0)).isEqualTo(3);
        assertThat(store.claimQueued(a.id(), 2, "node-a", 10, T0)).isEmpty();
    }

    @Test
    void the_last_success_of_a_device_is_found_across_campaigns() {
        Campaign a = store.insertCampaign(campaign(List.of(1)), devices(1, 1));
        Campaign b = store.insertCampaign(campaign(List.of(1)), devices(1, 1));
        for (Campaign c : List.of(a, b)) {
            CampaignDevice d = store.claimQueued(c.id(), 0, "n", 1, T0).get(0);
            store.updateDevice(d.with(DeviceUpdateState.SUCCEEDED, 1L, 200, null,
                    T0.plusSeconds(c == a ? 10 : 20)), DeviceUpdateState.STARTING);
        }
        assertThat(store.lastSuccess("d0000").orElseThrow().campaignId()).isEqualTo(b.id());
        assertThat(store.lastSuccess("nobody")).isEmpty();
    }

    @Test
    void tags_belong_to_registered_devices_and_go_with_them() {
        registry.insertDevice(StoreContract.device("a"));
        registry.insertDevice(StoreContract.device("b"));
        store.setTags("a", Set.of("pilot", "eu"));
        store.setTags("b", Set.of("eu"));

        assertThat(store.tags("a")).containsExactly("eu", "pilot");
        assertThat(store.allTags()).isEqualTo(Map.of("a", Set.of("eu", "pilot"), "b", Set.of("eu")));
        store.setTags("a", Set.of());
        assertThat(store.tags("a")).isEmpty();
        registry.deleteDevice("b");
        assertThat(store.allTags()).isEmpty();
    }

    @Test
    void campaigns_survive_a_restart_of_the_store() {
        Campaign a = store.insertCampaign(campaign(List.of(3)), devices(3, 3));
        store.claimQueued(a.id(), 0, "node-a", 1, T0);
        pool.close();

        pool = newPool();
        JdbcServerStore.open(pool);
        JdbcCampaignStore again = JdbcCampaignStore.open(pool);
        assertThat(again.campaign(a.id())).contains(a);
        assertThat(again.counts(a.id())).isEqualTo(Map.of(0, Map.of(DeviceUpdateState.STARTING, 1,
                DeviceUpdateState.QUEUED, 2)));
    }

    @Test
    void two_nodes_claiming_at_once_never_claim_one_device_twice() throws Exception {
        Campaign a = store.insertCampaign(campaign(List.of(300)), devices(300, 300));
        ConnectionPool other = newPool();
        JdbcCampaignStore nodeB = JdbcCampaignStore.open(other);
        ExecutorService ex = Executors.newFixedThreadPool(4);
        try {
            List<Callable<List<CampaignDevice>>> work = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                JdbcCampaignStore s = i % 2 == 0 ? store : nodeB;
                String owner = "node-" + i;
                work.add(() -> {
                    List<CampaignDevice> mine = new ArrayList<>();
                    List<CampaignDevice> got;
                    do {
                        got = s.claimQueued(a.id(), 0, owner, 7, T0);
                        mine.addAll(got);
                    } while (!got.isEmpty());
                    return mine;
                });
            }
            List<String> all = new ArrayList<>();
            for (Future<List<CampaignDevice>> f : ex.invokeAll(work)) {
                f.get().forEach(d -> all.add(d.deviceId()));
            }
            assertThat(all).hasSize(300).doesNotHaveDuplicates();
        } finally {
            ex.shutdownNow();
            other.close();
        }
    }
}
