package org.cardinaldm.fumo.server.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

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
import org.cardinaldm.fumo.server.api.WaveSize;
import org.cardinaldm.fumo.server.api.spi.CampaignStore;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.server.api.Device;
import org.cardinaldm.server.api.DeviceManager;
import org.cardinaldm.server.api.HelpDesk;
import org.cardinaldm.server.api.JobManager;
import org.cardinaldm.server.api.NotificationManager;
import org.cardinaldm.server.packages.api.PackageCatalog;
import org.cardinaldm.server.packages.api.PublishedPackage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The campaign service in plain Java: creation (filter, waves, rollback pre-check), the operator's actions
 * (optimistic updates, retried when another node changed the campaign meanwhile), progress and device tags. The
 * rounds that move devices are {@link CampaignRounds}.
 */
public final class CampaignEngine implements CampaignService, DeviceTags {
    private static final Logger LOG = LoggerFactory.getLogger(CampaignEngine.class);
    /** The reason recorded when the error threshold pauses a campaign starts with this. */
    static final String ERROR_PAUSE = "error threshold";
    private static final int RETRIES = 8;

    private final CampaignStore store;
    private final DeviceManager devices;
    private final JobManager jobs;
    private final PackageCatalog catalog;
    private final Clock clock;
    private final EngineSettings settings;
    private final DeviceFacts facts;
    private final CampaignRounds rounds;

    /**
     * @param store the campaign store
     * @param devices the registry
     * @param jobs the jobs
     * @param helpDesk the help desk (what devices reported)
     * @param catalog the published packages
     * @param notifier the package-0 sender, or a supplier of null when there is none
     * @param clock the time
     * @param settings the settings
     */
    CampaignEngine(CampaignStore store, DeviceManager devices, JobManager jobs, HelpDesk helpDesk,
            PackageCatalog catalog, Supplier<NotificationManager> notifier, Clock clock, EngineSettings settings) {
        this.store = store;
        this.devices = devices;
        this.jobs = jobs;
        this.catalog = catalog;
        this.clock = clock;
        this.settings = settings;
        this.facts = new DeviceFacts(helpDesk, store, store::campaign);
        this.rounds = new CampaignRounds(store, devices, jobs, notifier, facts, clock, settings);
    }

    @Override
    public Campaign create(CampaignSpec spec) {
        PublishedPackage p = catalog.find(spec.packageFile()).orElseThrow(() -> new IllegalArgumentException(
                "no published package " + spec.packageFile() + " (see dms:fumo-packages)"));
        if (p.kind() != PackageKind.FIRMWARE) {
            throw new IllegalArgumentException(spec.packageFile() + " is an application package, not firmware");
        }
        CampaignPackage pkg = new CampaignPackage(p.fileName(), p.name(), p.version(),
                p.securityCounter().isPresent() ? p.securityCounter().getAsLong() : null, p.length(), p.sha256Hex(),
                url(catalog.path(), p.fileName()));
        List<Device> chosen = select(spec.filter(), settings.maxDevices() + 1);
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("no registered device matches " + spec.filter());
        }
        if (chosen.size() > settings.maxDevices()) {
            throw new IllegalArgumentException("more than " + settings.maxDevices() + " devices match " + spec.filter()
                    + " (max.devices): narrow the filter");
        }
        Instant now = clock.instant();
        List<Integer> sizes = WaveSize.split(spec.waves(), chosen.size());
        List<CampaignDevice> rows = new ArrayList<>(chosen.size());
        int wave = 0;
        int inWave = 0;
        for (Device d : chosen) {
            if (inWave == sizes.get(wave)) {
                wave++;
                inWave = 0;
            }
            inWave++;
            String refusal = pkg.securityCounter() == null ? null
                    : CampaignRounds.rollbackRefusal(facts.of(d).cardCounter(), pkg.securityCounter());
            rows.add(new CampaignDevice(0, d.deviceId(), wave,
                    refusal == null ? DeviceUpdateState.QUEUED : DeviceUpdateState.ROLLBACK_REFUSED, null,
                    null, refusal, null, now));
        }
        Campaign c = store.insertCampaign(new Campaign(0, spec, pkg, CampaignState.CREATED, null, sizes, -1, -1, now,
                now, 0), rows);
        LOG.info("Firmware campaign {} '{}' created: {} {} to {} devices in {} waves", c.id(), spec.name(), pkg.name(),
                pkg.version(), rows.size(), sizes.size());
        return c;
    }

    private String url(String path, String fileName) {
        String p = path == null || path.isEmpty() ? "" : path.startsWith("/") ? path : "/" + path;
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return settings.packageBaseUrl() + p + "/" + encode(fileName);
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters. */
    static String encode(String name) {
        StringBuilder b = new StringBuilder();
        for (byte x : name.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            char c = (char) (x & 0xff);
            if (c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c == '~')) {
                b.append(c);
            } else {
                b.append('%').append(String.format("%02X", x & 0xff));
            }
        }
        return b.toString();
    }

    private List<Device> select(DeviceFilter f, int max) {
        Map<String, Set<String>> tags = f.tags().isEmpty() ? Map.of() : store.allTags();
        List<Device> out = new ArrayList<>();
        List<Device> all;
        if (!f.deviceIds().isEmpty() && f.deviceIds().size() < 1000) {
            all = new ArrayList<>();
            for (String id : new TreeSet<>(f.deviceIds())) {
                devices.device(id).ifPresent(all::add);
            }
        } else {
            all = devices.devices();
        }
        for (Device d : all) {
            if (out.size() >= max) {
                break;
            }
            if (matches(f, d, tags.getOrDefault(d.deviceId(), Set.of()))) {
                out.add(d);
            }
        }
        return out;
    }

    private boolean matches(DeviceFilter f, Device d, Set<String> tags) {
        if (!f.deviceIds().isEmpty() && !f.deviceIds().contains(d.deviceId())) {
            return false;
        }
        if (f.manufacturer() != null && !f.manufacturer().equals(d.devInfo().get("./DevInfo/Man"))) {
            return false;
        }
        if (f.model() != null && !f.model().equals(d.devInfo().get("./DevInfo/Mod"))) {
            return false;
        }
        if (f.cardPresent() != null && f.cardPresent() != (d.cardId() != null)) {
            return false;
        }
        if (!tags.containsAll(f.tags())) {
            return false;
        }
        return f.firmwareVersion() == null || f.firmwareVersion().equals(facts.of(d).firmwareVersion());
    }

    @Override
    public List<Campaign> campaigns() {
        return store.campaigns();
    }

    @Override
    public Optional<Campaign> campaign(long id) {
        return store.campaign(id);
    }

    @Override
    public Campaign start(long id) {
        Campaign c = change(id, EnumSet.of(CampaignState.CREATED), "only a created campaign can be started",
                x -> x.with(CampaignState.RUNNING, null, clock.instant()).withWaves(0, -1, clock.instant()));
        LOG.info("Firmware campaign {} started", id);
        return c;
    }

    @Override
    public Campaign pause(long id) {
        Campaign c = change(id, EnumSet.of(CampaignState.RUNNING), "only a running campaign can be paused",
                x -> x.with(CampaignState.PAUSED, "paused by an operator", clock.instant()));
        LOG.info("Firmware campaign {} paused by an operator", id);
        return c;
    }

    @Override
    public Campaign resume(long id) {
        Campaign c = change(id, EnumSet.of(CampaignState.PAUSED), "only a paused campaign can be resumed", x -> {
            Campaign r = x.with(CampaignState.RUNNING, null, clock.instant());
            boolean errors = x.reason() != null && x.reason().startsWith(ERROR_PAUSE);
            return errors ? r.withWaves(r.currentWave(), r.currentWave(), clock.instant()) : r;
        });
        LOG.info("Firmware campaign {} resumed", id);
        return c;
    }

    @Override
    public Campaign cancel(long id) {
        Campaign c = change(id, EnumSet.of(CampaignState.CREATED, CampaignState.RUNNING, CampaignState.PAUSED),
                "a finished or cancelled campaign cannot be cancelled",
                x -> x.with(CampaignState.CANCELLED, "cancelled by an operator", clock.instant()));
        int dropped = store.cancelQueued(id, clock.instant()) + rounds.cancelUnsent(c);
        LOG.info("Firmware campaign {} cancelled: {} devices dropped before their job was sent", id, dropped);
        return c;
    }

    private Campaign change(long id, Set<CampaignState> allowed, String refusal, Function<Campaign, Campaign> f) {
        for (int i = 0; i < RETRIES; i++) {
            Campaign current = require(id);
            if (!allowed.contains(current.state())) {
                throw new IllegalStateException("campaign " + id + " is " + current.state().name()
                        .toLowerCase(java.util.Locale.ROOT) + ": " + refusal);
            }
            Campaign next = f.apply(current);
            next = new Campaign(next.id(), next.spec(), next.pkg(), next.state(), next.reason(), next.waveSizes(),
                    next.currentWave(), next.errorsAcceptedWave(), next.created(), next.updated(),
                    current.version() + 1);
            if (store.updateCampaign(next)) {
                return next;
            }
        }
        throw new IllegalStateException("campaign " + id + " keeps changing on another node; try again");
    }

    private Campaign require(long id) {
        return store.campaign(id).orElseThrow(() -> new IllegalArgumentException("no campaign " + id));
    }

    @Override
    public CampaignProgress progress(long id) {
        Campaign c = require(id);
        return progress(c, store.counts(id));
    }

    static CampaignProgress progress(Campaign c, Map<Integer, Map<DeviceUpdateState, Integer>> counts) {
        List<CampaignProgress.Counts> waves = new ArrayList<>();
        Map<DeviceUpdateState, Integer> total = new HashMap<>();
        for (int w = 0; w < c.waveSizes().size(); w++) {
            Map<DeviceUpdateState, Integer> m = counts.getOrDefault(w, Map.of());
            waves.add(new CampaignProgress.Counts(w, c.waveSizes().get(w), m));
            m.forEach((k, v) -> total.merge(k, v, Integer::sum));
        }
        return new CampaignProgress(c.id(), waves, new CampaignProgress.Counts(-1, c.deviceCount(), total));
    }

    @Override
    public List<CampaignDevice> devices(long id, Set<DeviceUpdateState> states, int limit) {
        require(id);
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit is 1 to 10000");
        }
        return store.devices(id, states == null ? Set.of() : states, limit);
    }

    @Override
    public List<String> preview(DeviceFilter filter, int limit) {
        return select(filter, Math.max(0, Math.min(limit, settings.maxDevices()))).stream().map(Device::deviceId)
                .toList();
    }

    @Override
    public int advance() {
        return rounds.run();
    }

    // ------------------------------------------------------------------ tags

    @Override
    public Set<String> tags(String deviceId) {
        return java.util.Collections.unmodifiableSortedSet(new TreeSet<>(store.tags(deviceId)));
    }

    @Override
    public Set<String> add(String deviceId, Collection<String> tags) {
        if (devices.device(deviceId).isEmpty()) {
            throw new IllegalArgumentException("no device " + deviceId + " is registered");
        }
        TreeSet<String> next = new TreeSet<>(store.tags(deviceId));
        for (String t : tags) {
            next.add(DeviceFilter.requireTag(t));
        }
        if (next.size() > MAX_TAGS) {
            throw new IllegalArgumentException("a device carries at most " + MAX_TAGS + " tags");
        }
        store.setTags(deviceId, next);
        return java.util.Collections.unmodifiableSortedSet(next);
    }

    @Override
    public Set<String> remove(String deviceId, Collection<String> tags) {
        TreeSet<String> next = new TreeSet<>(store.tags(deviceId));
        next.removeAll(tags);
        store.setTags(deviceId, next);
        return java.util.Collections.unmodifiableSortedSet(next);
    }

    @Override
    public List<String> devicesWith(String tag) {
        DeviceFilter.requireTag(tag);
        List<String> out = new ArrayList<>();
        store.allTags().forEach((d, t) -> {
            if (t.contains(tag)) {
                out.add(d);
            }
        });
        return out.stream().sorted().toList();
    }

    /** @return the node and package settings */
    EngineSettings settings() {
        return settings;
    }

    /** @return the job manager, for the rounds' recovery */
    JobManager jobs() {
        return jobs;
    }
}
