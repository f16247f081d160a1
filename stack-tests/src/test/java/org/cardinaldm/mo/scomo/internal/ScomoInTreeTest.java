package org.cardinaldm.mo.scomo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.ListForm;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.Property;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.SubtreeNode;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.api.spi.mo.ManagementObjectPlugin;
import org.cardinaldm.testing.osgi.FelixExtension;
import org.cardinaldm.testing.osgi.FelixHarness;
import org.cardinaldm.testing.osgi.TestBundle;
import org.cardinaldm.testing.tree.InMemoryTreeStore;
import org.cardinaldm.tree.internal.DmTreeImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.util.converter.Converters;

/**
 * The plugin mounted in the real tree engine (dm-tree over the test kit's {@link InMemoryTreeStore}), the
 * way DS binds it (the engine's mount method is package-private, so reflection stands in for SCR),
 * read by a DM server the way the help desk reads it.
 */
class ScomoInTreeTest {
    private static final String DEPLOYED = "./SCOMO/Inventory/Deployed";

    /** A bare framework per test (no SCR): real bundles made from a manifest only, real synchronous bundle events. */
    @RegisterExtension
    final FelixExtension felix = new FelixExtension(FelixHarness.builder().withoutScr());
    private ScomoPlugin plugin;
    private DmTreeImpl tree;
    private TreeAccess server;
    private TreeAccess admin;

    @BeforeEach
    void start() throws Exception {
        plugin = new ScomoPlugin(felix.harness().context(), ScomoPluginTest.config(Map.of()));
        tree = new DmTreeImpl(new InMemoryTreeStore(),
                Converters.standardConverter().convert(Map.of()).to(DmTreeImpl.Config.class));
        Method mount = DmTreeImpl.class.getDeclaredMethod("mountPlugin", ManagementObjectPlugin.class, Map.class,
                String.class);
        mount.setAccessible(true);
        mount.invoke(tree, plugin, Map.of(ManagementObjectPlugin.ROOT_PROPERTY, ScomoPlugin.ROOT,
                ManagementObjectPlugin.ID_PROPERTY, ScomoPlugin.MO_ID), "org.cardinaldm.mo.scomo");
        server = tree.as(Principal.server("helpdesk.example.com"));
        admin = tree.as(Principal.localAdmin());
    }

    @AfterEach
    void stop() throws Exception {
        plugin.deactivate();
    }

    /** Installs a bundle that has only a manifest, located at {@code test:<bsn>}. */
    private Bundle install(String bsn, String version, String... headers) throws BundleException {
        TestBundle bundle = TestBundle.named(bsn).header("Bundle-Version", version);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            bundle.header(headers[i], headers[i + 1]);
        }
        return felix.harness().install("test:" + bsn, bundle.bytes());
    }

    private static NodeUri uri(String s) {
        return NodeUri.of(s);
    }

    @Test
    void a_server_gets_the_inventory_leaves_through_the_engine() throws Exception {
        install("com.acme.router", "2.1.0", "Bundle-Name", "Router UI")
                .start();
        assertThat(server.children(uri(DEPLOYED))).containsExactly("com.acme.router");
        String x = DEPLOYED + "/com.acme.router";
        assertThat(server.get(uri(x + "/ID")).asString()).isEqualTo("com.acme.router");
        assertThat(server.get(uri(x + "/Name")).asString()).isEqualTo("Router UI");
        assertThat(server.get(uri(x + "/Version")).asString()).isEqualTo("2.1.0");
        assertThat(server.get(uri(x + "/State")).asLong()).isEqualTo(20);
        assertThat(server.getProperty(uri("./SCOMO"), Property.TYPE)).isEqualTo("urn:oma:mo:oma-scomo:1.0");
        assertThat(server.getProperty(uri("./SCOMO"), Property.ACL)).isEqualTo("Get=*");
        assertThat(server.getProperty(uri(x + "/State"), Property.FORMAT)).isEqualTo("int");
        assertThat(server.exists(uri(DEPLOYED + "/com.acme.other"))).isFalse();
    }

    @Test
    void the_help_desk_read_list_struct_data_of_the_inventory_has_every_leaf() throws Exception {
        Bundle a = install("com.acme.a", "1.0.0", "Bundle-Description", "First app");
        install("com.acme.b", "3.2.1").start();
        SubtreeNode inventory = tree.list(server, uri("./SCOMO/Inventory"), ListForm.structData());
        Map<String, String> leaves = new LinkedHashMap<>();
        flatten(inventory, "./SCOMO/Inventory", leaves);
        assertThat(leaves).containsExactly(
                Map.entry(DEPLOYED + "/com.acme.a/ID", "com.acme.a"),
                Map.entry(DEPLOYED + "/com.acme.a/Name", "com.acme.a"),
                Map.entry(DEPLOYED + "/com.acme.a/Version", "1.0.0"),
                Map.entry(DEPLOYED + "/com.acme.a/Description", "First app"),
                Map.entry(DEPLOYED + "/com.acme.a/State", "10"),
                Map.entry(DEPLOYED + "/com.acme.a/Status", "10"),
                Map.entry(DEPLOYED + "/com.acme.b/ID", "com.acme.b"),
                Map.entry(DEPLOYED + "/com.acme.b/Name", "com.acme.b"),
                Map.entry(DEPLOYED + "/com.acme.b/Version", "3.2.1"),
                Map.entry(DEPLOYED + "/com.acme.b/State", "20"),
                Map.entry(DEPLOYED + "/com.acme.b/Status", "10"));
        a.uninstall();
        Map<String, String> after = new LinkedHashMap<>();
        flatten(tree.list(server, uri("./SCOMO/Inventory"), ListForm.structData()), "./SCOMO/Inventory", after);
        assertThat(after.keySet()).allMatch(k -> k.startsWith(DEPLOYED + "/com.acme.b/")).hasSize(5);
    }

    private static void flatten(SubtreeNode node, String path, Map<String, String> out) {
        if (!node.isInterior()) {
            out.put(path, node.value().map(NodeValue::asString).orElse(null));
            return;
        }
        for (SubtreeNode child : node.children()) {
            flatten(child, path + "/" + child.name(), out);
        }
    }

    @Test
    void the_local_administrator_is_refused_every_write_with_405() throws Exception {
        Bundle b = install("com.acme.app", "1.0.0");
        String x = DEPLOYED + "/com.acme.app";
        assertStatus(() -> admin.replace(uri(x + "/State"), NodeValue.ofInt(20)), StatusCode.COMMAND_NOT_ALLOWED);
        assertStatus(() -> admin.add(uri(DEPLOYED + "/com.acme.new"), NodeValue.interior()),
                StatusCode.COMMAND_NOT_ALLOWED);
        assertStatus(() -> admin.delete(uri(x)), StatusCode.COMMAND_NOT_ALLOWED);
        assertStatus(() -> admin.exec(uri(x), NodeValue.ofNull(), ""), StatusCode.COMMAND_NOT_ALLOWED);
        assertThat(b.getState()).isEqualTo(Bundle.INSTALLED);
        assertThat(admin.get(uri(x + "/State")).asString()).isEqualTo("10");
    }

    /**
     * ./SCOMO/Inventory has ACL Exec=*&Get=*: the engine refuses a server's Add, Replace and Delete there (425,
     * digest 5.6) before the plugin; an Exec passes the ACL and the plugin answers 405 on a node that is no operation.
     */
    @Test
    void a_server_has_only_get_and_exec_rights_on_the_inventory_so_the_engine_refuses_its_writes_with_425()
            throws Exception {
        install("com.acme.app", "1.0.0");
        String x = DEPLOYED + "/com.acme.app";
        for (DmCall write : List.<DmCall>of(() -> server.replace(uri(x + "/State"), NodeValue.ofInt(20)),
                () -> server.add(uri(DEPLOYED + "/com.acme.new"), NodeValue.interior()),
                () -> server.delete(uri(x)))) {
            assertThatThrownBy(write::call).isInstanceOfSatisfying(DmException.class,
                    e -> assertThat(e.status()).isEqualTo(StatusCode.PERMISSION_DENIED));
        }
        assertStatus(() -> server.exec(uri(x), NodeValue.ofNull(), ""), StatusCode.COMMAND_NOT_ALLOWED);
        // a component SCOMO did not install (location test:…) is the platform's: a server cannot stop it
        assertStatus(() -> server.exec(uri(x + "/Operations/Remove"), NodeValue.ofNull(), ""),
                StatusCode.COMMAND_NOT_ALLOWED);
        assertThat(server.get(uri(x + "/State")).asString()).isEqualTo("10");
        assertThat(server.children(uri(DEPLOYED))).containsExactly("com.acme.app");
    }

    /**
     * ./SCOMO/Download grants Add, Replace, Delete and Exec to every server: a server creates a descriptor through
     * the engine and executes it (202); with no trusted signer and no verifier the package is refused with 1407
     * in the OperationComplete report and nothing is installed.
     */
    @Test
    void a_server_adds_a_download_descriptor_and_executes_it_through_the_engine() throws Exception {
        java.util.concurrent.BlockingQueue<org.cardinaldm.api.spi.mo.AsyncResult> reports =
                new java.util.concurrent.LinkedBlockingQueue<>();
        plugin.setResults(r -> {
            reports.add(r);
            return "1";
        });
        String d = "./SCOMO/Download/hello";
        server.add(uri(d), NodeValue.interior());
        server.add(uri(d + "/PkgID"), NodeValue.ofString("hello@1.0.0"));
        server.add(uri(d + "/PkgURL"), NodeValue.ofString("https://repo.example/hello.jar"));
        server.replace(uri(d + "/PkgURL"), NodeValue.ofString("https://repo.example/hello-1.0.0.jar"));
        assertThat(server.children(uri(d))).containsExactly("PkgID", "PkgURL", "Status", "Operations");
        assertStatus(() -> server.replace(uri(d + "/PkgURL"), NodeValue.ofString("file:///etc/shadow")),
                StatusCode.BAD_REQUEST);

        assertThat(server.exec(uri(d + "/Operations/DownloadInstall"), NodeValue.ofNull(), "corr"))
                .isEqualTo(StatusCode.ACCEPTED);
        org.cardinaldm.api.spi.mo.AsyncResult r = reports.poll(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r).isNotNull();
        assertThat(r.serverId()).isEqualTo("helpdesk.example.com");
        assertThat(r.data()).startsWith("<ResultCode>1407</ResultCode>");
        assertThat(server.get(uri(d + "/Status")).asString()).isEqualTo("20");
        server.delete(uri(d));
        assertThat(server.children(uri("./SCOMO/Download"))).isEmpty();
    }

    /**
     * ./SCOMO/Inventory/Delivered grants Add, Replace, Delete and Exec to every server (inline delivery), while
     * Deployed keeps the inventory's Get and Exec only: a server adds an entry, its Data and Ext/Manifest through the
     * engine, never reads Data back, cannot add under Deployed (425), and deletes the entry.
     */
    @Test
    void a_server_delivers_a_package_inline_through_the_engine_and_deployed_stays_closed() throws Exception {
        String d = "./SCOMO/Inventory/Delivered/app";
        server.add(uri(d), NodeValue.interior());
        server.add(uri(d + "/PkgID"), NodeValue.ofString("app@1.0.0"));
        server.add(uri(d + "/PkgType"), NodeValue.ofString("application/vnd.osgi.bundle"));
        server.add(uri(d + "/Data"), NodeValue.ofBinary(new byte[] {1, 2, 3}, "application/vnd.osgi.bundle"));
        server.add(uri(d + "/Ext/Manifest"), NodeValue.ofBinary(new byte[] {4}, "application/pkcs7-mime"));
        assertThat(server.children(uri(d))).containsExactly("PkgID", "PkgType", "Data", "Ext", "State", "Status",
                "Operations");
        assertStatus(() -> server.get(uri(d + "/Data")), StatusCode.COMMAND_NOT_ALLOWED);
        assertStatus(() -> server.add(uri(DEPLOYED + "/x"), NodeValue.interior()), StatusCode.PERMISSION_DENIED);
        server.delete(uri(d));
        assertThat(server.children(uri("./SCOMO/Inventory/Delivered"))).isEmpty();
    }

    @FunctionalInterface
    private interface DmCall {
        void call() throws Exception;
    }

    private static void assertStatus(DmCall call, StatusCode expected) {
        assertThatThrownBy(call::call).isInstanceOfSatisfying(DmException.class,
                e -> assertThat(e.status()).isEqualTo(expected));
    }
}
