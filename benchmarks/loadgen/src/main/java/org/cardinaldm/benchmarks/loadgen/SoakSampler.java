package org.cardinaldm.benchmarks.loadgen;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The soak mode's samples ({@code --mode soak}): every {@code --sample-seconds} one line with the time into the run,
 * the sessions completed and failed in the interval, the heap used after a full GC ({@link System#gc}, so each sample
 * pauses the JVM once), the sessions open on the server, this process's open file descriptors
 * ({@code /proc/self/fd}), its threads, the registry's file size, the memory H2's page cache holds (part of the heap;
 * it fills up to its limit as the file grows) and the load average. A sample before the run is the
 * baseline and one after it, once every session has ended, the end.
 */
final class SoakSampler implements AutoCloseable {
    /** One line of the curve. */
    record Sample(double seconds, long completed, long failed, long heapAfterGc, int openSessions, long fds, int threads,
            long registryBytes, long cacheBytes, long harnessBytes, String load) {
        String line(Sample previous) {
            double dt = previous == null ? 0 : seconds - previous.seconds;
            long done = previous == null ? completed : completed - previous.completed;
            return String.format(Locale.ROOT, "%7.0f s  sessions %8d (%6.0f/s)  failed %4d  heap after GC %7.1f MiB  "
                    + "open sessions %6d  fds %5d  threads %4d  registry %8.1f MiB  H2 cache %5.1f MiB  latency records %5.1f MiB  "
                    + "load %s", seconds, completed, dt > 0 ? done / dt : 0, failed, heapAfterGc / 1048576.0, openSessions,
                    fds, threads, registryBytes / 1048576.0, cacheBytes / 1048576.0, harnessBytes / 1048576.0, load);
        }
    }

    private final LongSupplier completed;
    private final LongSupplier failed;
    private final IntSupplier openSessions;
    private final LongSupplier registryBytes;
    private final LongSupplier cacheBytes;
    private final LongSupplier harnessBytes;
    private final long t0 = System.nanoTime();
    private final List<Sample> samples = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "loadgen-sampler");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param completed sessions completed so far
     * @param failed sessions failed so far
     * @param openSessions sessions open on the server now
     * @param registryBytes the registry's files now (0 when not a file)
     * @param cacheBytes what H2's page cache holds now (0 when not H2)
     * @param harnessBytes what the load generator's own latency records hold now (in the same heap as the server)
     */
    SoakSampler(LongSupplier completed, LongSupplier failed, IntSupplier openSessions, LongSupplier registryBytes,
            LongSupplier cacheBytes, LongSupplier harnessBytes) {
        this.completed = completed;
        this.failed = failed;
        this.openSessions = openSessions;
        this.registryBytes = registryBytes;
        this.cacheBytes = cacheBytes;
        this.harnessBytes = harnessBytes;
    }

    /** Takes and prints the baseline, then a sample every {@code seconds}. */
    void start(int seconds) {
        sample("baseline");
        timer.scheduleAtFixedRate(() -> sample(""), seconds, seconds, TimeUnit.SECONDS);
    }

    /** @return the sample just taken, printed with {@code label} */
    synchronized Sample sample(String label) {
        System.gc();
        System.gc();
        Sample s = new Sample((System.nanoTime() - t0) / 1e9, completed.getAsLong(), failed.getAsLong(),
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), openSessions.getAsInt(), Proc.openFiles(),
                Thread.activeCount(), registryBytes.getAsLong(), cacheBytes.getAsLong(), harnessBytes.getAsLong(), Proc.loadavg());
        Sample previous = samples.isEmpty() ? null : samples.get(samples.size() - 1);
        samples.add(s);
        System.out.println(s.line(previous) + (label.isEmpty() ? "" : "  <- " + label));
        return s;
    }

    /** @return every sample taken */
    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** Stops the periodic samples. */
    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** A counter of completed sessions the runs can bump. */
    static final class Counter implements LongSupplier {
        private final AtomicLong n = new AtomicLong();

        void add() {
            n.incrementAndGet();
        }

        @Override
        public long getAsLong() {
            return n.get();
        }
    }
}
