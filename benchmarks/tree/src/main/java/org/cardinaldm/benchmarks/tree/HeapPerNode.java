package org.cardinaldm.benchmarks.tree;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.TreeAccess;

/**
 * Bytes of heap per node, measured as retained heap: used heap after full collections, before and
 * after building one structure that stays reachable, divided by its nodes. One structure per JVM,
 * after a small warm-up build (so that class loading and string-concatenation bootstrap are in the
 * baseline), with a stop-the-world collector so that {@code System.gc()} is a full collection:
 * <pre>
 * java -XX:+UseSerialGC -Xmx1g -cp benchmarks/tree/target/benchmarks.jar org.cardinaldm.benchmarks.tree.HeapPerNode map
 * java -XX:+UseSerialGC -Xmx1g -cp benchmarks/tree/target/benchmarks.jar org.cardinaldm.benchmarks.tree.HeapPerNode engine
 * </pre>
 * {@code map}: a {@link ConcurrentHashMap} of the 100,102 nodes (URI → value). {@code engine}: the
 * engine on the MVStore store after the tree was built and every leaf was read once by a server
 * (the store's page cache, bounded by {@code cache.size.mb} = 4, is then warm); the benchmark's own
 * array of leaf URIs is dropped before measuring. The store file's size per node is printed beside it.
 */
public final class HeapPerNode {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private HeapPerNode() {
    }

    /** @param args {@code map} or {@code engine} */
    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "engine";
        int n = BenchTree.NODES;
        if (what.equals("map")) {
            BenchTree.fill(new HashMap<>()); // warm-up
            long base = settledUsed();
            ConcurrentHashMap<NodeUri, NodeValue> map = new ConcurrentHashMap<>();
            BenchTree.fill(map);
            long used = settledUsed() - base;
            Reference.reachabilityFence(map);
            System.out.printf(Locale.ROOT, "ConcurrentHashMap: %,d nodes, heap %,d bytes = %.0f bytes/node%n",
                    map.size(), used, (double) used / n);
            return;
        }
        BenchTree warm = new BenchTree(false, 1);
        for (NodeUri leaf : warm.leaves) {
            warm.tree.as(BenchTree.SERVER).get(leaf);
        }
        warm.close();
        warm = null;
        long base = settledUsed();
        BenchTree bench = new BenchTree(false);
        TreeAccess server = bench.tree.as(BenchTree.SERVER);
        for (NodeUri leaf : bench.leaves) {
            server.get(leaf);
        }
        Arrays.fill(bench.leaves, null);
        long used = settledUsed() - base;
        long file = bench.fileBytes();
        Reference.reachabilityFence(bench);
        bench.close();
        System.out.printf(Locale.ROOT, "engine + MVStore: %,d nodes, heap %,d bytes = %.0f bytes/node; "
                + "file %,d bytes = %.0f bytes/node%n", n, used, (double) used / n, file, (double) file / n);
    }

    private static long settledUsed() {
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long used = MEMORY.getHeapMemoryUsage().getUsed();
            if (Math.abs(last - used) < 4096) {
                return used;
            }
            last = used;
        }
        return last;
    }
}
