package org.cardinaldm.fumo.server.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.cardinaldm.fumo.server.api.spi.CampaignStore;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.server.api.NotificationManager;
import org.cardinaldm.server.api.NotificationRecord;
import org.cardinaldm.server.api.NotificationState;
import org.cardinaldm.server.api.NotificationUi;
import org.cardinaldm.testing.MutableClock;

/** An engine on fakes: a registry of devices, jobs the test answers, a catalogue with fw-2.bin (counter 5). */
final class Rig {
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    final Fakes.Devices devices = new Fakes.Devices();
    final Fakes.Jobs jobs = new Fakes.Jobs(clock);
    final Fakes.HelpDesks helpDesk = new Fakes.HelpDesks(clock);
    final Fakes.Catalog catalog = new Fakes.Catalog().add("fw-2.bin", PackageKind.FIRMWARE, "2.0", 5L)
            .add("app.jar", PackageKind.APPLICATION, "1.0", null);
    final List<String> notified = new ArrayList<>();
    final CampaignStore store;

    Rig() {
        this(new InMemoryCampaignStore());
    }

    Rig(CampaignStore store) {
        this.store = store;
    }

    Rig devices(int n) {
        for (int i = 0; i < n; i++) {
            devices.add(Fakes.device(String.format("IMEI:%03d", i), "GW-1", "card-" + i, "udp:127.0.0.1:2948"));
        }
        return this;
    }

    CampaignEngine engine() {
        return engine("node-a", 500);
    }

    CampaignEngine engine(String node, int batch) {
        return Engines.engine(store, devices, jobs, helpDesk, catalog, () -> notifier, clock, node,
                "https://dm.example.com:8443/", batch, 120, Duration.ofMinutes(5), 100_000);
    }

    private final NotificationManager notifier = new NotificationManager() {
        @Override
        public NotificationRecord notify(String deviceId, NotificationUi ui) {
            notified.add(deviceId);
            return new NotificationRecord(deviceId, "1", "udp:127.0.0.1:2948", ui, clock.instant(), clock.instant(), 1,
                    NotificationState.SENT, null);
        }

        @Override
        public List<NotificationRecord> notifications(String deviceId, int limit) {
            return List.of();
        }
    };
}
