package org.cardinaldm.testing.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.store.StoreTransaction;
import org.cardinaldm.api.spi.store.StoredNode;
import org.junit.jupiter.api.Test;

class InMemoryTreeStoreTest {
    private final InMemoryTreeStore store = new InMemoryTreeStore();

    private static NodeUri u(String uri) {
        return NodeUri.of(uri);
    }

    private static StoredNode interior(String uri) {
        return StoredNode.of(NodeInfo.interior(u(uri)).build(), NodeValue.interior());
    }

    private static StoredNode leaf(String uri, String value) {
        NodeValue v = NodeValue.ofString(value);
        return StoredNode.of(NodeInfo.leaf(u(uri), Format.CHR).type("text/plain").size(v.size()).build(), v);
    }

    @Test
    void a_new_store_holds_only_the_root() throws DmException {
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.read(NodeUri.root())).get().extracting(n -> n.info().isInterior()).isEqualTo(true);
        assertThat(store.children(NodeUri.root())).isEmpty();
        assertThat(store.idle()).isTrue();
        assertThat(store.begunTransactions()).isZero();
        assertThat(store.commits()).isZero();
    }

    @Test
    void a_transaction_sees_its_own_writes_and_publishes_them_only_on_commit() throws DmException {
        try (StoreTransaction tx = store.begin()) {
            tx.put(interior("./A"));
            tx.put(leaf("./A/B", "b"));
            assertThat(tx.read(u("./A/B"))).get().extracting(n -> n.value().asString()).isEqualTo("b");
            assertThat(tx.children(u("./A"))).containsExactly("B");
            assertThat(store.read(u("./A"))).as("not before the commit").isEmpty();
            assertThat(store.idle()).isFalse();
            tx.commit();
        }
        assertThat(store.read(u("./A/B"))).get().extracting(n -> n.value().asString()).isEqualTo("b");
        assertThat(store.children(NodeUri.root())).containsExactly("A");
        assertThat(store.snapshot()).containsKeys(NodeUri.root(), u("./A"), u("./A/B"));
        assertThat(store.size()).isEqualTo(3);
        assertThat(store.commits()).isEqualTo(1);
        assertThat(store.begunTransactions()).isEqualTo(1);
        assertThat(store.idle()).isTrue();
    }

    @Test
    void children_are_the_direct_ones_only_in_a_stable_order() throws DmException {
        try (StoreTransaction tx = store.begin()) {
            tx.put(interior("./B"));
            tx.put(interior("./A"));
            tx.put(leaf("./A/Y", "y"));
            tx.put(leaf("./A/X", "x"));
            tx.commit();
        }
        assertThat(store.children(NodeUri.root())).containsExactly("A", "B");
        assertThat(store.children(u("./A"))).containsExactly("X", "Y");
        assertThat(store.children(u("./Absent"))).isEmpty();
    }

    @Test
    void a_transaction_closed_without_commit_leaves_nothing_and_frees_the_writer() throws DmException {
        try (StoreTransaction tx = store.begin()) {
            tx.put(interior("./A"));
        }
        assertThat(store.read(u("./A"))).isEmpty();
        assertThat(store.commits()).isZero();
        assertThat(store.idle()).isTrue();
    }

    @Test
    void delete_subtree_removes_the_node_and_everything_below() throws DmException {
        try (StoreTransaction tx = store.begin()) {
            tx.put(interior("./A"));
            tx.put(leaf("./A/B", "b"));
            tx.put(leaf("./AB", "not below ./A"));
            tx.commit();
        }
        try (StoreTransaction tx = store.begin()) {
            tx.deleteSubtree(u("./A"));
            tx.commit();
        }
        assertThat(store.snapshot().keySet()).containsExactlyInAnyOrder(NodeUri.root(), u("./AB"));
    }

    @Test
    void a_second_writer_waits_until_the_first_transaction_is_closed() throws Exception {
        StoreTransaction first = store.begin();
        CompletableFuture<StoreTransaction> second = CompletableFuture.supplyAsync(() -> {
            try {
                return store.begin();
            } catch (DmException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(store.begunTransactions()).as("the second one is still waiting").isEqualTo(1);
        assertThat(second).isNotDone();
        first.close();
        StoreTransaction tx = second.get(20, TimeUnit.SECONDS);
        assertThat(store.begunTransactions()).isEqualTo(2);
        assertThat(store.idle()).isFalse();
        tx.close();
        assertThat(store.idle()).isTrue();
    }

    @Test
    void a_waiting_writer_that_is_interrupted_gets_510_and_keeps_its_interrupt() throws Exception {
        StoreTransaction first = store.begin();
        try {
            Thread.currentThread().interrupt();
            assertThatThrownBy(store::begin).isInstanceOfSatisfying(DmException.class,
                    e -> assertThat(e.status()).isEqualTo(StatusCode.DATA_STORE_FAILURE));
            assertThat(Thread.interrupted()).as("interrupt flag restored").isTrue();
        } finally {
            first.close();
        }
        assertThat(store.idle()).isTrue();
    }

    @Test
    void a_failing_commit_gives_510_publishes_nothing_and_frees_the_writer() throws DmException {
        store.failCommits(true);
        StoreTransaction tx = store.begin();
        tx.put(interior("./A"));
        assertThatThrownBy(tx::commit).isInstanceOfSatisfying(DmException.class,
                e -> assertThat(e.status()).isEqualTo(StatusCode.DATA_STORE_FAILURE));
        assertThat(store.idle()).isTrue();
        assertThat(store.read(u("./A"))).isEmpty();
        assertThat(store.commits()).isZero();

        store.failCommits(false);
        try (StoreTransaction again = store.begin()) {
            again.put(interior("./A"));
            again.commit();
        }
        assertThat(store.read(u("./A"))).isPresent();
    }

    @Test
    void a_failing_put_gives_420_for_the_chosen_uris_only() throws DmException {
        store.failPuts(uri -> uri.equals(u("./Full")));
        try (StoreTransaction tx = store.begin()) {
            assertThatThrownBy(() -> tx.put(interior("./Full"))).isInstanceOfSatisfying(DmException.class,
                    e -> assertThat(e.status()).isEqualTo(StatusCode.DEVICE_FULL));
            tx.put(interior("./Room"));
            tx.commit();
        }
        assertThat(store.snapshot().keySet()).containsExactlyInAnyOrder(NodeUri.root(), u("./Room"));
        assertThatThrownBy(() -> store.failPuts(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void broken_reads_throw_a_runtime_exception_until_repaired() throws DmException {
        store.breakReads(true);
        assertThatThrownBy(() -> store.read(NodeUri.root())).isInstanceOf(IllegalStateException.class);
        store.breakReads(false);
        assertThat(store.read(NodeUri.root())).isPresent();
    }

    @Test
    void put_below_a_missing_or_leaf_parent_is_a_caller_bug() throws DmException {
        try (StoreTransaction tx = store.begin()) {
            assertThatThrownBy(() -> tx.put(leaf("./A/B", "b"))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("./A/B");
            tx.put(leaf("./L", "leaf"));
            assertThatThrownBy(() -> tx.put(leaf("./L/C", "c"))).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void the_root_cannot_be_deleted_and_a_closed_transaction_cannot_be_used() throws DmException {
        StoreTransaction tx = store.begin();
        assertThatThrownBy(() -> tx.deleteSubtree(NodeUri.root())).isInstanceOf(IllegalStateException.class);
        tx.close();
        tx.close();     // closing twice frees the writer once
        assertThat(store.idle()).isTrue();
        assertThatThrownBy(() -> tx.read(NodeUri.root())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> tx.put(interior("./A"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(tx::commit).isInstanceOf(IllegalStateException.class);
        assertThat(store.snapshot()).hasSize(1);
    }

    @Test
    void the_snapshot_is_read_only() {
        assertThatThrownBy(() -> store.snapshot().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
