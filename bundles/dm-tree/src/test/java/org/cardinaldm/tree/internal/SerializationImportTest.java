package org.cardinaldm.tree.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cardinaldm.tree.internal.Fixture.assertStatus;
import static org.cardinaldm.tree.internal.Fixture.s;
import static org.cardinaldm.tree.internal.Fixture.u;

import java.util.List;
import java.util.Map;

import org.cardinaldm.api.AtomicAccess;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.ListForm;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Property;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.SubtreeNode;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.api.TreeSerialization;
import org.cardinaldm.api.spi.ddf.AccessType;
import org.cardinaldm.api.spi.ddf.MoDescription;
import org.cardinaldm.api.spi.ddf.NodeDescription;
import org.cardinaldm.api.spi.ddf.Occurrence;
import org.junit.jupiter.api.Test;

/** Add and Replace of a whole subtree from a TNDS object: all or nothing, one status (digest 1.5, 7). */
class SerializationImportTest {
    private final Fixture f = new Fixture(Map.of("root.acl", "Add=*&Get=*&Replace=*&Delete=*"));
    private final TreeSerialization ser = f.tree;
    private final TreeAccess srv = f.server("srv");

    private static SubtreeNode leaf(String name, String value) {
        return SubtreeNode.leaf(name).property(Property.FORMAT, "chr").value(NodeValue.ofString(value)).build();
    }

    /** ./Mail with Server (chr) and Port (int), titles and an ACL. */
    private static SubtreeNode mail() {
        return SubtreeNode.interior("Mail").property(Property.FORMAT, "node").property(Property.TYPE, "urn:x:mail:1.0")
                .property(Property.ACL, "Get=*&Replace=srv&Add=srv&Delete=srv").property(Property.TITLE, "E-mail")
                .child(leaf("Server", "mail.example.com"))
                .child(SubtreeNode.leaf("Port").value(NodeValue.ofInt(993)).property(Property.ACL, "Get=srv").build())
                .build();
    }

    @Test
    void add_creates_the_whole_subtree_with_types_titles_and_acls_in_one_commit() throws DmException {
        int commits = f.store.commits();

        ser.add(srv, u("."), List.of(mail()));

        assertThat(f.store.commits()).isEqualTo(commits + 1);
        assertThat(srv.describe(u("./Mail")).type()).isEqualTo("urn:x:mail:1.0");
        assertThat(srv.getProperty(u("./Mail"), Property.TITLE)).isEqualTo("E-mail");
        assertThat(srv.getProperty(u("./Mail"), Property.ACL)).isEqualTo("Add=srv&Delete=srv&Get=*&Replace=srv");
        assertThat(srv.getProperty(u("./Mail/Port"), Property.ACL)).isEqualTo("Get=srv");
        assertThat(srv.get(u("./Mail/Port"))).isEqualTo(NodeValue.ofInt(993));
        assertThat(srv.get(u("./Mail/Server")).asString()).isEqualTo("mail.example.com");
    }

    @Test
    void top_nodes_land_below_the_target_then_their_path() throws DmException {
        ser.add(srv, u("./Accounts"), List.of(SubtreeNode.interior("A").path("./Ops/Eu").child(leaf("Id", "1")).build()));

        assertThat(srv.get(u("./Accounts/Ops/Eu/A/Id")).asString()).isEqualTo("1");
    }

    @Test
    void an_empty_name_means_the_target_itself() throws DmException {
        ser.add(srv, u("./Here"), List.of(SubtreeNode.interior("").child(leaf("X", "1")).build()));

        assertThat(srv.get(u("./Here/X")).asString()).isEqualTo("1");
    }

    @Test
    void a_top_node_whose_path_points_into_another_continues_it() throws DmException {
        SubtreeNode later = SubtreeNode.leaf("Extra").path("./Mail").value(s("e")).build();

        ser.add(srv, u("."), List.of(later, mail()));

        assertThat(srv.get(u("./Mail/Extra")).asString()).isEqualTo("e");
        assertThat(srv.children(u("./Mail"))).containsExactlyInAnyOrder("Server", "Port", "Extra");
    }

    @Test
    void add_of_an_existing_node_is_418_and_creates_nothing() throws DmException {
        srv.add(u("./Taken"), s("t"));

        assertStatus(StatusCode.ALREADY_EXISTS, () -> ser.add(srv, u("."), List.of(mail(), leaf("Taken", "x"))));

        assertThat(srv.exists(u("./Mail"))).isFalse();
        assertThat(f.store.idle()).isTrue();
    }

    @Test
    void a_refusal_deep_inside_rolls_everything_back_with_that_status() throws DmException {
        srv.add(u("./Locked/Inside"), s("i"));
        f.admin().setProperty(u("./Locked"), Property.ACL, "Get=*");
        SubtreeNode bad = SubtreeNode.interior("Locked").path(".").build();

        assertStatus(StatusCode.ALREADY_EXISTS, () -> ser.add(srv, u("."), List.of(mail(), bad)));
        SubtreeNode intoLocked = SubtreeNode.leaf("New").path("./Locked").value(s("n")).build();
        assertStatus(StatusCode.PERMISSION_DENIED, () -> ser.add(srv, u("."), List.of(mail(), intoLocked)));

        assertThat(srv.exists(u("./Mail"))).isFalse();
        assertThat(srv.exists(u("./Locked/New"))).isFalse();
    }

    @Test
    void plugin_changes_of_a_failed_import_are_undone() throws DmException {
        FakePlugin p = f.mount(new FakePlugin("./Vendor").interior("Items"));
        srv.add(u("./Taken"), s("t"));
        SubtreeNode a = SubtreeNode.leaf("A").path("./Vendor/Items").value(s("a")).build();

        assertStatus(StatusCode.ALREADY_EXISTS, () -> ser.add(srv, u("."), List.of(a, leaf("Taken", "x"))));

        assertThat(p.calls).contains("add ./Vendor/Items/A", "delete ./Vendor/Items/A");
        assertThat(p.infos).doesNotContainKey(u("./Vendor/Items/A"));
    }

    @Test
    void a_plugin_change_that_cannot_be_undone_is_516() throws DmException {
        FakePlugin p = f.mount(new FakePlugin("./Vendor").interior("Items"));
        srv.add(u("./Taken"), s("t"));
        p.failUndo = true;
        SubtreeNode a = SubtreeNode.leaf("A").path("./Vendor/Items").value(s("a")).build();

        assertStatus(StatusCode.ATOMIC_ROLL_BACK_FAILED, () -> ser.add(srv, u("."), List.of(a, leaf("Taken", "x"))));
    }

    @Test
    void malformed_objects_are_400_and_unknown_formats_415() {
        assertStatus(StatusCode.BAD_REQUEST, () -> ser.add(srv, u("."), List.of()));
        assertStatus(StatusCode.BAD_REQUEST, () -> ser.add(srv, u("."), List.of(leaf("A", "1"), leaf("A", "2"))));
        assertStatus(StatusCode.BAD_REQUEST, () -> ser.add(srv, u("."),
                List.of(SubtreeNode.interior("A").child(SubtreeNode.leaf("").build()).build())));
        assertStatus(StatusCode.BAD_REQUEST, () -> ser.add(srv, u("."),
                List.of(SubtreeNode.leaf("A").property(Property.FORMAT, "node").build())));
        assertStatus(StatusCode.BAD_REQUEST, () -> ser.add(srv, u("."),
                List.of(SubtreeNode.leaf("A").path("./X//Y").build())));
        assertStatus(StatusCode.BAD_REQUEST, () -> ser.add(srv, u("."),
                List.of(SubtreeNode.leaf("A").property(Property.ACL, "Get=a b").build())));
        assertStatus(StatusCode.BAD_REQUEST, () -> ser.add(srv, u("."),
                List.of(leaf("L", "1"), SubtreeNode.leaf("Below").path("./L").build())));
        assertStatus(StatusCode.UNSUPPORTED_MEDIA_TYPE, () -> ser.add(srv, u("."),
                List.of(SubtreeNode.leaf("A").property(Property.FORMAT, "jpeg").build())));
        assertThat(f.store.idle()).isTrue();
    }

    @Test
    void a_leaf_without_value_is_created_empty_in_its_format() throws DmException {
        ser.add(srv, u("."), List.of(SubtreeNode.interior("E").child(SubtreeNode.leaf("N").build())
                .child(SubtreeNode.leaf("I").property(Property.FORMAT, "int").property(Property.TYPE, "text/plain").build())
                .build()));

        assertThat(srv.get(u("./E/N")).isNull()).isTrue();
        assertThat(srv.describe(u("./E/I")).format()).isEqualTo(Format.INT);
        assertThat(srv.get(u("./E/I")).size()).isZero();
    }

    @Test
    void replace_makes_the_subtree_what_the_object_describes() throws DmException {
        ser.add(srv, u("."), List.of(mail()));
        srv.add(u("./Mail/Old"), s("gone soon"));
        SubtreeNode changed = SubtreeNode.interior("Mail").property(Property.TITLE, "Mail v2")
                .child(leaf("Server", "imap.example.com"))
                .child(SubtreeNode.leaf("Port").value(NodeValue.ofInt(993)).build())
                .child(SubtreeNode.interior("Folders").child(leaf("Inbox", "INBOX")).build())
                .build();
        int portVersion = srv.describe(u("./Mail/Port")).version();

        ser.replace(srv, u("."), List.of(changed));

        assertThat(srv.children(u("./Mail"))).containsExactlyInAnyOrder("Server", "Port", "Folders");
        assertThat(srv.get(u("./Mail/Server")).asString()).isEqualTo("imap.example.com");
        assertThat(srv.get(u("./Mail/Folders/Inbox")).asString()).isEqualTo("INBOX");
        assertThat(srv.getProperty(u("./Mail"), Property.TITLE)).isEqualTo("Mail v2");
        assertThat(srv.describe(u("./Mail/Port")).version()).as("unchanged leaf untouched").isEqualTo(portVersion);
        assertThat(srv.getProperty(u("./Mail"), Property.ACL)).as("no ACL in the object: kept")
                .isEqualTo("Add=srv&Delete=srv&Get=*&Replace=srv");
    }

    @Test
    void replace_of_a_missing_top_node_is_404() {
        assertStatus(StatusCode.NOT_FOUND, () -> ser.replace(srv, u("."), List.of(mail())));
    }

    @Test
    void replace_needs_the_replace_right_on_the_top_node() throws DmException {
        ser.add(srv, u("."), List.of(mail()));

        assertStatus(StatusCode.PERMISSION_DENIED, () -> ser.replace(f.server("other"), u("."), List.of(mail())));
    }

    @Test
    void replace_changes_acls_children_first() throws DmException {
        ser.add(srv, u("."), List.of(mail()));
        SubtreeNode locked = SubtreeNode.interior("Mail").property(Property.ACL, "Get=*")
                .child(SubtreeNode.leaf("Server").property(Property.ACL, "Get=srv").build())
                .child(SubtreeNode.leaf("Port").build())
                .build();

        ser.replace(srv, u("."), List.of(locked));

        assertThat(f.admin().getProperty(u("./Mail"), Property.ACL)).isEqualTo("Get=*");
        assertThat(f.admin().getProperty(u("./Mail/Server"), Property.ACL)).isEqualTo("Get=srv");
    }

    @Test
    void a_node_whose_kind_changes_is_deleted_and_added() throws DmException {
        ser.add(srv, u("."), List.of(mail()));

        ser.replace(srv, u("."), List.of(SubtreeNode.interior("Mail").child(SubtreeNode.interior("Server")
                .child(leaf("Host", "h")).build()).child(SubtreeNode.leaf("Port").build()).build()));

        assertThat(srv.get(u("./Mail/Server/Host")).asString()).isEqualTo("h");
    }

    @Test
    void an_export_replaced_back_changes_nothing_not_even_read_only_plugin_leaves() throws DmException {
        FakePlugin p = f.mount(new FakePlugin("./Info").leaf("Man", "Cardinal"));
        p.mutable = false;
        ser.add(srv, u("."), List.of(mail()));
        SubtreeNode export = ser.list(srv, u("."), ListForm.tnds());
        int commits = f.store.commits();
        int version = srv.describe(u("./Mail/Server")).version();

        ser.replace(srv, u("."), List.of(export));

        assertThat(srv.describe(u("./Mail/Server")).version()).isEqualTo(version);
        assertThat(p.calls).noneMatch(c -> c.startsWith("replace") || c.startsWith("delete") || c.startsWith("add"));
        assertThat(f.store.commits()).isEqualTo(commits + 1);
    }

    @Test
    void a_secret_exported_without_value_keeps_its_value_when_replaced_back() throws DmException {
        NodeDescription root = NodeDescription.named("Acc").permanent().access(AccessType.GET)
                .child(NodeDescription.named("Secret").leaf(Format.CHR).access(AccessType.ADD, AccessType.REPLACE).build())
                .build();
        f.describe("./Acc", "urn:test:acc", (MoDescription) () -> root);
        srv.add(u("./Acc/Secret"), s("hunter2"));
        SubtreeNode export = ser.list(srv, u("./Acc"), ListForm.tnds());

        ser.replace(srv, u("."), List.of(export));

        assertThat(f.system().get(u("./Acc/Secret")).asString()).isEqualTo("hunter2");
    }

    @Test
    void an_add_inside_an_atomic_joins_it_and_a_failed_one_fails_it() throws DmException {
        try (AtomicAccess atomic = srv.atomic()) {
            ser.add(atomic, u("."), List.of(mail()));
            assertThat(srv.exists(u("./Mail"))).isFalse();
            atomic.commit();
        }
        assertThat(srv.exists(u("./Mail/Port"))).isTrue();

        AtomicAccess atomic = srv.atomic();
        atomic.add(u("./First"), s("1"));
        assertStatus(StatusCode.ALREADY_EXISTS, () -> ser.add(atomic, u("."), List.of(mail())));
        assertStatus(StatusCode.ATOMIC_FAILED, atomic::commit);
        assertThat(srv.exists(u("./First"))).isFalse();
        atomic.close();
    }

    @Test
    void a_server_without_replace_on_the_parent_keeps_its_creator_rights() throws DmException {
        Fixture strict = new Fixture();
        strict.tree.add(strict.server("srv"), u("."), List.of(SubtreeNode.interior("Mine")
                .property(Property.ACL, "").child(leaf("X", "1")).build()));

        assertThat(strict.server("srv").getProperty(u("./Mine"), Property.ACL))
                .isEqualTo("Add=*&Delete=srv&Get=*&Replace=srv");
    }

    @Test
    void an_mo_added_through_the_inbox_lands_with_its_subtree_where_its_identifier_belongs() throws DmException {
        String id = "urn:oma:mo:oma-dm-dmacc:1.0";
        NodeDescription root = NodeDescription.named("DMAcc").permanent().access(AccessType.GET)
                .child(NodeDescription.placeholder().occurrence(Occurrence.ONE_OR_MORE)
                        .access(AccessType.ADD, AccessType.GET, AccessType.DELETE, AccessType.REPLACE).mimeType(id)
                        .child(NodeDescription.named("ServerID").leaf(Format.CHR)
                                .access(AccessType.ADD, AccessType.GET, AccessType.REPLACE).build())
                        .build())
                .build();
        f.describe("./DMAcc", id, (MoDescription) () -> root);

        ser.add(srv, u("./Inbox"), List.of(SubtreeNode.interior("Acc1").property(Property.TYPE, id)
                .property(Property.TITLE, "Boot").child(leaf("ServerID", "dms")).build()));

        assertThat(srv.get(u("./DMAcc/Acc1/ServerID")).asString()).isEqualTo("dms");
        assertThat(srv.getProperty(u("./DMAcc/Acc1"), Property.TITLE)).isEqualTo("Boot");
    }
}
