package org.cardinaldm.tree.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cardinaldm.tree.internal.Fixture.assertStatus;
import static org.cardinaldm.tree.internal.Fixture.captureLog;
import static org.cardinaldm.tree.internal.Fixture.u;

import java.util.Dictionary;
import java.util.Hashtable;

import org.cardinaldm.api.DmTree;
import org.cardinaldm.testing.tree.InMemoryTreeStore;
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
import org.cardinaldm.testing.osgi.FelixExtension;
import org.cardinaldm.testing.osgi.FelixHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

/**
 * The built bundle in a real OSGi framework (Felix 7 + SCR, the test kit's harness): the generated DS descriptor,
 * the constructor injection of the store, the dynamic greedy plugin and description references with their
 * ServiceReference-taking bind methods, and hot add and removal of a plugin.
 *
 * <p>dm-api and SLF4J come from the system bundle so that the test and the bundle share classes.
 */
class OsgiWiringIT {
    @RegisterExtension
    static final FelixExtension FELIX = new FelixExtension(FelixHarness.builder().systemPackagesOf(
            "org.cardinaldm.api", "org.cardinaldm.api.spi.mo", "org.cardinaldm.api.spi.ddf", "org.cardinaldm.api.spi.store",
            "org.slf4j").bundleUnderTest());

    private static BundleContext context;

    @BeforeAll
    static void register_the_store() {
        context = FELIX.harness().context();
        context.registerService(TreeStore.class, new InMemoryTreeStore(), null);
    }

    private static DmTree tree() {
        return FELIX.harness().service(DmTree.class);
    }

    private TreeAccess server() {
        DmTree tree = tree();
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
        Bundle tree = FELIX.harness().bundle("org.cardinaldm.tree");
        assertThat(tree).isEqualTo(FELIX.harness().bundleUnderTest());
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
        TreeSerialization ser = FELIX.harness().service(TreeSerialization.class);
        assertThat(ser).as("TreeSerialization registered beside DmTree").isSameAs(tree());
        assertThat(ser.list(srv, u("."), ListForm.struct()).name()).isEmpty();
    }
}
