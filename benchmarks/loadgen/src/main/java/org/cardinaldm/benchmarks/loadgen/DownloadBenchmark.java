package org.cardinaldm.benchmarks.loadgen;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.cardinaldm.server.packages.internal.DownloadLimits;
import org.cardinaldm.server.packages.internal.PackageServlet;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.eclipse.jetty.util.resource.Resource;

/**
 * Download throughput of server-packages' {@link PackageServlet} against a plain file download of the same files
 * from the same Jetty 9.4 (a {@link ResourceHandler} on the same connector): a 1 MiB and a 64 MiB package, over
 * loopback HTTP/1.1 with the JDK client, the body read and counted (and SHA-256-checked once per size and path).
 * Rounds alternate plain and servlet so that both see the same machine load; the report gives MiB/s, process CPU
 * per MiB (server and client together) and the servlet : plain ratio. Run with {@code --help}.
 */
public final class DownloadBenchmark {
    private static final int MIB = 1024 * 1024;

    private DownloadBenchmark() {
    }

    /** One measured series. */
    private static final class Series {
        long bytes;
        long nanos;
        long cpuNanos;
        int downloads;

        double mibPerSecond() {
            return bytes / (double) MIB / (nanos / 1e9);
        }

        double cpuMillisPerMib() {
            return cpuNanos / 1e6 / (bytes / (double) MIB);
        }
    }

    /**
     * @param args {@code --sizes 1,64} (MiB), {@code --rounds R} (5), {@code --seconds S} per round and path (3),
     *        {@code --clients C} (1 and 4: {@code 1,4})
     * @throws Exception when the run cannot start or a download is wrong
     */
    public static void main(String[] args) throws Exception {
        List<Integer> sizes = List.of(1, 64);
        List<Integer> clientCounts = List.of(1, 4);
        int rounds = 5;
        double seconds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sizes" -> sizes = ints(args[++i]);
                case "--clients" -> clientCounts = ints(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--help", "-h" -> {
                    System.out.println("java -cp loadgen.jar " + DownloadBenchmark.class.getName()
                            + " [--sizes 1,64] [--clients 1,4] [--rounds 5] [--seconds 3]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
            }
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Path dir = Files.createTempDirectory("cardinal-download-");
        Server jetty = new Server();
        try {
            for (int size : sizes) {
                byte[] b = new byte[size * MIB];
                new Random(size).nextBytes(b);
                Files.write(dir.resolve("pkg-" + size + "m.bin"), b);
            }
            ServerConnector connector = new ServerConnector(jetty);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            jetty.addConnector(connector);
            ServletContextHandler packages = new ServletContextHandler();
            packages.setContextPath("/");
            // limits far above the clients: the benchmark measures the copy, not the 503s
            packages.addServlet(new ServletHolder(new PackageServlet(dir, new DownloadLimits(1024, 1024))), "/packages/*");
            ResourceHandler files = new ResourceHandler();
            files.setBaseResource(Resource.newResource(dir.toFile()));
            files.setDirectoriesListed(false);
            ContextHandler plain = new ContextHandler("/plain");
            plain.setHandler(files);
            ContextHandlerCollection all = new ContextHandlerCollection();
            all.setHandlers(new Handler[] {plain, packages});
            jetty.setHandler(all);
            jetty.start();
            String base = "http://127.0.0.1:" + connector.getLocalPort();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            System.out.printf(Locale.ROOT, "Cardinal download benchmark, %s, Java %s, %d CPUs, Jetty %s%n", Instant.now(),
                    System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), Server.getVersion());
            System.out.println("load average at start: " + Proc.loadavg());
            for (int size : sizes) {
                String name = "pkg-" + size + "m.bin";
                String expected = sha256(Files.readAllBytes(dir.resolve(name)));
                check(http, base + "/plain/" + name, expected);
                check(http, base + "/packages/" + name, expected);
                for (int clients : clientCounts) {
                    Series p = new Series();
                    Series s = new Series();
                    ExecutorService pool = Executors.newFixedThreadPool(clients);
                    try {
                        run(http, pool, base + "/plain/" + name, clients, 1, seconds, null); // warm-up
                        run(http, pool, base + "/packages/" + name, clients, 1, seconds, null);
                        String loadBefore = Proc.loadavg();
                        for (int r = 0; r < rounds; r++) {
                            run(http, pool, base + "/plain/" + name, clients, size, seconds, p);
                            run(http, pool, base + "/packages/" + name, clients, size, seconds, s);
                        }
                        System.out.printf(Locale.ROOT,
                                "%3d MiB x %d client(s): plain %7.1f MiB/s (%5.2f ms CPU/MiB, %d downloads) | servlet %7.1f MiB/s"
                                        + " (%5.2f ms CPU/MiB, %d downloads) | servlet : plain = %.2f (throughput), %.2f (CPU"
                                        + " per MiB) | load %s -> %s%n",
                                size, clients, p.mibPerSecond(), p.cpuMillisPerMib(), p.downloads, s.mibPerSecond(),
                                s.cpuMillisPerMib(), s.downloads, s.mibPerSecond() / p.mibPerSecond(),
                                s.cpuMillisPerMib() / p.cpuMillisPerMib(), loadBefore, Proc.loadavg());
                    } finally {
                        pool.shutdownNow();
                    }
                }
            }
        } finally {
            jetty.stop();
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Downloads one URL with {@code clients} clients for at least {@code seconds}, adding to {@code into}. */
    private static void run(HttpClient http, ExecutorService pool, String url, int clients, int sizeMib,
            double seconds, Series into) throws Exception {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        AtomicLong bytes = new AtomicLong();
        AtomicLong count = new AtomicLong();
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120)).GET().build();
        long t0 = System.nanoTime();
        long c0 = cpuNanos();
        List<Future<?>> fs = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            fs.add(pool.submit(() -> {
                byte[] buffer = new byte[64 * 1024];
                do {
                    HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
                    long n = 0;
                    try (InputStream in = r.body()) {
                        for (int k; (k = in.read(buffer)) >= 0;) {
                            n += k;
                        }
                    }
                    if (r.statusCode() != 200 || sizeMib > 0 && into != null && n != (long) sizeMib * MIB) {
                        throw new IOException(url + " answered " + r.statusCode() + " with " + n + " bytes");
                    }
                    bytes.addAndGet(n);
                    count.incrementAndGet();
                } while (System.nanoTime() < deadline);
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        if (into != null) {
            into.nanos += System.nanoTime() - t0;
            into.cpuNanos += cpuNanos() - c0;
            into.bytes += bytes.get();
            into.downloads += (int) count.get();
        }
    }

    private static void check(HttpClient http, String url, String expectedSha) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200 || !sha256(r.body()).equals(expectedSha)) {
            throw new IllegalStateException(url + " did not give the file (status " + r.statusCode() + ")");
        }
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static List<Integer> ints(String csv) {
        List<Integer> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            out.add(Integer.parseInt(s.strip()));
        }
        return out;
    }

    private static long cpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
