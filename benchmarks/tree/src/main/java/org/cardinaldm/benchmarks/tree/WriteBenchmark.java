package org.cardinaldm.benchmarks.tree;

import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.cardinaldm.api.AtomicAccess;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.TreeAccess;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Writes through the DM tree engine (server principal {@code srv1} with ACL checks) on the
 * 100,102-node tree: Replace of a random leaf (one commit), and 10 leaf Replaces as 10 commands (10
 * commits) or as one Atomic (1 commit). {@code sync} is the store's {@code sync.on.commit} (an
 * fsync per commit, the crash-safe default) or not. The map baseline is in {@link ReadBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WriteBenchmark {
    /** Whether every commit is forced to the disk. */
    @Param({"false", "true"})
    public boolean sync;

    private BenchTree bench;
    private TreeAccess server;
    private long counter;

    /** Builds the tree and the map. */
    @Setup(Level.Trial)
    public void setUp() throws IOException, DmException {
        bench = new BenchTree(sync);
        server = bench.tree.as(BenchTree.SERVER);
    }

    /** Closes and deletes the store. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        bench.close();
    }

    private NodeUri randomLeaf() {
        return bench.leaves[ThreadLocalRandom.current().nextInt(bench.leaves.length)];
    }

    /** @return the counter; one leaf replaced by the server through the engine, one commit */
    @Benchmark
    public long engineReplace() throws DmException {
        server.replace(randomLeaf(), NodeValue.ofString("v" + counter));
        return counter++;
    }

    /** @return the counter; 10 leaves replaced as 10 commands (10 commits) */
    @Benchmark
    public long engineReplace10Single() throws DmException {
        for (int i = 0; i < 10; i++) {
            server.replace(randomLeaf(), NodeValue.ofString("v" + counter++));
        }
        return counter;
    }

    /** @return the counter; 10 leaves replaced in one Atomic (1 commit) */
    @Benchmark
    public long engineReplace10Atomic() throws DmException {
        try (AtomicAccess atomic = server.atomic()) {
            for (int i = 0; i < 10; i++) {
                atomic.replace(randomLeaf(), NodeValue.ofString("v" + counter++));
            }
            atomic.commit();
        }
        return counter;
    }
}
