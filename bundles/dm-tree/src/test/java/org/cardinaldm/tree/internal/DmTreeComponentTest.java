package org.cardinaldm.tree.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cardinaldm.tree.internal.Fixture.assertStatus;
import static org.cardinaldm.tree.internal.Fixture.captureLog;
import static org.cardinaldm.tree.internal.Fixture.u;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Map;

import org.cardinaldm.api.DmException;
import org.cardinaldm.testing.tree.InMemoryTreeStore;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.Property;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.api.spi.ddf.MoDescription;
import org.cardinaldm.api.spi.ddf.NodeDescription;
import org.cardinaldm.api.spi.mo.ManagementObjectPlugin;
import org.cardinaldm.api.spi.store.TreeStore;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/** The DS component: construction, configuration, bind/updated/unbind with service references. */
class DmTreeComponentTest {

    @SuppressWarnings("unchecked")
    private static <S> ServiceReference<S> ref(String root, String bsn) {
        ServiceReference<S> ref = mock(ServiceReference.class);
        Bundle bundle = mock(Bundle.class);
        when(bundle.getSymbolicName()).thenReturn(bsn);
        when(bundle.getBundleId()).thenReturn(42L);
        when(ref.getBundle()).thenReturn(bsn == null ? null : bundle);
        when(ref.getPropertyKeys()).thenReturn(new String[] {ManagementObjectPlugin.ROOT_PROPERTY, Constants.SERVICE_ID});
        when(ref.getProperty(ManagementObjectPlugin.ROOT_PROPERTY)).thenReturn(root);
        when(ref.getProperty(Constants.SERVICE_ID)).thenReturn(7L);
        return ref;
    }

    @Test
    void the_public_constructor_takes_the_store_and_the_configuration() throws DmException {
        DmTreeImpl tree = new DmTreeImpl(new InMemoryTreeStore(), Fixture.config(Map.of()));
        TreeAccess access = tree.as(Principal.server("s"));
        assertThat(access.principal()).isEqualTo(Principal.server("s"));
        assertThat(access.getProperty(u("."), Property.ACL)).isEqualTo("Add=*&Get=*");
        assertThat(access.toString()).contains("server:s");
    }

    @Test
    void the_default_configuration_matches_the_documented_defaults() {
        Settings s = new Fixture().tree.engine().settings();
        assertThat(s.rootAcl().toString()).isEqualTo("Add=*&Get=*");
        assertThat(s.localAdminRights()).hasSize(5);
        assertThat(s.fallbackLimits()).isEqualTo(new UriLimits(16, 1024, 128));
        assertThat(s.inboxEnabled()).isTrue();
    }

    @Test
    void bind_names_the_plugin_bundle_in_warnings() throws Exception {
        Fixture f = new Fixture();
        FakePlugin p = new FakePlugin("./Mo");
        ServiceReference<ManagementObjectPlugin> ref = ref("./Mo", "org.example.mo");
        f.tree.bindPlugin(p, ref);
        p.crash = new IllegalArgumentException("x");
        String log = captureLog(() -> f.server("s").get(u("./Mo")));
        assertThat(log).contains("org.example.mo [42]");
        f.tree.unbindPlugin(p, ref);
        assertStatus(StatusCode.NOT_FOUND, () -> f.server("s").get(u("./Mo")));
    }

    @Test
    void a_plugin_registered_by_a_vanished_bundle_is_named_by_service_id() throws Exception {
        Fixture f = new Fixture();
        FakePlugin p = new FakePlugin("./Mo");
        f.tree.bindPlugin(p, ref("./Mo", null));
        p.crash = new IllegalArgumentException("x");
        assertThat(captureLog(() -> f.server("s").get(u("./Mo")))).contains("service.id 7");
    }

    @Test
    void updated_service_properties_move_a_plugin() throws DmException {
        Fixture f = new Fixture();
        FakePlugin p = new FakePlugin("./Old");
        f.tree.bindPlugin(p, ref("./Old", "b"));
        assertThat(f.server("s").exists(u("./Old"))).isTrue();
        f.tree.updatedPlugin(p, ref("./Old2", "b"));
        assertThat(f.server("s").exists(u("./Old"))).isFalse();
        f.tree.unbindPlugin(p, ref("./Old2", "b"));
        f.tree.unbindPlugin(p, ref("./Old2", "b"));
    }

    @Test
    void descriptions_bind_update_and_unbind() throws DmException {
        Fixture f = new Fixture();
        MoDescription d = () -> NodeDescription.named("D").permanent().build();
        f.tree.bindDescription(d, ref("./D", "b"));
        assertThat(f.server("s").children(u("."))).contains("D");
        f.tree.updatedDescription(d, ref("./E", "b"));
        assertThat(f.server("s").children(u("."))).contains("E").doesNotContain("D");
        f.tree.unbindDescription(d, ref("./E", "b"));
        assertThat(f.server("s").children(u("."))).doesNotContain("E");
    }

    @Test
    void a_configuration_change_applies_in_place() throws DmException {
        Fixture f = new Fixture();
        TreeAccess admin = f.admin();
        assertThat(admin.children(u("."))).contains("Inbox");
        f.tree.modified(Fixture.config(Map.of("local.admin.rights", List.of("Get"), "inbox.enabled", false,
                "root.acl", "Get=*")));
        assertThat(admin.children(u("."))).doesNotContain("Inbox");
        assertStatus(StatusCode.PERMISSION_DENIED, () -> admin.add(u("./X"), Fixture.s("x")));
        assertStatus(StatusCode.PERMISSION_DENIED, () -> f.server("s").add(u("./X"), Fixture.s("x")));
    }

    @Test
    void a_store_that_gives_no_transaction_is_a_510() {
        TreeStore broken = new InMemoryTreeStore() {
            @Override
            public org.cardinaldm.api.spi.store.StoreTransaction begin() {
                return null;
            }
        };
        DmTreeImpl tree = new DmTreeImpl(broken, Fixture.config(Map.of("root.acl", "Add=*")));
        assertStatus(StatusCode.DATA_STORE_FAILURE, () -> tree.as(Principal.system()).add(u("./X"), Fixture.s("x")));
    }

    @Test
    void overrides_records_round_trip_any_uri() {
        for (String s : new String[] {".", "./A", "./A%2FB/C", "./%25x/y%2Fz", "./u/v"}) {
            org.cardinaldm.api.NodeUri node = org.cardinaldm.api.NodeUri.of(s);
            assertThat(Overrides.nodeOf(Overrides.recordUri(node).name())).isEqualTo(node);
        }
        assertThat(Overrides.nodeOf("not-a-record")).isNull();
        assertThat(Overrides.NONE.isEmpty()).isTrue();
    }
}
