package org.cardinaldm.server.shell.internal;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.cardinaldm.fumo.server.api.Campaign;
import org.cardinaldm.fumo.server.api.CampaignDevice;
import org.cardinaldm.fumo.server.api.CampaignPackage;
import org.cardinaldm.fumo.server.api.CampaignProgress;
import org.cardinaldm.fumo.server.api.CampaignService;
import org.cardinaldm.fumo.server.api.CampaignSpec;
import org.cardinaldm.fumo.server.api.CampaignState;
import org.cardinaldm.fumo.server.api.DeviceFilter;
import org.cardinaldm.fumo.server.api.DeviceTags;
import org.cardinaldm.fumo.server.api.DeviceUpdateState;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.server.packages.api.PackageCatalog;
import org.cardinaldm.server.packages.api.PackageRejectedException;
import org.cardinaldm.server.packages.api.PublishedPackage;

/** Fakes of the services the {@code dms:fumo-*} and {@code dms:device-tag} commands use, recording their calls. */
final class FumoFakes {
    static final Instant T = Instant.parse("2026-12-07T10:00:00Z");

    private FumoFakes() {
    }

    /** Captures what a command prints. */
    static final class Out {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** Campaigns kept in a map; the state rules of the real engine, in short. */
    static final class Campaigns implements CampaignService {
        final Map<Long, Campaign> campaigns = new TreeMap<>();
        final Map<Long, List<CampaignDevice>> devices = new TreeMap<>();
        final List<String> calls = new ArrayList<>();
        final List<String> matching = new ArrayList<>(List.of("IMEI:1", "IMEI:2"));
        CampaignSpec created;
        int rollbackRefused;

        Campaign add(long id, CampaignState state, String reason, List<CampaignDevice> rows) {
            CampaignSpec spec = CampaignSpec.simple("wave test", "fw-2.bin", DeviceFilter.all());
            Campaign c = new Campaign(id, spec, new CampaignPackage("fw-2.bin", "gw", "2.0.0", 2L, 10, "ab".repeat(32),
                    "https://dm.example.com/packages/fw-2.bin"), state, reason, List.of(rows.size()), 0, -1, T, T, 0);
            campaigns.put(id, c);
            devices.put(id, rows);
            return c;
        }

        @Override
        public Campaign create(CampaignSpec spec) {
            calls.add("create");
            if (!spec.packageFile().equals("fw-2.bin")) {
                throw new IllegalArgumentException("no published package " + spec.packageFile());
            }
            created = spec;
            List<CampaignDevice> rows = new ArrayList<>();
            for (int i = 0; i < matching.size(); i++) {
                rows.add(new CampaignDevice(1, matching.get(i), 0, i < rollbackRefused
                        ? DeviceUpdateState.ROLLBACK_REFUSED : DeviceUpdateState.QUEUED, null, null, null, null, T));
            }
            return add(campaigns.size() + 1L, CampaignState.CREATED, null, rows);
        }

        @Override
        public List<Campaign> campaigns() {
            return List.copyOf(campaigns.values());
        }

        @Override
        public Optional<Campaign> campaign(long id) {
            return Optional.ofNullable(campaigns.get(id));
        }

        private Campaign move(String call, long id, CampaignState from, CampaignState to, String reason) {
            calls.add(call + " " + id);
            Campaign c = campaign(id).orElseThrow(() -> new IllegalArgumentException("no campaign " + id));
            if (c.state() != from) {
                throw new IllegalStateException("campaign " + id + " is " + c.state().name().toLowerCase());
            }
            Campaign next = c.with(to, reason, T);
            campaigns.put(id, next);
            return next;
        }

        @Override
        public Campaign start(long id) {
            return move("start", id, CampaignState.CREATED, CampaignState.RUNNING, null);
        }

        @Override
        public Campaign pause(long id) {
            return move("pause", id, CampaignState.RUNNING, CampaignState.PAUSED, "paused by an operator");
        }

        @Override
        public Campaign resume(long id) {
            return move("resume", id, CampaignState.PAUSED, CampaignState.RUNNING, null);
        }

        @Override
        public Campaign cancel(long id) {
            return move("cancel", id, CampaignState.RUNNING, CampaignState.CANCELLED, "cancelled by an operator");
        }

        @Override
        public CampaignProgress progress(long id) {
            Map<DeviceUpdateState, Integer> m = new TreeMap<>();
            for (CampaignDevice d : devices.get(id)) {
                m.merge(d.state(), 1, Integer::sum);
            }
            CampaignProgress.Counts w = new CampaignProgress.Counts(0, devices.get(id).size(), m);
            return new CampaignProgress(id, List.of(w), new CampaignProgress.Counts(-1, devices.get(id).size(), m));
        }

        @Override
        public List<CampaignDevice> devices(long id, Set<DeviceUpdateState> states, int limit) {
            return devices.get(id).stream().filter(d -> states.isEmpty() || states.contains(d.state())).limit(limit)
                    .toList();
        }

        @Override
        public List<String> preview(DeviceFilter filter, int limit) {
            calls.add("preview " + filter);
            return matching.stream().limit(limit).toList();
        }

        @Override
        public int advance() {
            return 0;
        }
    }

    /** Tags in a map; only {@code IMEI:1} is registered. */
    static final class Tags implements DeviceTags {
        final Map<String, Set<String>> tags = new TreeMap<>();

        @Override
        public Set<String> tags(String deviceId) {
            return tags.getOrDefault(deviceId, Set.of());
        }

        @Override
        public Set<String> add(String deviceId, Collection<String> added) {
            if (!deviceId.equals("IMEI:1")) {
                throw new IllegalArgumentException("no device " + deviceId + " is registered");
            }
            Set<String> next = new TreeSet<>(tags(deviceId));
            for (String t : added) {
                next.add(DeviceFilter.requireTag(t));
            }
            tags.put(deviceId, next);
            return next;
        }

        @Override
        public Set<String> remove(String deviceId, Collection<String> removed) {
            Set<String> next = new TreeSet<>(tags(deviceId));
            next.removeAll(removed);
            tags.put(deviceId, next);
            return next;
        }

        @Override
        public List<String> devicesWith(String tag) {
            return List.of();
        }
    }

    /** A catalogue with one firmware and one application package; publishing refuses a manifest "bad". */
    static final class Catalog implements PackageCatalog {
        final List<PublishedPackage> packages = new ArrayList<>(List.of(
                pkg("fw-2.bin", PackageKind.FIRMWARE, OptionalLong.of(2)),
                pkg("meter.jar", PackageKind.APPLICATION, OptionalLong.empty())));
        final List<String> published = new ArrayList<>();

        static PublishedPackage pkg(String file, PackageKind kind, OptionalLong counter) {
            return new PublishedPackage(file, kind, "name-" + file, "2.0.0", List.of("Cardinal/GW-1"), counter, 1234,
                    "0123456789abcdef".repeat(4), "cd".repeat(32), T);
        }

        @Override
        public List<PublishedPackage> list() {
            return List.copyOf(packages);
        }

        @Override
        public Optional<PublishedPackage> find(String fileName) {
            return packages.stream().filter(p -> p.fileName().equals(fileName)).findFirst();
        }

        @Override
        public PublishedPackage publish(String fileName, InputStream payload, byte[] signedManifest, boolean replace)
                throws PackageRejectedException {
            if (new String(signedManifest, StandardCharsets.UTF_8).equals("bad")) {
                throw new PackageRejectedException("the manifest's signer is not trusted");
            }
            published.add(fileName + (replace ? " (replace)" : ""));
            return pkg(fileName, PackageKind.FIRMWARE, OptionalLong.of(3));
        }

        @Override
        public boolean remove(String fileName) {
            return false;
        }

        @Override
        public String path() {
            return "/packages";
        }
    }
}
