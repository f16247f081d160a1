package org.cardinaldm.tree.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cardinaldm.tree.internal.Fixture.assertStatus;
import static org.cardinaldm.tree.internal.Fixture.s;
import static org.cardinaldm.tree.internal.Fixture.u;

import java.util.Map;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Property;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TreeAccess;
import org.junit.jupiter.api.Test;

/** Add, Replace, Delete, Get, Copy and Exec on store-backed nodes (digest 1.5). */
class CommandsTest {
    private final Fixture f = new Fixture(Map.of("root.acl", "Add=*&Get=*&Replace=*&Delete=*&Exec=*"));
    private final TreeAccess srv = f.server("srv");

    @Test
    void add_of_a_leaf_stores_value_format_and_type() throws DmException {
        srv.add(u("./A"), NodeValue.interior());
        srv.add(u("./A/B"), NodeValue.ofInt(42));
        assertThat(srv.get(u("./A/B"))).isEqualTo(NodeValue.ofInt(42));
        NodeInfo info = srv.describe(u("./A/B"));
        assertThat(info.format()).isEqualTo(Format.INT);
        assertThat(info.type()).isEqualTo("text/plain");
        assertThat(info.isPermanent()).isFalse();
        assertThat(info.size()).isEqualTo(2);
    }

    @Test
    void add_of_an_existing_node_returns_418() throws DmException {
        srv.add(u("./A"), s("x"));
        assertStatus(StatusCode.ALREADY_EXISTS, () -> srv.add(u("./A"), s("y")));
        assertThat(srv.get(u("./A")).asString()).isEqualTo("x");
    }

    @Test
    void add_of_the_root_returns_418() {
        assertStatus(StatusCode.ALREADY_EXISTS, () -> srv.add(u("."), NodeValue.interior()));
    }

    @Test
    void add_below_a_leaf_returns_405() throws DmException {
        srv.add(u("./L"), s("leaf"));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.add(u("./L/X"), s("x")));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.add(u("./L/X/Y"), s("x")));
        assertThat(srv.exists(u("./L/X"))).isFalse();
    }

    @Test
    void add_creates_missing_interior_parents_implicitly() throws DmException {
        srv.add(u("./A/B/C/D"), s("deep"));
        assertThat(srv.describe(u("./A")).isInterior()).isTrue();
        assertThat(srv.describe(u("./A/B/C")).isInterior()).isTrue();
        assertThat(srv.children(u("./A/B"))).containsExactly("C");
        assertThat(srv.get(u("./A/B/C/D")).asString()).isEqualTo("deep");
    }

    @Test
    void failed_add_leaves_no_implicit_parent_behind() throws DmException {
        f.store.failPuts(uri -> uri.equals(u("./A/B/C")));
        assertStatus(StatusCode.DEVICE_FULL, () -> srv.add(u("./A/B/C"), s("x")));
        assertThat(srv.exists(u("./A"))).isFalse();
        assertThat(f.store.idle()).isTrue();
    }

    @Test
    void add_of_an_interior_node_keeps_its_mo_type() throws DmException {
        srv.add(u("./Acc"), NodeValue.of(Format.NODE, "urn:x:mo:1.0", new byte[0]));
        assertThat(srv.getProperty(u("./Acc"), Property.TYPE)).isEqualTo("urn:x:mo:1.0");
        assertThat(srv.get(u("./Acc"))).isEqualTo(NodeValue.ofChildren(java.util.List.of()));
    }

    @Test
    void get_of_an_interior_node_lists_children_in_stable_order() throws DmException {
        srv.add(u("./P/b"), s("1"));
        srv.add(u("./P/a"), s("2"));
        srv.add(u("./P/c"), NodeValue.interior());
        NodeValue v = srv.get(u("./P"));
        assertThat(v.format()).isEqualTo(Format.NODE);
        assertThat(v.asString()).isEqualTo(String.join("/", srv.children(u("./P"))));
        assertThat(srv.children(u("./P"))).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(srv.children(u("./P"))).isEqualTo(srv.children(u("./P")));
    }

    @Test
    void get_of_an_absent_node_returns_404() {
        assertStatus(StatusCode.NOT_FOUND, () -> srv.get(u("./Nope")));
        assertStatus(StatusCode.NOT_FOUND, () -> srv.describe(u("./Nope/Deeper")));
        assertStatus(StatusCode.NOT_FOUND, () -> srv.children(u("./Nope")));
    }

    @Test
    void children_of_a_leaf_returns_405() throws DmException {
        srv.add(u("./L"), s("leaf"));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.children(u("./L")));
    }

    @Test
    void replace_overwrites_a_leaf_and_may_change_its_format() throws DmException {
        srv.add(u("./L"), s("one"));
        srv.replace(u("./L"), NodeValue.ofBool(true));
        assertThat(srv.get(u("./L"))).isEqualTo(NodeValue.ofBool(true));
        assertThat(srv.getProperty(u("./L"), Property.FORMAT)).isEqualTo("bool");
    }

    @Test
    void replace_never_creates_a_node() {
        assertStatus(StatusCode.NOT_FOUND, () -> srv.replace(u("./Nope"), s("x")));
        assertThat(f.store.size()).isEqualTo(1);
    }

    @Test
    void replace_of_an_interior_node_returns_405() throws DmException {
        srv.add(u("./I"), NodeValue.interior());
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.replace(u("./I"), s("x")));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.replace(u("."), s("x")));
    }

    @Test
    void replace_of_a_leaf_with_an_interior_value_returns_405() throws DmException {
        srv.add(u("./L"), s("x"));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.replace(u("./L"), NodeValue.interior()));
    }

    @Test
    void replace_keeps_the_type_when_the_new_value_has_none() throws DmException {
        srv.add(u("./L"), NodeValue.ofBinary(new byte[] {1}, "application/x-thing"));
        srv.replace(u("./L"), NodeValue.of(Format.BIN, "", new byte[] {2, 3}));
        assertThat(srv.getProperty(u("./L"), Property.TYPE)).isEqualTo("application/x-thing");
        assertThat(srv.getProperty(u("./L"), Property.SIZE)).isEqualTo("2");
    }

    @Test
    void replace_cannot_change_format_or_type_of_a_permanent_node() throws DmException {
        f.system().add(u("./P"), s("x"));
        makePermanent("./P");
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.replace(u("./P"), NodeValue.ofInt(1)));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED,
                () -> srv.replace(u("./P"), NodeValue.ofText(Format.CHR, "text/html", "x")));
        srv.replace(u("./P"), s("same format"));
        assertThat(srv.get(u("./P")).asString()).isEqualTo("same format");
    }

    private void makePermanent(String uri) throws DmException {
        var txn = f.store.begin();
        var node = txn.read(u(uri)).orElseThrow();
        txn.put(org.cardinaldm.api.spi.store.StoredNode.of(node.info().toBuilder().permanent(true).build(), node.value()));
        txn.commit();
    }

    @Test
    void delete_removes_the_whole_subtree() throws DmException {
        srv.add(u("./A/B/C"), s("x"));
        srv.add(u("./A/D"), s("y"));
        srv.delete(u("./A"));
        assertThat(srv.exists(u("./A"))).isFalse();
        assertThat(srv.exists(u("./A/B/C"))).isFalse();
        assertThat(f.store.size()).isEqualTo(1);
    }

    @Test
    void delete_of_the_root_returns_405() {
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.delete(u(".")));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> f.system().delete(u(".")));
    }

    @Test
    void delete_of_a_permanent_node_returns_405_except_for_the_system() throws DmException {
        f.system().add(u("./P"), s("x"));
        makePermanent("./P");
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.delete(u("./P")));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> f.admin().delete(u("./P")));
        f.system().delete(u("./P"));
        assertThat(srv.exists(u("./P"))).isFalse();
    }

    @Test
    void delete_of_an_absent_node_returns_404() {
        assertStatus(StatusCode.NOT_FOUND, () -> srv.delete(u("./Nope")));
    }

    @Test
    void exec_on_a_store_node_returns_405() throws DmException {
        srv.add(u("./L"), s("x"));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.exec(u("./L"), NodeValue.ofNull(), ""));
        assertStatus(StatusCode.NOT_FOUND, () -> srv.exec(u("./Nope"), NodeValue.ofNull(), ""));
    }

    @Test
    void copy_creates_the_target_with_the_source_value() throws DmException {
        srv.add(u("./S"), NodeValue.ofInt(7));
        srv.copy(u("./S"), u("./New/T"));
        assertThat(srv.get(u("./New/T"))).isEqualTo(NodeValue.ofInt(7));
        assertThat(srv.get(u("./S"))).isEqualTo(NodeValue.ofInt(7));
    }

    @Test
    void copy_overwrites_an_existing_leaf() throws DmException {
        srv.add(u("./S"), s("source"));
        srv.add(u("./T"), s("target"));
        srv.copy(u("./S"), u("./T"));
        assertThat(srv.get(u("./T")).asString()).isEqualTo("source");
    }

    @Test
    void copy_needs_leaves_on_both_sides() throws DmException {
        srv.add(u("./I/L"), s("x"));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.copy(u("./I"), u("./T")));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.copy(u("./I/L"), u("./I")));
        assertStatus(StatusCode.NOT_FOUND, () -> srv.copy(u("./Nope"), u("./T")));
    }

    @Test
    void copy_onto_a_permanent_leaf_of_another_format_returns_403() throws DmException {
        f.system().add(u("./P"), s("x"));
        makePermanent("./P");
        srv.add(u("./N"), NodeValue.ofInt(3));
        assertStatus(StatusCode.FORBIDDEN, () -> srv.copy(u("./N"), u("./P")));
    }

    @Test
    void a_failing_store_read_returns_510_and_the_engine_keeps_working() throws DmException {
        srv.add(u("./A"), s("x"));
        f.store.breakReads(true);
        assertStatus(StatusCode.DATA_STORE_FAILURE, () -> srv.get(u("./A")));
        f.store.breakReads(false);
        assertThat(srv.get(u("./A")).asString()).isEqualTo("x");
    }

    @Test
    void a_failing_commit_returns_the_store_status_and_applies_nothing() throws DmException {
        f.store.failCommits(true);
        assertStatus(StatusCode.DATA_STORE_FAILURE, () -> srv.add(u("./A/B"), s("x")));
        f.store.failCommits(false);
        assertThat(srv.exists(u("./A"))).isFalse();
        assertThat(f.store.idle()).isTrue();
    }

    @Test
    void the_reserved_override_area_is_invisible_and_cannot_be_used() throws DmException {
        f.admin().setProperty(u("./Inbox"), Property.TITLE, "forces an override record");
        assertThat(f.store.snapshot().keySet()).anyMatch(k -> k.toString().contains("%00Cardinal"));
        assertThat(srv.children(u("."))).doesNotContain(Overrides.RESERVED_SEGMENT);
        assertThat(srv.exists(Overrides.ROOT)).isFalse();
        assertStatus(StatusCode.NOT_FOUND, () -> srv.get(Overrides.ROOT));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.add(Overrides.ROOT.child("x"), s("x")));
        assertStatus(StatusCode.NOT_FOUND, () -> f.system().delete(Overrides.ROOT));
    }

    @Test
    void commands_reject_null_arguments() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> srv.add(null, s("x")))
                .isInstanceOf(NullPointerException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> srv.replace(u("./A"), null))
                .isInstanceOf(NullPointerException.class);
    }
}
