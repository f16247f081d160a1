package org.cardinaldm.benchmarks.tree;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import org.cardinaldm.api.AtomicAccess;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.Property;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.store.mvstore.internal.MvTreeStore;
import org.cardinaldm.tree.internal.DmTreeImpl;

/**
 * The benchmark tree: {@code ./Bench/G<g>/N<n>/L<l>} with {@value #GROUPS} groups of {@value #ITEMS}
 * interior items of {@value #LEAVES} leaves, i.e. 1 + 1 + 100 + 10,000 + 90,000 = 100,102 nodes
 * (root included) in the engine on an MVStore file. Every group carries an ACL
 * ({@code Get=srv1+srv2&Replace=srv1&Add=srv1&Delete=srv1}), so a Get by server {@code srv1} on a
 * leaf resolves the ACL two levels up, as a DMAcc leaf does. The same nodes (URI → value) are also
 * put in a map by {@link #fill(Map)}.
 */
final class BenchTree {
    static final int GROUPS = 100;
    static final int ITEMS = 100;
    static final int LEAVES = 9;
    static final int NODES = 2 + GROUPS + GROUPS * ITEMS + GROUPS * ITEMS * LEAVES;
    static final String GROUP_ACL = "Get=srv1+srv2&Replace=srv1&Add=srv1&Delete=srv1";
    static final Principal SERVER = Principal.server("srv1");

    static {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    final Path dir;
    final MvTreeStore store;
    final DmTreeImpl tree;
    final NodeUri[] leaves;

    /**
     * @param map where to put the nodes: every URI of the tree and its value ({@link NodeValue#interior()}
     *     for interior nodes), built without the engine
     */
    static void fill(Map<NodeUri, NodeValue> map) {
        NodeUri bench = NodeUri.of("./Bench");
        map.put(NodeUri.root(), NodeValue.interior());
        map.put(bench, NodeValue.interior());
        for (int g = 0; g < GROUPS; g++) {
            NodeUri group = bench.child("G" + g);
            map.put(group, NodeValue.interior());
            for (int n = 0; n < ITEMS; n++) {
                NodeUri item = group.child("N" + n);
                map.put(item, NodeValue.interior());
                for (int l = 0; l < LEAVES; l++) {
                    map.put(item.child("L" + l), value(g, n, l));
                }
            }
        }
    }

    private static NodeValue value(int g, int n, int l) {
        return NodeValue.ofString("value " + g + "." + n + "." + l);
    }

    /**
     * @param sync whether the store forces every commit to the disk
     */
    BenchTree(boolean sync) throws IOException, DmException {
        this(sync, GROUPS);
    }

    /**
     * @param sync whether the store forces every commit to the disk
     * @param groups how many groups to build ({@value #GROUPS} for the benchmark tree; fewer to warm up)
     */
    BenchTree(boolean sync, int groups) throws IOException, DmException {
        leaves = new NodeUri[groups * ITEMS * LEAVES];
        dir = Files.createTempDirectory("cardinal-tree-bench");
        store = new MvTreeStore(storeConfig(dir.resolve("tree.mv").toString(), sync));
        tree = new DmTreeImpl(store, treeConfig());
        TreeAccess system = tree.as(Principal.system());
        NodeUri bench = NodeUri.of("./Bench");
        system.add(bench, NodeValue.interior());
        int i = 0;
        for (int g = 0; g < groups; g++) {
            NodeUri group = bench.child("G" + g);
            // one Atomic (one store commit) per group of 1,000 nodes keeps the build short
            try (AtomicAccess atomic = system.atomic()) {
                atomic.add(group, NodeValue.interior());
                atomic.setProperty(group, Property.ACL, GROUP_ACL);
                for (int n = 0; n < ITEMS; n++) {
                    NodeUri item = group.child("N" + n);
                    atomic.add(item, NodeValue.interior());
                    for (int l = 0; l < LEAVES; l++) {
                        NodeUri leaf = item.child("L" + l);
                        atomic.add(leaf, value(g, n, l));
                        leaves[i++] = leaf;
                    }
                }
                atomic.commit();
            }
        }
    }

    /** Closes the store and deletes its directory. */
    void close() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** @return the size of the store file in bytes */
    long fileBytes() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static DmTreeImpl.Config treeConfig() {
        return new DmTreeImpl.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return DmTreeImpl.Config.class;
            }

            @Override
            public String[] local_admin_rights() {
                return new String[] {"*"};
            }

            @Override
            public String root_acl() {
                return "Add=*&Get=*";
            }

            @Override
            public int uri_max_depth() {
                return 16;
            }

            @Override
            public int uri_max_tot_len() {
                return 1024;
            }

            @Override
            public int uri_max_seg_len() {
                return 128;
            }

            @Override
            public boolean inbox_enabled() {
                return true;
            }
        };
    }

    static MvTreeStore.Config storeConfig(String file, boolean sync) {
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
