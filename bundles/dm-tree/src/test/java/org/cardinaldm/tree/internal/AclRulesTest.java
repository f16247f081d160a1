package org.cardinaldm.tree.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cardinaldm.tree.internal.Fixture.assertStatus;
import static org.cardinaldm.tree.internal.Fixture.s;
import static org.cardinaldm.tree.internal.Fixture.u;

import java.util.List;
import java.util.Map;

import org.cardinaldm.api.Acl;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Property;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TreeAccess;
import org.junit.jupiter.api.Test;

/** ACL grammar, inheritance, the root ACL and enforcement per principal (digest 5.6). */
class AclRulesTest {
    private final Fixture f = new Fixture();
    private final TreeAccess sys = f.system();
    private final TreeAccess a = f.server("srvA");
    private final TreeAccess b = f.server("srvB");

    private void acl(String uri, String acl) throws DmException {
        sys.setProperty(u(uri), Property.ACL, acl);
    }

    @Test
    void the_default_root_acl_is_add_and_get_for_everyone() throws DmException {
        assertThat(a.getProperty(u("."), Property.ACL)).isEqualTo("Add=*&Get=*");
        assertThat(a.children(u("."))).contains("Inbox");
        a.add(u("./A"), s("x"));
        assertStatus(StatusCode.PERMISSION_DENIED, () -> a.replace(u("./A"), s("y")));
        assertStatus(StatusCode.PERMISSION_DENIED, () -> a.delete(u("./A")));
    }

    @Test
    void the_root_acl_comes_from_configuration_until_the_root_has_its_own() throws DmException {
        Fixture g = new Fixture(Map.of("root.acl", "Get=srvA"));
        assertThat(g.server("srvA").children(u("."))).isNotNull();
        assertStatus(StatusCode.PERMISSION_DENIED, () -> g.server("srvB").get(u(".")));
        g.system().setProperty(u("."), Property.ACL, "Get=srvB");
        assertThat(g.server("srvB").children(u("."))).isNotNull();
        assertStatus(StatusCode.PERMISSION_DENIED, () -> g.server("srvA").get(u(".")));
    }

    @Test
    void an_invalid_or_empty_configured_root_acl_falls_back_to_the_default() throws DmException {
        assertThat(new Fixture(Map.of("root.acl", "Bogus=*")).server("x").getProperty(u("."), Property.ACL))
                .isEqualTo("Add=*&Get=*");
        assertThat(new Fixture(Map.of("root.acl", "")).server("x").getProperty(u("."), Property.ACL))
                .isEqualTo("Add=*&Get=*");
    }

    @Test
    void a_node_without_acl_inherits_the_whole_acl_of_its_nearest_ancestor() throws DmException {
        sys.add(u("./A/B/C"), s("x"));
        acl("./A", "Get=srvA&Replace=srvB");
        assertThat(a.get(u("./A/B/C")).asString()).isEqualTo("x");
        assertStatus(StatusCode.PERMISSION_DENIED, () -> b.get(u("./A/B/C")));
        b.replace(u("./A/B/C"), s("y"));
        assertStatus(StatusCode.PERMISSION_DENIED, () -> a.replace(u("./A/B/C"), s("z")));
        acl("./A/B", "Get=srvB");
        assertThat(b.get(u("./A/B/C")).asString()).isEqualTo("y");
        assertStatus(StatusCode.PERMISSION_DENIED, () -> a.get(u("./A/B/C")));
        assertStatus(StatusCode.PERMISSION_DENIED, () -> b.replace(u("./A/B/C"), s("not per command")));
    }

    @Test
    void star_grants_every_server() throws DmException {
        sys.add(u("./A"), s("x"));
        acl("./A", "Get=srvA+*");
        assertThat(b.get(u("./A")).asString()).isEqualTo("x");
        assertThat(f.server("anyone").get(u("./A")).asString()).isEqualTo("x");
    }

    @Test
    void get_property_acl_of_a_node_without_its_own_acl_is_empty() throws DmException {
        sys.add(u("./A"), s("x"));
        assertThat(a.getProperty(u("./A"), Property.ACL)).isEmpty();
        assertThat(a.describe(u("./A")).acl()).isEqualTo(Acl.empty());
    }

    @Test
    void add_is_checked_on_the_parent() throws DmException {
        sys.add(u("./P"), NodeValue.interior());
        acl("./P", "Add=srvB&Get=*");
        assertStatus(StatusCode.PERMISSION_DENIED, () -> a.add(u("./P/X"), s("x")));
        b.add(u("./P/X"), s("x"));
        assertStatus(StatusCode.PERMISSION_DENIED, () -> a.add(u("./P/Y/Z"), s("x")));
        assertThat(a.exists(u("./P/Y"))).isFalse();
    }

    @Test
    void add_of_an_existing_node_without_add_rights_returns_425() throws DmException {
        sys.add(u("./P/X"), s("x"));
        acl("./P", "Get=*");
        assertStatus(StatusCode.PERMISSION_DENIED, () -> a.add(u("./P/X"), s("y")));
    }

    @Test
    void get_delete_replace_and_exec_are_checked_on_the_node() throws DmException {
        sys.add(u("./N"), s("x"));
        acl("./N", "Get=srvB&Replace=srvB&Delete=srvB");
        assertStatus(StatusCode.PERMISSION_DENIED, () -> a.get(u("./N")));
        assertStatus(StatusCode.PERMISSION_DENIED, () -> a.describe(u("./N")));
        assertStatus(StatusCode.PERMISSION_DENIED, () -> a.getProperty(u("./N"), Property.FORMAT));
        assertStatus(StatusCode.PERMISSION_DENIED, () -> a.replace(u("./N"), s("y")));
        assertStatus(StatusCode.PERMISSION_DENIED, () -> a.delete(u("./N")));
        assertStatus(StatusCode.PERMISSION_DENIED, () -> a.exec(u("./N"), NodeValue.ofNull(), ""));
        b.replace(u("./N"), s("y"));
        assertThat(b.get(u("./N")).asString()).isEqualTo("y");
        b.delete(u("./N"));
        assertThat(sys.exists(u("./N"))).isFalse();
    }

    @Test
    void delete_of_an_interior_node_deletes_children_whatever_their_acls() throws DmException {
        sys.add(u("./P/C"), s("x"));
        acl("./P", "Delete=srvA&Get=*");
        acl("./P/C", "Get=*");
        assertStatus(StatusCode.PERMISSION_DENIED, () -> a.delete(u("./P/C")));
        a.delete(u("./P"));
        assertThat(sys.exists(u("./P/C"))).isFalse();
    }

    @Test
    void copy_needs_get_on_the_source_and_add_or_replace_on_the_target() throws DmException {
        sys.add(u("./S"), s("secret-ish"));
        sys.add(u("./D/T"), s("old"));
        acl("./S", "Get=srvB");
        acl("./D", "Get=*&Replace=srvA");
        assertStatus(StatusCode.PERMISSION_DENIED, () -> a.copy(u("./S"), u("./D/T")));
        acl("./S", "Get=*");
        assertStatus(StatusCode.PERMISSION_DENIED, () -> b.copy(u("./S"), u("./D/T")));
        a.copy(u("./S"), u("./D/T"));
        assertThat(sys.get(u("./D/T")).asString()).isEqualTo("secret-ish");
        assertStatus(StatusCode.PERMISSION_DENIED, () -> a.copy(u("./S"), u("./D/New")));
        acl("./D", "Get=*&Add=srvA");
        a.copy(u("./S"), u("./D/New"));
        assertThat(sys.exists(u("./D/New"))).isTrue();
    }

    @Test
    void changing_the_acl_of_an_interior_node_needs_replace_on_it_or_on_its_parent() throws DmException {
        sys.add(u("./P/I"), NodeValue.interior());
        acl("./P", "Get=*");
        acl("./P/I", "Get=*");
        assertStatus(StatusCode.PERMISSION_DENIED, () -> a.setProperty(u("./P/I"), Property.ACL, "Get=srvA"));
        acl("./P/I", "Get=*&Replace=srvA");
        a.setProperty(u("./P/I"), Property.ACL, "Get=*&Replace=srvA&Add=srvA");
        acl("./P/I", "Get=*");
        acl("./P", "Get=*&Replace=srvB");
        b.setProperty(u("./P/I"), Property.ACL, "Get=srvB");
        assertThat(sys.getProperty(u("./P/I"), Property.ACL)).isEqualTo("Get=srvB");
    }

    @Test
    void the_acl_of_a_leaf_is_controlled_by_its_parent() throws DmException {
        sys.add(u("./P/L"), s("x"));
        acl("./P", "Get=*");
        acl("./P/L", "Get=*&Replace=srvA");
        assertStatus(StatusCode.PERMISSION_DENIED, () -> a.setProperty(u("./P/L"), Property.ACL, "Get=srvA"));
        acl("./P", "Get=*&Replace=srvA");
        a.setProperty(u("./P/L"), Property.ACL, "Get=srvA");
        assertThat(sys.getProperty(u("./P/L"), Property.ACL)).isEqualTo("Get=srvA");
    }

    @Test
    void a_malformed_acl_returns_400() throws DmException {
        sys.add(u("./A"), s("x"));
        assertStatus(StatusCode.BAD_REQUEST, () -> sys.setProperty(u("./A"), Property.ACL, "Get"));
        assertStatus(StatusCode.BAD_REQUEST, () -> sys.setProperty(u("./A"), Property.ACL, "Copy=*"));
        assertStatus(StatusCode.BAD_REQUEST, () -> sys.setProperty(u("./A"), Property.ACL, "Get=a b"));
    }

    @Test
    void the_root_acl_cannot_be_emptied_and_changing_it_needs_replace_on_the_root() throws DmException {
        assertStatus(StatusCode.BAD_REQUEST, () -> sys.setProperty(u("."), Property.ACL, ""));
        assertStatus(StatusCode.PERMISSION_DENIED, () -> a.setProperty(u("."), Property.ACL, "Get=*"));
        sys.setProperty(u("."), Property.ACL, "Get=*&Add=*&Replace=srvA");
        a.setProperty(u("."), Property.ACL, "Get=*&Add=*&Replace=srvA&Delete=srvA");
        assertThat(b.getProperty(u("."), Property.ACL)).isEqualTo("Add=*&Delete=srvA&Get=*&Replace=srvA");
    }

    @Test
    void setting_an_empty_acl_makes_a_node_inherit_again() throws DmException {
        sys.add(u("./A"), s("x"));
        acl("./A", "Get=srvB");
        assertStatus(StatusCode.PERMISSION_DENIED, () -> a.get(u("./A")));
        acl("./A", "");
        assertThat(a.get(u("./A")).asString()).isEqualTo("x");
    }

    @Test
    void a_server_without_replace_on_the_parent_gets_add_delete_replace_on_the_interior_node_it_creates()
            throws DmException {
        a.add(u("./Acc"), NodeValue.interior());
        // the inherited Add=*&Get=* stays, the creator gains Delete and Replace (Add it had through *)
        assertThat(sys.getProperty(u("./Acc"), Property.ACL)).isEqualTo("Add=*&Delete=srvA&Get=*&Replace=srvA");
        a.add(u("./Acc/L"), s("x"));
        a.replace(u("./Acc/L"), s("mine"));
        assertThat(a.get(u("./Acc/L")).asString()).isEqualTo("mine");
        assertThat(b.get(u("./Acc/L")).asString()).as("nobody loses an inherited right").isEqualTo("mine");
        assertStatus(StatusCode.PERMISSION_DENIED, () -> b.replace(u("./Acc/L"), s("theirs")));
        a.setProperty(u("./Acc"), Property.ACL, "Add=srvA&Delete=srvA&Replace=srvA&Get=srvA");
        assertStatus(StatusCode.PERMISSION_DENIED, () -> b.get(u("./Acc/L")));
        a.delete(u("./Acc"));
    }

    @Test
    void the_creator_rights_are_added_by_id_when_the_parent_does_not_grant_them_at_all() throws DmException {
        sys.add(u("./P"), NodeValue.interior());
        acl("./P", "Add=srvA&Get=srvB&Exec=srvB");
        a.add(u("./P/I"), NodeValue.interior());
        assertThat(sys.getProperty(u("./P/I"), Property.ACL))
                .isEqualTo("Add=srvA&Delete=srvA&Exec=srvB&Get=srvB&Replace=srvA");
    }

    @Test
    void implicitly_created_parents_follow_the_same_rule_only_at_the_top() throws DmException {
        a.add(u("./X/Y/Z"), s("leaf"));
        assertThat(sys.getProperty(u("./X"), Property.ACL)).isEqualTo("Add=*&Delete=srvA&Get=*&Replace=srvA");
        assertThat(sys.getProperty(u("./X/Y"), Property.ACL)).isEmpty();
        assertThat(sys.getProperty(u("./X/Y/Z"), Property.ACL)).isEmpty();
    }

    @Test
    void a_server_with_replace_on_the_parent_creates_nodes_with_empty_acls() throws DmException {
        sys.add(u("./P"), NodeValue.interior());
        acl("./P", "Add=srvA&Replace=srvA&Get=*");
        a.add(u("./P/I/J"), NodeValue.interior());
        assertThat(sys.getProperty(u("./P/I"), Property.ACL)).isEmpty();
        assertThat(sys.getProperty(u("./P/I/J"), Property.ACL)).isEmpty();
    }

    @Test
    void leaves_never_get_the_creator_acl() throws DmException {
        a.add(u("./L"), s("x"));
        assertThat(sys.getProperty(u("./L"), Property.ACL)).isEmpty();
    }

    @Test
    void the_local_administrator_has_its_configured_rights_whatever_the_acls() throws DmException {
        sys.add(u("./A"), s("x"));
        acl("./A", "Get=srvB");
        TreeAccess admin = f.admin();
        assertThat(admin.get(u("./A")).asString()).isEqualTo("x");
        admin.replace(u("./A"), s("y"));
        admin.setProperty(u("./A"), Property.ACL, "Get=*");
        admin.delete(u("./A"));

        Fixture ro = new Fixture(Map.of("local.admin.rights", List.of("Get")));
        ro.system().add(u("./A"), s("x"));
        assertThat(ro.admin().get(u("./A")).asString()).isEqualTo("x");
        assertStatus(StatusCode.PERMISSION_DENIED, () -> ro.admin().replace(u("./A"), s("y")));
        assertStatus(StatusCode.PERMISSION_DENIED, () -> ro.admin().add(u("./B"), s("y")));
        assertStatus(StatusCode.PERMISSION_DENIED, () -> ro.admin().setProperty(u("./A"), Property.ACL, "Get=*"));
    }

    @Test
    void local_admin_rights_accept_star_any_case_and_ignore_unknown_tokens() throws DmException {
        Fixture all = new Fixture(Map.of("local.admin.rights", List.of("*")));
        assertThat(all.tree.engine().settings().localAdminRights()).hasSize(5);
        Fixture mixed = new Fixture(Map.of("local.admin.rights", List.of("get", "REPLACE", "Fly", "")));
        assertThat(mixed.tree.engine().settings().localAdminRights())
                .containsExactlyInAnyOrder(org.cardinaldm.api.AclCommand.GET, org.cardinaldm.api.AclCommand.REPLACE);
        Fixture none = new Fixture(Map.of("local.admin.rights", List.of()));
        assertStatus(StatusCode.PERMISSION_DENIED, () -> none.admin().get(u(".")));
    }

    @Test
    void the_system_bypasses_acls() throws DmException {
        sys.setProperty(u("."), Property.ACL, "Get=nobody");
        sys.add(u("./A/B"), s("x"));
        assertThat(sys.get(u("./A/B")).asString()).isEqualTo("x");
        sys.delete(u("./A"));
        assertStatus(StatusCode.PERMISSION_DENIED, () -> a.get(u(".")));
    }

    @Test
    void title_and_name_changes_need_replace_on_the_node() throws DmException {
        sys.add(u("./A"), s("x"));
        assertStatus(StatusCode.PERMISSION_DENIED, () -> a.setProperty(u("./A"), Property.TITLE, "t"));
        assertStatus(StatusCode.PERMISSION_DENIED, () -> a.setProperty(u("./A"), Property.NAME, "B"));
        acl("./A", "Get=*&Replace=srvA");
        a.setProperty(u("./A"), Property.TITLE, "t");
        a.setProperty(u("./A"), Property.NAME, "B");
        assertThat(sys.getProperty(u("./B"), Property.TITLE)).isEqualTo("t");
    }

    private void account(String x, String serverId) throws DmException {
        sys.add(u("./DMAcc/" + x), NodeValue.of(org.cardinaldm.api.Format.NODE, DeletedServers.DMACC_MO_ID, new byte[0]));
        sys.add(u("./DMAcc/" + x + "/ServerID"), s(serverId));
    }

    @Test
    void deleting_a_server_account_removes_its_id_from_every_acl() throws DmException {
        account("a", "srvA");
        sys.add(u("./Data/Leaf"), s("x"));
        f.mount(new FakePlugin("./Plug").leaf("L", "p"));
        acl(".", "Add=*&Get=*&Replace=srvA&Delete=srvA+srvB");
        acl("./Data", "Get=srvA+srvB&Replace=srvA");
        acl("./Data/Leaf", "Get=srvA");
        acl("./Plug/L", "Get=srvA+srvB");
        sys.delete(u("./DMAcc/a"));
        assertThat(sys.getProperty(u("."), Property.ACL)).isEqualTo("Add=*&Delete=srvB&Get=*&Replace=*");
        assertThat(sys.getProperty(u("./Data"), Property.ACL)).isEqualTo("Get=srvB");
        assertThat(sys.getProperty(u("./Data/Leaf"), Property.ACL)).isEmpty();
        assertThat(sys.getProperty(u("./Plug/L"), Property.ACL)).isEqualTo("Get=srvB");
    }

    @Test
    void a_server_id_still_used_by_another_account_stays_in_the_acls() throws DmException {
        account("a", "srvA");
        account("b", "srvA");
        sys.add(u("./Data"), s("x"));
        acl("./Data", "Get=srvA");
        sys.delete(u("./DMAcc/a"));
        assertThat(sys.getProperty(u("./Data"), Property.ACL)).isEqualTo("Get=srvA");
        sys.delete(u("./DMAcc/b"));
        assertThat(sys.getProperty(u("./Data"), Property.ACL)).isEmpty();
    }

    @Test
    void deleting_an_ordinary_node_leaves_acls_alone() throws DmException {
        sys.add(u("./Other/ServerID"), s("srvA"));
        sys.add(u("./Data"), s("x"));
        acl("./Data", "Get=srvA");
        sys.delete(u("./Other"));
        assertThat(sys.getProperty(u("./Data"), Property.ACL)).isEqualTo("Get=srvA");
    }
}
