package org.cardinaldm.benchmarks.tree;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.TreeAccess;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Reads: Get of a random leaf by the DM tree engine (dm-tree on dm-store-mvstore, server principal
 * {@code srv1} with ACL checks) against a plain {@link ConcurrentHashMap} holding the same 100,102
 * nodes (keyed by the same {@link NodeUri} objects the engine is asked for), in the same run; a map
 * keyed by URI strings for reference; and the map's Replace (a put), the baseline of
 * {@link WriteBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ReadBenchmark {
    private BenchTree bench;
    private TreeAccess server;
    private final ConcurrentHashMap<NodeUri, NodeValue> map = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, NodeValue> byString = new ConcurrentHashMap<>();
    private String[] leafKeys;
    private long counter;

    /** Builds the tree and the map. */
    @Setup(Level.Trial)
    public void setUp() throws IOException, DmException {
        bench = new BenchTree(false);
        BenchTree.fill(map);
        server = bench.tree.as(BenchTree.SERVER);
        if (map.size() != BenchTree.NODES) {
            throw new IllegalStateException("map has " + map.size() + " nodes, expected " + BenchTree.NODES);
        }
        map.forEach((k, v) -> byString.put(k.toString(), v));
        leafKeys = new String[bench.leaves.length];
        for (int i = 0; i < leafKeys.length; i++) {
            leafKeys[i] = bench.leaves[i].toString();
        }
    }

    /** Closes and deletes the store. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        bench.close();
    }

    private NodeUri randomLeaf() {
        return bench.leaves[ThreadLocalRandom.current().nextInt(bench.leaves.length)];
    }

    /** @return a leaf's value, read by the server through the engine (URI limits, ACL, MO rules) */
    @Benchmark
    public NodeValue engineGet() throws DmException {
        return server.get(randomLeaf());
    }

    /** @return a leaf's value from the map */
    @Benchmark
    public NodeValue mapGet() {
        return map.get(randomLeaf());
    }

    /**
     * @return a leaf's value from a map keyed by the URI's string form (precomputed keys): what a
     *     map costs when the key's hash is cached, unlike {@link NodeUri}'s
     */
    @Benchmark
    public NodeValue mapGetStringKey() {
        return byString.get(leafKeys[ThreadLocalRandom.current().nextInt(leafKeys.length)]);
    }

    /** @return the previous value; one leaf replaced in the map */
    @Benchmark
    public NodeValue mapReplace() {
        return map.put(randomLeaf(), NodeValue.ofString("v" + counter++));
    }
}
