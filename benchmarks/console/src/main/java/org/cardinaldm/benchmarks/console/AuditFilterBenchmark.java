package org.cardinaldm.benchmarks.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.cardinaldm.server.api.audit.AuditEntry;
import org.cardinaldm.server.api.audit.AuditQuery;
import org.cardinaldm.server.jdbc.internal.AuditSql;
import org.cardinaldm.server.jdbc.internal.ConnectionPool;
import org.cardinaldm.server.jdbc.internal.JdbcServerStore;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The audit page's filters over a full audit log: fills an H2 file registry with N entries (default 1,000,000, the
 * default retention) through the store ({@link JdbcServerStore#insertAudit}, four threads), then times each filtered
 * page as {@code GET /audit} asks it ({@link AuditSql#query}: one SQL statement on schema version 5, whose only audit
 * index is the time's), the unfiltered newest page in the same run as the baseline; warm-ups first, then the median
 * and the maximum of N runs.
 *
 * <p>Usage: {@code java -cp console-bench.jar org.cardinaldm.benchmarks.console.AuditFilterBenchmark [entries]
 * [runs] [dbdir]}.
 */
public final class AuditFilterBenchmark {
    private AuditFilterBenchmark() {
    }

    /**
     * @param args entries (default 1000000), measured runs (default 9), database directory (default target/audit-db)
     * @throws Exception when the benchmark cannot run
     */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        Path dir = Path.of(args.length > 2 ? args[2] : "target/audit-db").toAbsolutePath();
        System.out.printf("date %s, load average %s, %d CPUs, Java %s%n", Instant.now(), load(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        Files.createDirectories(dir);
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("registry"));
        ConnectionPool pool = new ConnectionPool(ds, 10, 60_000);
        try {
            JdbcServerStore store = JdbcServerStore.open(pool);
            Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
            long fillStart = System.nanoTime();
            fill(store, n, t0);
            System.out.printf("filled %,d entries through the store in %.1f s (H2 file %,d bytes), load %s%n", n,
                    (System.nanoTime() - fillStart) / 1e9, Files.size(dir.resolve("registry.mv.db")), load());
            Instant middle = t0.plusSeconds(30L * n / 2);
            Map<String, AuditQuery> queries = new LinkedHashMap<>();
            queries.put("newest page, no filter (baseline)", AuditQuery.newest());
            queries.put("actor, frequent (40 % of entries)", AuditQuery.newest().withActor("alice"));
            queries.put("actor, rare (10 entries)", AuditQuery.newest().withActor("rare-user"));
            queries.put("target, frequent (1 in 50 entries)", AuditQuery.newest().withTarget("IMEI:7"));
            queries.put("target, rare (10 entries)", AuditQuery.newest().withTarget("IMEI:rare"));
            queries.put("action contains, frequent ('jobs')", AuditQuery.newest().withAction("jobs"));
            queries.put("action contains, rare ('fumo-publish')", AuditQuery.newest().withAction("fumo-publish"));
            queries.put("one hour in the middle", AuditQuery.newest().between(middle, middle.plusSeconds(3600)));
            queries.put("rare actor since the middle", AuditQuery.newest().withActor("rare-user")
                    .between(middle, null));
            queries.put("nothing matches (whole log read)", AuditQuery.newest().withActor("nobody"));
            Map<String, List<Double>> times = new LinkedHashMap<>();
            Map<String, Integer> found = new LinkedHashMap<>();
            for (int run = -2; run < runs; run++) {
                for (Map.Entry<String, AuditQuery> q : queries.entrySet()) {
                    long t = System.nanoTime();
                    List<AuditEntry> page = AuditSql.query(pool, q.getValue());
                    double ms = (System.nanoTime() - t) / 1e6;
                    found.put(q.getKey(), page.size());
                    if (run >= 0) {
                        times.computeIfAbsent(q.getKey(), k -> new ArrayList<>()).add(ms);
                    }
                }
            }
            System.out.printf("%n%,d entries, page of %d, %d runs after 2 warm-ups; milliseconds: median (max)%n", n,
                    AuditQuery.DEFAULT_LIMIT, runs);
            for (Map.Entry<String, List<Double>> e : times.entrySet()) {
                List<Double> s = new ArrayList<>(e.getValue());
                Collections.sort(s);
                System.out.printf(Locale.ROOT, "  %-42s %3d rows %9.1f  (%.1f)%n", e.getKey(), found.get(e.getKey()),
                        s.get(s.size() / 2), s.get(s.size() - 1));
            }
            System.out.printf("load average at the end %s%n", load());
        } finally {
            pool.close();
        }
    }

    private static void fill(JdbcServerStore store, int n, Instant t0) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<?>> work = new ArrayList<>();
        long rareEvery = Math.max(1, n / 10);
        for (int w = 0; w < 4; w++) {
            work.add(threads.submit(() -> {
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    boolean rare = i % rareEvery == rareEvery / 2;
                    String target = rare ? "IMEI:rare" : "IMEI:" + (i % 50);
                    String user = rare ? "rare-user" : i % 5 < 2 ? "alice" : i % 5 < 4 ? "bob" : "carol";
                    String action = rare ? "dms:fumo-publish fw.img" : switch (i % 6) {
                        case 0 -> "POST /devices/" + target + "/jobs";
                        case 1 -> "dms:device-unlock";
                        case 2 -> "POST /devices/" + target + "/notify";
                        case 3 -> "dms:job-add get ./DevInfo/Mod";
                        case 4 -> "DELETE /jobs/" + i;
                        default -> "POST /campaigns/3/pause";
                    };
                    store.insertAudit(new AuditEntry(0, t0.plus(Duration.ofSeconds(30L * i)), user,
                            AuditEntry.Channel.values()[i % 3], action, target, "ok", "10.0.0." + (i % 250)));
                }
                return null;
            }));
        }
        for (Future<?> f : work) {
            f.get();
        }
        threads.shutdown();
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
