package org.cardinaldm.tree.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cardinaldm.tree.internal.Fixture.assertStatus;
import static org.cardinaldm.tree.internal.Fixture.captureLog;
import static org.cardinaldm.tree.internal.Fixture.u;

import java.io.File;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.apache.felix.framework.FrameworkFactory;
import org.cardinaldm.api.DmTree;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.ListForm;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.api.TreeSerialization;
import org.cardinaldm.api.spi.ddf.AccessType;
import org.cardinaldm.api.spi.ddf.MoDescription;
import org.cardinaldm.api.spi.ddf.NodeDescription;
import org.cardinaldm.api.spi.mo.ManagementObjectPlugin;
import org.cardinaldm.api.spi.store.TreeStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The built bundle in a real OSGi framework (Felix 7 + SCR): the generated DS descriptor, the
 * constructor injection of the store, the dynamic greedy plugin and description references with
 * their ServiceReference-taking bind methods, and hot add and removal of a plugin.
 *
 * <p>dm-api and SLF4J come from the system bundle so that the test and the bundle share classes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OsgiWiringIT {
    private Framework framework;
    private BundleContext context;
    private ServiceTracker<DmTree, DmTree> trees;

    private static String jarOf(Class<?> type) throws URISyntaxException {
        return new File(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toURI().toString();
    }

    @BeforeAll
    void start_framework() throws Exception {
        String api = "org.cardinaldm.api;version=1.1.0,org.cardinaldm.api.spi.mo;version=1.0.0,"
                + "org.cardinaldm.api.spi.ddf;version=1.0.0,org.cardinaldm.api.spi.store;version=1.0.0,"
                + "org.slf4j;version=1.7.36";
        framework = new FrameworkFactory().newFramework(Map.of(
                Constants.FRAMEWORK_STORAGE, System.getProperty("cardinal.felix.storage", "target/felix-it"),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
                Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, api));
        framework.start();
        context = framework.getBundleContext();
        List<Bundle> bundles = new ArrayList<>();
        bundles.add(context.installBundle(jarOf(org.osgi.util.function.Function.class)));
        bundles.add(context.installBundle(jarOf(org.osgi.util.promise.Promise.class)));
        bundles.add(context.installBundle(jarOf(org.osgi.service.component.ComponentContext.class)));
        bundles.add(context.installBundle(jarOf(org.apache.felix.scr.impl.Activator.class)));
        bundles.add(context.installBundle(new File(System.getProperty("cardinal.bundle")).toURI().toString()));
        for (Bundle b : bundles) {
            b.start();
        }
        context.registerService(TreeStore.class, new InMemoryTreeStore(), null);
        trees = new ServiceTracker<>(context, DmTree.class, null);
        trees.open();
    }

    @AfterAll
    void stop_framework() throws Exception {
        trees.close();
        framework.stop();
        framework.waitForStop(10_000);
    }

    private TreeAccess server() throws InterruptedException {
        DmTree tree = trees.waitForService(10_000);
        assertThat(tree).as("DmTree service registered by SCR").isNotNull();
        return tree.as(Principal.server("srv"));
    }

    private static Dictionary<String, Object> root(String root) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(ManagementObjectPlugin.ROOT_PROPERTY, root);
        return props;
    }

    @Test
    void the_bundle_is_active_and_exports_nothing() {
        Bundle tree = null;
        for (Bundle b : context.getBundles()) {
            if ("org.cardinaldm.tree".equals(b.getSymbolicName())) {
                tree = b;
            }
        }
        assertThat(tree).isNotNull();
        assertThat(tree.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(tree.getHeaders().get(Constants.EXPORT_PACKAGE)).isNull();
    }

    @Test
    void plugins_registered_on_the_whiteboard_come_and_go() throws Exception {
        TreeAccess srv = server();
        FakePlugin plugin = new FakePlugin("./DevInfo").rootAcl("Get=*").leaf("Man", "Cardinal");
        ServiceRegistration<ManagementObjectPlugin> reg =
                context.registerService(ManagementObjectPlugin.class, plugin, root("./DevInfo"));
        assertThat(srv.get(u("./DevInfo/Man")).asString()).isEqualTo("Cardinal");

        FakePlugin second = new FakePlugin("./DevInfo").leaf("Man", "Second");
        ServiceRegistration<ManagementObjectPlugin> reg2 =
                context.registerService(ManagementObjectPlugin.class, second, root("./DevInfo"));
        assertThat(srv.get(u("./DevInfo/Man")).asString()).isEqualTo("Cardinal");

        reg.unregister();
        assertThat(srv.get(u("./DevInfo/Man")).asString()).isEqualTo("Second");
        reg2.unregister();
        assertStatus(StatusCode.NOT_FOUND, () -> srv.get(u("./DevInfo/Man")));
        assertThat(srv.children(u("."))).doesNotContain("DevInfo");
    }

    @Test
    void a_crashing_plugin_is_named_by_its_bundle() throws Exception {
        TreeAccess srv = server();
        FakePlugin plugin = new FakePlugin("./Crash").rootAcl("Get=*");
        ServiceRegistration<ManagementObjectPlugin> reg =
                context.registerService(ManagementObjectPlugin.class, plugin, root("./Crash"));
        plugin.crash = new IllegalStateException("bug");
        String log = captureLog(() -> assertStatus(StatusCode.COMMAND_FAILED, () -> srv.get(u("./Crash"))));
        assertThat(log).contains("org.apache.felix.framework [0]");
        reg.unregister();
    }

    @Test
    void descriptions_registered_on_the_whiteboard_apply() throws Exception {
        TreeAccess srv = server();
        MoDescription d = () -> NodeDescription.named("Desc").permanent()
                .child(NodeDescription.named("Ro").leaf(Format.CHR).access(AccessType.GET).build()).build();
        ServiceRegistration<MoDescription> reg = context.registerService(MoDescription.class, d, root("./Desc"));
        assertThat(srv.children(u("."))).contains("Desc");
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.add(u("./Desc/Ro"), Fixture.s("x")));
        reg.unregister();
        assertThat(srv.children(u("."))).doesNotContain("Desc");
    }

    @Test
    void the_same_component_serves_whole_subtrees() throws Exception {
        TreeAccess srv = server();
        ServiceTracker<TreeSerialization, TreeSerialization> serializations =
                new ServiceTracker<>(context, TreeSerialization.class, null);
        serializations.open();
        try {
            TreeSerialization ser = serializations.waitForService(10_000);
            assertThat(ser).as("TreeSerialization registered beside DmTree").isSameAs(trees.getService());
            assertThat(ser.list(srv, u("."), ListForm.struct()).name()).isEmpty();
        } finally {
            serializations.close();
        }
    }
}
