package org.cardinaldm.tree.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cardinaldm.tree.internal.Fixture.assertStatus;
import static org.cardinaldm.tree.internal.Fixture.s;
import static org.cardinaldm.tree.internal.Fixture.u;

import java.util.Map;

import org.cardinaldm.api.AtomicAccess;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Property;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TreeAccess;
import org.junit.jupiter.api.Test;

/**
 * Inherited ACLs are cached for reads of the committed state: every change that can alter one must
 * be seen by the very next command.
 */
class AclCacheTest {
    private final Fixture f = new Fixture(Map.of("root.acl", "Add=*&Get=*"));
    private final TreeAccess srv = f.server("srv");

    private void tree() throws DmException {
        f.admin().add(u("./G/N/L"), s("v"));
        f.admin().setProperty(u("./G"), Property.ACL, "Get=srv&Replace=srv");
    }

    @Test
    void a_changed_ancestor_acl_applies_to_the_next_get() throws DmException {
        tree();
        assertThat(srv.get(u("./G/N/L")).asString()).isEqualTo("v");

        f.admin().setProperty(u("./G"), Property.ACL, "Get=other");
        assertStatus(StatusCode.PERMISSION_DENIED, () -> srv.get(u("./G/N/L")));

        f.admin().setProperty(u("./G/N"), Property.ACL, "Get=srv");
        assertThat(srv.get(u("./G/N/L")).asString()).isEqualTo("v");

        f.admin().setProperty(u("./G/N"), Property.ACL, "");
        assertStatus(StatusCode.PERMISSION_DENIED, () -> srv.get(u("./G/N/L")));
    }

    @Test
    void a_deleted_and_re_added_ancestor_does_not_keep_its_old_acl() throws DmException {
        tree();
        assertThat(srv.get(u("./G/N/L")).asString()).isEqualTo("v");

        f.admin().delete(u("./G"));
        f.admin().add(u("./G/N/L"), s("w"));
        f.admin().setProperty(u("./G"), Property.ACL, "Get=other");

        assertStatus(StatusCode.PERMISSION_DENIED, () -> srv.get(u("./G/N/L")));
    }

    @Test
    void an_atomic_sees_its_own_acl_change_and_others_see_it_after_the_commit() throws DmException {
        tree();
        assertThat(srv.get(u("./G/N/L")).asString()).isEqualTo("v");
        TreeAccess admin = f.admin();

        try (AtomicAccess atomic = srv.atomic()) {
            atomic.setProperty(u("./G"), Property.ACL, "Get=other&Replace=srv");
            assertStatus(StatusCode.PERMISSION_DENIED, () -> atomic.get(u("./G/N/L")));
            assertThat(f.server("srv").get(u("./G/N/L")).asString()).as("not committed yet").isEqualTo("v");
            atomic.commit();
        }
        assertStatus(StatusCode.PERMISSION_DENIED, () -> srv.get(u("./G/N/L")));
        assertThat(admin.get(u("./G/N/L")).asString()).isEqualTo("v");
    }

    @Test
    void a_rolled_back_change_leaves_the_old_acl_in_force() throws DmException {
        tree();
        assertThat(srv.get(u("./G/N/L")).asString()).isEqualTo("v");

        try (AtomicAccess atomic = f.admin().atomic()) {
            atomic.setProperty(u("./G"), Property.ACL, "Get=other");
        }

        assertThat(srv.get(u("./G/N/L")).asString()).isEqualTo("v");
    }

    @Test
    void a_plugin_mounted_over_stored_nodes_brings_its_own_acls_at_once() throws DmException {
        tree();
        assertThat(srv.get(u("./G/N/L")).asString()).isEqualTo("v");

        FakePlugin p = f.mount(new FakePlugin("./G/N").rootAcl("Get=other").leaf("L", "plugin"));
        assertStatus(StatusCode.PERMISSION_DENIED, () -> srv.get(u("./G/N/L")));

        f.unmount(p);
        assertThat(srv.get(u("./G/N/L")).asString()).isEqualTo("v");
    }

    @Test
    void a_plugin_changing_its_own_acl_is_never_cached() throws DmException {
        FakePlugin p = f.mount(new FakePlugin("./P").rootAcl("Get=srv").leaf("L", "x"));
        assertThat(srv.get(u("./P/L")).asString()).isEqualTo("x");

        p.rootAcl("Get=other");

        assertStatus(StatusCode.PERMISSION_DENIED, () -> srv.get(u("./P/L")));
    }

    @Test
    void a_new_root_acl_from_the_configuration_applies_at_once() throws DmException {
        f.admin().add(u("./A/L"), s("v"));
        assertThat(srv.get(u("./A/L")).asString()).isEqualTo("v");

        f.tree.modified(Fixture.config(Map.of("root.acl", "Add=*&Get=other")));

        assertStatus(StatusCode.PERMISSION_DENIED, () -> srv.get(u("./A/L")));
    }
}
