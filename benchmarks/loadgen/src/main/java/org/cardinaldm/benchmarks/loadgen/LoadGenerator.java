package org.cardinaldm.benchmarks.loadgen;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

import org.cardinaldm.fumo.server.api.CampaignService;
import org.cardinaldm.fumo.server.api.WaveSize;
import org.cardinaldm.fumo.server.api.spi.CampaignStore;
import org.cardinaldm.fumo.server.internal.Engines;
import org.cardinaldm.fumo.server.internal.InMemoryCampaignStore;
import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.DeviceRegistration;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.spi.ServerStore;
import org.cardinaldm.server.internal.HelpDeskService;
import org.cardinaldm.server.internal.Registry;
import org.cardinaldm.server.internal.ServerConfig;
import org.cardinaldm.server.internal.SessionEngine;
import org.cardinaldm.server.jdbc.internal.ConnectionPool;
import org.cardinaldm.server.jdbc.internal.JdbcCampaignStore;
import org.cardinaldm.server.packages.api.PackageCatalog;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.transport.http.server.internal.DmServlet;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

/**
 * The DM server load generator. One JVM holds one Cardinal server (the dm-server session engine behind
 * transport-http-server's DmServlet on Jetty 9.4, registry on embedded H2 or in memory) and N simulated devices
 * that talk to it over real HTTP on loopback. Phases: register the devices; warm up; echo baseline;
 * open one session per device and hold them (heap per open session); the measured run (each session:
 * the operator queues a job of six Gets and one Replace, then the device runs package 1 with DevInfo
 * and md5 credentials, answers the card-id read, the Gets and the Replace, until the server ends);
 * echo baseline again; every job's final state checked. Run with {@code --help} for the options.
 */
public final class LoadGenerator {
    private static final List<String> GETS = List.of("./DevInfo/Mod", "./DevInfo/Man", "./DevDetail/FwV",
            "./DevDetail/SwV", "./DevDetail/HwV", "./DevDetail/DevTyp");

    private final Options o;
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final AtomicInteger jobsSubmitted = new AtomicInteger();
    /** Sessions completed so far, in every phase (the soak mode's samples read it). */
    private final SoakSampler.Counter completedSessions = new SoakSampler.Counter();
    private SessionEngine engine;
    private Registry registry;
    private Server jetty;
    private ServerStore store;
    /** Jobs the soak's job retention removed, or null without it. */
    private java.util.concurrent.atomic.AtomicLong retentionRemoved;
    /** Bytes of the latency records the session workers hold (they grow with the sessions run; soak samples). */
    private final java.util.concurrent.atomic.AtomicLong latencyBytes = new java.util.concurrent.atomic.AtomicLong();
    private RegistryDatabase database;
    private String dmUrl;
    private String echoUrl;
    private HttpClient http;
    private SimDevice.Wire wire;
    private ExecutorService workers;
    private final List<SimDevice> devices = new ArrayList<>();
    private double echoCpuMicrosPerRequest;
    private Path packageDir;
    private String packageUrl;
    private int packageBytes;
    private FumoDownloader downloader;
    private static final String PUSH_ADDRESS = "udp:127.0.0.1:2948";
    private ConnectionPool campaignPool;
    private CampaignService campaigns;
    private EngineCampaign.Push push;

    private LoadGenerator(Options o) {
        this.o = o;
    }

    /**
     * @param args see {@code --help}
     * @throws Exception when the run cannot start
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            Options.usage();
            System.exit(2);
            return;
        }
        LoadGenerator g = new LoadGenerator(o);
        try {
            g.run();
        } finally {
            g.stop();
        }
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "Cardinal DM load generator, %s, Java %s, %d CPUs, max heap %d MiB%n",
                Instant.now(), System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf(Locale.ROOT, "devices %d, sessions/device %d, concurrency %d, store %s, encoding %s, card read %s, mode %s%n",
                o.devices, o.sessionsPerDevice, o.concurrency, o.store, o.encoding, o.cardRead, o.mode
                        + (o.mode.equals("fumo") ? " (package " + o.packageKib + " KiB, resume every " + o.resumeEvery
                                + ", " + o.maxDownloads + " download slots" + (o.campaign ? ", campaign engine" : "")
                                + ")" : ""));
        System.out.println("load average at start: " + Proc.loadavg());
        startServer();
        workers = Executors.newFixedThreadPool(o.concurrency, r -> {
            Thread t = new Thread(r, "loadgen-device");
            t.setDaemon(true);
            return t;
        });

        long t0 = System.nanoTime();
        register();
        double regSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "registered %d devices in %.1f s (%.0f/s)%n", o.devices, regSeconds,
                o.devices / regSeconds);

        Stats warm = runSessions(o.warmup, 0);
        System.out.printf(Locale.ROOT, "warm-up: %d sessions, %d errors%n", warm.count, warm.errors);
        errors.clear();
        if (o.mode.equals("soak")) {
            soak();
            return;
        }
        echo(o.echoSeconds); // warm the echo path too: its JIT warm-up moved the first baseline by 2x

        double echo1 = echo(o.echoSeconds);
        double echoCpu1 = echoCpuMicrosPerRequest;
        System.out.printf(Locale.ROOT, "echo baseline (before): %.0f requests/s, %.0f us CPU per request; load average %s%n",
                echo1, echoCpu1, Proc.loadavg());

        if (o.hold > 0) {
            holdPhase(Math.min(o.hold, o.devices));
        }
        if (o.mode.equals("fumo")) {
            fumo(echo1);
            return;
        }

        List<Round> rounds = new ArrayList<>();
        double echoBefore = echo1;
        double echoCpuBefore = echoCpu1;
        for (int i = 1; i <= o.rounds; i++) {
            String loadBefore = Proc.loadavg();
            Stats s = o.duration > 0 ? runSessions(0, o.duration * 1_000_000_000L)
                    : runSessions(o.devices * o.sessionsPerDevice, 0);
            String loadAfter = Proc.loadavg();
            double echoAfter = echo(o.echoSeconds);
            double echoCpuAfter = echoCpuMicrosPerRequest;
            System.out.printf(Locale.ROOT, "echo baseline (after round %d): %.0f requests/s, %.0f us CPU per request; load average %s%n",
                    i, echoAfter, echoCpuAfter, Proc.loadavg());
            Round r = new Round(i, s, echoBefore, echoAfter, echoCpuBefore, echoCpuAfter, loadBefore, loadAfter,
                    new TreeMap<>(errorsSnapshot()));
            errors.clear();
            rounds.add(r);
            echoBefore = echoAfter;
            echoCpuBefore = echoCpuAfter;
        }
        Map<JobState, Integer> jobs = jobStates();
        for (Round r : rounds) {
            System.out.println();
            System.out.println(o.rounds == 1 ? "== result ==" : "== round " + r.number() + " of " + o.rounds + " ==");
            r.print(o.concurrency);
        }
        System.out.printf(Locale.ROOT, "jobs            %d submitted (warm-up, hold and measured), final states %s%n",
                jobsSubmitted.get(), jobs);
        if (rounds.size() > 1) {
            System.out.println();
            System.out.println("== median of " + rounds.size() + " rounds ==");
            Round.printMedians(rounds);
        }
    }

    /**
     * The soak: sessions for {@code --duration} seconds (600 by default) after the warm-up, sampled every
     * {@code --sample-seconds} ({@link SoakSampler}); then a last sample once every session ended, the jobs' states, and
     * what the curve says: the heap after GC (first and last periodic sample, range, least-squares slope), the open
     * sessions and file descriptors back to the baseline.
     */
    private void soak() throws Exception {
        int seconds = o.duration > 0 ? o.duration : 600;
        System.out.printf(Locale.ROOT, "soak: %d devices, %d in flight, %d s, a sample every %d s (each after a full GC)%n",
                o.devices, o.concurrency, seconds, o.sampleSeconds);
        Stats s;
        SoakSampler.Sample base;
        SoakSampler.Sample end;
        List<SoakSampler.Sample> curve;
        try (SoakSampler sampler = new SoakSampler(completedSessions,
                () -> errorsSnapshot().values().stream().mapToLong(Long::longValue).sum(), () -> engine.sessions().size(),
                database::h2FileBytes, database::h2CacheBytes, latencyBytes::get)) {
            sampler.start(o.sampleSeconds);
            java.util.concurrent.ScheduledExecutorService retention = retention();
            try {
                s = runSessions(0, seconds * 1_000_000_000L);
            } finally {
                if (retention != null) {
                    // never interrupt it: an interrupt inside H2's file I/O closes the registry's FileChannel
                    retention.shutdown();
                    retention.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS);
                }
            }
            sampler.close();
            end = sampler.sample("end: every session ended");
            curve = sampler.samples();
            base = curve.get(0);
        }
        List<SoakSampler.Sample> periodic = curve.subList(1, curve.size() - 1);
        Map<JobState, Integer> jobs = jobStates();
        System.out.println();
        System.out.println("== soak ==");
        System.out.printf(Locale.ROOT, "sessions        %d in %.1f s = %.1f sessions/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                s.count, s.seconds, s.count / s.seconds, s.percentile(50), s.percentile(99), s.percentile(100));
        System.out.printf(Locale.ROOT, "errors          %d of %d sessions %s%n", s.errors, s.count + s.errors,
                new TreeMap<>(errorsSnapshot()));
        System.out.printf(Locale.ROOT, "jobs            %d submitted, final states %s%s%n", jobsSubmitted.get(), jobs,
                retentionRemoved == null ? "" : " of those still kept; the job retention removed "
                        + retentionRemoved.get());
        if (!periodic.isEmpty()) {
            double min = periodic.stream().mapToDouble(p -> p.heapAfterGc() / 1048576.0).min().orElse(0);
            double max = periodic.stream().mapToDouble(p -> p.heapAfterGc() / 1048576.0).max().orElse(0);
            int n = periodic.size();
            System.out.printf(Locale.ROOT, "heap after GC   baseline %.1f MiB; during the run %.1f .. %.1f MiB over %d samples, "
                    + "first %.1f, last %.1f, least-squares slope %+.2f MiB per minute; at the end %.1f MiB%n",
                    base.heapAfterGc() / 1048576.0, min, max, n, periodic.get(0).heapAfterGc() / 1048576.0,
                    periodic.get(n - 1).heapAfterGc() / 1048576.0, slope(periodic, p -> p.heapAfterGc() / 1048576.0),
                    end.heapAfterGc() / 1048576.0);
            heapWithout("latency records", "MiB per minute (the load generator's own latency records %.1f -> %.1f MiB, "
                    + "taken out)", periodic, SoakSampler.Sample::harnessBytes);
            // H2's page cache fills up to its limit as the registry's file grows
            heapWithout("H2 cache", "MiB per minute (H2's page cache %.0f -> %.0f MiB)", periodic,
                    SoakSampler.Sample::cacheBytes);
        }
        System.out.printf(Locale.ROOT, "open sessions   %d at the end (baseline %d)%n", end.openSessions(), base.openSessions());
        System.out.printf(Locale.ROOT, "file descriptors %d at the end (baseline %d); threads %d (baseline %d)%n", end.fds(),
                base.fds(), end.threads(), base.threads());
        System.out.printf(Locale.ROOT, "registry        %.1f MiB at the end (baseline %.1f MiB)%n",
                end.registryBytes() / 1048576.0, base.registryBytes() / 1048576.0);
    }

    /**
     * Prints the heap after GC without one part of it ({@code part}): first and last periodic sample, the least-squares
     * slope, and the part's own first and last size in MiB (the two numbers {@code tail} formats).
     */
    private static void heapWithout(String label, String tail, List<SoakSampler.Sample> periodic,
            java.util.function.ToLongFunction<SoakSampler.Sample> part) {
        SoakSampler.Sample first = periodic.get(0);
        SoakSampler.Sample last = periodic.get(periodic.size() - 1);
        System.out.printf(Locale.ROOT, "heap - %s first %.1f, last %.1f MiB, least-squares slope %+.2f " + tail + "%n",
                label, (first.heapAfterGc() - part.applyAsLong(first)) / 1048576.0,
                (last.heapAfterGc() - part.applyAsLong(last)) / 1048576.0,
                slope(periodic, p -> (p.heapAfterGc() - part.applyAsLong(p)) / 1048576.0),
                part.applyAsLong(first) / 1048576.0, part.applyAsLong(last) / 1048576.0);
    }

    /** @return the least-squares slope of {@code y} per minute over the samples (0 with fewer than two) */
    private static double slope(List<SoakSampler.Sample> samples, java.util.function.ToDoubleFunction<SoakSampler.Sample> y) {
        int n = samples.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (SoakSampler.Sample p : samples) {
            double x = p.seconds() / 60;
            double v = y.applyAsDouble(p);
            sx += x;
            sy += v;
            sxx += x * x;
            sxy += x * v;
        }
        return n > 1 ? (n * sxy - sx * sy) / (n * sxx - sx * sx) : 0;
    }

    /**
     * @return with {@code --job-retention-seconds}, the server's job retention run every 10 s on a thread of its own
     *         (the distribution runs it every 10 minutes with days); else null
     */
    private java.util.concurrent.ScheduledExecutorService retention() {
        if (o.jobRetentionSeconds == 0) {
            return null;
        }
        org.cardinaldm.server.internal.JobRetention r = new org.cardinaldm.server.internal.JobRetention(store,
                java.time.Duration.ofSeconds(o.jobRetentionSeconds));
        java.util.concurrent.ScheduledExecutorService t = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                runnable -> {
                    Thread th = new Thread(runnable, "loadgen-job-retention");
                    th.setDaemon(true);
                    return th;
                });
        java.util.concurrent.atomic.AtomicLong removed = new java.util.concurrent.atomic.AtomicLong();
        t.scheduleWithFixedDelay(() -> removed.addAndGet(r.run(java.time.Instant.now())), 10, 10,
                java.util.concurrent.TimeUnit.SECONDS);
        System.out.printf(Locale.ROOT, "job retention: jobs that ended more than %d s ago are removed every 10 s%n",
                o.jobRetentionSeconds);
        retentionRemoved = removed;
        return t;
    }

    /** The firmware campaign, then the echo baseline again and the report. */
    private void fumo(double echoBefore) throws Exception {
        String loadBefore = Proc.loadavg();
        Runnable report;
        if (o.campaign) {
            EngineCampaign.Settings s = new EngineCampaign.Settings(WaveSize.parseList(o.waves), o.success, o.error,
                    1000L * o.roundSeconds, o.campaignTimeout);
            EngineCampaign.Result r = new EngineCampaign(campaigns, registry, push, devices, o.concurrency,
                    new FumoDeviceUpdate(wire, downloader, this::error), o.resumeEvery, s).run();
            report = () -> EngineCampaign.print(r, packageBytes, s, o.startBatch);
        } else {
            FumoCampaign.Result r = new FumoCampaign(registry, wire, devices, workers, o.concurrency, downloader,
                    packageUrl, o.resumeEvery, this::error).run();
            report = () -> FumoCampaign.print(r, packageBytes);
        }
        String loadAfter = Proc.loadavg();
        double echoAfter = echo(o.echoSeconds);
        report.run();
        System.out.printf(Locale.ROOT, "errors          %s%n", new TreeMap<>(errorsSnapshot()));
        System.out.printf(Locale.ROOT, "echo            %.0f requests/s (before %.0f, after %.0f) with the same %d clients%n",
                (echoBefore + echoAfter) / 2, echoBefore, echoAfter, o.concurrency);
        System.out.println("load average    before the campaign " + loadBefore + ", after " + loadAfter);
    }

    private Map<String, Long> errorsSnapshot() {
        Map<String, Long> m = new TreeMap<>();
        errors.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    private void startServer() throws Exception {
        database = RegistryDatabase.open(o.store, o.h2Options, o.pgUrl, o.pool);
        store = database.store;
        ServerConfig config = ServerConfig.DEFAULT.withMaxSessions(Math.max(10_000, 2 * o.devices))
                .withCardIdUri(o.cardRead ? "./SmartCard/Info/CardId" : null);
        engine = new SessionEngine(store, config, Clock.systemUTC(), new SecureRandom(), SyncML::forMediaType);
        registry = new Registry(store, config, Clock.systemUTC(), new SecureRandom());

        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new DmServlet(() -> engine, 0, null)), "/dm");
        context.addServlet(new ServletHolder(new EchoServlet()), "/echo");
        byte[] firmware = null;
        PackageCatalog catalog = null;
        if (o.mode.equals("fumo")) {
            // the server's package servlet: every simulated device is 127.0.0.1, so one source may use every slot
            packageDir = Files.createTempDirectory("cardinal-loadgen-packages-");
            firmware = new byte[o.packageKib * 1024];
            new java.util.Random(42).nextBytes(firmware);
            Files.write(packageDir.resolve("gateway-fw.bin"), firmware);
            if (o.campaign) {
                catalog = SignedFirmware.publish(packageDir, firmware);
            }
            packageBytes = firmware.length;
            context.addServlet(new ServletHolder(new org.cardinaldm.server.packages.internal.PackageServlet(packageDir,
                    new org.cardinaldm.server.packages.internal.DownloadLimits(o.maxDownloads, o.maxDownloads))),
                    "/packages/*");
        }
        jetty.setHandler(context);
        jetty.start();
        dmUrl = "http://127.0.0.1:" + connector.getLocalPort() + "/dm";
        echoUrl = "http://127.0.0.1:" + connector.getLocalPort() + "/echo";
        AtomicInteger httpThreads = new AtomicInteger();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newFixedThreadPool(8, r -> {
                    Thread t = new Thread(r, "loadgen-http-" + httpThreads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                })).build();
        if (firmware != null) {
            packageUrl = "http://127.0.0.1:" + connector.getLocalPort() + "/packages/gateway-fw.bin";
            downloader = new FumoDownloader(http, firmware.length,
                    java.security.MessageDigest.getInstance("SHA-256").digest(firmware));
        }
        if (catalog != null) {
            startCampaignEngine(catalog, "http://127.0.0.1:" + connector.getLocalPort());
        }
        String type = o.encoding.equals("xml") ? MediaTypes.DM_XML : MediaTypes.DM_WBXML;
        MessageCodec codec = SyncML.forMediaType(type).orElseThrow();
        wire = new SimDevice.Wire(http, codec, type, dmUrl);
        System.out.printf(Locale.ROOT, "server: Jetty %s, DmServlet at %s, registry %s%n", Server.getVersion(), dmUrl,
                database.description);
    }

    /**
     * fumo-server's engine as its DS component builds it: the JDBC campaign store on the registry's database with a
     * pool of its own (4 connections, dm-server-jdbc's JdbcCampaignStoreComponent), or fumo-server's in-memory store
     * with {@code --store memory}; the registry as DeviceManager and JobManager, dm-server's help desk, the catalogue.
     */
    private void startCampaignEngine(PackageCatalog catalog, String baseUrl) {
        CampaignStore campaignStore;
        if (database.dataSource != null) {
            campaignPool = ConnectionPool.of(database.dataSource, 4, 10_000, "dm-server-jdbc-campaigns");
            campaignStore = JdbcCampaignStore.open(campaignPool);
        } else {
            campaignStore = new InMemoryCampaignStore();
        }
        push = new EngineCampaign.Push();
        EngineCampaign.Push p = push;
        campaigns = Engines.engine(campaignStore, registry, registry, new HelpDeskService(registry), catalog, () -> p,
                Clock.systemUTC(), "loadgen", baseUrl, o.startBatch, 300, Duration.ofSeconds(300), 100_000);
    }

    private void register() throws Exception {
        List<Future<?>> fs = new ArrayList<>();
        int batch = Math.max(1, o.devices / (o.concurrency * 4));
        for (int i = 0; i < o.devices; i++) {
            String cn = Base64.getEncoder().encodeToString(("c" + i).getBytes());
            String sn = Base64.getEncoder().encodeToString(("s" + i).getBytes());
            devices.add(new SimDevice(i, cn, sn));
        }
        for (int from = 0; from < o.devices; from += batch) {
            int start = from;
            int end = Math.min(o.devices, from + batch);
            fs.add(workers.submit(() -> {
                for (int i = start; i < end; i++) {
                    SimDevice d = devices.get(i);
                    DeviceRegistration.Builder b = DeviceRegistration.builder(d.deviceId)
                            .client(AuthScheme.MD5, d.deviceId, d.password).server(AuthScheme.MD5, null, d.serverPassword)
                            .clientNonce(d.clientNonce).serverNonce(d.serverNonce);
                    if (o.campaign) {
                        b.pushAddress(PUSH_ADDRESS); // the engine notifies only devices with one (EngineCampaign.Push)
                    }
                    registry.register(b.build());
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
    }

    private void submitJob(SimDevice d) {
        List<Operation> ops = new ArrayList<>();
        GETS.forEach(u -> ops.add(Operation.get(u)));
        ops.add(Operation.replace(SimDevice.REPLACE_URI, "v" + jobsSubmitted.incrementAndGet(), "chr"));
        registry.submit(d.deviceId, "loadgen", ops);
    }

    /** Latencies and counts of one batch of sessions. */
    static final class Stats {
        int count;
        int errors;
        long messages;
        double seconds;
        long[] nanos;
        long cpuNanos;
        /** CPU of the client-side threads (devices, HTTP client; they also queue the jobs), as in the FUMO mode. */
        long clientCpuNanos;
        /** Checkpoints that made the H2 registry's commits durable. */
        long checkpoints;
        /** Bytes H2 wrote to its file (its info.FILE_WRITE_BYTES). */
        long h2WrittenBytes;
        /** H2's chunks at the end of the run (for the report). */
        String h2Chunks = "";

        double percentile(double p) {
            if (nanos.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(p / 100.0 * nanos.length) - 1;
            return nanos[Math.max(0, Math.min(nanos.length - 1, i))] / 1e6;
        }
    }

    private void error(SimDevice.SessionFailure e) {
        errors.computeIfAbsent(e.kind, k -> new LongAdder()).increment();
    }

    /**
     * Runs sessions, device after device, each device at most one session at a time: {@code total} of them, or
     * with {@code durationNanos > 0} as many as start within that time (the sessions under way then finish).
     */
    private Stats runSessions(int total, long durationNanos) throws Exception {
        int limit = durationNanos > 0 ? Integer.MAX_VALUE : total;
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong messages = new AtomicLong();
        int n = durationNanos > 0 ? devices.size() : Math.min(devices.size(), total);
        long t0 = System.nanoTime();
        long deadline = t0 + durationNanos;
        long c0 = cpuNanos();
        long client0 = FumoCampaign.clientCpu(ManagementFactory.getThreadMXBean());
        long checkpoints0 = checkpoints();
        long written0 = h2WrittenBytes();
        List<Future<long[]>> fs = new ArrayList<>();
        latencyBytes.set(0); // the records of earlier runs are garbage now
        for (int w = 0; w < o.concurrency; w++) {
            fs.add(workers.submit(() -> {
                long[] lat = new long[64];
                latencyBytes.addAndGet(8L * lat.length);
                int count = 0;
                int k;
                while ((durationNanos <= 0 || System.nanoTime() < deadline) && (k = next.getAndIncrement()) < limit) {
                    SimDevice d = devices.get(k % n);
                    synchronized (d) {
                        submitJob(d);
                        long s = System.nanoTime();
                        SimDevice.Run r = d.session(wire);
                        try {
                            if (r.open()) {
                                r.finish();
                            }
                            if (count == lat.length) {
                                lat = Arrays.copyOf(lat, count * 2);
                                latencyBytes.addAndGet(8L * count); // the harness's own memory, not the server's
                            }
                            lat[count++] = System.nanoTime() - s;
                            completedSessions.add();
                        } catch (SimDevice.SessionFailure e) {
                            failed.incrementAndGet();
                            error(e);
                        } catch (RuntimeException e) {
                            failed.incrementAndGet();
                            error(new SimDevice.SessionFailure("exception " + e.getClass().getSimpleName(), ""));
                        }
                        messages.addAndGet(r.messages);
                    }
                }
                return Arrays.copyOf(lat, count);
            }));
        }
        long[] all = new long[0];
        for (Future<long[]> f : fs) {
            long[] part = f.get();
            int at = all.length;
            all = Arrays.copyOf(all, at + part.length);
            System.arraycopy(part, 0, all, at, part.length);
        }
        Stats st = new Stats();
        st.seconds = (System.nanoTime() - t0) / 1e9;
        st.cpuNanos = cpuNanos() - c0;
        st.clientCpuNanos = FumoCampaign.clientCpu(ManagementFactory.getThreadMXBean()) - client0;
        st.checkpoints = checkpoints() - checkpoints0;
        st.h2WrittenBytes = h2WrittenBytes() - written0;
        st.h2Chunks = database == null ? "" : database.h2Chunks();
        st.count = all.length;
        st.errors = failed.get();
        st.messages = messages.get();
        st.nanos = all;
        Arrays.sort(st.nanos);
        return st;
    }

    /** Opens {@code count} sessions at once, measures the heap, then lets them finish. */
    private void holdPhase(int count) throws Exception {
        long h0 = usedHeapAfterGc();
        int before = engine.sessions().size();
        List<SimDevice.Run> runs = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> fs = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int w = 0; w < o.concurrency; w++) {
            fs.add(workers.submit(() -> {
                int k;
                while ((k = next.getAndIncrement()) < count) {
                    SimDevice d = devices.get(k);
                    submitJob(d);
                    SimDevice.Run r = d.session(wire);
                    try {
                        if (r.open()) {
                            runs.add(r);
                        }
                    } catch (SimDevice.SessionFailure e) {
                        error(e);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        double openSeconds = (System.nanoTime() - t0) / 1e9;
        long h1 = usedHeapAfterGc();
        int open = engine.sessions().size() - before;
        long heldByDevices = 0;
        for (SimDevice.Run r : runs) {
            heldByDevices += r.heldBytes();
        }
        System.out.printf(Locale.ROOT,
                "hold: %d sessions opened in %.1f s, %d open on the server; heap after GC %d -> %d KiB: %.1f KiB per open session"
                        + " (of which about %.1f KiB is the simulated devices' pending messages: server share about %.1f KiB); load average %s%n",
                runs.size(), openSeconds, open, h0 >> 10, h1 >> 10, (h1 - h0) / 1024.0 / Math.max(1, open),
                heldByDevices / 1024.0 / Math.max(1, runs.size()),
                (h1 - h0 - heldByDevices) / 1024.0 / Math.max(1, open), Proc.loadavg());
        next.set(0);
        fs.clear();
        List<SimDevice.Run> list = new ArrayList<>(runs);
        for (int w = 0; w < o.concurrency; w++) {
            fs.add(workers.submit(() -> {
                int k;
                while ((k = next.getAndIncrement()) < list.size()) {
                    try {
                        list.get(k).finish();
                    } catch (SimDevice.SessionFailure e) {
                        error(e);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        System.out.printf(Locale.ROOT, "hold: finished, %d sessions still open on the server, errors so far %s%n",
                engine.sessions().size(), errorsSnapshot());
    }

    /** @return the bytes the H2 registry wrote to its file so far (0 on other stores) */
    private long h2WrittenBytes() {
        return database == null ? 0 : database.h2WrittenBytes();
    }

    /** @return the checkpoints the H2 registry ran so far (0 on other stores) */
    private long checkpoints() {
        return database == null ? 0 : database.checkpoints();
    }

    /** @return CPU time of this process so far, in nanoseconds (server and simulated devices together) */
    private static long cpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private double echo(int seconds) throws Exception {
        byte[] body = wire.codec.encode(SyncML.forMediaType(wire.contentType).orElseThrow()
                .decode(samplePkg1()));
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        LongAdder ok = new LongAdder();
        LongAdder bad = new LongAdder();
        HttpRequest request = HttpRequest.newBuilder(URI.create(echoUrl)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", wire.contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        long t0 = System.nanoTime();
        long c0 = cpuNanos();
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < o.concurrency; w++) {
            fs.add(workers.submit(() -> {
                while (System.nanoTime() < deadline) {
                    try {
                        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() == 200 && r.body().length == body.length) {
                            ok.increment();
                        } else {
                            bad.increment();
                        }
                    } catch (IOException e) {
                        bad.increment();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        echoCpuMicrosPerRequest = (cpuNanos() - c0) / 1e3 / Math.max(1, ok.sum());
        if (bad.sum() > 0) {
            System.out.println("echo: " + bad.sum() + " failed requests");
        }
        return ok.sum() / s;
    }

    /** @return a package 1 of a device that is not registered (its bytes are only echoed) */
    private byte[] samplePkg1() throws Exception {
        SimDevice d = new SimDevice(o.devices + 1, "AAAAAA==", "AAAAAA==");
        return d.session(wire).package1Bytes();
    }

    private Map<JobState, Integer> jobStates() {
        Map<JobState, Integer> m = new TreeMap<>();
        for (SimDevice d : devices) {
            // one job per session the device ran (warm-up, hold, measured), and room for more
            for (Job j : registry.jobs(d.deviceId, d.sessionCount() + 10)) {
                m.merge(j.state(), 1, Integer::sum);
            }
        }
        return m;
    }

    private void stop() {
        try {
            if (workers != null) {
                workers.shutdownNow();
            }
            if (jetty != null) {
                jetty.stop();
            }
            if (engine != null) {
                engine.shutdown();
            }
            if (campaignPool != null) {
                campaignPool.close();
            }
            if (database != null) {
                database.close();
            }
            for (Path dir : new Path[] {packageDir}) {
                if (dir != null) {
                    try (Stream<Path> s = Files.walk(dir)) {
                        s.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            }
        } catch (Exception e) {
            System.err.println("stopping: " + e);
        }
    }
}
