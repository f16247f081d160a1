package org.cardinaldm.benchmarks.store;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.spi.store.StoreTransaction;
import org.cardinaldm.api.spi.store.StoredNode;
import org.cardinaldm.api.spi.store.TreeStore;
import org.cardinaldm.store.mvstore.internal.MvTreeStore;
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
 * Throughput of the MVStore {@link TreeStore} on a small tree: {@code ./DMAcc} with {@code accounts}
 * accounts of 10 leaves each (about 11 × accounts nodes). Write benchmarks are one transaction per
 * operation (1 or 10 leaf replacements, then commit), with and without fsync; read benchmarks
 * are committed-state reads outside a transaction.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StoreBenchmark {
    private static final List<String> LEAVES = List.of("AppID", "ServerID", "Name", "PrefConRef", "AAuthPref",
            "Addr", "AddrType", "PortNbr", "AAuthName", "AAuthType");

    /** Whether every commit is forced to the disk. */
    @Param({"true", "false"})
    public boolean sync;

    /** Accounts in the tree. */
    @Param({"10"})
    public int accounts;

    private Path dir;
    private MvTreeStore store;
    private NodeUri[] leafUris;
    private NodeUri[] accountUris;
    private long counter;

    /** Creates the store and the tree. */
    @Setup(Level.Trial)
    public void setUp() throws IOException, DmException {
        dir = Files.createTempDirectory("cardinal-store-bench");
        store = new MvTreeStore(config(dir.resolve("tree.mv").toString(), sync));
        NodeUri acc = NodeUri.of("./DMAcc");
        leafUris = new NodeUri[accounts * LEAVES.size()];
        accountUris = new NodeUri[accounts];
        try (StoreTransaction tx = store.begin()) {
            tx.put(StoredNode.of(NodeInfo.interior(acc).build(), NodeValue.interior()));
            for (int a = 0; a < accounts; a++) {
                NodeUri account = acc.child("srv" + a);
                accountUris[a] = account;
                tx.put(StoredNode.of(NodeInfo.interior(account).build(), NodeValue.interior()));
                for (int l = 0; l < LEAVES.size(); l++) {
                    NodeUri leaf = account.child(LEAVES.get(l));
                    leafUris[a * LEAVES.size() + l] = leaf;
                    tx.put(leaf(leaf, "value of " + leaf));
                }
            }
            tx.commit();
        }
    }

    /** Closes and deletes the store. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static StoredNode leaf(NodeUri uri, String text) {
        NodeValue v = NodeValue.ofString(text);
        return StoredNode.of(NodeInfo.leaf(uri, Format.CHR).type("text/plain").size(v.size()).build(), v);
    }

    /** @return one replaced leaf per committed transaction */
    @Benchmark
    public long put1Commit() throws DmException {
        NodeUri uri = leafUris[(int) (counter++ % leafUris.length)];
        try (StoreTransaction tx = store.begin()) {
            tx.put(leaf(uri, "v" + counter));
            tx.commit();
        }
        return counter;
    }

    /** @return ten replaced leaves per committed transaction */
    @Benchmark
    public long put10Commit() throws DmException {
        try (StoreTransaction tx = store.begin()) {
            for (int i = 0; i < 10; i++) {
                NodeUri uri = leafUris[(int) (counter++ % leafUris.length)];
                tx.put(leaf(uri, "v" + counter));
            }
            tx.commit();
        }
        return counter;
    }

    /** @return a leaf read outside any transaction */
    @Benchmark
    public Optional<StoredNode> readLeaf() throws DmException {
        return store.read(leafUris[ThreadLocalRandom.current().nextInt(leafUris.length)]);
    }

    /** @return the children of an account */
    @Benchmark
    public List<String> listChildren() throws DmException {
        return store.children(accountUris[ThreadLocalRandom.current().nextInt(accountUris.length)]);
    }

    static MvTreeStore.Config config(String file, boolean sync) {
        return new MvTreeStore.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return MvTreeStore.Config.class;
            }

            @Override
            public String file() {
                return file;
            }

            @Override
            public boolean sync_on_commit() {
                return sync;
            }

            @Override
            public int cache_size_mb() {
                return 4;
            }

            @Override
            public int lock_timeout_seconds() {
                return 30;
            }
        };
    }
}
