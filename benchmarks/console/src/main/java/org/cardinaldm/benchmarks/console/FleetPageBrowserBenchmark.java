package org.cardinaldm.benchmarks.console;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Time to first render of the console's fleet page in a real browser: headless Chromium (Debian's {@code chromium}
 * and {@code chromium-driver}, through Selenium) against a fresh copy of the built distribution whose H2 file
 * registry was filled with N devices before its first start ({@link KarafCopy#fill}), and, in the same run, a copy
 * with a baseline number of devices (30 by default: two pages of the list, so that the next page is timed too). For each copy: the bare login page (navigation start to the login form), then,
 * logged in, the fleet page loaded from scratch ({@code #/fleet} from {@code about:blank}, the browser's cache
 * emptied first, and again with a warm cache) measured from navigation start to the {@code cardinal:fleet-rows}
 * mark {@code fleet.js} sets when the table's rows are in the document and to {@code cardinal:fleet-rows-painted}
 * after the next frame, plus the wall time the driver saw; then the Next button to the next page's rows. The
 * Resource Timing of the two API calls is printed too. Warm-up rounds first, then the median and p90 (nearest rank).
 *
 * <p>Usage (under {@code flock /tmp/cardinal-karaf.lock}: the copies listen on 8181 and 8443):
 * {@code java -cp console-bench.jar org.cardinaldm.benchmarks.console.FleetPageBrowserBenchmark dist=<tar.gz>
 * [devices=100000] [baseline=30] [rounds=15] [warmup=3] [work=target/browser-bench] [overlay=a.jar,b.jar]}.
 */
public final class FleetPageBrowserBenchmark {
    private static final String HTTP = "http://127.0.0.1:8181";
    private static final String CONSOLE = HTTP + "/cardinal/console/";
    private static final String USER = "bench-admin";
    private static final String PASSWORD = "bench-admin-pw-0c41";
    private static final int PAGE = 25;

    /** Resolves with [rows mark, painted mark, API devices duration, API stats duration] once the page is drawn. */
    private static final String AWAIT_FLEET = String.join("\n",
            "const done = arguments[arguments.length - 1];",
            "const want = arguments[0];",
            "const t0 = Date.now();",
            "(function poll() {",
            "  const rows = performance.getEntriesByName('cardinal:fleet-rows');",
            "  const painted = performance.getEntriesByName('cardinal:fleet-rows-painted');",
            "  const res = performance.getEntriesByType('resource');",
            "  const stats = res.some(x => x.name.includes('/console/stats'));",
            "  if (rows.length >= want && painted.length >= want && (stats || Date.now() - t0 > 30000)) {",
            "    const api = p => { const e = res.filter(x => x.name.includes(p)); return e.length ? e[e.length - 1].duration : -1; };",
            "    done([rows[want - 1].startTime, painted[want - 1].startTime, api('/console/devices'), api('/console/stats'),",
            "      document.querySelectorAll('#fleet-table tbody tr').length, document.getElementById('fleet-where').textContent]);",
            "  } else if (Date.now() - t0 > 60000) { done(null); } else { requestAnimationFrame(poll); }",
            "})();");

    /** Clicks Next and resolves with [rows mark - click, painted mark - click, rows, pager text]. */
    private static final String NEXT_PAGE = String.join("\n",
            "const done = arguments[arguments.length - 1];",
            "const n = performance.getEntriesByName('cardinal:fleet-rows').length;",
            "const p = performance.getEntriesByName('cardinal:fleet-rows-painted').length;",
            "const t0 = performance.now();",
            "document.getElementById('fleet-next').click();",
            "const started = Date.now();",
            "(function poll() {",
            "  const rows = performance.getEntriesByName('cardinal:fleet-rows');",
            "  const painted = performance.getEntriesByName('cardinal:fleet-rows-painted');",
            "  if (rows.length > n && painted.length > p) {",
            "    done([rows[n].startTime - t0, painted[p].startTime - t0,",
            "      document.querySelectorAll('#fleet-table tbody tr').length, document.getElementById('fleet-where').textContent]);",
            "  } else if (Date.now() - started > 60000) { done(null); } else { requestAnimationFrame(poll); }",
            "})();");

    /** Resolves with the time since navigation start at which the login form is in the document. */
    private static final String AWAIT_LOGIN = String.join("\n",
            "const done = arguments[arguments.length - 1];",
            "const started = Date.now();",
            "(function poll() {",
            "  if (document.getElementById('login-user')) { done(performance.now()); }",
            "  else if (Date.now() - started > 60000) { done(null); } else { requestAnimationFrame(poll); }",
            "})();");

    private FleetPageBrowserBenchmark() {
    }

    /**
     * @param args {@code key=value}: dist (required), devices, baseline, rounds, warmup, work, overlay
     * @throws Exception when the benchmark cannot run
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>(Map.of("devices", "100000", "baseline", "30", "rounds", "15",
                "warmup", "3", "work", "target/browser-bench", "overlay", ""));
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("arguments are key=value: " + arg);
            }
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Path dist = Path.of(a.getOrDefault("dist", ""));
        if (!Files.isRegularFile(dist)) {
            throw new IllegalArgumentException("dist=<the distribution's tar.gz> is required");
        }
        int rounds = Integer.parseInt(a.get("rounds"));
        int warmup = Integer.parseInt(a.get("warmup"));
        List<Path> overlay = Arrays.stream(a.get("overlay").split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(Path::of).toList();
        System.out.printf("date %s, load average %s, %d CPUs, Java %s, %s%n", Instant.now(), loadAverage(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), chromiumVersion());
        System.out.printf("distribution %s%s%n", dist, overlay.isEmpty() ? "" : ", with " + overlay.size()
                + " bundles of this build laid over its system/: " + overlay.stream().map(p -> p.getFileName().toString())
                        .toList());
        Map<String, Map<String, List<Double>>> results = new LinkedHashMap<>();
        for (int devices : new int[] {Integer.parseInt(a.get("baseline")), Integer.parseInt(a.get("devices"))}) {
            String variant = String.format(Locale.ROOT, "%,d devices", devices);
            results.put(variant, variant(dist, overlay, devices, rounds, warmup,
                    Path.of(a.get("work"), "registry-" + devices).toAbsolutePath()));
        }
        System.out.printf("%n%d measured rounds after %d warm-ups, page of %d; milliseconds: median / p90 (min-max)%n",
                rounds, warmup, PAGE);
        List<String> metrics = new ArrayList<>(results.values().iterator().next().keySet());
        System.out.printf("%-62s", "");
        for (String v : results.keySet()) {
            System.out.printf(" | %-30s", v);
        }
        System.out.println();
        for (String m : metrics) {
            System.out.printf("%-62s", m);
            for (Map<String, List<Double>> r : results.values()) {
                System.out.printf(" | %-30s", summary(r.get(m)));
            }
            System.out.println();
        }
        System.out.printf("load average at the end %s%n", loadAverage());
    }

    private static Map<String, List<Double>> variant(Path dist, List<Path> overlay, int devices, int rounds,
            int warmup, Path work) throws Exception {
        Map<String, List<Double>> out = new LinkedHashMap<>();
        try (KarafCopy karaf = KarafCopy.unpack(dist, work)) {
            Thread stopper = new Thread(karaf::close, "stop-karaf-copy"); // also when the benchmark is killed
            Runtime.getRuntime().addShutdownHook(stopper);
            int replaced = karaf.overlay(overlay);
            double fill = karaf.fill(devices);
            long size = Files.size(karaf.home().resolve("data/cardinal/server-registry.mv.db"));
            System.out.printf("%n%,d devices: copy in %s, %d jars replaced, registry filled through the store in %.1f s "
                    + "(%,d bytes), load average %s%n", devices, karaf.home(), replaced, fill, size, loadAverage());
            karaf.configure(List.of(USER + " = " + PASSWORD + ",_g_:admingroup"));
            long t0 = System.nanoTime();
            karaf.start();
            awaitServer(devices);
            System.out.printf("  started and answering with the registry in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            ChromeDriver driver = browser();
            Thread quitter = new Thread(driver::quit, "quit-chromium");
            Runtime.getRuntime().addShutdownHook(quitter);
            try {
                for (int r = -warmup; r < rounds; r++) {
                    driver.get("about:blank"); // not logged in yet: every load shows the login form
                    long w = System.nanoTime();
                    driver.get(CONSOLE);
                    Object login = driver.executeAsyncScript(AWAIT_LOGIN);
                    double wall = (System.nanoTime() - w) / 1e6;
                    if (r >= 0) {
                        add(out, "login page: navigation start -> form (baseline)", number(login));
                        add(out, "login page: driver wall time", wall);
                    }
                }
                driver.findElement(By.id("login-user")).sendKeys(USER);
                driver.findElement(By.id("login-password")).sendKeys(PASSWORD, Keys.ENTER);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (driver.findElements(By.cssSelector("#fleet-table tbody tr")).isEmpty()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the fleet page did not appear after the login");
                    }
                    Thread.sleep(100); // waiting for the browser, not measuring
                }
                for (int r = -warmup; r < rounds; r++) {
                    for (boolean cold : new boolean[] {true, false}) {
                        driver.get("about:blank");
                        if (cold) {
                            driver.executeCdpCommand("Network.clearBrowserCache", Map.of());
                        }
                        String label = cold ? "first render, cache emptied" : "first render, warm cache";
                        long w = System.nanoTime();
                        driver.get(CONSOLE + "#/fleet");
                        List<?> m = (List<?>) driver.executeAsyncScript(AWAIT_FLEET, 1);
                        double wall = (System.nanoTime() - w) / 1e6;
                        check(m, devices);
                        if (r >= 0) {
                            add(out, label + ": navigation start -> rows", number(m.get(0)));
                            add(out, label + ": navigation start -> rows painted", number(m.get(1)));
                            add(out, label + ": driver wall time", wall);
                            add(out, label + ": GET console/devices (Resource Timing)", number(m.get(2)));
                            add(out, label + ": GET console/stats, in parallel", number(m.get(3)));
                        }
                    }
                    if (!Boolean.TRUE.equals(driver.executeScript(
                            "return !document.getElementById('fleet-next').disabled"))) {
                        continue; // a registry of one page: no next page to time
                    }
                    long w = System.nanoTime();
                    List<?> n = (List<?>) driver.executeAsyncScript(NEXT_PAGE);
                    double wall = (System.nanoTime() - w) / 1e6;
                    if (n == null || !String.valueOf(n.get(3)).startsWith("page 2")) {
                        throw new IllegalStateException("the next page did not render: " + n);
                    }
                    if (r >= 0) {
                        add(out, "next page: click -> rows", number(n.get(0)));
                        add(out, "next page: click -> rows painted", number(n.get(1)));
                        add(out, "next page: driver wall time", wall);
                    }
                }
            } finally {
                driver.quit();
                Runtime.getRuntime().removeShutdownHook(quitter);
            }
            Runtime.getRuntime().removeShutdownHook(stopper);
        }
        return out;
    }

    private static void check(List<?> m, int devices) {
        if (m == null) {
            throw new IllegalStateException("the fleet page did not render within 60 s");
        }
        int rows = ((Number) m.get(4)).intValue();
        String where = String.valueOf(m.get(5));
        if (rows != Math.min(PAGE, devices + 1) && rows != Math.min(PAGE, devices)) {
            throw new IllegalStateException("the fleet table has " + rows + " rows: " + where);
        }
        long registered = Long.parseLong(where.replaceAll(".*· (\\d+) registered.*", "$1"));
        if (registered < devices) {
            throw new IllegalStateException("the page shows " + where + ", not the " + devices + " devices");
        }
    }

    private static void add(Map<String, List<Double>> out, String metric, double value) {
        out.computeIfAbsent(metric, k -> new ArrayList<>()).add(value);
    }

    private static double number(Object o) {
        if (!(o instanceof Number n)) {
            throw new IllegalStateException("the page gave no figure: " + o);
        }
        return n.doubleValue();
    }

    private static String summary(List<Double> values) {
        if (values == null || values.isEmpty()) {
            return "-";
        }
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        double median = s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
        double p90 = s.get((int) Math.ceil(0.9 * s.size()) - 1);
        return String.format(Locale.ROOT, "%.0f / %.0f (%.0f-%.0f)", median, p90, s.get(0), s.get(s.size() - 1));
    }

    /** Waits until the console is served and the REST API answers with the whole registry. */
    private static void awaitServer(int devices) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String auth = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(CONSOLE))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(HTTP
                        + "/cardinal/api/v1/console/devices?limit=1")).header("Authorization", auth)
                        .header("Accept", "application/json").timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString());
                last = page.statusCode() + " / " + api.statusCode();
                if (page.statusCode() == 200 && api.statusCode() == 200) {
                    String total = api.body().replaceAll("(?s).*\"total\"\\s*:\\s*(\\d+).*", "$1");
                    if (total.matches("\\d+") && Long.parseLong(total) >= devices) {
                        return;
                    }
                    last += " total " + total;
                }
            } catch (java.io.IOException e) {
                last = e.getClass().getSimpleName();
            }
            Thread.sleep(1000); // polling a server that is starting
        }
        throw new IllegalStateException("the console and REST API did not answer within 240 s (" + last + ")");
    }

    private static ChromeDriver browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-background-networking",
                "--disable-component-update", "--disable-dev-shm-usage", "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingAnyFreePort()
                .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver")).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(90));
        return driver;
    }

    private static String chromiumVersion() {
        try {
            Process p = new ProcessBuilder("/usr/bin/chromium", "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return v.lines().filter(l -> l.startsWith("Chromium")).findFirst().orElse(v);
        } catch (Exception e) {
            return "chromium (version unknown)";
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
