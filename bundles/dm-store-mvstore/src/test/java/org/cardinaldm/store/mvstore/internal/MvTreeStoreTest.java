package org.cardinaldm.store.mvstore.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cardinaldm.store.mvstore.internal.Nodes.interior;
import static org.cardinaldm.store.mvstore.internal.Nodes.leaf;
import static org.cardinaldm.store.mvstore.internal.Nodes.uri;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.cardinaldm.api.Acl;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.store.StoreTransaction;
import org.cardinaldm.api.spi.store.StoredNode;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MvTreeStoreTest {
    @TempDir
    Path dir;
    private final List<MvTreeStore> opened = new ArrayList<>();

    @BeforeEach
    void resetFaults() {
        FaultyFilePath.install();
    }

    @AfterEach
    void closeAll() {
        FaultyFilePath.mode = FaultyFilePath.Mode.OK;
        opened.forEach(MvTreeStore::close);
    }

    private MvTreeStore open(StoreSettings s) {
        MvTreeStore store = new MvTreeStore(s);
        opened.add(store);
        return store;
    }

    private MvTreeStore open() {
        return open(StoreSettings.of(dir.resolve("tree.mv")));
    }

    private static void assertStatus(ThrowingRunnable r, StatusCode code, String messagePart) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(DmException.class, e -> {
            assertThat(e.status()).isEqualTo(code);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void a_new_store_is_empty_but_for_a_plain_root_and_creates_its_directory() throws DmException {
        MvTreeStore store = open(StoreSettings.of(dir.resolve("a/b/tree.mv")));
        assertThat(Files.isRegularFile(dir.resolve("a/b/tree.mv"))).isTrue();
        assertThat(store.read(uri("."))).contains(interior("."));
        assertThat(store.read(uri("./X"))).isEmpty();
        assertThat(store.children(uri("."))).isEmpty();
        assertThat(store.children(uri("./X"))).isEmpty();
    }

    @Test
    void committed_writes_are_read_back_exactly() throws DmException {
        MvTreeStore store = open();
        StoredNode acc = StoredNode.of(NodeInfo.interior(uri("./DMAcc")).acl(Acl.of("Get=*&Add=srv1")).permanent(true)
                .type("urn:oma:mo:oma-dm-dmacc:1.0").build(), NodeValue.interior());
        try (StoreTransaction tx = store.begin()) {
            tx.put(acc);
            tx.put(interior("./DMAcc/srv1"));
            tx.put(leaf("./DMAcc/srv1/ServerID", "srv1"));
            tx.commit();
        }
        assertThat(store.read(uri("./DMAcc"))).contains(acc);
        assertThat(store.read(uri("./DMAcc/srv1/ServerID"))).contains(leaf("./DMAcc/srv1/ServerID", "srv1"));
        assertThat(store.children(uri("."))).containsExactly("DMAcc");
        assertThat(store.children(uri("./DMAcc/srv1"))).containsExactly("ServerID");
    }

    @Test
    void uncommitted_writes_are_visible_only_inside_their_transaction() throws DmException {
        MvTreeStore store = open();
        try (StoreTransaction tx = store.begin()) {
            tx.put(interior("./A"));
            tx.put(leaf("./A/x", "1"));
            assertThat(tx.read(uri("./A/x"))).isPresent();
            assertThat(tx.children(uri("./A"))).containsExactly("x");
            assertThat(store.read(uri("./A/x"))).isEmpty();
            assertThat(store.children(uri("."))).isEmpty();
            tx.commit();
        }
        assertThat(store.read(uri("./A/x"))).isPresent();
    }

    @Test
    void closing_without_commit_discards_everything_and_is_idempotent() throws DmException {
        MvTreeStore store = open();
        StoreTransaction tx = store.begin();
        tx.put(interior("./A"));
        tx.close();
        tx.close();
        assertThat(store.read(uri("./A"))).isEmpty();
        try (StoreTransaction tx2 = store.begin()) {
            assertThat(tx2.read(uri("./A"))).isEmpty();
        }
    }

    @Test
    void a_finished_transaction_cannot_be_used_again() throws DmException {
        MvTreeStore store = open();
        StoreTransaction tx = store.begin();
        tx.put(interior("./A"));
        tx.commit();
        assertThatThrownBy(() -> tx.put(interior("./B"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(tx::commit).isInstanceOf(IllegalStateException.class);
        tx.close();
        StoreTransaction next = store.begin();
        next.close();
    }

    @Test
    void children_are_sorted_by_name_and_stable_across_reopen() throws DmException {
        MvTreeStore store = open();
        List<String> names = List.of("b", "B", "a10", "a2", "Z", "ü", "%41", "a");
        try (StoreTransaction tx = store.begin()) {
            tx.put(interior("./P"));
            for (String n : names) {
                tx.put(leaf("./P/" + n, n));
            }
            tx.put(interior("./PB"));
            tx.commit();
        }
        List<String> expected = names.stream().sorted().toList();
        assertThat(store.children(uri("./P"))).containsExactlyElementsOf(expected);
        store.close();
        assertThat(open().children(uri("./P"))).containsExactlyElementsOf(expected);
    }

    @Test
    void a_transaction_merges_its_own_adds_and_deletes_into_children() throws DmException {
        MvTreeStore store = open();
        try (StoreTransaction tx = store.begin()) {
            tx.put(interior("./P"));
            tx.put(leaf("./P/a", "a"));
            tx.put(leaf("./P/c", "c"));
            tx.commit();
        }
        try (StoreTransaction tx = store.begin()) {
            tx.put(leaf("./P/b", "b"));
            tx.deleteSubtree(uri("./P/a"));
            tx.put(leaf("./P/d", "d"));
            tx.deleteSubtree(uri("./P/d"));
            assertThat(tx.children(uri("./P"))).containsExactly("b", "c");
            assertThat(tx.read(uri("./P/a"))).isEmpty();
            assertThat(store.children(uri("./P"))).containsExactly("a", "c");
            tx.commit();
        }
        assertThat(store.children(uri("./P"))).containsExactly("b", "c");
    }

    @Test
    void delete_subtree_removes_all_descendants_but_not_look_alike_siblings() throws DmException {
        MvTreeStore store = open();
        try (StoreTransaction tx = store.begin()) {
            for (String u : List.of("./A", "./A/B", "./A/B/C", "./AB", "./A-", "./A/B/C/D")) {
                tx.put(interior(u));
            }
            tx.put(leaf("./A/B/C/D/leaf", "x"));
            tx.put(leaf("./AB/leaf", "y"));
            tx.commit();
        }
        try (StoreTransaction tx = store.begin()) {
            tx.put(interior("./A/New"));
            tx.deleteSubtree(uri("./A"));
            assertThat(tx.read(uri("./A/New"))).isEmpty();
            tx.commit();
        }
        assertThat(store.read(uri("./A"))).isEmpty();
        assertThat(store.read(uri("./A/B/C/D/leaf"))).isEmpty();
        assertThat(store.children(uri("./A/B"))).isEmpty();
        assertThat(store.children(uri("."))).containsExactly("A-", "AB");
        assertThat(store.read(uri("./AB/leaf"))).isPresent();
        try (StoreTransaction tx = store.begin()) {
            tx.deleteSubtree(uri("./Nothing"));
            tx.commit();
        }
        assertThat(store.children(uri("."))).containsExactly("A-", "AB");
    }

    @Test
    void deleting_the_root_empties_the_store_and_the_root_reads_plain_again() throws DmException {
        MvTreeStore store = open();
        StoredNode root = StoredNode.of(NodeInfo.interior(uri(".")).acl(Acl.of("Add=*&Get=*")).build(), NodeValue.interior());
        try (StoreTransaction tx = store.begin()) {
            tx.put(root);
            tx.put(interior("./A"));
            tx.put(leaf("./A/x", "1"));
            tx.commit();
        }
        try (StoreTransaction tx = store.begin()) {
            assertThat(tx.read(uri("."))).contains(root);
            tx.deleteSubtree(uri("."));
            assertThat(tx.read(uri("."))).contains(interior("."));
            tx.commit();
        }
        assertThat(store.read(uri("."))).contains(interior("."));
        assertThat(store.children(uri("."))).isEmpty();
    }

    @Test
    void put_needs_a_stored_interior_parent() throws DmException {
        MvTreeStore store = open();
        try (StoreTransaction tx = store.begin()) {
            tx.put(leaf("./L", "leaf"));
            assertStatus(() -> tx.put(leaf("./Missing/x", "v")), StatusCode.NOT_FOUND, "parent is not stored");
            assertStatus(() -> tx.put(leaf("./L/x", "v")), StatusCode.COMMAND_NOT_ALLOWED, "parent is a leaf");
            assertStatus(() -> tx.put(rootLeaf()), StatusCode.COMMAND_NOT_ALLOWED, "root must be an interior");
            tx.put(interior("./I"));
            tx.put(leaf("./I/c", "c"));
            assertStatus(() -> tx.put(leaf("./I", "now a leaf")), StatusCode.COMMAND_NOT_ALLOWED, "while it has children");
            tx.put(interior("./E"));
            tx.put(leaf("./E", "an empty interior may become a leaf"));
            tx.commit();
        }
        assertThat(store.read(uri("./E")).orElseThrow().info().isInterior()).isFalse();
    }

    private static StoredNode rootLeaf() {
        return StoredNode.of(NodeInfo.leaf(uri("."), org.cardinaldm.api.Format.CHR).build(), NodeValue.ofString("x"));
    }

    @Test
    void overwriting_a_node_replaces_its_record() throws DmException {
        MvTreeStore store = open();
        try (StoreTransaction tx = store.begin()) {
            tx.put(leaf("./X", "one"));
            tx.commit();
        }
        try (StoreTransaction tx = store.begin()) {
            tx.put(leaf("./X", "two"));
            tx.commit();
        }
        assertThat(store.read(uri("./X")).orElseThrow().value().asString()).isEqualTo("two");
    }

    @Test
    void data_survives_close_and_reopen() throws DmException {
        MvTreeStore store = open();
        try (StoreTransaction tx = store.begin()) {
            tx.put(interior("./A"));
            tx.put(leaf("./A/v", "kept"));
            tx.commit();
        }
        store.close();
        MvTreeStore again = open();
        assertThat(again.read(uri("./A/v")).orElseThrow().value().asString()).isEqualTo("kept");
    }

    @Test
    void a_second_transaction_waits_for_the_first_to_finish() throws Exception {
        MvTreeStore store = open();
        StoreTransaction first = store.begin();
        first.put(interior("./A"));
        CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> {
            try (StoreTransaction tx = store.begin()) {
                return tx.read(uri("./A")).isPresent();
            } catch (DmException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(second).isNotDone();
        first.commit();
        assertThat(second.get(30, TimeUnit.SECONDS)).as("the second sees the first's commit").isTrue();
    }

    @Test
    void a_transaction_left_open_makes_the_next_begin_fail_with_510_after_the_lock_timeout() throws DmException {
        MvTreeStore store = open(StoreSettings.of(dir.resolve("tree.mv")).withLockTimeout(50));
        StoreTransaction first = store.begin();
        assertStatus(store::begin, StatusCode.DATA_STORE_FAILURE, "busy");
        first.close();
        store.begin().close();
    }

    @Test
    void a_closed_store_answers_510() throws DmException {
        MvTreeStore store = open();
        StoreTransaction tx = store.begin();
        tx.put(interior("./A"));
        store.close();
        assertStatus(() -> store.read(uri("./A")), StatusCode.DATA_STORE_FAILURE, "closed");
        assertStatus(() -> store.children(uri(".")), StatusCode.DATA_STORE_FAILURE, "closed");
        assertStatus(tx::commit, StatusCode.DATA_STORE_FAILURE, "closed");
        assertStatus(store::begin, StatusCode.DATA_STORE_FAILURE, "closed");
        store.close();
    }

    @Test
    void a_full_disk_answers_420_loses_nothing_committed_and_the_store_recovers() throws Exception {
        Path file = dir.resolve("full.mv");
        MvTreeStore store = open(StoreSettings.of(file).withFileName("faulty:" + file));
        try (StoreTransaction tx = store.begin()) {
            tx.put(interior("./A"));
            tx.put(leaf("./A/kept", "v1"));
            tx.commit();
        }
        FaultyFilePath.mode = FaultyFilePath.Mode.DISK_FULL;
        try (StoreTransaction tx = store.begin()) {
            tx.put(leaf("./A/lost", "v2"));
            tx.put(leaf("./A/kept", "changed"));
            assertStatus(tx::commit, StatusCode.DEVICE_FULL, "disk is full");
        }
        assertStatus(store::begin, StatusCode.DATA_STORE_FAILURE, "cannot be reopened");
        FaultyFilePath.mode = FaultyFilePath.Mode.OK;
        assertThat(store.read(uri("./A/kept")).orElseThrow().value().asString()).isEqualTo("v1");
        assertThat(store.read(uri("./A/lost"))).isEmpty();
        try (StoreTransaction tx = store.begin()) {
            tx.put(leaf("./A/after", "v3"));
            tx.commit();
        }
        store.close();
        MvTreeStore reopened = open(StoreSettings.of(file));
        assertThat(reopened.read(uri("./A/kept")).orElseThrow().value().asString()).isEqualTo("v1");
        assertThat(reopened.read(uri("./A/after"))).isPresent();
        assertThat(reopened.read(uri("./A/lost"))).isEmpty();
    }

    @Test
    void an_io_error_on_commit_answers_510() throws Exception {
        Path file = dir.resolve("eio.mv");
        MvTreeStore store = open(StoreSettings.of(file).withFileName("faulty:" + file));
        FaultyFilePath.mode = FaultyFilePath.Mode.IO_ERROR;
        try (StoreTransaction tx = store.begin()) {
            tx.put(interior("./A"));
            assertStatus(tx::commit, StatusCode.DATA_STORE_FAILURE, "failed");
        }
        FaultyFilePath.mode = FaultyFilePath.Mode.OK;
        assertThat(store.read(uri("./A"))).isEmpty();
    }

    @Test
    void a_corrupt_file_fails_to_open_with_a_clear_message() throws IOException {
        Path file = dir.resolve("corrupt.mv");
        byte[] junk = new byte[64 * 1024];
        new Random(1).nextBytes(junk);
        Files.write(file, junk);
        assertThatThrownBy(() -> open(StoreSettings.of(file))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("corrupt");
    }

    @Test
    void a_file_whose_chunks_were_overwritten_fails_to_open_or_opens_at_an_older_version_never_hangs() throws Exception {
        Path file = dir.resolve("damaged.mv");
        MvTreeStore store = open(StoreSettings.of(file));
        for (int i = 0; i < 20; i++) {
            try (StoreTransaction tx = store.begin()) {
                tx.put(leaf("./N" + i, "value " + i));
                tx.commit();
            }
        }
        store.close();
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 8192; i < bytes.length; i += 7) {
            bytes[i] ^= 0x5A;
        }
        Files.write(file, bytes);
        try {
            MvTreeStore s = open(StoreSettings.of(file));
            s.children(uri("."));
        } catch (IllegalStateException e) {
            assertThat(e.getMessage()).contains(file.toString());
        } catch (DmException e) {
            assertThat(e.status()).isEqualTo(StatusCode.DATA_STORE_FAILURE);
        }
    }

    @Test
    void a_file_with_a_newer_layout_is_refused() {
        Path file = dir.resolve("newer.mv");
        MVStore mv = MVStore.open(file.toString());
        MVMap<String, String> meta = mv.openMap(MvTreeStore.META_MAP);
        meta.put("layout", "2");
        mv.close();
        assertThatThrownBy(() -> open(StoreSettings.of(file))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("layout 2");
    }

    @Test
    void a_foreign_mvstore_file_with_nodes_but_no_marker_is_refused() {
        Path file = dir.resolve("foreign.mv");
        MVStore mv = MVStore.open(file.toString());
        mv.<String, String>openMap(MvTreeStore.NODES_MAP).put("x", "y");
        mv.close();
        assertThatThrownBy(() -> open(StoreSettings.of(file))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not written by Cardinal");
    }

    @Test
    void a_file_in_use_by_another_store_is_refused_as_locked() {
        open();
        assertThatThrownBy(() -> open()).isInstanceOf(IllegalStateException.class).hasMessageContaining("tree.mv");
    }

    @Test
    void readers_outside_transactions_never_see_half_a_commit() throws Exception {
        MvTreeStore store = open(StoreSettings.of(dir.resolve("tree.mv")).withSync(false));
        try (StoreTransaction tx = store.begin()) {
            tx.put(interior("./P"));
            tx.put(leaf("./P/a0", "0"));
            tx.put(leaf("./P/b0", "0"));
            tx.commit();
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> torn = new AtomicReference<>();
        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
            int reads = 0;
            try {
                while (!stop.get() && torn.get() == null) {
                    // every commit replaces the pair (a<i-1>, b<i-1>) by (a<i>, b<i>): one list call
                    // must see exactly one whole pair
                    List<String> children = store.children(uri("./P"));
                    if (children.size() != 2 || !children.get(1).equals("b" + children.get(0).substring(1))) {
                        torn.set(children.toString());
                    }
                    reads++;
                }
            } catch (DmException e) {
                torn.set(e.toString());
            }
            return reads;
        });
        for (int i = 1; i <= 300; i++) {
            try (StoreTransaction tx = store.begin()) {
                tx.deleteSubtree(uri("./P/a" + (i - 1)));
                tx.deleteSubtree(uri("./P/b" + (i - 1)));
                tx.put(leaf("./P/a" + i, Integer.toString(i)));
                tx.put(leaf("./P/b" + i, Integer.toString(i)));
                tx.commit();
            }
        }
        stop.set(true);
        assertThat(reader.get(30, TimeUnit.SECONDS)).isPositive();
        assertThat(torn.get()).isNull();
        assertThat(store.children(uri("./P"))).containsExactly("a300", "b300");
    }

    @Test
    void activation_from_configuration_uses_the_configured_file() throws DmException {
        Path file = dir.resolve("conf/tree.mv");
        MvTreeStore.Config config = Converters.standardConverter()
                .convert(Map.of("file", file.toString(), "sync.on.commit", false)).to(MvTreeStore.Config.class);
        MvTreeStore store = new MvTreeStore(config);
        opened.add(store);
        assertThat(store.file()).isEqualTo(file);
        assertThat(Files.exists(file)).isTrue();
        assertThat(store.children(uri("."))).isEmpty();
    }

    @Test
    void the_default_path_is_under_karaf_data_or_else_under_dot_data() {
        String old = System.getProperty("karaf.data");
        try {
            System.clearProperty("karaf.data");
            assertThat(StoreSettings.resolvePath("")).isEqualTo(Path.of("data/cardinal/tree.mv").toAbsolutePath());
            System.setProperty("karaf.data", dir.toString());
            assertThat(StoreSettings.resolvePath(null)).isEqualTo(dir.resolve("cardinal/tree.mv"));
            assertThat(StoreSettings.resolvePath("${karaf.data}/x.mv")).isEqualTo(dir.resolve("x.mv"));
            assertThatThrownBy(() -> StoreSettings.resolvePath("${no.such.property.cardinal}/x.mv"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no.such.property.cardinal");
        } finally {
            if (old == null) {
                System.clearProperty("karaf.data");
            } else {
                System.setProperty("karaf.data", old);
            }
        }
    }

    @Test
    void periodic_compaction_keeps_the_file_small_under_a_stream_of_commits() throws Exception {
        Path file = dir.resolve("grow.mv");
        MvTreeStore store = open(StoreSettings.of(file).withSync(false).withCompactEvery(100));
        for (int i = 0; i < 1000; i++) {
            try (StoreTransaction tx = store.begin()) {
                tx.put(leaf("./X" + (i % 50), "value " + i));
                tx.commit();
            }
        }
        // without compaction each commit adds a chunk of about 12 KB that is reused only after 45 s
        assertThat(Files.size(file)).isLessThan(3L << 20);
        assertThat(store.read(uri("./X49")).orElseThrow().value().asString()).isEqualTo("value 999");
        store.close();
        assertThat(open(StoreSettings.of(file)).children(uri("."))).hasSize(50);
    }

    @Test
    void disk_full_is_recognised_through_the_cause_chain() {
        assertThat(MvTreeStore.isDiskFull(new IllegalStateException("x", new IOException("No space left on device")))).isTrue();
        assertThat(MvTreeStore.isDiskFull(new IllegalStateException("x", new IOException("Input/output error")))).isFalse();
        assertThat(MvTreeStore.isDiskFull(new IllegalStateException("No space left on device"))).isFalse();
    }
}
