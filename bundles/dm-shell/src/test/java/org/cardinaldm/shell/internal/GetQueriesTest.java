package org.cardinaldm.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.charset.StandardCharsets;

import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.ListForm;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Property;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.SubtreeNode;
import org.cardinaldm.api.TndsDocuments;
import org.cardinaldm.api.TreeSerialization;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** dm:get with ?prop= and ?list= queries. */
class GetQueriesTest {
    private FakeTree fake;
    private final TreeSerialization serialization = mock(TreeSerialization.class);
    private final TndsDocuments documents = mock(TndsDocuments.class);
    private final Output output = new Output();

    @BeforeEach
    void tree() throws DmException {
        fake = new FakeTree().interior("./DevInfo").leaf("./DevInfo/Man", "Cardinal Works");
        SubtreeNode devInfo = SubtreeNode.interior("DevInfo").path(".").property(Property.FORMAT, "node")
                .child(SubtreeNode.leaf("Man").property(Property.FORMAT, "chr").property(Property.TYPE, "text/plain")
                        .value(NodeValue.ofString("Cardinal Works")).build())
                .build();
        when(serialization.list(any(), any(), any())).thenReturn(devInfo);
    }

    private GetCommand get(String uri) {
        GetCommand c = new GetCommand();
        c.tree = fake.tree;
        c.serialization = serialization;
        c.documents = documents;
        c.uri = uri;
        c.out = output.stream;
        return c;
    }

    private String refusal(GetCommand c) {
        CommandException e = catchThrowableOfType(CommandException.class, c::execute);
        assertThat(e).isNotNull();
        return e.getNiceHelp();
    }

    @Test
    void prop_query_prints_the_property_alone() throws Exception {
        get("./DevInfo/Man?prop=Format").execute();

        assertThat(output.lines()).containsExactly("chr", "");
    }

    @Test
    void an_unknown_property_is_406_and_an_unknown_query_400() {
        assertThat(refusal(get("./DevInfo/Man?prop=Colour"))).startsWith("406 Optional feature not supported");
        assertThat(refusal(get("./DevInfo/Man?sort=x"))).startsWith("400 Bad request");
    }

    @Test
    void struct_prints_a_table_of_uris_formats_and_types() throws Exception {
        get("./DevInfo?list=Struct").execute();

        verify(serialization).list(fake.access, NodeUri.of("./DevInfo"), ListForm.struct());
        assertThat(output.text()).containsPattern("URI\\s+\\| Format\\s+\\| Type")
                .containsPattern("\\./DevInfo\\s+\\| node")
                .containsPattern("\\./DevInfo/Man\\s+\\| chr\\s+\\| text/plain")
                .doesNotContain("Cardinal Works");
    }

    @Test
    void struct_data_adds_the_values() throws Exception {
        get("./DevInfo?list=StructData").execute();

        assertThat(output.text()).containsPattern("\\./DevInfo/Man\\s+\\| chr\\s+\\| text/plain\\s+\\| Cardinal Works");
    }

    @Test
    void tnds_prints_the_xml_document_when_the_tnds_service_runs() throws Exception {
        when(documents.export(fake.access, NodeUri.of("./DevInfo"), ListForm.parse("TNDS+ACL"), TndsDocuments.XML))
                .thenReturn("<MgmtTree/>".getBytes(StandardCharsets.UTF_8));

        get("./DevInfo?list=TNDS+ACL").execute();

        assertThat(output.lines()[0]).isEqualTo("<MgmtTree/>");
    }

    @Test
    void tnds_without_the_tnds_service_prints_the_table_with_the_properties_asked_for() throws Exception {
        GetCommand c = get("./DevInfo?list=TNDS+Type+Value");
        c.documents = null;
        c.execute();

        assertThat(output.text()).containsPattern("URI\\s+\\| Type\\s+\\| Value").contains("Cardinal Works");
    }

    @Test
    void unsupported_list_forms_are_406() {
        assertThat(refusal(get("./DevInfo?list=DDF"))).startsWith("406 Optional feature not supported");
    }

    @Test
    void a_refused_list_is_one_line_and_prints_nothing_else() throws Exception {
        when(serialization.list(any(), any(), any())).thenThrow(new DmException(StatusCode.PERMISSION_DENIED,
                "local-admin has no Get right on ./DevInfo"));

        assertThat(refusal(get("./DevInfo?list=Struct"))).isEqualTo("425 Permission denied: local-admin has no Get right on ./DevInfo");
        assertThat(output.text()).isEmpty();
    }

    @Test
    void p_does_not_combine_with_a_query() throws Exception {
        GetCommand c = get("./DevInfo?list=Struct");
        c.props = true;

        assertThat(refusal(c)).startsWith("400 Bad request: ");
        verify(serialization, never()).list(any(), any(), any());
    }

    @Test
    void a_tree_without_the_list_service_is_503() {
        GetCommand c = get("./DevInfo?list=Struct");
        c.serialization = null;

        assertThat(refusal(c)).startsWith("503 Service unavailable");
    }
}
