package org.cardinaldm.mo.scomo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.util.Map;

import org.cardinaldm.api.Acl;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.mo.MoContext;
import org.cardinaldm.testing.osgi.FelixExtension;
import org.cardinaldm.testing.osgi.FelixHarness;
import org.cardinaldm.testing.osgi.TestBundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.util.converter.Converters;

class ScomoPluginTest {
    private static final MoContext SERVER = () -> Principal.server("srv1");
    private static final String DEPLOYED = "./SCOMO/Inventory/Deployed";

    /** A bare framework per test (no SCR): real bundles made from a manifest only, real synchronous bundle events. */
    @RegisterExtension
    final FelixExtension felix = new FelixExtension(FelixHarness.builder().withoutScr());
    private ScomoPlugin plugin;
    private int installed;

    @AfterEach
    void stop() {
        if (plugin != null) {
            plugin.deactivate();
        }
    }

    static ScomoPlugin.Config config(Map<String, Object> props) {
        return Converters.standardConverter().convert(props).to(ScomoPlugin.Config.class);
    }

    private ScomoPlugin plugin(Map<String, Object> config) {
        plugin = new ScomoPlugin(felix.harness().context(), config(config));
        return plugin;
    }

    private Bundle install(TestBundle bundle) throws BundleException {
        return felix.harness().install("test:bundle-" + (++installed), bundle.bytes());
    }

    private Bundle installApp(String bsn, String version) throws BundleException {
        return install(TestBundle.named(bsn).header("Bundle-Version", version));
    }

    private static NodeUri uri(String s) {
        return NodeUri.of(s);
    }

    private String value(String u) throws DmException {
        return plugin.get(uri(u), SERVER).asString();
    }

    private Bundle router() throws Exception {
        return install(TestBundle.named("com.acme.router;singleton:=true").header("Bundle-Version", "2.1.0.rc1")
                .header("Bundle-Name", "ACME router UI").header("Bundle-Description", "Web UI of the ACME router"));
    }

    @Test
    void root_is_the_scomo_mo_readable_by_every_server_with_download_and_inventory_below() throws DmException {
        plugin(Map.of());
        NodeInfo root = plugin.describe(uri("./SCOMO"), SERVER).orElseThrow();
        assertThat(root.isInterior()).isTrue();
        assertThat(root.type()).isEqualTo("urn:oma:mo:oma-scomo:1.0");
        assertThat(root.acl()).isEqualTo(Acl.of("Get=*"));
        assertThat(root.isPermanent()).isTrue();
        assertThat(plugin.children(uri("./SCOMO"), SERVER)).containsExactly("Download", "Inventory");
        assertThat(plugin.children(uri("./SCOMO/Inventory"), SERVER)).containsExactly("Delivered", "Deployed");
        assertThat(plugin.describe(uri("./SCOMO/Inventory"), SERVER).orElseThrow().isPermanent()).isTrue();
        // servers may manage download descriptors and execute operations; the inventory is readable by all
        assertThat(plugin.describe(uri("./SCOMO/Download"), SERVER).orElseThrow().acl())
                .isEqualTo(Acl.of("Add=*&Delete=*&Exec=*&Get=*&Replace=*"));
        assertThat(plugin.describe(uri("./SCOMO/Inventory"), SERVER).orElseThrow().acl())
                .isEqualTo(Acl.of("Exec=*&Get=*"));
        assertThat(plugin.children(uri("./SCOMO/Download"), SERVER)).isEmpty();
        assertThat(plugin.children(uri("./SCOMO/Inventory/Delivered"), SERVER)).isEmpty();
        NodeInfo deployed = plugin.describe(uri(DEPLOYED), SERVER).orElseThrow();
        assertThat(deployed.isInterior()).isTrue();
        assertThat(deployed.acl().isEmpty()).isTrue();
        assertThat(value("./SCOMO")).isEqualTo("Download/Inventory");
    }

    @Test
    void each_bundle_is_a_deployed_component_with_id_name_version_description_and_state() throws Exception {
        Bundle b = router();
        plugin(Map.of());
        String x = DEPLOYED + "/com.acme.router";
        assertThat(plugin.children(uri(DEPLOYED), SERVER)).containsExactly("com.acme.router");
        assertThat(plugin.describe(uri(x), SERVER).orElseThrow().isInterior()).isTrue();
        assertThat(plugin.children(uri(x), SERVER))
                .containsExactly("ID", "Name", "Version", "Description", "State", "Status", "Operations");
        assertThat(value(x)).isEqualTo("ID/Name/Version/Description/State/Status/Operations");
        assertThat(plugin.get(uri(x + "/Status"), SERVER).asLong()).isEqualTo(10);
        assertThat(plugin.children(uri(x + "/Operations"), SERVER)).containsExactly("Activate", "Deactivate", "Remove");
        assertThat(value(x + "/ID")).isEqualTo("com.acme.router");
        assertThat(value(x + "/Name")).isEqualTo("ACME router UI");
        assertThat(value(x + "/Version")).isEqualTo("2.1.0.rc1");
        assertThat(value(x + "/Description")).isEqualTo("Web UI of the ACME router");
        assertThat(plugin.get(uri(x + "/State"), SERVER).asLong()).isEqualTo(10);
        b.start();
        assertThat(plugin.get(uri(x + "/State"), SERVER).asLong()).isEqualTo(20);
    }

    @Test
    void leaves_are_text_plain_chr_except_the_int_state_and_their_size_matches() throws Exception {
        router();
        plugin(Map.of());
        for (String leaf : new String[] {"ID", "Name", "Version", "Description", "State"}) {
            NodeUri u = uri(DEPLOYED + "/com.acme.router/" + leaf);
            NodeInfo info = plugin.describe(u, SERVER).orElseThrow();
            NodeValue v = plugin.get(u, SERVER);
            Format expected = leaf.equals("State") ? Format.INT : Format.CHR;
            assertThat(info.format()).as(leaf).isEqualTo(expected);
            assertThat(v.format()).as(leaf).isEqualTo(expected);
            assertThat(info.type()).as(leaf).isEqualTo("text/plain");
            assertThat(info.size()).as(leaf).isEqualTo(v.size());
            assertThat(info.isInterior()).as(leaf).isFalse();
        }
    }

    @Test
    void without_name_or_description_the_name_is_the_id_and_there_is_no_description_leaf() throws Exception {
        installApp("org.example.plain", "1.0");
        plugin(Map.of());
        String x = DEPLOYED + "/org.example.plain";
        assertThat(plugin.children(uri(x), SERVER)).containsExactly("ID", "Name", "Version", "State", "Status", "Operations");
        assertThat(value(x + "/Name")).isEqualTo("org.example.plain");
        assertThat(value(x + "/Version")).isEqualTo("1.0.0");
        assertThat(plugin.describe(uri(x + "/Description"), SERVER)).isEmpty();
        assertThatThrownBy(() -> plugin.get(uri(x + "/Description"), SERVER)).isInstanceOfSatisfying(
                DmException.class, e -> assertThat(e.status()).isEqualTo(StatusCode.NOT_FOUND));
    }

    @Test
    void the_system_bundle_is_never_listed() throws DmException {
        plugin(Map.of());
        assertThat(felix.harness().context().getBundles()).hasSize(1);
        assertThat(plugin.children(uri(DEPLOYED), SERVER)).isEmpty();
        assertThat(value(DEPLOYED)).isEmpty();
    }

    @Test
    void the_subtree_follows_install_start_stop_update_and_uninstall_live() throws Exception {
        plugin(Map.of());
        String x = DEPLOYED + "/com.acme.app";
        assertThat(plugin.describe(uri(x), SERVER)).isEmpty();

        Bundle b = installApp("com.acme.app", "1.0.0");
        assertThat(plugin.children(uri(DEPLOYED), SERVER)).containsExactly("com.acme.app");
        assertThat(value(x + "/State")).isEqualTo("10");

        b.start();
        assertThat(value(x + "/State")).isEqualTo("20");

        b.stop();
        assertThat(value(x + "/State")).isEqualTo("10");

        b.update(new ByteArrayInputStream(TestBundle.named("com.acme.app").header("Bundle-Version", "1.1.0")
                .header("Bundle-Name", "ACME app").bytes()));
        assertThat(value(x + "/Version")).isEqualTo("1.1.0");
        assertThat(value(x + "/Name")).isEqualTo("ACME app");

        b.uninstall();
        assertThat(plugin.children(uri(DEPLOYED), SERVER)).isEmpty();
        assertThat(plugin.describe(uri(x), SERVER)).isEmpty();
        assertThatThrownBy(() -> plugin.get(uri(x + "/State"), SERVER)).isInstanceOfSatisfying(DmException.class,
                e -> assertThat(e.status()).isEqualTo(StatusCode.NOT_FOUND));
    }

    @Test
    void the_picture_is_reused_until_a_bundle_event_or_a_configuration_change() throws Exception {
        installApp("com.acme.a", "1");
        plugin(Map.of());
        Inventory first = plugin.inventory();
        assertThat(plugin.inventory()).isSameAs(first);
        installApp("com.acme.b", "1");
        Inventory second = plugin.inventory();
        assertThat(second).isNotSameAs(first);
        assertThat(second.names()).containsExactly("com.acme.a", "com.acme.b");
        plugin.modified(config(Map.of("exclude", "com\\.acme\\.a")));
        assertThat(plugin.inventory()).isNotSameAs(second);
        assertThat(plugin.inventory().names()).containsExactly("com.acme.b");
    }

    @Test
    void two_versions_of_one_bundle_get_distinct_names_the_older_keeps_the_plain_one() throws Exception {
        Bundle v1 = installApp("com.acme.app", "1.0.0");
        Bundle v2 = installApp("com.acme.app", "2.0.0");
        plugin(Map.of());
        String second = "com.acme.app~" + v2.getBundleId();
        assertThat(plugin.children(uri(DEPLOYED), SERVER)).containsExactly("com.acme.app", second);
        assertThat(value(DEPLOYED + "/com.acme.app/Version")).isEqualTo("1.0.0");
        assertThat(value(DEPLOYED + "/" + second + "/Version")).isEqualTo("2.0.0");
        assertThat(value(DEPLOYED + "/" + second + "/ID")).isEqualTo("com.acme.app");
        v1.uninstall();
        assertThat(plugin.children(uri(DEPLOYED), SERVER)).containsExactly("com.acme.app");
        assertThat(value(DEPLOYED + "/com.acme.app/Version")).isEqualTo("2.0.0");
    }

    @Test
    void a_bundle_without_symbolic_name_is_listed_by_its_bundle_id() throws Exception {
        Bundle legacy = install(TestBundle.withoutSymbolicName().header("Bundle-Name", "Legacy R3 bundle")
                .header("Bundle-Version", "1.0"));
        plugin(Map.of());
        assertThat(plugin.children(uri(DEPLOYED), SERVER)).containsExactly("bundle");
        assertThat(value(DEPLOYED + "/bundle/ID")).isEqualTo("bundle:" + legacy.getBundleId());
        assertThat(value(DEPLOYED + "/bundle/Name")).isEqualTo("Legacy R3 bundle");
    }

    @Test
    void include_lists_only_the_oem_applications_and_exclude_removes_some() throws Exception {
        installApp("com.acme.a", "1");
        installApp("com.acme.b", "1");
        installApp("org.apache.karaf.shell.core", "4.4.10");
        plugin(Map.of("include", "com\\.acme\\..*"));
        assertThat(plugin.children(uri(DEPLOYED), SERVER)).containsExactly("com.acme.a", "com.acme.b");
        assertThat(plugin.describe(uri(DEPLOYED + "/org.apache.karaf.shell.core"), SERVER)).isEmpty();

        plugin.modified(config(Map.of("exclude", "org\\.apache\\.karaf\\..*|com\\.acme\\.b")));
        assertThat(plugin.children(uri(DEPLOYED), SERVER)).containsExactly("com.acme.a");

        plugin.modified(config(Map.of()));
        assertThat(plugin.children(uri(DEPLOYED), SERVER))
                .containsExactly("com.acme.a", "com.acme.b", "org.apache.karaf.shell.core");
    }

    @Test
    void an_invalid_pattern_lists_nothing_until_it_is_corrected() throws Exception {
        installApp("com.acme.a", "1");
        plugin(Map.of("include", "com.(acme"));
        assertThat(plugin.children(uri(DEPLOYED), SERVER)).isEmpty();
        assertThat(plugin.describe(uri("./SCOMO"), SERVER)).isPresent();
        plugin.modified(config(Map.of("exclude", "[")));
        assertThat(plugin.children(uri(DEPLOYED), SERVER)).isEmpty();
        plugin.modified(config(Map.of("include", "com\\.acme\\.a")));
        assertThat(plugin.children(uri(DEPLOYED), SERVER)).containsExactly("com.acme.a");
    }

    @Test
    void after_deactivation_the_plugin_no_longer_listens_to_bundle_events() throws Exception {
        plugin(Map.of());
        ScomoPlugin p = plugin;
        assertThat(p.children(uri(DEPLOYED), SERVER)).isEmpty();
        p.deactivate();
        plugin = null;
        installApp("com.acme.late", "1");
        assertThat(p.children(uri(DEPLOYED), SERVER)).as("no event reached the deactivated plugin").isEmpty();
        assertThat(plugin(Map.of()).children(uri(DEPLOYED), SERVER)).containsExactly("com.acme.late");
        p.deactivate(); // a second deactivation is harmless
    }

    @Test
    void unknown_nodes_are_404_and_leaves_have_no_children() throws Exception {
        router();
        plugin(Map.of());
        String x = DEPLOYED + "/com.acme.router";
        for (String u : new String[] {"./SCOMO/Download/nope", "./SCOMO/Inventory/Delivered/nope", DEPLOYED + "/nope",
            x + "/PkgIDRef", x + "/State/More", x + "/Operations/Update", "./SCOMO/Other"}) {
            assertThat(plugin.describe(uri(u), SERVER)).as(u).isEmpty();
            assertThatThrownBy(() -> plugin.get(uri(u), SERVER)).as(u).isInstanceOfSatisfying(DmException.class,
                    e -> assertThat(e.status()).isEqualTo(StatusCode.NOT_FOUND));
        }
        assertThatThrownBy(() -> plugin.children(uri(x + "/ID"), SERVER)).isInstanceOfSatisfying(DmException.class,
                e -> assertThat(e.status()).isEqualTo(StatusCode.COMMAND_NOT_ALLOWED));
        assertThatThrownBy(() -> plugin.children(uri(DEPLOYED + "/nope"), SERVER))
                .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.status()).isEqualTo(StatusCode.NOT_FOUND));
    }

    @Test
    void every_write_on_the_deployed_inventory_is_refused_with_405_and_changes_nothing() throws Exception {
        Bundle b = router();
        plugin(Map.of());
        String x = DEPLOYED + "/com.acme.router";
        assertNotAllowed(() -> plugin.replace(uri(x + "/State"), NodeValue.ofInt(20), SERVER));
        assertNotAllowed(() -> plugin.replace(uri(x + "/Version"), NodeValue.ofString("9"), SERVER));
        assertNotAllowed(() -> plugin.add(uri(DEPLOYED + "/new"), NodeValue.interior(), SERVER));
        assertNotAllowed(() -> plugin.add(uri(x + "/Ext"), NodeValue.ofString("x"), SERVER));
        assertNotAllowed(() -> plugin.delete(uri(x), SERVER));
        assertNotAllowed(() -> plugin.delete(uri("./SCOMO"), SERVER));
        assertNotAllowed(() -> plugin.exec(uri(x), NodeValue.ofNull(), "", SERVER));
        assertNotAllowed(() -> plugin.exec(uri(x + "/State"), NodeValue.ofNull(), "c1", SERVER));
        assertThat(b.getState()).isEqualTo(Bundle.INSTALLED);
        assertThat(value(x + "/State")).isEqualTo("10");
        assertThat(value(x + "/Version")).isEqualTo("2.1.0.rc1");
    }

    private static void assertNotAllowed(Executable write) {
        try {
            write.execute();
        } catch (DmException e) {
            assertThat(e.status()).isEqualTo(StatusCode.COMMAND_NOT_ALLOWED);
            return;
        } catch (Throwable t) {
            throw new AssertionError("expected a DmException 405, got " + t, t);
        }
        throw new AssertionError("the write was accepted");
    }
}
