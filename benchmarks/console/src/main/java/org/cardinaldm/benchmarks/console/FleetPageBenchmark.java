package org.cardinaldm.benchmarks.console;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.cxf.jaxrs.servlet.CXFNonSpringJaxrsServlet;
import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.DeviceManager;
import org.cardinaldm.server.api.spi.DeviceRecord;
import org.cardinaldm.server.internal.HelpDeskService;
import org.cardinaldm.server.internal.Notifier;
import org.cardinaldm.server.internal.Registry;
import org.cardinaldm.server.internal.ServerConfig;
import org.cardinaldm.server.jdbc.internal.ConnectionPool;
import org.cardinaldm.server.jdbc.internal.JdbcServerStore;
import org.cardinaldm.server.rest.internal.RestApplication;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The web console's fleet page over a large registry: fills an H2 file registry with N devices through the store
 * ({@link JdbcServerStore#insertDevice}), serves the real REST application (CXF's JAX-RS servlet in Jetty 9.4,
 * as Karaf's pax-web does) twice, once on the registry's search ({@code /cardinal/api/v1}) and once on the
 * whole-registry defaults ({@code /baseline/api/v1}: {@code DeviceManager.search}/{@code fleetStats} as they were
 * computed before, from {@code devices()}), then times what the browser asks, as the browser asks it: the first
 * render ({@code console/devices} and {@code console/stats} in parallel), the next page, and a search, with
 * warm-up runs first and the median of the measured runs, both variants interleaved in the same run.
 *
 * <p>Usage: {@code java -jar benchmarks/console/target/console-bench.jar [devices] [runs] [dbdir]}.
 */
public final class FleetPageBenchmark {
    private static final int PAGE = 25;
    private static final Pattern NEXT = Pattern.compile("\"next\"\\s*:\\s*\"([^\"]*)\"");

    private FleetPageBenchmark() {
    }

    /**
     * @param args devices (default 100000), measured runs (default 9), database directory (default target/fleet-db)
     * @throws Exception when the benchmark cannot run
     */
    public static void main(String[] args) throws Exception {
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        Path dir = Path.of(args.length > 2 ? args[2] : "target/fleet-db").toAbsolutePath();
        System.out.printf("date %s, load average %s, %d CPUs, Java %s%n", Instant.now(), loadAverage(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        Files.createDirectories(dir);
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("registry") + ";LOCK_TIMEOUT=10000");
        ConnectionPool pool = new ConnectionPool(ds, 10, 10_000); // the registry component's defaults
        JdbcServerStore store = JdbcServerStore.open(pool);
        long t0 = System.nanoTime();
        fill(store, devices);
        System.out.printf("filled %,d devices through the store in %.1f s (H2 file %s, %,d bytes)%n", devices,
                (System.nanoTime() - t0) / 1e9, dir.resolve("registry.mv.db"), Files.size(dir.resolve("registry.mv.db")));

        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        Registry registry = new Registry(store, ServerConfig.DEFAULT, clock, random);
        DeviceManager wholeRegistry = wholeRegistry(registry);
        HelpDeskService helpDesk = new HelpDeskService(registry);
        Notifier notifier = new Notifier(store, ServerConfig.DEFAULT, clock, random, s -> Optional.empty(),
                Duration.ofSeconds(60), 3);
        RestApplication.Config config = config();
        RestApplication search = new RestApplication(registry, registry, helpDesk, notifier, List::of, config, null,
                null, null);
        RestApplication baseline = new RestApplication(wholeRegistry, registry, helpDesk, notifier, List::of, config,
                null, null, null);
        Server jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new CXFNonSpringJaxrsServlet(search)), "/cardinal/api/v1/*");
        context.addServlet(new ServletHolder(new CXFNonSpringJaxrsServlet(baseline)), "/baseline/api/v1/*");
        jetty.setHandler(context);
        jetty.start();
        int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try {
            Map<String, String> bases = new LinkedHashMap<>();
            bases.put("registry search (SQL)", "http://127.0.0.1:" + port + "/cardinal/api/v1");
            bases.put("whole registry (before)", "http://127.0.0.1:" + port + "/baseline/api/v1");
            Map<String, Map<String, List<Double>>> times = new LinkedHashMap<>();
            for (int run = -3; run < runs; run++) { // three warm-up runs
                for (Map.Entry<String, String> b : bases.entrySet()) {
                    Map<String, Double> one = once(http, b.getValue());
                    if (run >= 0) {
                        one.forEach((k, v) -> times.computeIfAbsent(b.getKey(), x -> new LinkedHashMap<>())
                                .computeIfAbsent(k, x -> new ArrayList<>()).add(v));
                    }
                }
            }
            System.out.printf("%n%d devices, %d measured runs after 3 warm-ups, page of %d, milliseconds: "
                    + "median (min-max)%n", devices, runs, PAGE);
            for (Map.Entry<String, Map<String, List<Double>>> v : times.entrySet()) {
                System.out.println(v.getKey());
                for (Map.Entry<String, List<Double>> m : v.getValue().entrySet()) {
                    List<Double> s = new ArrayList<>(m.getValue());
                    Collections.sort(s);
                    System.out.printf("  %-44s %8.1f  (%.1f-%.1f)%n", m.getKey(), s.get(s.size() / 2), s.get(0),
                            s.get(s.size() - 1));
                }
            }
            System.out.printf("load average at the end %s%n", loadAverage());
        } finally {
            jetty.stop();
            pool.close();
        }
    }

    /** One visit of the fleet page: first render, next page, a search; milliseconds each. */
    private static Map<String, Double> once(HttpClient http, String base) throws Exception {
        Map<String, Double> out = new LinkedHashMap<>();
        long t = System.nanoTime();
        CompletableFuture<HttpResponse<String>> list = get(http, base + "/console/devices?limit=" + PAGE);
        CompletableFuture<HttpResponse<String>> stats = get(http, base + "/console/stats?hours=24");
        String first = check(list.get());
        check(stats.get());
        out.put("first render (devices + stats, in parallel)", (System.nanoTime() - t) / 1e6);
        Matcher m = NEXT.matcher(first);
        if (!m.find()) {
            throw new IllegalStateException("no next page in " + first.substring(0, Math.min(200, first.length())));
        }
        t = System.nanoTime();
        check(get(http, base + "/console/devices?limit=" + PAGE + "&after=" + m.group(1).replace(":", "%3A")).get());
        out.put("next page", (System.nanoTime() - t) / 1e6);
        t = System.nanoTime();
        check(get(http, base + "/console/devices?limit=" + PAGE + "&q=globex&state=locked").get());
        out.put("search 'globex', state locked", (System.nanoTime() - t) / 1e6);
        return out;
    }

    private static CompletableFuture<HttpResponse<String>> get(HttpClient http, String uri) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(uri)).header("Accept", "application/json")
                .header("X-Cardinal-Console", "1").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String check(HttpResponse<String> r) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException(r.uri() + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** Inserts the devices from four threads: a fleet in every state with makers, models and firmware versions. */
    private static void fill(JdbcServerStore store, int n) throws Exception {
        Instant now = Instant.now();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> work = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            work.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    store.insertDevice(device(i, now));
                }
                return null;
            }));
        }
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();
    }

    static DeviceRecord device(int i, Instant now) {
        String id = String.format("IMEI:35%013d", i);
        Map<String, String> info = new HashMap<>();
        info.put("./DevInfo/Man", i % 3 == 0 ? "Acme" : i % 3 == 1 ? "Globex" : "Initech");
        info.put("./DevInfo/Mod", "Gateway-" + (i % 7));
        info.put("./DevInfo/Lang", "en-GB");
        info.put("./DevInfo/DmV", "1.2");
        info.put("./DevDetail/FwV", "2." + (i % 4) + ".0");
        boolean seen = i % 10 != 0;                             // 10 % never connected
        Instant last = seen ? now.minusSeconds((i * 37L) % (48 * 3600)) : null; // spread over two days
        Instant locked = i % 50 == 1 ? now.plusSeconds(900) : null; // 2 % locked out
        boolean enabled = i % 100 != 2;                         // 1 % disabled
        return new DeviceRecord(id, i % 4 == 0 ? "8944" + String.format("%015d", i) : null, info,
                last == null ? null : last.minusSeconds(86_400), last, AuthScheme.MD5, id, "ZGlnZXN0Y2xpZW50PT0=",
                "bm9uY2U=", AuthScheme.MD5, "cardinal", "ZGlnZXN0c2VydmVyPT0=", null, null, enabled, locked == null ? 0 : 5,
                locked == null ? 0 : 5, locked, null);
    }

    /** The registry with the search and figures of before: the interface's whole-registry defaults. */
    private static DeviceManager wholeRegistry(Registry registry) {
        InvocationHandler h = (proxy, method, args) -> {
            if (method.isDefault() && (method.getName().equals("search") || method.getName().equals("fleetStats"))) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            try {
                return method.invoke(registry, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (DeviceManager) Proxy.newProxyInstance(FleetPageBenchmark.class.getClassLoader(),
                new Class<?>[] {DeviceManager.class}, h);
    }

    private static RestApplication.Config config() {
        Map<String, Object> values = Map.of("auth", "none");
        return (RestApplication.Config) Proxy.newProxyInstance(FleetPageBenchmark.class.getClassLoader(),
                new Class<?>[] {RestApplication.Config.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return RestApplication.Config.class;
                    }
                    Object v = values.get(method.getName());
                    return v != null ? v : method.getDefaultValue();
                });
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
