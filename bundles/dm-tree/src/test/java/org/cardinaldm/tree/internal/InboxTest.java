package org.cardinaldm.tree.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cardinaldm.tree.internal.Fixture.assertStatus;
import static org.cardinaldm.tree.internal.Fixture.s;
import static org.cardinaldm.tree.internal.Fixture.u;

import java.util.Map;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Property;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.api.spi.ddf.AccessType;
import org.cardinaldm.api.spi.ddf.MoDescription;
import org.cardinaldm.api.spi.ddf.NodeDescription;
import org.cardinaldm.api.spi.ddf.Occurrence;
import org.junit.jupiter.api.Test;

/** ./Inbox: Add only, placement by MO identifier, Get refused with 405 (digest 5.6). */
class InboxTest {
    private static final String ACC_ID = "urn:oma:mo:oma-dm-dmacc:1.0";
    private final Fixture f = new Fixture(Map.of("root.acl", "Add=*&Get=*&Replace=*&Delete=*"));
    private final TreeAccess srv = f.server("srv");

    private static NodeValue mo(String id) {
        return NodeValue.of(Format.NODE, id, new byte[0]);
    }

    private void describeAccounts() {
        NodeDescription root = NodeDescription.named("DMAcc").permanent().access(AccessType.GET)
                .child(NodeDescription.placeholder().occurrence(Occurrence.ONE_OR_MORE)
                        .access(AccessType.ADD, AccessType.GET, AccessType.DELETE).mimeType(ACC_ID)
                        .child(NodeDescription.named("ServerID").leaf(Format.CHR).access(AccessType.ADD, AccessType.GET).build())
                        .build())
                .build();
        f.describe("./DMAcc", ACC_ID, (MoDescription) () -> root);
    }

    @Test
    void inbox_exists_and_get_on_it_returns_405() throws DmException {
        assertThat(srv.children(u("."))).contains("Inbox");
        assertThat(srv.exists(u("./Inbox"))).isTrue();
        assertThat(srv.describe(u("./Inbox")).type()).isEqualTo(Inbox.INBOX_MO_ID);
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.get(u("./Inbox")));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.children(u("./Inbox")));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.get(u("./Inbox/X")));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> f.system().get(u("./Inbox")));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.delete(u("./Inbox")));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.replace(u("./Inbox"), s("x")));
        assertStatus(StatusCode.ALREADY_EXISTS, () -> srv.add(u("./Inbox"), NodeValue.interior()));
    }

    @Test
    void an_mo_added_to_the_inbox_lands_where_its_identifier_belongs() throws DmException {
        describeAccounts();
        srv.add(u("./Inbox/Acc1"), mo(ACC_ID));
        srv.add(u("./Inbox/Acc1/ServerID"), s("dms.example.com"));
        assertThat(srv.get(u("./DMAcc/Acc1/ServerID")).asString()).isEqualTo("dms.example.com");
        assertThat(srv.getProperty(u("./DMAcc/Acc1"), Property.TYPE)).isEqualTo(ACC_ID);
        assertThat(srv.exists(u("./Inbox/Acc1"))).isFalse();
    }

    @Test
    void inbox_objects_with_a_plugin_identifier_go_below_the_plugin_root() throws DmException {
        FakePlugin p = new FakePlugin("./Conn");
        f.tree.mountPlugin(p, Map.of("dm.mo.root", "./Conn", "dm.mo.id", "urn:x:conn:1.0"), "conn");
        srv.add(u("./Inbox/Internet"), mo("urn:x:conn:1.0"));
        assertThat(p.infos).containsKey(u("./Conn/Internet"));
    }

    @Test
    void inbox_placement_errors() throws DmException {
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> srv.add(u("./Inbox/Leaf"), s("x")));
        assertStatus(StatusCode.UNSUPPORTED_MEDIA_TYPE, () -> srv.add(u("./Inbox/NoType"), NodeValue.interior()));
        assertStatus(StatusCode.UNSUPPORTED_MEDIA_TYPE, () -> srv.add(u("./Inbox/X"), mo("urn:unknown:1.0")));
        assertStatus(StatusCode.NOT_FOUND, () -> srv.add(u("./Inbox/NeverAdded/Child"), s("x")));
    }

    @Test
    void inbox_placements_are_per_principal() throws DmException {
        describeAccounts();
        srv.add(u("./Inbox/Acc1"), mo(ACC_ID));
        assertStatus(StatusCode.NOT_FOUND, () -> f.server("other").add(u("./Inbox/Acc1/ServerID"), s("x")));
    }

    @Test
    void inbox_add_needs_add_rights_on_the_inbox_and_on_the_target() throws DmException {
        describeAccounts();
        f.system().setProperty(u("./Inbox"), Property.ACL, "Add=srvB");
        assertStatus(StatusCode.PERMISSION_DENIED, () -> srv.add(u("./Inbox/Acc1"), mo(ACC_ID)));
        f.system().setProperty(u("./DMAcc"), Property.ACL, "Get=*");
        assertStatus(StatusCode.PERMISSION_DENIED, () -> f.server("srvB").add(u("./Inbox/Acc1"), mo(ACC_ID)));
        assertThat(f.system().exists(u("./DMAcc/Acc1"))).isFalse();
    }

    @Test
    void a_second_object_with_the_same_placement_returns_418() throws DmException {
        describeAccounts();
        srv.add(u("./Inbox/Acc1"), mo(ACC_ID));
        assertStatus(StatusCode.ALREADY_EXISTS, () -> srv.add(u("./Inbox/Acc1"), mo(ACC_ID)));
    }

    @Test
    void without_the_inbox_the_name_is_an_ordinary_node() throws DmException {
        Fixture g = new Fixture(Map.of("inbox.enabled", false, "root.acl", "Add=*&Get=*&Replace=*"));
        assertThat(g.server("s").children(u("."))).doesNotContain("Inbox");
        g.server("s").add(u("./Inbox/X"), s("plain"));
        assertThat(g.server("s").get(u("./Inbox/X")).asString()).isEqualTo("plain");
    }
}
