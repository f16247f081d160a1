package org.cardinaldm.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.DmTree;
import org.cardinaldm.api.ListForm;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TndsDocuments;
import org.cardinaldm.api.TreeAccess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dm:export and dm:import: files, media types, the TNDS service, and refusals. */
class TndsCommandsTest {
    private static final byte[] XML = "<MgmtTree xmlns=\"syncml:dmddf1.2\"/>".getBytes(StandardCharsets.UTF_8);
    private static final byte[] WBXML = {0x02, 0x00, 0x00, 0x6a};

    @TempDir
    Path dir;

    private final DmTree tree = mock(DmTree.class);
    private final TreeAccess admin = mock(TreeAccess.class);
    private final TreeAccess server = mock(TreeAccess.class);
    private final TndsDocuments docs = mock(TndsDocuments.class);
    private final Output output = new Output();

    @BeforeEach
    void views() {
        when(tree.as(Principal.localAdmin())).thenReturn(admin);
        when(tree.as(Principal.server("srv1"))).thenReturn(server);
    }

    private ExportCommand export(String uri, Path file) {
        ExportCommand c = new ExportCommand();
        c.tree = tree;
        c.documents = docs;
        c.uri = uri;
        c.file = file.toString();
        c.out = output.stream;
        return c;
    }

    private ImportCommand importing(Path file) {
        ImportCommand c = new ImportCommand();
        c.tree = tree;
        c.documents = docs;
        c.file = file.toString();
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
    void export_writes_the_tnds_xml_of_the_subtree() throws Exception {
        when(docs.export(admin, NodeUri.of("./DMAcc"), ListForm.tnds(), TndsDocuments.XML)).thenReturn(XML);
        Path file = dir.resolve("acc.xml");

        export("./DMAcc", file).execute();

        assertThat(Files.readAllBytes(file)).isEqualTo(XML);
        assertThat(output.lines()[0]).isEqualTo("Exported ./DMAcc to " + file + " (" + XML.length + " bytes, "
                + TndsDocuments.XML + ")");
        assertThat(dir.toFile().list()).containsExactly("acc.xml");
    }

    @Test
    void export_takes_a_list_form_wbxml_and_a_server() throws Exception {
        when(docs.export(eq(server), eq(NodeUri.of("./DMAcc")), eq(ListForm.parse("TNDS+ACL+Value")), eq(TndsDocuments.WBXML)))
                .thenReturn(WBXML);
        ExportCommand c = export("./DMAcc", dir.resolve("acc.wbxml"));
        c.list = "TNDS+ACL+Value";
        c.wbxml = true;
        c.as = "srv1";

        c.execute();

        assertThat(Files.readAllBytes(dir.resolve("acc.wbxml"))).isEqualTo(WBXML);
    }

    @Test
    void export_never_overwrites_a_file_without_force() throws Exception {
        Path file = dir.resolve("acc.xml");
        Files.writeString(file, "keep me");
        when(docs.export(any(), any(), any(), any())).thenReturn(XML);

        assertThat(refusal(export("./DMAcc", file))).startsWith("418 Already exists: ").contains("--force");
        assertThat(Files.readString(file)).isEqualTo("keep me");

        ExportCommand forced = export("./DMAcc", file);
        forced.force = true;
        forced.execute();
        assertThat(Files.readAllBytes(file)).isEqualTo(XML);
    }

    @Test
    void a_refused_export_writes_no_file() throws Exception {
        when(docs.export(any(), any(), any(), any())).thenThrow(new DmException(StatusCode.PERMISSION_DENIED,
                "server:srv1 has no Get right on ./DMAcc"));
        Path file = dir.resolve("acc.xml");
        ExportCommand c = export("./DMAcc", file);
        c.as = "srv1";

        assertThat(refusal(c)).isEqualTo("425 Permission denied: server:srv1 has no Get right on ./DMAcc");
        assertThat(file).doesNotExist();
        assertThat(dir.toFile().list()).isEmpty();
    }

    @Test
    void an_unsupported_list_form_is_406() throws Exception {
        ExportCommand c = export("./DMAcc", dir.resolve("x.xml"));
        c.list = "TNDS+Colour";

        assertThat(refusal(c)).startsWith("406 Optional feature not supported: ");
        verify(docs, never()).export(any(), any(), any(), any());
    }

    @Test
    void without_the_tnds_service_export_and_import_say_503_and_what_to_install() throws Exception {
        Path file = dir.resolve("in.xml");
        Files.write(file, XML);
        ExportCommand e = export("./DMAcc", dir.resolve("out.xml"));
        e.documents = null;
        ImportCommand i = importing(file);
        i.documents = null;

        assertThat(refusal(e)).startsWith("503 Service unavailable: ").contains("cardinal-tnds");
        assertThat(refusal(i)).startsWith("503 Service unavailable: ");
    }

    @Test
    void import_adds_an_xml_file_at_the_root() throws Exception {
        Path file = dir.resolve("in.xml");
        Files.write(file, XML);

        importing(file).execute();

        verify(docs).add(admin, NodeUri.root(), XML, TndsDocuments.XML);
        assertThat(output.lines()[0]).isEqualTo("Added " + file + " at .");
    }

    @Test
    void import_replaces_a_wbxml_file_at_a_target_as_a_server() throws Exception {
        Path file = dir.resolve("in.wbxml");
        Files.write(file, WBXML);
        ImportCommand c = importing(file);
        c.replace = true;
        c.target = "./Backup";
        c.as = "srv1";

        c.execute();

        verify(docs).replace(server, NodeUri.of("./Backup"), WBXML, TndsDocuments.WBXML);
        assertThat(output.lines()[0]).isEqualTo("Replaced " + file + " at ./Backup");
    }

    @Test
    void import_of_a_missing_file_is_404_and_the_tree_status_is_passed_on() throws Exception {
        Path file = dir.resolve("in.xml");
        Files.write(file, XML);
        doThrow(new DmException(StatusCode.ALREADY_EXISTS, "A node ./DMAcc/Acc1 exists"))
                .when(docs).add(any(), any(), any(), any());

        assertThat(refusal(importing(dir.resolve("nope.xml")))).startsWith("404 Not found: ");
        assertThat(refusal(importing(file))).isEqualTo("418 Already exists: A node ./DMAcc/Acc1 exists");
    }

    @Test
    void media_type_is_detected_from_the_first_byte() {
        assertThat(Documents.mediaTypeOf(WBXML)).isEqualTo(TndsDocuments.WBXML);
        assertThat(Documents.mediaTypeOf(XML)).isEqualTo(TndsDocuments.XML);
        assertThat(Documents.mediaTypeOf(new byte[0])).isEqualTo(TndsDocuments.XML);
    }
}
