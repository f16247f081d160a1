package org.cardinaldm.syncml.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;

import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.XmlOptions;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.syncml.api.notification.Notification;
import org.cardinaldm.syncml.api.notification.UiMode;
import org.cardinaldm.syncml.test.HostileDocuments;
import org.cardinaldm.syncml.test.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(byte[] stdin, String... args) {
        out.reset();
        err.reset();
        return new Main(new ByteArrayInputStream(stdin), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private void assertOneLineError() {
        String e = stderr();
        assertThat(e).startsWith("syncml: ").endsWith("\n");
        assertThat(e.strip()).doesNotContain("\n").doesNotContain("\tat ").doesNotContain("Exception:");
    }

    @Test
    void decode_prints_indented_xml_for_wbxml_and_xml_input() throws Exception {
        assertThat(run(Vectors.read("scts-dm12/testadd.wbxml"), "decode", "-")).isZero();
        assertThat(stdout()).contains("\n  <SyncHdr>\n").contains("<LocURI>./TestLeafNode</LocURI>");
        SyncMessage m = SyncML.xml().decode(out.toByteArray());
        assertThat(m).isEqualTo(SyncML.wbxml().decode(Vectors.read("scts-dm12/testadd.wbxml")));
        assertThat(run(Vectors.read("scts-dm12/testalertconfirm.xml"), "decode", "-")).isZero();
        assertThat(stderr()).isEqualTo("syncml: warning: read 1 unescaped '&' as '&amp;' (lenient XML)\n");
        assertThat(stdout()).contains("<Data><![CDATA[MAXDT=15&DR=1]]></Data>");
    }

    @Test
    void encode_writes_wbxml_with_the_requested_public_id_form(@TempDir Path dir) throws Exception {
        byte[] xml = Vectors.read("scts-dm12/testnewdatatype.xml");
        assertThat(run(xml, "encode", "-")).isZero();
        byte[] numeric = out.toByteArray();
        assertThat(HexFormat.of().formatHex(numeric, 0, 5)).isEqualTo("02a4016a00");
        assertThat(SyncML.wbxml().decode(numeric)).isEqualTo(SyncML.xml().decode(xml));
        Path file = dir.resolve("out.wbxml");
        Path in = dir.resolve("in.xml");
        Files.write(in, xml);
        assertThat(run(new byte[0], "encode", "--literal-id", "-//SYNCML//DTD SyncML 1.1//EN", "--string-table",
                "--wbxml-version", "3", "-o", file.toString(), in.toString())).isZero();
        byte[] literal = Files.readAllBytes(file);
        assertThat(HexFormat.of().formatHex(literal, 0, 4)).isEqualTo("0300006a");
        assertThat(new String(literal, StandardCharsets.ISO_8859_1)).contains("-//SYNCML//DTD SyncML 1.1//EN\0");
        assertThat(SyncML.wbxml().decode(literal)).isEqualTo(SyncML.xml().decode(xml));
    }

    @ParameterizedTest
    @ValueSource(strings = {"decode", "encode"})
    void malformed_input_prints_one_line_and_exits_2(String command) {
        assertThat(run("<SyncML><SyncHdr>".getBytes(StandardCharsets.UTF_8), command, "-")).isEqualTo(2);
        assertOneLineError();
        assertThat(stderr()).contains("MALFORMED (400)");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void truncated_wbxml_and_strict_ampersands_exit_2() {
        byte[] wbxml = Vectors.read("scts-dm12/testget.wbxml");
        assertThat(run(java.util.Arrays.copyOf(wbxml, 120), "decode", "-")).isEqualTo(2);
        assertOneLineError();
        assertThat(run(Vectors.read("scts-dm12/testalertconfirm.xml"), "decode", "--strict", "-")).isEqualTo(2);
        assertOneLineError();
        assertThat(run(wbxml, "decode", "--max-bytes", "100", "-")).isEqualTo(2);
        assertThat(stderr()).contains("MESSAGE_TOO_LARGE (413)");
    }

    @Test
    void wbxml_with_a_literal_tag_naming_an_empty_string_exits_2() {
        // issue 11: a LITERAL tag whose name is an empty string-table entry used to exit 3 (internal error)
        byte[] wbxml = {0x02, (byte) 0xA4, 0x01, 0x6A, 0x01, 0x00, 0x6D, 0x6B, 0x04, 0x00, 0x01, 0x01};
        assertThat(run(wbxml, "decode", "-")).isEqualTo(2);
        assertOneLineError();
        assertThat(stderr()).contains("MALFORMED (400)").contains("string table");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void decode_refuses_a_literal_name_that_would_inject_markup_into_its_xml() throws Exception {
        // was exit 0 with an Exec in the XML output that the WBXML message did not hold
        assertThat(run(HostileDocuments.literalNameInjection(), "decode", "-")).isEqualTo(2);
        assertOneLineError();
        assertThat(stderr()).contains("MALFORMED (400)").contains("not an XML name");
        assertThat(stdout()).doesNotContain(HostileDocuments.INJECTED).isEmpty();
    }

    @Test
    void usage_errors_and_missing_files_exit_2_with_one_line() {
        for (String[] args : new String[][] {{}, {"frobnicate"}, {"decode"}, {"decode", "a", "b"},
            {"decode", "--bogus", "-"}, {"pkg0"}, {"pkg0", "verify", "-"}, {"tnds", "explode", "-"},
            {"decode", "/nonexistent/file.wbxml"}, {"encode", "--wbxml-version", "7", "-"},
            {"pkg0", "encode", "--server-id", "s", "--password", "p", "--session", "zz"}}) {
            assertThat(run(new byte[0], args)).as(String.join(" ", args)).isEqualTo(2);
            if (args.length > 0) {
                assertOneLineError();
            }
        }
        assertThat(run(new byte[0], "--help")).isZero();
        assertThat(stdout()).contains("usage: syncml");
    }

    @Test
    void pkg0_encode_decode_and_verify_work_together() {
        String nonce = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3});
        assertThat(run(new byte[0], "pkg0", "encode", "--server-id", "com.mgmtsrv.manage", "--password", "secret",
                "--session", "1234", "--nonce", nonce, "--ui-mode", "user-interaction", "--vendor", "cafe")).isZero();
        byte[] pkg0 = out.toByteArray();
        assertThat(run(pkg0, "pkg0", "decode", "-")).isZero();
        assertThat(stdout()).contains("version:     11 (1.1)").contains("ui-mode:     user-interaction")
                .contains("initiator:   server").contains("session-id:  1234").contains("server-id:   com.mgmtsrv.manage")
                .contains("vendor-data: cafe");
        assertThat(run(pkg0, "pkg0", "verify", "--password", "secret", "--nonce", nonce, "-")).isZero();
        assertThat(stdout()).isEqualTo("valid\n");
        assertThat(run(pkg0, "pkg0", "verify", "--password", "wrong", "--nonce", nonce, "-")).isEqualTo(1);
        assertThat(stdout()).isEqualTo("INVALID digest\n");
        assertThat(run(java.util.Arrays.copyOf(pkg0, 20), "pkg0", "decode", "-")).isEqualTo(2);
        assertOneLineError();
    }

    @Test
    void pkg0_verify_defaults_to_the_resync_nonce_and_the_notifications_server_id() {
        byte[] pkg0 = Notification.of("srv", 0x42, UiMode.BACKGROUND).encode("pw", new byte[4]);
        assertThat(run(pkg0, "pkg0", "verify", "--password", "pw", "-")).isZero();
        assertThat(run(pkg0, "pkg0", "verify", "--password", "pw", "--server-id", "other", "-")).isEqualTo(1);
    }

    @Test
    void tnds_decode_and_encode_round_trip() throws Exception {
        byte[] ddf = Vectors.read("libwbxml/ddf-001.ddf");
        assertThat(run(ddf, "tnds", "encode", "-")).isZero();
        byte[] wbxml = out.toByteArray();
        assertThat(wbxml[0]).isEqualTo((byte) 2);
        assertThat(run(wbxml, "tnds", "decode", "-")).isZero();
        assertThat(SyncML.tndsXml(XmlOptions.DEFAULT).decode(out.toByteArray()))
                .isEqualTo(SyncML.tndsXml(XmlOptions.DEFAULT).decode(ddf));
        assertThat(run("<MgmtTree xmlns='syncml:dmddf1.2'/>".getBytes(StandardCharsets.UTF_8), "tnds", "decode", "-"))
                .isEqualTo(2);
        assertThat(stderr()).contains("INCOMPLETE (412)");
    }
}
