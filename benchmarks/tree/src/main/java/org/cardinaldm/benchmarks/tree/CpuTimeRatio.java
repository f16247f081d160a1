package org.cardinaldm.benchmarks.tree;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.TreeAccess;

/**
 * The same operations as {@link ReadBenchmark} and {@link WriteBenchmark} (sync off), timed by the
 * thread's CPU time as well as by the wall clock, in interleaved rounds (engine, map, engine, map,
 * …) so that both sides see the same machine. On a machine shared with other builds, JMH's
 * throughput (wall clock) swings with the load; CPU time per operation swings far less, so the
 * engine/map ratio is best read from here. Prints the median of the rounds.
 * <pre>
 * java -cp benchmarks/tree/target/benchmarks.jar org.cardinaldm.benchmarks.tree.CpuTimeRatio [rounds]
 * </pre>
 */
public final class CpuTimeRatio {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @FunctionalInterface
    private interface Op {
        Object run(int i) throws DmException;
    }

    private CpuTimeRatio() {
    }

    /** @param args optional number of rounds (default 7) */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        BenchTree bench = new BenchTree(false);
        ConcurrentHashMap<NodeUri, NodeValue> map = new ConcurrentHashMap<>();
        BenchTree.fill(map);
        ConcurrentHashMap<String, NodeValue> byString = new ConcurrentHashMap<>();
        map.forEach((k, v) -> byString.put(k.toString(), v));
        TreeAccess server = bench.tree.as(BenchTree.SERVER);
        NodeUri[] leaves = bench.leaves;
        String[] keys = Arrays.stream(leaves).map(NodeUri::toString).toArray(String[]::new);
        int[] order = new SplittableRandom(42).ints(1 << 20, 0, leaves.length).toArray();
        int mask = order.length - 1;

        Map<String, Op> ops = new LinkedHashMap<>();
        ops.put("engineGet", i -> server.get(leaves[order[i & mask]]));
        ops.put("mapGet", i -> map.get(leaves[order[i & mask]]));
        ops.put("mapGetStringKey", i -> byString.get(keys[order[i & mask]]));
        ops.put("engineReplace (sync off)", i -> {
            server.replace(leaves[order[i & mask]], NodeValue.ofString("v" + i));
            return null;
        });
        ops.put("mapReplace", i -> map.put(leaves[order[i & mask]], NodeValue.ofString("v" + i)));
        Map<String, Integer> counts = Map.of("engineGet", 200_000, "mapGet", 1_000_000, "mapGetStringKey", 1_000_000,
                "engineReplace (sync off)", 2_000, "mapReplace", 1_000_000);

        Map<String, List<double[]>> results = new LinkedHashMap<>();
        for (String name : ops.keySet()) {
            results.put(name, new ArrayList<>());
            time(ops.get(name), counts.get(name)); // warm-up
            time(ops.get(name), counts.get(name));
        }
        for (int r = 0; r < rounds; r++) {
            for (Map.Entry<String, Op> e : ops.entrySet()) {
                results.get(e.getKey()).add(time(e.getValue(), counts.get(e.getKey())));
            }
        }
        bench.close();
        System.out.printf(Locale.ROOT, "%-26s %14s %14s %16s%n", "operation (median of " + rounds + ")", "CPU ns/op",
                "wall ns/op", "CPU-time ops/s");
        Map<String, Double> cpu = new LinkedHashMap<>();
        for (Map.Entry<String, List<double[]>> e : results.entrySet()) {
            double c = median(e.getValue(), 0);
            double w = median(e.getValue(), 1);
            cpu.put(e.getKey(), c);
            System.out.printf(Locale.ROOT, "%-26s %14.0f %14.0f %,16.0f%n", e.getKey(), c, w, 1e9 / c);
        }
        System.out.printf(Locale.ROOT, "engine/map Get (CPU time):     1 : %.1f%n", cpu.get("engineGet") / cpu.get("mapGet"));
        System.out.printf(Locale.ROOT, "engine/map Replace (CPU time): 1 : %.0f%n",
                cpu.get("engineReplace (sync off)") / cpu.get("mapReplace"));
    }

    private static double[] time(Op op, int n) throws DmException {
        Object sink = null;
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sink = op.run(i);
        }
        long wall = System.nanoTime() - wall0;
        long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
        if (sink == CpuTimeRatio.class) {
            System.out.println();
        }
        return new double[] {(double) cpu / n, (double) wall / n};
    }

    private static double median(List<double[]> values, int index) {
        double[] v = values.stream().mapToDouble(a -> a[index]).sorted().toArray();
        return v[v.length / 2];
    }
}
