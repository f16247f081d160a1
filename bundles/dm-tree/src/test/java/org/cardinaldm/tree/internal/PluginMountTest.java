package org.cardinaldm.tree.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cardinaldm.tree.internal.Fixture.assertStatus;
import static org.cardinaldm.tree.internal.Fixture.captureLog;
import static org.cardinaldm.tree.internal.Fixture.s;
import static org.cardinaldm.tree.internal.Fixture.u;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Property;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.api.spi.mo.ManagementObjectPlugin;
import org.cardinaldm.api.spi.mo.MoContext;
import org.junit.jupiter.api.Test;

/** MO plugins from the whiteboard: routing, hot add and remove, failures (ARCHITECTURE decision 1). */
class PluginMountTest {
    private final Fixture f = new Fixture(Map.of("root.acl", "Add=*&Get=*&Replace=*&Delete=*&Exec=*"));
    private final TreeAccess srv = f.server("srv");

    private static FakePlugin devInfo() {
        return new FakePlugin("./DevInfo").rootAcl("Get=*").leaf("Man", "Cardinal").leaf("Mod", "Gateway");
    }

    @Test
    void a_mounted_plugin_answers_for_its_subtree() throws DmException {
        f.mount(devInfo());
        assertThat(srv.children(u("."))).contains("DevInfo");
        assertThat(srv.get(u("./DevInfo/Man")).asString()).isEqualTo("Cardinal");
        assertThat(srv.get(u("./DevInfo")).asString()).isEqualTo("Man/Mod");
        assertThat(srv.describe(u("./DevInfo")).isPermanent()).isTrue();
        assertStatus(StatusCode.NOT_FOUND, () -> srv.get(u("./DevInfo/Nope")));
    }

    @Test
    void removing_a_plugin_removes_its_subtree_and_re_adding_restores_it() throws DmException {
        FakePlugin p = f.mount(devInfo());
        srv.add(u("./Other"), s("stays"));
        f.unmount(p);
        assertThat(srv.exists(u("./DevInfo"))).isFalse();
        assertStatus(StatusCode.NOT_FOUND, () -> srv.get(u("./DevInfo/Man")));
        assertThat(srv.children(u("."))).doesNotContain("DevInfo").contains("Other");
        f.mount(p);
        assertThat(srv.get(u("./DevInfo/Man")).asString()).isEqualTo("Cardinal");
        assertThat(srv.get(u("./Other")).asString()).isEqualTo("stays");
    }

    @Test
    void a_second_plugin_for_the_same_root_is_ignored_with_a_warning_and_takes_over_later() throws Exception {
        FakePlugin first = f.mount(devInfo());
        FakePlugin second = new FakePlugin("./DevInfo").leaf("Man", "Other");
        String log = captureLog(() -> f.mount(second));
        assertThat(log).contains("WARN").contains("./DevInfo");
        assertThat(srv.get(u("./DevInfo/Man")).asString()).isEqualTo("Cardinal");
        f.unmount(first);
        assertThat(srv.get(u("./DevInfo/Man")).asString()).isEqualTo("Other");
        f.unmount(second);
        assertThat(srv.exists(u("./DevInfo"))).isFalse();
    }

    @Test
    void removing_a_waiting_plugin_leaves_the_active_one() throws DmException {
        FakePlugin first = f.mount(devInfo());
        FakePlugin second = f.mount(new FakePlugin("./DevInfo").leaf("Man", "Other"));
        f.unmount(second);
        assertThat(srv.get(u("./DevInfo/Man")).asString()).isEqualTo("Cardinal");
        f.unmount(first);
        assertThat(srv.exists(u("./DevInfo"))).isFalse();
    }

    @Test
    void plugins_with_unusable_roots_are_ignored() throws Exception {
        FakePlugin p = new FakePlugin("./X");
        String log = captureLog(() -> {
            f.tree.mountPlugin(p, Map.of(ManagementObjectPlugin.ROOT_PROPERTY, "."), "b");
            f.tree.mountPlugin(p, Map.of(ManagementObjectPlugin.ROOT_PROPERTY, "./Inbox"), "b");
            f.tree.mountPlugin(p, Map.of(ManagementObjectPlugin.ROOT_PROPERTY, "a//b"), "b");
            f.tree.mountPlugin(p, Map.of(ManagementObjectPlugin.ROOT_PROPERTY, 42), "b");
            f.tree.mountPlugin(p, Map.of(ManagementObjectPlugin.ROOT_PROPERTY, "./" + Overrides.RESERVED_SEGMENT), "b");
        });
        assertThat(log.lines().filter(l -> l.contains("WARN"))).hasSize(5);
        assertThat(f.tree.engine().exists(new Op(f.store, org.cardinaldm.api.Principal.system(), false), u("./X")))
                .isFalse();
        f.tree.mountPlugin(p, Map.of(ManagementObjectPlugin.ROOT_PROPERTY, new String[] {"./X"}), "b");
        assertThat(srv.exists(u("./X"))).isTrue();
    }

    @Test
    void parents_of_a_deep_plugin_root_are_synthesised() throws DmException {
        FakePlugin p = f.mount(new FakePlugin("./Vendor/Acme/X").leaf("L", "v"));
        assertThat(srv.children(u("."))).contains("Vendor");
        assertThat(srv.children(u("./Vendor"))).containsExactly("Acme");
        assertThat(srv.get(u("./Vendor/Acme")).asString()).isEqualTo("X");
        NodeInfo vendor = srv.describe(u("./Vendor"));
        assertThat(vendor.isInterior()).isTrue();
        assertThat(vendor.isPermanent()).isTrue();
        assertThat(srv.get(u("./Vendor/Acme/X/L")).asString()).isEqualTo("v");
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.delete(u("./Vendor")));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.delete(u("./Vendor/Acme/X")));
        f.unmount(p);
        assertThat(srv.exists(u("./Vendor"))).isFalse();
    }

    @Test
    void store_nodes_can_live_beside_a_synthesised_parent() throws DmException {
        FakePlugin p = f.mount(new FakePlugin("./Vendor/X"));
        f.system().setProperty(u("./Vendor"), Property.TITLE, "vendor things");
        srv.add(u("./Vendor/Y/Z"), s("stored"));
        assertThat(srv.children(u("./Vendor"))).containsExactlyInAnyOrder("X", "Y");
        assertThat(srv.getProperty(u("./Vendor"), Property.TITLE)).isEqualTo("vendor things");
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.delete(u("./Vendor")));
        f.unmount(p);
        assertThat(srv.children(u("./Vendor"))).containsExactly("Y");
        assertThat(srv.getProperty(u("./Vendor"), Property.TITLE)).isEqualTo("vendor things");
    }

    @Test
    void nested_plugins_route_by_the_longest_root() throws DmException {
        FakePlugin outer = f.mount(new FakePlugin("./Ext").leaf("A", "outer"));
        FakePlugin inner = f.mount(new FakePlugin("./Ext/Sub/In").leaf("B", "inner"));
        assertThat(srv.children(u("./Ext"))).containsExactlyInAnyOrder("A", "Sub");
        assertThat(srv.describe(u("./Ext/Sub")).isPermanent()).isTrue();
        assertThat(srv.get(u("./Ext/Sub/In/B")).asString()).isEqualTo("inner");
        assertThat(srv.get(u("./Ext/A")).asString()).isEqualTo("outer");
        assertThat(inner.calls).noneMatch(c -> c.contains("./Ext/A"));
        assertThat(outer.calls).noneMatch(c -> c.contains("./Ext/Sub/In/B"));
    }

    @Test
    void writes_are_routed_to_the_owning_plugin() throws DmException {
        FakePlugin p = f.mount(new FakePlugin("./App").interior("Items"));
        srv.add(u("./App/Items/One"), s("1"));
        srv.replace(u("./App/Items/One"), s("uno"));
        assertThat(p.values.get(u("./App/Items/One")).asString()).isEqualTo("uno");
        srv.add(u("./App/Items/Deep/Er"), s("x"));
        assertThat(p.infos).containsKey(u("./App/Items/Deep"));
        srv.delete(u("./App/Items/Deep"));
        assertThat(p.infos).doesNotContainKey(u("./App/Items/Deep/Er"));
        assertThat(f.store.size()).as("nothing of the plugin's in the store").isEqualTo(1);
    }

    @Test
    void a_read_only_plugin_refuses_writes_with_its_status() throws DmException {
        FakePlugin p = f.mount(new FakePlugin("./DevInfo").leaf("Man", "Cardinal"));
        p.mutable = false;
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.replace(u("./DevInfo/Man"), s("x")));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.add(u("./DevInfo/New"), s("x")));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.delete(u("./DevInfo/Man")));
    }

    @Test
    void the_default_spi_methods_refuse_with_405() throws DmException {
        ManagementObjectPlugin minimal = new ManagementObjectPlugin() {
            @Override
            public Optional<NodeInfo> describe(NodeUri uri, MoContext context) {
                return uri.depth() == 1 ? Optional.of(NodeInfo.interior(uri).build())
                        : Optional.of(NodeInfo.leaf(uri, Format.CHR).build());
            }

            @Override
            public List<String> children(NodeUri uri, MoContext context) {
                return List.of("L");
            }

            @Override
            public NodeValue get(NodeUri uri, MoContext context) {
                return NodeValue.ofString("v");
            }
        };
        f.mount("./Min", minimal);
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.replace(u("./Min/L"), s("x")));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.delete(u("./Min/L")));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.exec(u("./Min/L"), NodeValue.ofNull(), ""));
        assertStatus(StatusCode.ALREADY_EXISTS, () -> srv.add(u("./Min/L"), s("x")));
    }

    @Test
    void exec_is_routed_to_the_plugin_with_data_and_correlator() throws DmException {
        FakePlugin p = f.mount(new FakePlugin("./Fw").leaf("Update", ""));
        assertThat(srv.exec(u("./Fw/Update"), s("pkg"), "corr-1")).isEqualTo(StatusCode.OK);
        p.execStatus = StatusCode.ACCEPTED;
        assertThat(srv.exec(u("./Fw/Update"), NodeValue.ofNull(), "")).isEqualTo(StatusCode.ACCEPTED);
        assertThat(p.calls).contains("exec ./Fw/Update");
        p.execStatus = StatusCode.RETRY_LATER;
        assertStatus(StatusCode.RETRY_LATER, () -> srv.exec(u("./Fw/Update"), NodeValue.ofNull(), ""));
        p.execStatus = null;
        assertStatus(StatusCode.COMMAND_FAILED, () -> srv.exec(u("./Fw/Update"), NodeValue.ofNull(), ""));
    }

    @Test
    void a_plugin_dm_exception_becomes_its_status() throws DmException {
        FakePlugin p = f.mount(devInfo());
        p.refusal = new DmException(StatusCode.DATA_STORE_FAILURE, "card gone");
        assertStatus(StatusCode.DATA_STORE_FAILURE, () -> srv.get(u("./DevInfo/Man")));
        assertStatus(StatusCode.DATA_STORE_FAILURE, () -> srv.children(u("./DevInfo")));
        assertThat(srv.children(u("."))).as("the rest of the tree answers").contains("DevInfo");
    }

    @Test
    void a_plugin_runtime_exception_becomes_500_and_one_warning_naming_the_bundle() throws Exception {
        FakePlugin p = f.mount(devInfo());
        p.crash = new IllegalStateException("bug in plugin");
        String log = captureLog(() -> assertStatus(StatusCode.COMMAND_FAILED, () -> srv.get(u("./DevInfo/Man"))));
        List<String> warnings = log.lines().filter(l -> l.contains("WARN")).toList();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("test.plugin..DevInfo").contains("IllegalStateException");
        p.crash = null;
        assertThat(srv.get(u("./DevInfo/Man")).asString()).isEqualTo("Cardinal");
    }

    @Test
    void a_plugin_linkage_error_becomes_500() throws DmException {
        ManagementObjectPlugin gone = new FakePlugin("./Gone") {
            @Override
            public Optional<NodeInfo> describe(NodeUri uri, MoContext context) {
                throw new NoClassDefFoundError("org/example/Uninstalled");
            }
        };
        f.mount("./Gone", gone);
        assertStatus(StatusCode.COMMAND_FAILED, () -> srv.get(u("./Gone")));
        srv.add(u("./Fine"), s("engine still works"));
        assertThat(srv.get(u("./Fine")).asString()).isEqualTo("engine still works");
    }

    @Test
    void plugins_breaking_the_contract_give_500() throws DmException {
        f.mount("./Null", new FakePlugin("./Null") {
            @Override
            public Optional<NodeInfo> describe(NodeUri uri, MoContext context) {
                return null;
            }
        });
        f.mount("./Wrong", new FakePlugin("./Wrong") {
            @Override
            public Optional<NodeInfo> describe(NodeUri uri, MoContext context) {
                return Optional.of(NodeInfo.interior(NodeUri.of("./Elsewhere")).build());
            }
        });
        FakePlugin nulls = f.mount(new FakePlugin("./Nulls") {
            @Override
            public NodeValue get(NodeUri uri, MoContext context) {
                return null;
            }

            @Override
            public List<String> children(NodeUri uri, MoContext context) {
                return null;
            }
        }.leaf("L", "x"));
        assertThat(nulls).isNotNull();
        assertStatus(StatusCode.COMMAND_FAILED, () -> srv.get(u("./Null")));
        assertStatus(StatusCode.COMMAND_FAILED, () -> srv.get(u("./Wrong")));
        assertStatus(StatusCode.COMMAND_FAILED, () -> srv.get(u("./Nulls/L")));
        assertStatus(StatusCode.COMMAND_FAILED, () -> srv.get(u("./Nulls")));
    }

    @Test
    void acl_and_title_on_plugin_nodes_are_kept_by_the_engine_across_remounts() throws DmException {
        FakePlugin p = f.mount(devInfo());
        f.system().setProperty(u("./DevInfo/Man"), Property.ACL, "Get=srvB");
        f.system().setProperty(u("./DevInfo"), Property.TITLE, "Device information");
        assertStatus(StatusCode.PERMISSION_DENIED, () -> srv.get(u("./DevInfo/Man")));
        assertThat(srv.getProperty(u("./DevInfo"), Property.TITLE)).isEqualTo("Device information");
        assertThat(srv.getProperty(u("./DevInfo"), Property.ACL)).isEqualTo("Get=*");
        f.unmount(p);
        assertThat(srv.exists(u("./DevInfo"))).isFalse();
        f.mount(p);
        assertStatus(StatusCode.PERMISSION_DENIED, () -> srv.get(u("./DevInfo/Man")));
        assertThat(f.server("srvB").get(u("./DevInfo/Man")).asString()).isEqualTo("Cardinal");
        assertThat(srv.getProperty(u("./DevInfo"), Property.TITLE)).isEqualTo("Device information");
    }

    @Test
    void an_empty_acl_override_makes_a_plugin_node_inherit() throws DmException {
        f.mount(new FakePlugin("./Locked").rootAcl("Get=nobody").leaf("L", "x"));
        assertStatus(StatusCode.PERMISSION_DENIED, () -> srv.get(u("./Locked/L")));
        f.system().setProperty(u("./Locked"), Property.ACL, "");
        assertThat(srv.getProperty(u("./Locked"), Property.ACL)).isEmpty();
        assertThat(srv.get(u("./Locked/L")).asString()).isEqualTo("x");
    }

    @Test
    void deleting_a_plugin_node_drops_its_overrides() throws DmException {
        FakePlugin p = f.mount(new FakePlugin("./App").interior("I"));
        srv.add(u("./App/I/N"), s("x"));
        f.system().setProperty(u("./App/I/N"), Property.TITLE, "t");
        srv.delete(u("./App/I"));
        p.interior("I");
        srv.add(u("./App/I/N"), s("again"));
        assertThat(srv.getProperty(u("./App/I/N"), Property.TITLE)).isEmpty();
    }

    @Test
    void plugin_nodes_cannot_be_renamed() throws DmException {
        f.mount(new FakePlugin("./DevInfo").leaf("Man", "Cardinal"));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.setProperty(u("./DevInfo/Man"), Property.NAME, "M"));
    }

    @Test
    void a_creating_server_without_replace_on_a_plugin_parent_gets_an_acl_override() throws DmException {
        f.mount(new FakePlugin("./App").rootAcl("Add=*&Get=*"));
        TreeAccess a = f.server("srvA");
        a.add(u("./App/Mine"), NodeValue.interior());
        assertThat(f.system().getProperty(u("./App/Mine"), Property.ACL)).isEqualTo("Add=*&Delete=srvA&Get=*&Replace=srvA");
    }

    @Test
    void size_of_a_plugin_leaf_is_computed_from_its_value_when_the_plugin_gives_none() throws DmException {
        f.mount(devInfo());
        assertThat(srv.getProperty(u("./DevInfo/Man"), Property.SIZE)).isEqualTo("8");
    }

    @Test
    void the_store_stays_untouched_when_only_plugins_are_read() throws DmException {
        f.mount(devInfo());
        int before = f.store.begunTransactions();
        srv.get(u("./DevInfo/Man"));
        srv.children(u("."));
        assertThat(f.store.begunTransactions()).isEqualTo(before);
    }
}
