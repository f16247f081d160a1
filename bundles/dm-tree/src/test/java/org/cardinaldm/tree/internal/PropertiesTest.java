package org.cardinaldm.tree.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cardinaldm.tree.internal.Fixture.assertStatus;
import static org.cardinaldm.tree.internal.Fixture.s;
import static org.cardinaldm.tree.internal.Fixture.u;

import java.time.Duration;
import java.util.Map;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Property;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.api.spi.store.StoredNode;
import org.junit.jupiter.api.Test;

/** Node properties: which exist, which the engine maintains, which can be replaced (digest 5.6). */
class PropertiesTest {
    private final Fixture f = new Fixture(Map.of("root.acl", "Add=*&Get=*&Replace=*&Delete=*"));
    private final TreeAccess srv = f.server("srv");

    @Test
    void properties_of_a_leaf() throws DmException {
        srv.add(u("./L"), NodeValue.ofText(Format.CHR, "text/plain", "héllo"));
        assertThat(srv.getProperty(u("./L"), Property.FORMAT)).isEqualTo("chr");
        assertThat(srv.getProperty(u("./L"), Property.NAME)).isEqualTo("L");
        assertThat(srv.getProperty(u("./L"), Property.SIZE)).isEqualTo("6");
        assertThat(srv.getProperty(u("./L"), Property.TYPE)).isEqualTo("text/plain");
        assertThat(srv.getProperty(u("./L"), Property.TITLE)).isEmpty();
        assertThat(srv.getProperty(u("./L"), Property.TSTAMP)).isEqualTo("20260102T030405Z");
        assertThat(srv.getProperty(u("./L"), Property.VERNO)).isEqualTo("0");
        assertThat(srv.getProperty(u("./L"), Property.ACL)).isEmpty();
    }

    @Test
    void interior_nodes_have_no_size() throws DmException {
        srv.add(u("./I"), NodeValue.interior());
        assertStatus(StatusCode.OPTIONAL_FEATURE_NOT_SUPPORTED, () -> srv.getProperty(u("./I"), Property.SIZE));
        assertThat(srv.getProperty(u("./I"), Property.FORMAT)).isEqualTo("node");
        assertThat(srv.describe(u("./I")).size()).isEqualTo(-1);
    }

    @Test
    void replace_maintains_tstamp_verno_and_size() throws DmException {
        srv.add(u("./L"), s("a"));
        f.clock.advance(Duration.ofSeconds(61));
        srv.replace(u("./L"), s("abcd"));
        assertThat(srv.getProperty(u("./L"), Property.TSTAMP)).isEqualTo("20260102T030506Z");
        assertThat(srv.getProperty(u("./L"), Property.VERNO)).isEqualTo("1");
        assertThat(srv.getProperty(u("./L"), Property.SIZE)).isEqualTo("4");
        srv.replace(u("./L"), s("x"));
        assertThat(srv.getProperty(u("./L"), Property.VERNO)).isEqualTo("2");
    }

    @Test
    void verno_wraps_from_ffff_to_zero() throws DmException {
        assertThat(Stamps.nextVersion(0xFFFF)).isZero();
        assertThat(Stamps.nextVersion(-1)).isZero();
        srv.add(u("./L"), s("a"));
        var txn = f.store.begin();
        StoredNode n = txn.read(u("./L")).orElseThrow();
        txn.put(StoredNode.of(n.info().toBuilder().version(0xFFFF).build(), n.value()));
        txn.commit();
        srv.replace(u("./L"), s("b"));
        assertThat(srv.getProperty(u("./L"), Property.VERNO)).isEqualTo("0");
    }

    @Test
    void adding_or_deleting_a_child_changes_the_parents_tstamp_and_verno() throws DmException {
        srv.add(u("./P"), NodeValue.interior());
        f.clock.advance(Duration.ofHours(1));
        srv.add(u("./P/C"), s("x"));
        assertThat(srv.getProperty(u("./P"), Property.VERNO)).isEqualTo("1");
        assertThat(srv.getProperty(u("./P"), Property.TSTAMP)).isEqualTo("20260102T040405Z");
        srv.delete(u("./P/C"));
        assertThat(srv.getProperty(u("./P"), Property.VERNO)).isEqualTo("2");
    }

    @Test
    void only_acl_name_and_title_can_be_replaced() throws DmException {
        srv.add(u("./L"), s("x"));
        for (Property p : new Property[] {Property.FORMAT, Property.SIZE, Property.TSTAMP, Property.TYPE, Property.VERNO}) {
            assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.setProperty(u("./L"), p, "1"));
        }
    }

    @Test
    void title_is_stored_and_limited_to_255_bytes() throws DmException {
        srv.add(u("./L"), s("x"));
        srv.setProperty(u("./L"), Property.TITLE, "Ünïcode title");
        assertThat(srv.getProperty(u("./L"), Property.TITLE)).isEqualTo("Ünïcode title");
        assertThat(srv.describe(u("./L")).title()).isEqualTo("Ünïcode title");
        srv.setProperty(u("./L"), Property.TITLE, "é".repeat(127));
        assertStatus(StatusCode.REQUEST_ENTITY_TOO_LARGE, () -> srv.setProperty(u("./L"), Property.TITLE, "é".repeat(128)));
        assertThat(srv.get(u("./L")).asString()).isEqualTo("x");
    }

    @Test
    void title_of_the_root_can_be_set() throws DmException {
        srv.setProperty(u("."), Property.TITLE, "My device");
        assertThat(srv.getProperty(u("."), Property.TITLE)).isEqualTo("My device");
        assertThat(srv.getProperty(u("."), Property.ACL)).isEqualTo("Add=*&Delete=*&Get=*&Replace=*");
    }

    @Test
    void rename_moves_the_subtree_and_keeps_values() throws DmException {
        srv.add(u("./A/B/C"), s("deep"));
        srv.setProperty(u("./A/B"), Property.TITLE, "kept");
        f.system().setProperty(u("./A/B/C"), Property.ACL, "Get=*");
        srv.setProperty(u("./A/B"), Property.NAME, "Z");
        assertThat(srv.exists(u("./A/B"))).isFalse();
        assertThat(srv.get(u("./A/Z/C")).asString()).isEqualTo("deep");
        assertThat(srv.getProperty(u("./A/Z"), Property.TITLE)).isEqualTo("kept");
        assertThat(srv.getProperty(u("./A/Z"), Property.NAME)).isEqualTo("Z");
        assertThat(srv.getProperty(u("./A/Z"), Property.VERNO)).isEqualTo("1");
        assertThat(srv.getProperty(u("./A/Z/C"), Property.ACL)).isEqualTo("Get=*");
        assertThat(srv.children(u("./A"))).containsExactly("Z");
    }

    @Test
    void rename_to_the_same_name_changes_nothing() throws DmException {
        srv.add(u("./A"), s("x"));
        srv.setProperty(u("./A"), Property.NAME, "A");
        assertThat(srv.getProperty(u("./A"), Property.VERNO)).isEqualTo("0");
    }

    @Test
    void rename_onto_an_existing_sibling_returns_418() throws DmException {
        srv.add(u("./A"), s("a"));
        srv.add(u("./B"), s("b"));
        assertStatus(StatusCode.ALREADY_EXISTS, () -> srv.setProperty(u("./A"), Property.NAME, "B"));
        assertStatus(StatusCode.ALREADY_EXISTS, () -> srv.setProperty(u("./A"), Property.NAME, "Inbox"));
        assertThat(srv.get(u("./A")).asString()).isEqualTo("a");
    }

    @Test
    void rename_of_a_permanent_node_or_the_root_returns_405() throws DmException {
        f.system().add(u("./P"), s("x"));
        var txn = f.store.begin();
        StoredNode n = txn.read(u("./P")).orElseThrow();
        txn.put(StoredNode.of(n.info().toBuilder().permanent(true).build(), n.value()));
        txn.commit();
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.setProperty(u("./P"), Property.NAME, "Q"));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.setProperty(u("."), Property.NAME, "Q"));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.setProperty(u("./Inbox"), Property.NAME, "Q"));
    }

    @Test
    void rename_to_an_invalid_name_returns_400() throws DmException {
        srv.add(u("./A"), s("x"));
        assertStatus(StatusCode.BAD_REQUEST, () -> srv.setProperty(u("./A"), Property.NAME, "a/b"));
        assertStatus(StatusCode.BAD_REQUEST, () -> srv.setProperty(u("./A"), Property.NAME, ""));
        assertStatus(StatusCode.BAD_REQUEST, () -> srv.setProperty(u("./A"), Property.NAME, ".."));
        assertStatus(StatusCode.BAD_REQUEST, () -> srv.setProperty(u("./A"), Property.NAME, "a b"));
    }

    @Test
    void rename_checks_uri_limits_of_the_whole_moved_subtree() throws DmException {
        Fixture g = new Fixture(Map.of("root.acl", "Add=*&Get=*&Replace=*", "uri.max.tot.len", 12));
        g.server("s").add(u("./A/BCDEFGHI"), s("x"));
        assertStatus(StatusCode.URI_TOO_LONG, () -> g.server("s").setProperty(u("./A"), Property.NAME, "AA"));
        assertThat(g.server("s").exists(u("./A/BCDEFGHI"))).isTrue();
    }

    @Test
    void describe_returns_kind_properties_and_own_acl() throws DmException {
        srv.add(u("./L"), NodeValue.ofBinary(new byte[] {1, 2, 3}, "application/octet-stream"));
        NodeInfo info = srv.describe(u("./L"));
        assertThat(info.isInterior()).isFalse();
        assertThat(info.format()).isEqualTo(Format.BIN);
        assertThat(info.size()).isEqualTo(3);
        assertThat(info.version()).isZero();
        assertThat(info.timestampProperty()).isEqualTo("20260102T030405Z");
        NodeInfo root = srv.describe(u("."));
        assertThat(root.isPermanent()).isTrue();
        assertThat(root.acl().toString()).isEqualTo("Add=*&Delete=*&Get=*&Replace=*");
    }

    @Test
    void missing_tstamp_or_verno_returns_406() throws DmException {
        srv.add(u("./L"), s("x"));
        var txn = f.store.begin();
        StoredNode n = txn.read(u("./L")).orElseThrow();
        txn.put(StoredNode.of(NodeInfo.leaf(u("./L"), Format.CHR).build(), n.value()));
        txn.commit();
        assertStatus(StatusCode.OPTIONAL_FEATURE_NOT_SUPPORTED, () -> srv.getProperty(u("./L"), Property.TSTAMP));
        assertStatus(StatusCode.OPTIONAL_FEATURE_NOT_SUPPORTED, () -> srv.getProperty(u("./L"), Property.VERNO));
        assertThat(srv.getProperty(u("./L"), Property.SIZE)).isEqualTo("1");
    }

    @Test
    void properties_of_an_absent_node_return_404() {
        assertStatus(StatusCode.NOT_FOUND, () -> srv.getProperty(u("./Nope"), Property.NAME));
        assertStatus(StatusCode.NOT_FOUND, () -> srv.setProperty(u("./Nope"), Property.TITLE, "t"));
    }
}
