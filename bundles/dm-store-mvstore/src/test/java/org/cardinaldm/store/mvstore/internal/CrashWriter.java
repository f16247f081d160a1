package org.cardinaldm.store.mvstore.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.spi.store.StoreTransaction;
import org.cardinaldm.api.spi.store.StoredNode;

/**
 * The child process of {@link CrashSafetyTest}: writes an endless stream of transactions to a store
 * until it is killed. Transaction {@code n} adds the subtree {@code ./T/n} (a pseudo-random number
 * of leaves with pseudo-random values derived from {@code n}), deletes {@code ./T/(n-3)} and sets
 * {@code ./Counter} to {@code n}; so after any crash, {@code ./Counter = c} means exactly
 * {@code ./T/(c-2)}, {@code ./T/(c-1)} and {@code ./T/c} exist with their full content.
 * Prints {@code B n} before and {@code D n} after each commit.
 */
public final class CrashWriter {
    static final NodeUri T = NodeUri.of("./T");
    static final NodeUri COUNTER = NodeUri.of("./Counter");
    static final int KEEP = 3;

    private CrashWriter() {
    }

    /**
     * @param args store file, {@code true}/{@code false} for fsync on commit, commits between compactions
     * @throws Exception on any failure (the parent then fails)
     */
    public static void main(String[] args) throws Exception {
        MvTreeStore store = new MvTreeStore(StoreSettings.of(Path.of(args[0])).withSync(Boolean.parseBoolean(args[1]))
                .withCompactEvery(Integer.parseInt(args[2])));
        long n = store.read(COUNTER).map(s -> Long.parseLong(s.value().asString())).orElse(0L);
        System.out.println("R " + n);
        System.out.flush();
        while (true) {
            n++;
            try (StoreTransaction tx = store.begin()) {
                write(tx, n);
                System.out.println("B " + n);
                System.out.flush();
                tx.commit();
            }
            System.out.println("D " + n);
            System.out.flush();
        }
    }

    static void write(StoreTransaction tx, long n) throws DmException {
        if (tx.read(T).isEmpty()) {
            tx.put(StoredNode.of(NodeInfo.interior(T).build(), NodeValue.interior()));
        }
        NodeUri sub = T.child(Long.toString(n));
        tx.put(StoredNode.of(NodeInfo.interior(sub).title("tx " + n).build(), NodeValue.interior()));
        for (String leaf : expectedLeaves(n)) {
            NodeValue v = expectedValue(n, leaf);
            tx.put(StoredNode.of(NodeInfo.leaf(sub.child(leaf), Format.CHR).type("text/plain").size(v.size()).build(), v));
        }
        if (n > KEEP) {
            tx.deleteSubtree(T.child(Long.toString(n - KEEP)));
        }
        NodeValue c = NodeValue.ofString(Long.toString(n));
        tx.put(StoredNode.of(NodeInfo.leaf(COUNTER, Format.CHR).type("text/plain").size(c.size()).build(), c));
    }

    static List<String> expectedLeaves(long n) {
        Random r = new Random(n);
        int count = 1 + r.nextInt(60);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(String.format("L%03d", i));
        }
        return names;
    }

    static NodeValue expectedValue(long n, String leaf) {
        Random r = new Random(n * 1_000_003L + leaf.hashCode());
        byte[] b = new byte[r.nextInt(r.nextInt(10) == 0 ? 20_000 : 200)];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) ('a' + r.nextInt(26));
        }
        return NodeValue.ofString(new String(b, StandardCharsets.US_ASCII));
    }
}
