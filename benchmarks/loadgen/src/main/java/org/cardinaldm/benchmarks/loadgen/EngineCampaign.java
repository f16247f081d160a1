package org.cardinaldm.benchmarks.loadgen;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.cardinaldm.fumo.server.api.Campaign;
import org.cardinaldm.fumo.server.api.CampaignDevice;
import org.cardinaldm.fumo.server.api.CampaignProgress;
import org.cardinaldm.fumo.server.api.CampaignService;
import org.cardinaldm.fumo.server.api.CampaignSpec;
import org.cardinaldm.fumo.server.api.CampaignState;
import org.cardinaldm.fumo.server.api.DeviceFilter;
import org.cardinaldm.fumo.server.api.DeviceUpdateState;
import org.cardinaldm.fumo.server.api.WaveSize;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobManager;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.NotificationManager;
import org.cardinaldm.server.api.NotificationRecord;
import org.cardinaldm.server.api.NotificationUi;
import org.cardinaldm.server.api.OperationResult;

/**
 * A firmware campaign through Cardinal's own campaign engine (fumo-server's {@code CampaignEngine} on the JDBC
 * campaign store, the DM server's registry and the package catalogue, wired as their OSGi components wire them):
 * the campaign is created over every registered device with the given waves and thresholds and started; a
 * thread {@code dm-fumo-server-1} runs the engine's round every {@code roundMillis}, as the DS component does.
 *
 * <p>Package 0 is simulated: the engine notifies every device it started (they are registered with a push address)
 * through the {@link NotificationManager} it is given, here {@link Push}, which puts the device on a queue; one of
 * the device workers ({@code loadgen-device}, at most {@code concurrency} at once) then opens the device's session
 * (Alert 1201, not 1200: the server does not tell them apart for a job) and runs {@link FumoDeviceUpdate}. So a
 * device's session starts as soon as the engine queued its job, never before, and no device polls.
 *
 * <p>Measured: wall time from {@code start} to the round that marks the campaign finished (or paused), per-wave
 * start and completion times, the engine's own rounds (count, wall and CPU time of {@code advance()} on the round
 * thread, devices started), process CPU and the server estimate as in {@link FumoCampaign}, and lost devices: those
 * the campaign does not show {@code succeeded} (cross-checked with their jobs: SUCCEEDED with the 1226's 200).
 */
final class EngineCampaign {
    private final CampaignService engine;
    private final JobManager jobs;
    private final List<SimDevice> devices;
    private final Map<String, Integer> index = new ConcurrentHashMap<>();
    private final int concurrency;
    private final FumoDeviceUpdate updater;
    private final int resumeEvery;
    private final Push push;
    private final Settings settings;

    /**
     * @param waves the wave sizes
     * @param success the success threshold (percent)
     * @param error the error threshold (percent)
     * @param roundMillis the round period
     * @param timeoutSeconds how long the campaign may take before the run gives up
     */
    record Settings(List<WaveSize> waves, int success, int error, long roundMillis, long timeoutSeconds) {
    }

    /** Package 0, simulated: a notified device is queued for a session (ui-mode ignored). */
    static final class Push implements NotificationManager {
        final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        final Map<String, Long> notifiedAt = new ConcurrentHashMap<>();
        final AtomicLong sent = new AtomicLong();

        @Override
        public NotificationRecord notify(String deviceId, NotificationUi ui) {
            notifiedAt.putIfAbsent(deviceId, System.nanoTime());
            sent.incrementAndGet();
            queue.add(deviceId);
            return null; // the engine does not read it
        }

        @Override
        public List<NotificationRecord> notifications(String deviceId, int limit) {
            return List.of();
        }
    }

    EngineCampaign(CampaignService engine, JobManager jobs, Push push, List<SimDevice> devices, int concurrency,
            FumoDeviceUpdate updater, int resumeEvery, Settings settings) {
        this.engine = engine;
        this.jobs = jobs;
        this.push = push;
        this.devices = devices;
        this.concurrency = concurrency;
        this.updater = updater;
        this.resumeEvery = resumeEvery;
        this.settings = settings;
        for (int i = 0; i < devices.size(); i++) {
            index.put(devices.get(i).deviceId, i);
        }
    }

    /** One wave's times, in seconds after {@code start}; NaN when it did not happen. */
    record Wave(int number, int devices, double started, double done, int succeeded, int failed) {
    }

    /** What the campaign measured. */
    record Result(int devices, long campaignId, double createSeconds, long createCpuNanos, double wallSeconds,
            CampaignState finalState, String reason, List<Wave> waves, int rounds, long roundNanos, long roundCpuNanos,
            long maxRoundNanos, long started, long processCpuNanos, long clientCpuNanos, long[] deviceNanos,
            Map<String, Integer> outcomes, Map<DeviceUpdateState, Integer> campaignStates,
            Map<JobState, Integer> jobStates, int jobs200, int succeeded, List<String> trace) {
        double percentile(double p) {
            if (deviceNanos.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(p / 100.0 * deviceNanos.length) - 1;
            return deviceNanos[Math.max(0, Math.min(deviceNanos.length - 1, i))] / 1e6;
        }
    }

    Result run() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long createCpu0 = threads.getCurrentThreadCpuTime();
        long c0 = System.nanoTime();
        CampaignSpec spec = new CampaignSpec("loadgen " + devices.size(), SignedFirmware.FILE, DeviceFilter.all(),
                settings.waves(), settings.success(), settings.error(), null, null, false, null);
        Campaign c = engine.create(spec);
        double createSeconds = (System.nanoTime() - c0) / 1e9;
        long createCpu = threads.getCurrentThreadCpuTime() - createCpu0;
        System.out.printf(Locale.ROOT, "campaign %d created over %d devices in %.1f s (%d waves %s)%n", c.id(),
                c.deviceCount(), createSeconds, c.waveSizes().size(), c.waveSizes());

        int waveCount = c.waveSizes().size();
        double[] waveStart = new double[waveCount];
        double[] waveDone = new double[waveCount];
        Arrays.fill(waveStart, Double.NaN);
        Arrays.fill(waveDone, Double.NaN);
        AtomicInteger rounds = new AtomicInteger();
        AtomicLong roundNanos = new AtomicLong();
        AtomicLong roundCpu = new AtomicLong();
        AtomicLong maxRound = new AtomicLong();
        CompletableFuture<Campaign> end = new CompletableFuture<>();
        List<String> trace = new ArrayList<>();

        ExecutorService workers = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "loadgen-device");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger done = new AtomicInteger();
        long[] perDevice = new long[devices.size()];
        Map<String, Integer> outcomes = new TreeMap<>();
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            fs.add(workers.submit(() -> {
                while (!end.isDone()) {
                    String id = push.queue.poll(100, TimeUnit.MILLISECONDS); // wakes up to see the end
                    if (id == null) {
                        continue;
                    }
                    Integer k = index.get(id);
                    if (k == null) {
                        continue;
                    }
                    String outcome = updater.update(devices.get(k), resumeEvery > 0 && k % resumeEvery == 0);
                    int slot = done.getAndIncrement();
                    if (slot < perDevice.length) {
                        perDevice[slot] = System.nanoTime() - push.notifiedAt.getOrDefault(id, System.nanoTime());
                    }
                    synchronized (outcomes) {
                        outcomes.merge(outcome, 1, Integer::sum);
                    }
                }
                return null;
            }));
        }

        long client0 = FumoCampaign.clientCpu(threads);
        long cpu0 = FumoCampaign.processCpu();
        long t0 = System.nanoTime();
        engine.start(c.id());
        ScheduledExecutorService roundThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dm-fumo-server-1");
            t.setDaemon(true);
            return t;
        });
        Runnable round = () -> {
            try {
                long cpu = threads.getCurrentThreadCpuTime();
                long notified = push.sent.get();
                long s = System.nanoTime();
                int changed = engine.advance();
                long took = System.nanoTime() - s;
                long used = threads.getCurrentThreadCpuTime() - cpu;
                roundCpu.addAndGet(used);
                roundNanos.addAndGet(took);
                maxRound.accumulateAndGet(took, Math::max);
                rounds.incrementAndGet();
                // the benchmark's own bookkeeping, not counted as the engine's
                double at = (System.nanoTime() - t0) / 1e9;
                Campaign now = engine.campaign(c.id()).orElseThrow();
                CampaignProgress p = engine.progress(c.id());
                for (int w = 0; w <= Math.min(now.currentWave(), waveCount - 1); w++) {
                    if (Double.isNaN(waveStart[w])) {
                        waveStart[w] = at;
                    }
                    CampaignProgress.Counts counts = p.waves().get(w);
                    if (Double.isNaN(waveDone[w]) && counts.finished() == counts.devices()) {
                        waveDone[w] = at;
                    }
                }
                trace.add(String.format(Locale.ROOT, "round %3d at %6.1f s: %5d ms, %5d ms CPU, %4d started, %5d changed,"
                        + " wave %d, %s", rounds.get(), at, took / 1_000_000, used / 1_000_000,
                        push.sent.get() - notified, changed, now.currentWave() + 1, p.total().byState()));
                if (now.state() != CampaignState.RUNNING) {
                    end.complete(now);
                }
            } catch (RuntimeException e) {
                end.completeExceptionally(e);
            }
        };
        roundThread.scheduleWithFixedDelay(round, settings.roundMillis(), settings.roundMillis(),
                TimeUnit.MILLISECONDS);
        Campaign last;
        try {
            last = end.get(settings.timeoutSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            last = engine.campaign(c.id()).orElseThrow();
            end.complete(last);
            System.out.printf(Locale.ROOT, "campaign %d not finished after %d s: %s%n", c.id(),
                    settings.timeoutSeconds(), engine.progress(c.id()).total().byState());
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        long cpu = FumoCampaign.processCpu() - cpu0;
        long client = FumoCampaign.clientCpu(threads) - client0;
        roundThread.shutdownNow();
        roundThread.awaitTermination(60, TimeUnit.SECONDS);
        for (Future<?> f : fs) {
            f.get();
        }
        workers.shutdown();

        CampaignProgress p = engine.progress(c.id());
        List<Wave> waves = new ArrayList<>();
        for (CampaignProgress.Counts w : p.waves()) {
            waves.add(new Wave(w.wave() + 1, w.devices(), waveStart[w.wave()], waveDone[w.wave()],
                    w.count(DeviceUpdateState.SUCCEEDED), w.count(DeviceUpdateState.FAILED)));
        }
        Map<DeviceUpdateState, Integer> states = new TreeMap<>(p.total().byState());
        int succeeded = p.total().count(DeviceUpdateState.SUCCEEDED);
        // the jobs behind the campaign's view: SUCCEEDED with the 1226's 200
        Map<JobState, Integer> jobStates = new TreeMap<>();
        int ok = 0;
        for (CampaignDevice d : engine.devices(c.id(), EnumSet.allOf(DeviceUpdateState.class),
                Math.min(10_000, devices.size()))) {
            if (d.jobId() == null) {
                continue;
            }
            Job j = jobs.job(d.jobId()).orElse(null);
            if (j == null) {
                continue;
            }
            jobStates.merge(j.state(), 1, Integer::sum);
            if (j.state() == JobState.SUCCEEDED && j.results().stream().map(OperationResult::async)
                    .anyMatch(a -> a != null && a.report() != null && a.report().code() == 200)) {
                ok++;
            }
        }
        long[] sorted = Arrays.copyOf(perDevice, Math.min(done.get(), perDevice.length));
        Arrays.sort(sorted);
        return new Result(devices.size(), c.id(), createSeconds, createCpu, wall, last.state(), last.reason(), waves,
                rounds.get(), roundNanos.get(), roundCpu.get(), maxRound.get(), push.sent.get(), cpu, client, sorted,
                outcomes, states, jobStates, ok, succeeded, List.copyOf(trace));
    }

    static void print(Result r, int packageBytes, Settings s, int startBatch) {
        System.out.println();
        System.out.println("== FUMO campaign through the campaign engine ==");
        System.out.printf(Locale.ROOT, "devices         %d, package %d bytes (signed FIRMWARE, counter %d), waves %s, success %d %%,"
                + " error %d %%, round every %d ms, start.batch %d%n", r.devices(), packageBytes,
                SignedFirmware.SECURITY_COUNTER, s.waves(), s.success(), s.error(), s.roundMillis(), startBatch);
        System.out.printf(Locale.ROOT, "create          %.2f s (%.3f ms CPU per device: filter, rollback pre-check, insert)%n",
                r.createSeconds(), r.createCpuNanos() / 1e6 / r.devices());
        System.out.printf(Locale.ROOT, "wall time       %.1f s from start to the campaign's %s (%.1f devices/s); %s%n",
                r.wallSeconds(), r.finalState().name().toLowerCase(Locale.ROOT), r.devices() / r.wallSeconds(),
                r.reason());
        for (Wave w : r.waves()) {
            System.out.printf(Locale.ROOT, "wave %-3d        %5d devices: started at %.1f s, all finished at %.1f s (%.1f s); %d succeeded, %d failed%n",
                    w.number(), w.devices(), w.started(), w.done(), w.done() - w.started(), w.succeeded(), w.failed());
        }
        System.out.printf(Locale.ROOT, "per device      p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (package 0 to the 1226 answered)%n",
                r.percentile(50), r.percentile(90), r.percentile(99), r.percentile(100));
        System.out.printf(Locale.ROOT, "engine          %d rounds, %.1f s of rounds (max %.0f ms), %.1f s CPU in rounds = %.2f ms per device;"
                + " %d devices started (package 0)%n", r.rounds(), r.roundNanos() / 1e9, r.maxRoundNanos() / 1e6,
                r.roundCpuNanos() / 1e9, r.roundCpuNanos() / 1e6 / r.devices(), r.started());
        r.trace().forEach(t -> System.out.println("                " + t));
        System.out.printf(Locale.ROOT, "outcomes        %s%n", r.outcomes());
        System.out.printf(Locale.ROOT, "campaign        %s; succeeded %d of %d; lost (not succeeded): %d%n",
                r.campaignStates(), r.succeeded(), r.devices(), r.devices() - r.succeeded());
        System.out.printf(Locale.ROOT, "jobs            %s; SUCCEEDED with the 1226's 200: %d%n", r.jobStates(), r.jobs200());
        System.out.printf(Locale.ROOT, "CPU             process %.2f ms per device (server and simulated devices); server estimate %.2f ms per device"
                + " (process minus client threads %.2f ms), of which the engine's rounds %.2f ms%n",
                r.processCpuNanos() / 1e6 / r.devices(), (r.processCpuNanos() - r.clientCpuNanos()) / 1e6 / r.devices(),
                r.clientCpuNanos() / 1e6 / r.devices(), r.roundCpuNanos() / 1e6 / r.devices());
    }
}
