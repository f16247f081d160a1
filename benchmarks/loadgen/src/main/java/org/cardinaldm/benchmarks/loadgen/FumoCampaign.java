package org.cardinaldm.benchmarks.loadgen;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationResult;
import org.cardinaldm.server.internal.Registry;

/**
 * A firmware campaign over every simulated device (issue 14's benchmark): the operator's side queues one job per
 * device (Replace of {@code ./FUMO/FW/DownloadAndUpdate/PkgURL}, Exec of {@code ./FUMO/FW/DownloadAndUpdate}); each
 * device, at most {@code concurrency} at a time, runs the session that receives them (Replace 200, Exec 202 with
 * the server's Correlator), downloads the package from the server's package servlet (every {@code resumeEvery}-th
 * device cuts its download at half and resumes it with Range), then opens a second session whose package 1
 * carries the Generic Alert 1226 ({@code org.openmobilealliance.dm.firmwareupdate.downloadandupdate}, Source
 * {@code ./FUMO/FW}, the Correlator, Data the result code). At the end every campaign job must be SUCCEEDED with
 * the asynchronous result 200: anything else is counted as lost.
 *
 * <p>CPU: the process CPU over the campaign (server and simulated devices), and an estimate of the server's share:
 * the process CPU minus the CPU of the client-side threads (the device workers {@code loadgen-device*}, the
 * HTTP client's executor {@code loadgen-http*} and its selector {@code HttpClient-*}); GC and JIT count as server.
 */
final class FumoCampaign {
    static final String INSTANCE = "./FUMO/FW";
    static final String NODE = INSTANCE + "/DownloadAndUpdate";
    static final String DESCRIPTION = "fumo campaign";

    private final Registry registry;
    private final List<SimDevice> devices;
    private final ExecutorService workers;
    private final int concurrency;
    private final FumoDownloader downloader;
    private final String packageUrl;
    private final int resumeEvery;
    private final FumoDeviceUpdate updater;

    FumoCampaign(Registry registry, SimDevice.Wire wire, List<SimDevice> devices, ExecutorService workers,
            int concurrency, FumoDownloader downloader, String packageUrl, int resumeEvery,
            Consumer<SimDevice.SessionFailure> errors) {
        this.registry = registry;
        this.devices = devices;
        this.workers = workers;
        this.concurrency = concurrency;
        this.downloader = downloader;
        this.packageUrl = packageUrl;
        this.resumeEvery = resumeEvery;
        this.updater = new FumoDeviceUpdate(wire, downloader, errors);
    }

    /** What a campaign measured. */
    record Result(int devices, double submitSeconds, double wallSeconds, long processCpuNanos, long clientCpuNanos,
            long[] deviceNanos, Map<String, Integer> outcomes, Map<JobState, Integer> jobStates, int succeeded200,
            long resumed, long busyRetries, long bytes) {
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
        long client0 = clientCpu(threads);
        long cpu0 = processCpu();
        long t0 = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            fs.add(workers.submit(() -> {
                for (int k; (k = next.getAndIncrement()) < devices.size();) {
                    registry.submit(devices.get(k).deviceId, DESCRIPTION, List.of(
                            Operation.replace(NODE + "/PkgURL", packageUrl, "chr"), Operation.exec(NODE, null, null)));
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        double submitSeconds = (System.nanoTime() - t0) / 1e9;
        long[] perDevice = new long[devices.size()];
        AtomicInteger done = new AtomicInteger();
        Map<String, Integer> outcomes = new TreeMap<>();
        next.set(0);
        fs.clear();
        for (int w = 0; w < concurrency; w++) {
            fs.add(workers.submit(() -> {
                for (int k; (k = next.getAndIncrement()) < devices.size();) {
                    SimDevice d = devices.get(k);
                    long s = System.nanoTime();
                    String outcome = updater.update(d, resumeEvery > 0 && k % resumeEvery == 0);
                    perDevice[done.getAndIncrement()] = System.nanoTime() - s;
                    synchronized (outcomes) {
                        outcomes.merge(outcome, 1, Integer::sum);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        long cpu = processCpu() - cpu0;
        long client = clientCpu(threads) - client0;
        Map<JobState, Integer> states = new TreeMap<>();
        int ok = 0;
        for (SimDevice d : devices) {
            for (Job j : registry.jobs(d.deviceId, 50)) {
                if (!j.description().equals(DESCRIPTION)) {
                    continue;
                }
                states.merge(j.state(), 1, Integer::sum);
                if (j.state() == JobState.SUCCEEDED && j.results().stream().map(OperationResult::async)
                        .anyMatch(a -> a != null && a.report() != null && a.report().code() == 200)) {
                    ok++;
                }
            }
        }
        long[] sorted = Arrays.copyOf(perDevice, done.get());
        Arrays.sort(sorted);
        return new Result(devices.size(), submitSeconds, wall, cpu, client, sorted, outcomes, states, ok,
                downloader.resumed.sum(), downloader.busyRetries.sum(), downloader.bytes.sum());
    }

    static void print(Result r, int packageBytes) {
        System.out.println();
        System.out.println("== FUMO campaign ==");
        System.out.printf(Locale.ROOT, "devices         %d, package %d bytes, jobs queued in %.1f s%n", r.devices(),
                packageBytes, r.submitSeconds());
        System.out.printf(Locale.ROOT, "wall time       %.1f s from the first job queued to the last 1226 (%.1f devices/s)%n",
                r.wallSeconds(), r.devices() / r.wallSeconds());
        System.out.printf(Locale.ROOT, "per device      p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (session + download + alert session)%n",
                r.percentile(50), r.percentile(90), r.percentile(99), r.percentile(100));
        System.out.printf(Locale.ROOT, "outcomes        %s; downloads resumed with 206: %d; 503 retries: %d; %.1f MiB received%n",
                r.outcomes(), r.resumed(), r.busyRetries(), r.bytes() / 1048576.0);
        System.out.printf(Locale.ROOT, "jobs            %s; SUCCEEDED with result 200: %d of %d; lost: %d%n", r.jobStates(),
                r.succeeded200(), r.devices(), r.devices() - r.succeeded200());
        System.out.printf(Locale.ROOT, "CPU             process %.2f ms per device (server and simulated devices); server estimate %.2f ms per device"
                        + " (process minus client threads %.2f ms)%n",
                r.processCpuNanos() / 1e6 / r.devices(), (r.processCpuNanos() - r.clientCpuNanos()) / 1e6 / r.devices(),
                r.clientCpuNanos() / 1e6 / r.devices());
    }

    static long processCpu() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    static long clientCpu(ThreadMXBean threads) {
        long sum = 0;
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            String n = info.getThreadName();
            if (n.startsWith("loadgen-device") || n.startsWith("loadgen-http") || n.startsWith("HttpClient-")) {
                long t = threads.getThreadCpuTime(info.getThreadId());
                if (t > 0) {
                    sum += t;
                }
            }
        }
        return sum;
    }
}
