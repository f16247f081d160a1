package org.cardinaldm.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.DmTree;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TreeAccess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** dm:add, dm:set, dm:rm: what they send to the tree, as whom, and how a refusal reads. */
class WriteCommandsTest {
    private final DmTree tree = mock(DmTree.class);
    private final TreeAccess admin = mock(TreeAccess.class);
    private final TreeAccess server = mock(TreeAccess.class);
    private final Output output = new Output();

    @BeforeEach
    void views() {
        when(tree.as(Principal.localAdmin())).thenReturn(admin);
        when(tree.as(Principal.server("srv1"))).thenReturn(server);
    }

    private AddCommand add(String uri, String value) {
        AddCommand c = new AddCommand();
        c.tree = tree;
        c.uri = uri;
        c.value = value;
        c.out = output.stream;
        return c;
    }

    private SetCommand set(String uri, String value) {
        SetCommand c = new SetCommand();
        c.tree = tree;
        c.uri = uri;
        c.value = value;
        c.out = output.stream;
        return c;
    }

    private RmCommand rm(String uri) {
        RmCommand c = new RmCommand();
        c.tree = tree;
        c.uri = uri;
        c.out = output.stream;
        return c;
    }

    private String refusal(Action c) {
        CommandException e = catchThrowableOfType(CommandException.class, c::execute);
        assertThat(e).as("refused").isNotNull();
        assertThat(e.getNiceHelp()).doesNotContain("\n");
        return e.getNiceHelp();
    }

    @Test
    void add_without_a_value_adds_an_interior_node() throws Exception {
        add("Vendor/Conf", null).execute();

        verify(admin).add(NodeUri.of("./Vendor/Conf"), NodeValue.interior());
        assertThat(output.lines()).containsExactly("Added ./Vendor/Conf/", "");
    }

    @Test
    void add_with_a_type_and_no_value_gives_the_interior_node_its_mo_identifier() throws Exception {
        AddCommand c = add("./Acc", null);
        c.type = "urn:oma:mo:oma-dm-dmacc:1.0";
        c.execute();

        verify(admin).add(NodeUri.of("./Acc"), NodeValue.of(Format.NODE, "urn:oma:mo:oma-dm-dmacc:1.0", new byte[0]));
    }

    @Test
    void add_with_a_value_adds_a_chr_leaf_of_type_text_plain() throws Exception {
        add("./Vendor/Name", "Cardinal Works").execute();

        verify(admin).add(NodeUri.of("./Vendor/Name"), NodeValue.ofString("Cardinal Works"));
        assertThat(output.lines()[0]).isEqualTo("Added ./Vendor/Name (chr)");
    }

    @Test
    void add_takes_the_format_and_type_options() throws Exception {
        AddCommand port = add("./Vendor/Port", "8080");
        port.format = "int";
        port.execute();
        AddCommand key = add("./Vendor/Key", "0aFF");
        key.format = "BIN";
        key.execute();
        AddCommand doc = add("./Vendor/Doc", "<a/>");
        doc.format = "xml";
        doc.type = "application/xml";
        doc.execute();

        verify(admin).add(NodeUri.of("./Vendor/Port"), NodeValue.ofInt(8080));
        verify(admin).add(NodeUri.of("./Vendor/Key"), NodeValue.ofBinary(new byte[] {0x0a, (byte) 0xff}, "application/octet-stream"));
        verify(admin).add(NodeUri.of("./Vendor/Doc"), NodeValue.ofText(Format.XML, "application/xml", "<a/>"));
    }

    @Test
    void a_value_that_does_not_fit_its_format_is_400_before_the_tree_is_asked() throws Exception {
        AddCommand port = add("./Vendor/Port", "eighty");
        port.format = "int";
        AddCommand flag = add("./Vendor/On", "yes");
        flag.format = "bool";
        AddCommand key = add("./Vendor/Key", "xyz");
        key.format = "bin";
        AddCommand node = add("./Vendor/N", "v");
        node.format = "node";

        assertThat(refusal(port)).startsWith("400 Bad request: ").contains("integer");
        assertThat(refusal(flag)).startsWith("400 Bad request: ");
        assertThat(refusal(key)).startsWith("400 Bad request: ").contains("hexadecimal");
        assertThat(refusal(node)).startsWith("400 Bad request: ");
        verify(admin, never()).add(any(), any());
    }

    @Test
    void an_unknown_format_is_415() {
        AddCommand c = add("./A", "v");
        c.format = "jpeg";

        assertThat(refusal(c)).startsWith("415 Unsupported media type or format: ");
    }

    @Test
    void as_acts_for_the_server_and_its_refusal_is_one_line_with_the_status() throws Exception {
        doThrow(new DmException(StatusCode.PERMISSION_DENIED, "server:srv1 has no Add right on ."))
                .when(server).add(any(), any());
        AddCommand c = add("./A", "v");
        c.as = "srv1";

        assertThat(refusal(c)).isEqualTo("425 Permission denied: server:srv1 has no Add right on .");
        verifyNoInteractions(admin);
        assertThat(output.text()).isEmpty();
    }

    @Test
    void an_id_that_cannot_be_in_an_acl_is_refused_for_as() {
        for (String bad : new String[] {"", " ", "a+b", "*", "a=b", "a b"}) {
            AddCommand c = add("./A", "v");
            c.as = bad;
            assertThat(refusal(c)).as("--as '%s'", bad).startsWith("400 Bad request: ");
        }
    }

    @Test
    void add_of_an_existing_node_prints_418() throws Exception {
        doThrow(new DmException(StatusCode.ALREADY_EXISTS, "A node ./A exists")).when(admin).add(any(), any());

        assertThat(refusal(add("./A", "v"))).isEqualTo("418 Already exists: A node ./A exists");
    }

    @Test
    void without_a_tree_service_every_command_says_503() {
        AddCommand a = add("./A", "v");
        a.tree = null;
        SetCommand s = set("./A", "v");
        s.tree = null;
        RmCommand r = rm("./A");
        r.tree = null;

        assertThat(refusal(a)).startsWith("503 Service unavailable: ");
        assertThat(refusal(s)).startsWith("503 Service unavailable: ");
        assertThat(refusal(r)).startsWith("503 Service unavailable: ");
    }

    @Test
    void set_keeps_the_format_and_type_of_the_leaf() throws Exception {
        NodeUri port = NodeUri.of("./Vendor/Port");
        when(admin.describe(port)).thenReturn(NodeInfo.leaf(port, Format.INT).type("text/plain").build());

        set("./Vendor/Port", "9090").execute();

        verify(admin).replace(port, NodeValue.ofInt(9090));
        assertThat(output.lines()[0]).isEqualTo("Replaced ./Vendor/Port");
    }

    @Test
    void set_checks_the_value_against_the_leaf_format() throws Exception {
        NodeUri port = NodeUri.of("./Vendor/Port");
        when(admin.describe(port)).thenReturn(NodeInfo.leaf(port, Format.INT).type("text/plain").build());

        assertThat(refusal(set("./Vendor/Port", "ninety"))).startsWith("400 Bad request: ");
        verify(admin, never()).replace(any(), any());
    }

    @Test
    void set_with_format_and_type_does_not_need_to_read_the_leaf() throws Exception {
        SetCommand c = set("./Vendor/Port", "abc");
        c.format = "chr";
        c.type = "text/plain";
        c.as = "srv1";
        c.execute();

        verify(server).replace(NodeUri.of("./Vendor/Port"), NodeValue.ofString("abc"));
        verify(server, never()).describe(any());
    }

    @Test
    void set_on_a_missing_or_interior_node_prints_the_tree_status() throws Exception {
        NodeUri dir = NodeUri.of("./Vendor");
        when(admin.describe(NodeUri.of("./Nope"))).thenThrow(new DmException(StatusCode.NOT_FOUND, "No node ./Nope"));
        when(admin.describe(dir)).thenReturn(NodeInfo.interior(dir).build());
        doThrow(new DmException(StatusCode.COMMAND_NOT_ALLOWED, "Cannot replace the interior node ./Vendor"))
                .when(admin).replace(eq(dir), any());

        assertThat(refusal(set("./Nope", "x"))).isEqualTo("404 Not found: No node ./Nope");
        assertThat(refusal(set("./Vendor", "x"))).startsWith("405 Command not allowed: ");
    }

    @Test
    void rm_deletes_the_node_as_the_chosen_principal() throws Exception {
        RmCommand c = rm("./Vendor");
        c.as = "srv1";
        c.execute();

        verify(server).delete(NodeUri.of("./Vendor"));
        assertThat(output.lines()[0]).isEqualTo("Deleted ./Vendor");
    }

    @Test
    void rm_of_a_permanent_node_prints_405_and_a_malformed_uri_400() throws Exception {
        doThrow(new DmException(StatusCode.COMMAND_NOT_ALLOWED, "./DevInfo is the mount point of an MO"))
                .when(admin).delete(NodeUri.of("./DevInfo"));

        assertThat(refusal(rm("./DevInfo"))).startsWith("405 Command not allowed: ./DevInfo");
        assertThat(refusal(rm("./A//B"))).startsWith("400 Bad request: ");
    }

    @Test
    void an_unchecked_exception_below_becomes_a_500_line() throws Exception {
        doThrow(new IllegalStateException("bug")).when(admin).delete(any());

        assertThat(refusal(rm("./A"))).startsWith("500 Command failed: ");
    }
}
