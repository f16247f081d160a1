package org.cardinaldm.fumo.server.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.cardinaldm.fumo.server.api.Campaign;
import org.cardinaldm.fumo.server.api.CampaignDevice;
import org.cardinaldm.fumo.server.api.CampaignProgress;
import org.cardinaldm.fumo.server.api.CampaignState;
import org.cardinaldm.fumo.server.api.DeviceUpdateState;
import org.cardinaldm.fumo.server.api.spi.CampaignStore;
import org.cardinaldm.server.api.Device;
import org.cardinaldm.server.api.DeviceManager;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobManager;
import org.cardinaldm.server.api.NotificationManager;
import org.cardinaldm.server.api.NotificationUi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round over the campaigns (hawkBit's rollout executor, on the registry): for each campaign that is not
 * finished, follow the started devices' jobs; for a running one, apply the error threshold of every started wave
 * whose errors were not accepted (above it: pause), start the next wave once the current one reached the success
 * threshold, finish when nothing is left; then, inside the maintenance window, claim queued devices of the started
 * waves and send each its FUMO job. Rounds of one node never overlap; several nodes may run rounds on one store:
 * claims and conditional updates keep a device from being started twice.
 */
final class CampaignRounds {
    private static final Logger LOG = LoggerFactory.getLogger(CampaignRounds.class);
    private static final Set<DeviceUpdateState> FOLLOWED = EnumSet.of(DeviceUpdateState.NOTIFIED,
            DeviceUpdateState.DOWNLOADING, DeviceUpdateState.UPDATING);
    private static final int FOLLOW_MAX = 100_000;

    private final CampaignStore store;
    private final DeviceManager devices;
    private final JobManager jobs;
    private final Supplier<NotificationManager> notifier;
    private final DeviceFacts facts;
    private final Clock clock;
    private final EngineSettings settings;

    CampaignRounds(CampaignStore store, DeviceManager devices, JobManager jobs, Supplier<NotificationManager> notifier,
            DeviceFacts facts, Clock clock, EngineSettings settings) {
        this.store = store;
        this.devices = devices;
        this.jobs = jobs;
        this.notifier = notifier;
        this.facts = facts;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * @param cardCounter the card's known counter, or null
     * @param packageCounter the package's counter
     * @return why the card would refuse the package, or null when it would not (or nothing is known)
     */
    static String rollbackRefusal(Long cardCounter, long packageCounter) {
        if (cardCounter == null || cardCounter <= packageCounter) {
            return null;
        }
        return "the card's anti-rollback counter " + cardCounter + " is above the package's security counter "
                + packageCounter;
    }

    /** @return how many devices changed state */
    synchronized int run() {
        int changed = 0;
        for (Campaign c : store.campaigns()) {
            if (c.state() == CampaignState.FINISHED || c.state() == CampaignState.CREATED) {
                continue;
            }
            try {
                changed += round(c);
            } catch (RuntimeException e) {
                LOG.warn("Round of firmware campaign {} failed: {}", c.id(), e.toString());
            }
        }
        return changed;
    }

    private int round(Campaign c) {
        int changed = follow(c) + recoverStale(c);
        Optional<Campaign> now = store.campaign(c.id());
        if (now.isEmpty() || now.get().state() != CampaignState.RUNNING) {
            return changed;
        }
        Campaign running = thresholds(now.get());
        if (running == null || running.state() != CampaignState.RUNNING) {
            return changed;
        }
        Instant t = clock.instant();
        if (running.spec().window() != null && !running.spec().window().isOpen(t)) {
            return changed;
        }
        List<CampaignDevice> claimed = store.claimQueued(c.id(), running.currentWave(), settings.node(),
                settings.startBatch(), t);
        for (CampaignDevice d : claimed) {
            start(running, d);
            changed++;
        }
        return changed;
    }

    private int follow(Campaign c) {
        int changed = 0;
        String stateUri = FumoJobs.stateUri(c.spec());
        for (CampaignDevice d : store.devices(c.id(), FOLLOWED, FOLLOW_MAX)) {
            if (d.jobId() == null) {
                continue;
            }
            CampaignDevice next = JobTracker.follow(d, jobs.job(d.jobId()), stateUri, clock.instant());
            if (next != d && store.updateDevice(next, d.state())) {
                changed++;
                if (next.state().isTerminal()) {
                    LOG.debug("Campaign {}: {} {}", c.id(), d.deviceId(), next.stateText());
                }
            }
        }
        return changed;
    }

    /** Devices a stopped node claimed but never recorded: their job is found by its description, or they queue again. */
    private int recoverStale(Campaign c) {
        int changed = 0;
        Instant limit = clock.instant().minus(settings.staleClaim());
        for (CampaignDevice d : store.devices(c.id(), EnumSet.of(DeviceUpdateState.STARTING), FOLLOW_MAX)) {
            if (!d.updated().isBefore(limit)) {
                continue;
            }
            Optional<Job> job = jobs.jobs(d.deviceId(), 50).stream()
                    .filter(j -> FumoJobs.description(c.id()).equals(j.description())).findFirst();
            CampaignDevice next = job.isPresent()
                    ? d.with(DeviceUpdateState.NOTIFIED, job.get().id(), null, null, clock.instant())
                    : new CampaignDevice(c.id(), d.deviceId(), d.wave(), DeviceUpdateState.QUEUED, null, null, null,
                            null, clock.instant());
            if (store.updateDevice(next, DeviceUpdateState.STARTING)) {
                changed++;
            }
        }
        return changed;
    }

    /** @return the campaign after the thresholds (paused, next wave, finished), or null when another node changed it */
    private Campaign thresholds(Campaign c) {
        Map<Integer, Map<DeviceUpdateState, Integer>> counts = store.counts(c.id());
        CampaignProgress p = CampaignEngine.progress(c, counts);
        Instant now = clock.instant();
        for (int w = Math.max(0, c.errorsAcceptedWave() + 1); w <= c.currentWave(); w++) {
            CampaignProgress.Counts wave = p.waves().get(w);
            if (wave.failedPercent() > c.spec().errorThreshold()) {
                String reason = String.format(Locale.ROOT, "%s: %d of %d devices of wave %d failed (%.1f %% > %d %%)",
                        CampaignEngine.ERROR_PAUSE, wave.count(DeviceUpdateState.FAILED), wave.devices(), w + 1,
                        wave.failedPercent(), c.spec().errorThreshold());
                Campaign paused = c.with(CampaignState.PAUSED, reason, now);
                if (store.updateCampaign(paused)) {
                    LOG.warn("Firmware campaign {} paused: {}", c.id(), reason);
                    return paused;
                }
                return null;
            }
        }
        int last = c.waveSizes().size() - 1;
        CampaignProgress.Counts current = p.waves().get(c.currentWave());
        if (c.currentWave() < last && current.succeededPercent() >= c.spec().successThreshold()) {
            Campaign next = c.withWaves(c.currentWave() + 1, c.errorsAcceptedWave(), now);
            if (store.updateCampaign(next)) {
                LOG.info("Firmware campaign {}: wave {} started", c.id(), next.currentWave() + 1);
                return next;
            }
            return null;
        }
        if (c.currentWave() == last && p.total().finished() == p.total().devices()) {
            String reason = String.format(Locale.ROOT, "%d succeeded, %d failed, %d rollback refused, %d cancelled",
                    p.total().count(DeviceUpdateState.SUCCEEDED), p.total().count(DeviceUpdateState.FAILED),
                    p.total().count(DeviceUpdateState.ROLLBACK_REFUSED), p.total().count(DeviceUpdateState.CANCELLED));
            Campaign done = c.with(CampaignState.FINISHED, reason, now);
            if (store.updateCampaign(done)) {
                LOG.info("Firmware campaign {} finished: {}", c.id(), reason);
                return done;
            }
            return null;
        }
        return c;
    }

    private void start(Campaign c, CampaignDevice d) {
        Instant now = clock.instant();
        Optional<Device> device = devices.device(d.deviceId());
        if (device.isEmpty()) {
            store.updateDevice(d.with(DeviceUpdateState.FAILED, null, null, "device no longer registered", now),
                    DeviceUpdateState.STARTING);
            return;
        }
        if (c.pkg().securityCounter() != null) {
            String refusal = rollbackRefusal(facts.of(device.get()).cardCounter(), c.pkg().securityCounter());
            if (refusal != null) {
                store.updateDevice(d.with(DeviceUpdateState.ROLLBACK_REFUSED, null, null, refusal, now),
                        DeviceUpdateState.STARTING);
                return;
            }
        }
        Job job;
        try {
            job = jobs.submit(d.deviceId(), FumoJobs.description(c.id()),
                    FumoJobs.operations(c, settings.consentSeconds()));
        } catch (IllegalArgumentException e) {
            store.updateDevice(d.with(DeviceUpdateState.FAILED, null, null, "job refused: " + e.getMessage(), now),
                    DeviceUpdateState.STARTING);
            return;
        }
        store.updateDevice(d.with(DeviceUpdateState.NOTIFIED, job.id(), null, null, now), DeviceUpdateState.STARTING);
        Optional<Campaign> latest = store.campaign(c.id());
        if (latest.isPresent() && latest.get().state() == CampaignState.CANCELLED) {
            cancelUnsent(latest.get());
            return;
        }
        notify(device.get(), c);
    }

    private void notify(Device device, Campaign c) {
        NotificationManager n = notifier.get();
        if (n == null || device.pushAddress() == null) {
            return;
        }
        try {
            n.notify(device.deviceId(), c.spec().consent() ? NotificationUi.INFORMATIVE : NotificationUi.BACKGROUND);
        } catch (RuntimeException e) {
            LOG.debug("Campaign {}: no notification to {}: {}", c.id(), device.deviceId(), e.getMessage());
        }
    }

    /**
     * Cancels the jobs of notified devices that the device has not fetched yet.
     *
     * @param c a cancelled campaign
     * @return how many devices became cancelled
     */
    int cancelUnsent(Campaign c) {
        int n = 0;
        for (CampaignDevice d : store.devices(c.id(), EnumSet.of(DeviceUpdateState.NOTIFIED), FOLLOW_MAX)) {
            if (d.jobId() != null && jobs.cancel(d.jobId()) && store.updateDevice(
                    d.with(DeviceUpdateState.CANCELLED, d.jobId(), null, "campaign cancelled", clock.instant()),
                    DeviceUpdateState.NOTIFIED)) {
                n++;
            }
        }
        return n;
    }
}
