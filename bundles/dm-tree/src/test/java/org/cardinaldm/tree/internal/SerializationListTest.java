package org.cardinaldm.tree.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cardinaldm.tree.internal.Fixture.assertStatus;
import static org.cardinaldm.tree.internal.Fixture.s;
import static org.cardinaldm.tree.internal.Fixture.u;
import static org.mockito.Mockito.mock;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.cardinaldm.api.AtomicAccess;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.ListForm;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Property;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.SubtreeNode;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.api.TreeSerialization;
import org.cardinaldm.api.spi.ddf.AccessType;
import org.cardinaldm.api.spi.ddf.MoDescription;
import org.cardinaldm.api.spi.ddf.NodeDescription;
import org.junit.jupiter.api.Test;

/** Get ?list=Struct|StructData|TNDS (digest 5.6, 7): what is serialised, for whom, and what never is. */
class SerializationListTest {
    private final Fixture f = new Fixture(Map.of("root.acl", "Add=*&Get=*&Replace=*&Delete=*"));
    private final TreeSerialization ser = f.tree;
    private final TreeAccess srv = f.server("srv");

    private void sample() throws DmException {
        srv.add(u("./App/Conf/Port"), NodeValue.ofInt(8080));
        srv.add(u("./App/Conf/Host"), s("example.com"));
        srv.add(u("./App/Empty"), NodeValue.interior());
        srv.setProperty(u("./App/Conf"), Property.TITLE, "Configuration");
    }

    private static List<String> flatten(SubtreeNode n, String uri) {
        List<String> out = new ArrayList<>();
        out.add(uri);
        for (SubtreeNode c : n.children()) {
            out.addAll(flatten(c, uri + "/" + c.name()));
        }
        return out;
    }

    private static SubtreeNode child(SubtreeNode n, String name) {
        return n.children().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void struct_gives_every_node_with_format_and_type_and_no_values() throws DmException {
        sample();

        SubtreeNode app = ser.list(srv, u("./App"), ListForm.struct());

        assertThat(app.name()).isEqualTo("App");
        assertThat(app.path()).contains(".");
        assertThat(flatten(app, "./App")).containsExactly("./App", "./App/Conf", "./App/Conf/Host",
                "./App/Conf/Port", "./App/Empty");
        SubtreeNode port = child(child(app, "Conf"), "Port");
        assertThat(port.isInterior()).isFalse();
        assertThat(port.properties()).containsOnlyKeys(Property.FORMAT, Property.TYPE);
        assertThat(port.property(Property.FORMAT)).contains("int");
        assertThat(port.property(Property.TYPE)).contains("text/plain");
        assertThat(port.value()).isEmpty();
        assertThat(app.property(Property.FORMAT)).contains("node");
    }

    @Test
    void struct_data_adds_the_leaf_values() throws DmException {
        sample();

        SubtreeNode conf = ser.list(srv, u("./App/Conf"), ListForm.structData());

        assertThat(conf.path()).contains("./App");
        assertThat(child(conf, "Port").value()).contains(NodeValue.ofInt(8080));
        assertThat(child(conf, "Host").value().orElseThrow().asString()).isEqualTo("example.com");
    }

    @Test
    void tnds_carries_the_acl_and_every_property_the_node_has() throws DmException {
        sample();
        srv.setProperty(u("./App"), Property.ACL, "Get=*&Replace=srv&Add=srv&Delete=srv");

        SubtreeNode app = ser.list(srv, u("./App"), ListForm.tnds());

        assertThat(app.property(Property.ACL)).contains("Add=srv&Delete=srv&Get=*&Replace=srv");
        assertThat(app.property(Property.NAME)).contains("App");
        assertThat(app.property(Property.VERNO)).isPresent();
        assertThat(app.property(Property.TSTAMP)).contains("20260102T030405Z");
        assertThat(app.property(Property.SIZE)).as("interior nodes have no Size").isEmpty();
        SubtreeNode conf = child(app, "Conf");
        assertThat(conf.property(Property.ACL)).as("an inheriting node shows an empty ACL").contains("");
        assertThat(conf.property(Property.TITLE)).contains("Configuration");
        SubtreeNode port = child(conf, "Port");
        assertThat(port.property(Property.SIZE)).contains("4");
        assertThat(port.value()).contains(NodeValue.ofInt(8080));
    }

    @Test
    void include_and_exclude_lists_choose_the_properties_and_the_values() throws DmException {
        sample();

        SubtreeNode included = ser.list(srv, u("./App/Conf/Port"), ListForm.parse("TNDS+ACL+Value"));
        SubtreeNode excluded = ser.list(srv, u("./App/Conf/Port"), ListForm.parse("TNDS-ACL-Value-VerNo"));

        assertThat(included.properties()).containsOnlyKeys(Property.ACL);
        assertThat(included.value()).isPresent();
        assertThat(excluded.properties()).doesNotContainKeys(Property.ACL, Property.VERNO)
                .containsKeys(Property.FORMAT, Property.TYPE, Property.SIZE);
        assertThat(excluded.value()).isEmpty();
    }

    @Test
    void nodes_the_server_may_not_get_are_left_out_with_their_subtrees() throws DmException {
        sample();
        srv.add(u("./App/Private/Key"), s("k"));
        f.admin().setProperty(u("./App/Private"), Property.ACL, "Get=other&Replace=srv");

        SubtreeNode app = ser.list(srv, u("./App"), ListForm.struct());

        assertThat(flatten(app, "./App")).doesNotContain("./App/Private", "./App/Private/Key")
                .contains("./App/Conf/Port");
        assertThat(flatten(ser.list(f.server("other"), u("./App"), ListForm.struct()), "./App"))
                .contains("./App/Private/Key");
    }

    @Test
    void a_top_node_the_server_may_not_get_is_425() throws DmException {
        sample();
        f.admin().setProperty(u("./App"), Property.ACL, "Get=other");

        assertStatus(StatusCode.PERMISSION_DENIED, () -> ser.list(srv, u("./App"), ListForm.tnds()));
    }

    @Test
    void missing_node_is_404_inbox_is_405_and_too_long_uri_is_414() {
        assertStatus(StatusCode.NOT_FOUND, () -> ser.list(srv, u("./Nope"), ListForm.struct()));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> ser.list(srv, u("./Inbox"), ListForm.struct()));
        assertStatus(StatusCode.URI_TOO_LONG,
                () -> ser.list(srv, u("./" + "A/".repeat(20) + "B"), ListForm.struct()));
    }

    @Test
    void the_root_is_nameless_has_no_path_and_never_lists_the_inbox() throws DmException {
        sample();

        SubtreeNode root = ser.list(srv, u("."), ListForm.struct());

        assertThat(root.name()).isEmpty();
        assertThat(root.path()).isEmpty();
        assertThat(root.children()).extracting(SubtreeNode::name).containsExactly("App");
        assertThat(ser.list(srv, u("."), ListForm.tnds()).property(Property.ACL))
                .contains("Add=*&Delete=*&Get=*&Replace=*");
    }

    @Test
    void plugin_nodes_are_serialised_like_stored_ones() throws DmException {
        f.mount(new FakePlugin("./Vendor/Dev").leaf("Model", "X1").interior("Parts").leaf("Parts/A", "a"));

        SubtreeNode vendor = ser.list(srv, u("./Vendor"), ListForm.structData());

        assertThat(flatten(vendor, "./Vendor")).containsExactly("./Vendor", "./Vendor/Dev", "./Vendor/Dev/Model",
                "./Vendor/Dev/Parts", "./Vendor/Dev/Parts/A");
        assertThat(child(child(vendor, "Dev"), "Model").value().orElseThrow().asString()).isEqualTo("X1");
    }

    @Test
    void a_failing_plugin_fails_the_get_with_500() {
        FakePlugin p = f.mount(new FakePlugin("./Vendor").leaf("Model", "X1"));
        p.crash = new IllegalStateException("boom");

        assertStatus(StatusCode.COMMAND_FAILED, () -> ser.list(srv, u("."), ListForm.structData()));
    }

    private MoDescription describeSecrets() {
        NodeDescription root = NodeDescription.named("Acc").permanent().access(AccessType.GET)
                .child(NodeDescription.named("Name").leaf(Format.CHR)
                        .access(AccessType.ADD, AccessType.GET, AccessType.REPLACE).build())
                .child(NodeDescription.named("Secret").leaf(Format.CHR)
                        .access(AccessType.ADD, AccessType.REPLACE).build())
                .build();
        return f.describe("./Acc", "urn:test:acc", (MoDescription) () -> root);
    }

    @Test
    void write_only_leaves_never_carry_a_value_or_a_size_even_for_the_system() throws DmException {
        describeSecrets();
        srv.add(u("./Acc/Name"), s("n"));
        srv.add(u("./Acc/Secret"), s("hunter2"));

        for (TreeAccess who : List.of(srv, f.admin(), f.system())) {
            SubtreeNode acc = ser.list(who, u("./Acc"), ListForm.tnds());
            SubtreeNode secret = child(acc, "Secret");
            assertThat(secret.value()).as("for %s", who).isEmpty();
            assertThat(secret.property(Property.SIZE)).isEmpty();
            assertThat(secret.property(Property.FORMAT)).contains("chr");
            assertThat(child(acc, "Name").value()).isPresent();
        }
        assertThat(ser.list(f.system(), u("./Acc/Secret"), ListForm.structData()).value()).isEmpty();
    }

    @Test
    void the_write_only_mark_hides_a_secret_after_its_description_is_gone() throws DmException {
        MoDescription d = describeSecrets();
        srv.add(u("./Acc/Secret"), s("hunter2"));
        f.tree.removeDescription(d);

        SubtreeNode acc = ser.list(f.system(), u("./Acc"), ListForm.structData());
        assertThat(child(acc, "Secret").value()).isEmpty();
    }

    @Test
    void a_list_inside_an_atomic_sees_its_uncommitted_changes() throws DmException {
        try (AtomicAccess atomic = srv.atomic()) {
            atomic.add(u("./New/Leaf"), s("v"));

            assertThat(flatten(ser.list(atomic, u("./New"), ListForm.struct()), "./New")).contains("./New/Leaf");
            assertStatus(StatusCode.NOT_FOUND, () -> ser.list(srv, u("./New"), ListForm.struct()));
        }
    }

    @Test
    void a_view_from_another_tree_is_refused() {
        TreeAccess foreign = mock(TreeAccess.class);

        assertThatThrownBy(() -> ser.list(foreign, u("."), ListForm.struct())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ser.list(new Fixture().server("srv"), u("."), ListForm.struct()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void more_nodes_than_the_tree_serialises_at_once_is_413() throws DmException {
        sample();
        assertThat(ser.list(srv, u("."), ListForm.struct()).count()).isEqualTo(6);
        f.tree.serializer().maxNodes = 5;

        assertStatus(StatusCode.REQUEST_ENTITY_TOO_LARGE, () -> ser.list(srv, u("."), ListForm.struct()));
        assertThat(ser.list(srv, u("./App"), ListForm.struct()).count()).isEqualTo(5);
        assertThat(Serializer.MAX_NODES).isGreaterThanOrEqualTo(100_000);
    }
}
