package org.cardinaldm.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.DmTree;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.Property;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TreeAccess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** dm:acl: show (own or inherited) and set, as the administrator or a server. */
class DmAclCommandTest {
    private final DmTree tree = mock(DmTree.class);
    private final TreeAccess admin = mock(TreeAccess.class);
    private final TreeAccess server = mock(TreeAccess.class);
    private final Output output = new Output();

    @BeforeEach
    void views() throws DmException {
        when(tree.as(Principal.localAdmin())).thenReturn(admin);
        when(tree.as(Principal.server("srv1"))).thenReturn(server);
        when(admin.getProperty(NodeUri.root(), Property.ACL)).thenReturn("Add=*&Get=*");
        when(admin.getProperty(NodeUri.of("./A"), Property.ACL)).thenReturn("");
        when(admin.getProperty(NodeUri.of("./A/B"), Property.ACL)).thenReturn("");
        when(admin.getProperty(NodeUri.of("./Own"), Property.ACL)).thenReturn("Get=*&Replace=srv1");
    }

    private DmAclCommand acl(String uri, String value) {
        DmAclCommand c = new DmAclCommand();
        c.tree = tree;
        c.uri = uri;
        c.acl = value;
        c.out = output.stream;
        return c;
    }

    private String refusal(DmAclCommand c) {
        CommandException e = catchThrowableOfType(CommandException.class, c::execute);
        assertThat(e).isNotNull();
        return e.getNiceHelp();
    }

    @Test
    void shows_the_node_own_acl_alone() throws Exception {
        acl("./Own", null).execute();

        assertThat(output.lines()).containsExactly("Get=*&Replace=srv1", "");
    }

    @Test
    void a_node_without_acl_shows_what_it_inherits_and_from_where() throws Exception {
        acl("./A/B", null).execute();

        assertThat(output.lines()[0]).isEqualTo("Add=*&Get=* (inherited from .)");
    }

    @Test
    void an_unreadable_ancestor_leaves_just_inherited() throws Exception {
        when(server.getProperty(NodeUri.of("./A/B"), Property.ACL)).thenReturn("");
        when(server.getProperty(NodeUri.of("./A"), Property.ACL))
                .thenThrow(new DmException(StatusCode.PERMISSION_DENIED, "no"));
        DmAclCommand c = acl("./A/B", null);
        c.as = "srv1";
        c.execute();

        assertThat(output.lines()[0]).isEqualTo("(inherited)");
    }

    @Test
    void sets_the_acl_through_replace_on_prop_acl() throws Exception {
        DmAclCommand c = acl("./A", "Get=*&Replace=srv1");
        c.as = "srv1";
        c.execute();

        verify(server).setProperty(NodeUri.of("./A"), Property.ACL, "Get=*&Replace=srv1");
        assertThat(output.lines()[0]).isEqualTo("ACL of ./A: Get=*&Replace=srv1");
    }

    @Test
    void inherit_removes_the_own_acl() throws Exception {
        DmAclCommand c = acl("./Own", null);
        c.inherit = true;
        c.execute();

        verify(admin).setProperty(NodeUri.of("./Own"), Property.ACL, "");
        assertThat(output.lines()[0]).isEqualTo("ACL of ./Own removed: it inherits");
    }

    @Test
    void an_acl_and_inherit_together_are_400() throws Exception {
        DmAclCommand c = acl("./Own", "Get=*");
        c.inherit = true;

        assertThat(refusal(c)).startsWith("400 Bad request: ");
        verify(admin, never()).setProperty(any(), any(), any());
    }

    @Test
    void refusals_from_the_tree_are_one_status_line() throws Exception {
        doThrow(new DmException(StatusCode.PERMISSION_DENIED, "server:srv1 may not change the ACL of ./A"))
                .when(server).setProperty(any(), any(), any());
        doThrow(new DmException(StatusCode.BAD_REQUEST, "Unknown ACL command 'Run'"))
                .when(admin).setProperty(any(), any(), any());
        when(admin.getProperty(NodeUri.of("./Nope"), Property.ACL)).thenThrow(new DmException(StatusCode.NOT_FOUND, "No node ./Nope"));
        DmAclCommand asServer = acl("./A", "Get=*");
        asServer.as = "srv1";

        assertThat(refusal(asServer)).isEqualTo("425 Permission denied: server:srv1 may not change the ACL of ./A");
        assertThat(refusal(acl("./A", "Run=*"))).startsWith("400 Bad request: ");
        assertThat(refusal(acl("./Nope", null))).startsWith("404 Not found");
        assertThat(output.text()).isEmpty();
    }
}
