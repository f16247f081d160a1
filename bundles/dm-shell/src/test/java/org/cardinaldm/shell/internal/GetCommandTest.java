package org.cardinaldm.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Instant;

import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.api.Acl;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.Property;
import org.cardinaldm.api.StatusCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GetCommandTest {
    private FakeTree fake;
    private final Output output = new Output();

    @BeforeEach
    void tree() throws DmException {
        fake = new FakeTree().interior("./DevInfo").leaf("./DevInfo/Man", "Cardinal Works").leaf("./DevInfo/Mod", "CX-1");
    }

    private GetCommand command(String uri, boolean props) {
        GetCommand c = new GetCommand();
        c.tree = fake.tree;
        c.uri = uri;
        c.props = props;
        c.out = output.stream;
        return c;
    }

    private CommandException refusal(GetCommand c) {
        return catchThrowableOfType(CommandException.class, c::execute);
    }

    @Test
    void leaf_value_is_alone_on_the_first_line() throws Exception {
        command("./DevInfo/Man", false).execute();

        assertThat(output.lines()).containsExactly("Cardinal Works", "");
    }

    @Test
    void reads_as_the_local_administrator() throws Exception {
        command("DevInfo/Man", false).execute();

        verify(fake.tree).as(Principal.localAdmin());
        verify(fake.access).get(NodeUri.of("./DevInfo/Man"));
    }

    @Test
    void with_as_reads_on_behalf_of_that_server() throws Exception {
        when(fake.tree.as(Principal.server("srvB"))).thenReturn(fake.access);
        GetCommand c = command("./DevInfo/Man", false);
        c.as = "srvB";

        c.execute();

        verify(fake.tree).as(Principal.server("srvB"));
        assertThat(output.lines()[0]).isEqualTo("Cardinal Works");
    }

    @Test
    void with_as_an_id_that_no_acl_can_hold_is_refused_with_400() {
        GetCommand c = command("./DevInfo/Man", false);
        c.as = "a+b";

        assertThat(refusal(c).getMessage()).startsWith("400 Bad request");
    }

    @Test
    void interior_node_prints_its_child_names_as_dm_get_returns_them() throws Exception {
        command("./DevInfo", false).execute();

        assertThat(output.lines()[0]).isEqualTo("Man/Mod");
    }

    @Test
    void binary_value_prints_as_hex() throws Exception {
        NodeUri u = NodeUri.of("./DevInfo/Key");
        fake.leaf("./DevInfo/Key", NodeInfo.leaf(u, Format.BIN).build(),
                NodeValue.ofBinary(new byte[] {0x0a, (byte) 0xff}, "application/octet-stream"));

        command("./DevInfo/Key", false).execute();

        assertThat(output.lines()[0]).isEqualTo("0AFF");
    }

    @Test
    void with_p_the_value_comes_first_and_then_every_property_in_a_table() throws Exception {
        NodeUri u = NodeUri.of("./DevInfo/DevId");
        fake.leaf("./DevInfo/DevId", NodeInfo.leaf(u, Format.CHR).type("text/plain").acl(Acl.of("Get=*&Replace=srv1"))
                .title("Device id").timestamp(Instant.parse("2001-07-11T16:38:17Z")).version(7).size(9).build(),
                NodeValue.ofString("IMEI:1234"));

        command("./DevInfo/DevId", true).execute();

        String[] lines = output.lines();
        assertThat(lines[0]).isEqualTo("IMEI:1234");
        String table = output.text();
        assertThat(table).contains("Property").contains("Value")
                .containsPattern("ACL\\s+\\| Get=\\*&Replace=srv1")
                .containsPattern("Format\\s+\\| chr")
                .containsPattern("Name\\s+\\| DevId")
                .containsPattern("Size\\s+\\| 9")
                .containsPattern("Title\\s+\\| Device id")
                .containsPattern("TStamp\\s+\\| 20010711T163817Z")
                .containsPattern("Type\\s+\\| text/plain")
                .containsPattern("VerNo\\s+\\| 7");
    }

    @Test
    void with_p_an_interior_node_omits_the_size_it_does_not_have() throws Exception {
        command("./DevInfo", true).execute();

        assertThat(output.text()).containsPattern("Format\\s+\\| node").doesNotContain("Size");
    }

    @Test
    void with_p_a_refused_property_shows_its_status_in_the_table() throws Exception {
        fake.propertyRefused("./DevInfo/Man", Property.ACL, StatusCode.PERMISSION_DENIED);

        command("./DevInfo/Man", true).execute();

        assertThat(output.text()).containsPattern("ACL\\s+\\| \\(425 Permission denied\\)");
    }

    @Test
    void missing_node_is_refused_with_one_line_starting_with_404() {
        CommandException e = refusal(command("./DevInfo/Nope", false));

        assertThat(e.getNiceHelp()).startsWith("404 Not found: ").contains("./DevInfo/Nope").doesNotContain("\n");
        assertThat(output.text()).isEmpty();
    }

    @Test
    void acl_refusal_is_one_line_starting_with_425() {
        fake.refusing("./DevInfo/Man", StatusCode.PERMISSION_DENIED);

        assertThat(refusal(command("./DevInfo/Man", false)).getNiceHelp()).startsWith("425 Permission denied");
    }

    @Test
    void malformed_uri_is_refused_with_400_before_the_tree_is_asked() throws DmException {
        CommandException e = refusal(command("./DevInfo//Man", false));

        assertThat(e.getNiceHelp()).startsWith("400 Bad request: ");
        verify(fake.access, org.mockito.Mockito.never()).get(any());
    }

    @Test
    void without_a_tree_service_the_command_says_503_and_how_to_fix_it() {
        GetCommand c = command("./DevInfo/Man", false);
        c.tree = null;

        assertThat(refusal(c).getNiceHelp()).startsWith("503 Service unavailable: ").contains("cardinal-core");
    }

    @Test
    void unchecked_exception_from_the_tree_becomes_a_500_line() throws DmException {
        fake.failWith(new IllegalStateException("boom"));

        CommandException e = refusal(command("./DevInfo/Man", false));

        assertThat(e.getNiceHelp()).startsWith("500 Command failed: ").doesNotContain("\n");
    }

    @Test
    void node_removed_while_reading_properties_is_a_404_refusal() throws DmException {
        fake.propertyRefused("./DevInfo/Man", Property.ACL, StatusCode.NOT_FOUND);

        assertThat(refusal(command("./DevInfo/Man", true)).getNiceHelp()).startsWith("404 Not found");
        assertThat(output.text()).as("nothing but the refusal line is printed").isEmpty();
    }
}
