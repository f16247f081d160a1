package org.cardinaldm.syncml.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.cardinaldm.syncml.api.CodecError;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.CodecLimits;
import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.WbxmlOptions;
import org.cardinaldm.syncml.api.XmlOptions;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.syncml.test.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LimitsAndSecurityTest {
    private static final String HEAD = "<SyncML xmlns='SYNCML:SYNCML1.2'><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>"
            + "<SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>a</LocURI></Target><Source><LocURI>b</LocURI>"
            + "</Source></SyncHdr><SyncBody>";
    private static final String TAIL = "</SyncBody></SyncML>";

    private static SyncMessage message(Item... items) {
        SyncHeader h = SyncHeader.builder().sessionId("1").msgId("1").target("a").source("b").build();
        return new SyncMessage(h, List.of(Add.of("1", items)), true);
    }

    private static CodecError xmlError(String xml, CodecLimits limits) {
        return error(SyncML.xml(XmlOptions.DEFAULT.withLimits(limits)), xml.getBytes(StandardCharsets.UTF_8));
    }

    private static CodecError error(MessageCodec codec, byte[] bytes) {
        try {
            codec.decode(bytes);
            return null;
        } catch (CodecException e) {
            return e.error();
        }
    }

    @Test
    void every_error_maps_to_a_syncml_status() {
        assertThat(CodecError.MALFORMED.status()).isEqualTo(400);
        assertThat(CodecError.INCOMPLETE.status()).isEqualTo(412);
        assertThat(CodecError.UNSUPPORTED_FORMAT.status()).isEqualTo(415);
        assertThat(CodecError.UNSUPPORTED_VERSION.status()).isEqualTo(505);
        assertThat(CodecError.UNENCODABLE.status()).isEqualTo(500);
        for (CodecError e : List.of(CodecError.MESSAGE_TOO_LARGE, CodecError.TOO_DEEP, CodecError.TOO_MANY_ELEMENTS,
                CodecError.STRING_TOO_LONG, CodecError.OPAQUE_TOO_LONG)) {
            assertThat(e.status()).isEqualTo(413);
            assertThat(e.isLimit()).isTrue();
        }
        assertThat(new CodecException(CodecError.TOO_DEEP, "x").toDisplayString()).isEqualTo("TOO_DEEP (413): x");
    }

    @Test
    void message_size_is_enforced_in_both_encodings_and_on_streams() throws Exception {
        CodecLimits small = CodecLimits.DEFAULT.withMaxMessageBytes(100);
        byte[] xml = Vectors.read("scts-dm12/testgetscript.xml");
        byte[] wbxml = Vectors.read("scts-dm12/testget.wbxml");
        assertThat(error(SyncML.xml(XmlOptions.DEFAULT.withLimits(small)), xml)).isEqualTo(CodecError.MESSAGE_TOO_LARGE);
        assertThat(error(SyncML.wbxml(WbxmlOptions.DEFAULT.withLimits(small)), wbxml))
                .isEqualTo(CodecError.MESSAGE_TOO_LARGE);
        EndlessStream endless = new EndlessStream();
        assertThatThrownBy(() -> SyncML.wbxml(WbxmlOptions.DEFAULT.withLimits(small)).decode(endless))
                .isInstanceOfSatisfying(CodecException.class,
                        e -> assertThat(e.error()).isEqualTo(CodecError.MESSAGE_TOO_LARGE));
        assertThat(endless.read).isLessThanOrEqualTo(101 + 8192);
    }

    @Test
    void nesting_deeper_than_the_limit_fails_without_stack_overflow() {
        String deep = HEAD + "<Atomic>".repeat(100_000) + "</Atomic>".repeat(100_000) + TAIL;
        assertThat(xmlError(deep, CodecLimits.DEFAULT)).isEqualTo(CodecError.TOO_DEEP);
        ByteArrayOutputStream w = new ByteArrayOutputStream();
        w.writeBytes(new byte[] {2, (byte) 0xA4, 1, 0x6A, 0, 0x6D, 0x6B});
        for (int i = 0; i < 100_000; i++) {
            w.write(0x48); // Atomic with content
        }
        assertThat(error(SyncML.wbxml(), w.toByteArray())).isEqualTo(CodecError.TOO_DEEP);
        String ok = HEAD + "<Atomic><CmdID>1</CmdID>".repeat(20) + "<Get><CmdID>x</CmdID><Item><Target><LocURI>./a</LocURI>"
                + "</Target></Item></Get>" + "</Atomic>".repeat(20) + TAIL;
        assertThat(xmlError(ok.replace("<CmdID>1</CmdID>", "<CmdID>c</CmdID>"), CodecLimits.DEFAULT.withMaxDepth(30)))
                .isIn(null, CodecError.INCOMPLETE);
    }

    @Test
    void element_count_string_and_opaque_limits_are_enforced() throws CodecException {
        StringBuilder many = new StringBuilder(HEAD);
        for (int i = 0; i < 2000; i++) {
            many.append("<Alert><CmdID>").append(i).append("</CmdID><Data>1222</Data></Alert>");
        }
        many.append(TAIL);
        assertThat(xmlError(many.toString(), CodecLimits.DEFAULT.withMaxElements(1000)))
                .isEqualTo(CodecError.TOO_MANY_ELEMENTS);
        assertThat(xmlError(many.toString(), CodecLimits.DEFAULT)).isNull();

        SyncMessage big = message(Item.data(Data.text("x".repeat(5000))));
        CodecLimits shortStrings = CodecLimits.DEFAULT.withMaxStringLength(4000);
        assertThat(error(SyncML.xml(XmlOptions.DEFAULT.withLimits(shortStrings)), SyncML.xml().encode(big)))
                .isEqualTo(CodecError.STRING_TOO_LONG);
        assertThat(error(SyncML.wbxml(WbxmlOptions.DEFAULT.withLimits(shortStrings)), SyncML.wbxml().encode(big)))
                .isEqualTo(CodecError.STRING_TOO_LONG);

        SyncMessage blob = message(Item.data(Data.bytes(new byte[5000])));
        CodecLimits shortOpaque = CodecLimits.DEFAULT.withMaxOpaqueBytes(4000);
        assertThat(error(SyncML.wbxml(WbxmlOptions.DEFAULT.withLimits(shortOpaque)), SyncML.wbxml().encode(blob)))
                .isEqualTo(CodecError.OPAQUE_TOO_LONG);
    }

    @Test
    void forged_wbxml_lengths_fail_before_any_allocation() {
        // header, SyncML, SyncHdr, Data, OPAQUE with a length of 2^32-1
        byte[] opaque = {2, (byte) 0xA4, 1, 0x6A, 0, 0x6D, 0x6C, 0x4F, (byte) 0xC3, (byte) 0x8F, (byte) 0xFF, (byte) 0xFF,
            (byte) 0xFF, 0x7F};
        assertThat(error(SyncML.wbxml(), opaque)).isEqualTo(CodecError.MALFORMED);
        byte[] table = {2, 0, 0, 0x6A, (byte) 0x8F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F};
        assertThat(error(SyncML.wbxml(), table)).isEqualTo(CodecError.MALFORMED);
        byte[] tooLongInt = {2, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01, 0x6A, 0};
        assertThat(error(SyncML.wbxml(), tooLongInt)).isEqualTo(CodecError.MALFORMED);
        byte[] badRef = {2, 0, 0x40, 0x6A, 0};
        assertThat(error(SyncML.wbxml(), badRef)).isEqualTo(CodecError.MALFORMED);
    }

    @Test
    void wbxml_headers_of_other_documents_are_unsupported() {
        assertThat(error(SyncML.wbxml(), new byte[] {0, 1, 0x6A, 0, 0x45, 1})).isEqualTo(CodecError.UNSUPPORTED_FORMAT);
        assertThat(error(SyncML.wbxml(), new byte[] {2, 4, 0x6A, 0, 0x45, 1})).isEqualTo(CodecError.UNSUPPORTED_FORMAT);
        assertThat(error(SyncML.wbxml(), new byte[] {2, (byte) 0xA4, 1, 0x04, 0, 0x6D, 1}))
                .as("ISO-8859-1 is read").isEqualTo(CodecError.INCOMPLETE);
        assertThat(error(SyncML.wbxml(), new byte[] {2, (byte) 0xA4, 1, (byte) 0x87, 0x77, 0, 0x6D, 1}))
                .isEqualTo(CodecError.UNSUPPORTED_FORMAT);
    }

    @Test
    void external_entities_and_dtds_are_never_loaded(@TempDir Path dir) throws IOException {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOPSECRET");
        Path dtd = dir.resolve("evil.dtd");
        Files.writeString(dtd, "this is not a DTD and would break parsing if read");
        String xxe = "<?xml version='1.0'?><!DOCTYPE SyncML [<!ENTITY x SYSTEM '" + secret.toUri() + "'>]>" + HEAD
                + "<Alert><CmdID>1</CmdID><Data>&x;</Data></Alert>" + TAIL;
        assertThatThrownBy(() -> SyncML.xml().decode(xxe.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(CodecException.class, e -> {
                    assertThat(e.error()).isEqualTo(CodecError.MALFORMED);
                    assertThat(e.getMessage()).doesNotContain("TOPSECRET");
                });
        String external = "<?xml version='1.0'?><!DOCTYPE SyncML SYSTEM '" + dtd.toUri() + "'>" + HEAD
                + "<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>" + TAIL;
        assertThat(xmlError(external, CodecLimits.DEFAULT)).isNull();
    }

    @Test
    void entity_expansion_bombs_are_refused_quickly() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE SyncML [<!ENTITY a0 'lol'>");
        for (int i = 1; i < 10; i++) {
            dtd.append("<!ENTITY a").append(i).append(" '").append(("&a" + (i - 1) + ";").repeat(10)).append("'>");
        }
        dtd.append("]>");
        String bomb = dtd + HEAD + "<Alert><CmdID>1</CmdID><Data>&a9;</Data></Alert>" + TAIL;
        assertThat(xmlError(bomb, CodecLimits.DEFAULT)).isEqualTo(CodecError.MALFORMED);
    }

    @Test
    void internal_dtd_subsets_are_refused_without_any_console_output() {
        java.io.PrintStream out = System.out;
        java.io.PrintStream err = System.err;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try {
            System.setOut(new java.io.PrintStream(console, true));
            System.setErr(new java.io.PrintStream(console, true));
            // truncated internal subset: the JDK parser would print an EOFException stack trace
            assertThat(xmlError("<!DOCTYPE x [<!ENTITY a 'b", CodecLimits.DEFAULT)).isEqualTo(CodecError.MALFORMED);
            assertThat(xmlError("<?xml version='1.0'?><!-- c --><!DOCTYPE SyncML [ ]>" + HEAD + TAIL,
                    CodecLimits.DEFAULT)).isEqualTo(CodecError.MALFORMED);
            assertThat(xmlError("<!DOCTYPE SyncML PUBLIC '-//SYNCML//DTD SyncML 1.2//EN' 'x[y].dtd'>" + HEAD
                    + "<Final/>" + TAIL, CodecLimits.DEFAULT)).isNull();
            assertThat(xmlError("<SyncML xmlns='SYNCML:SYNCML1.2'>\u00e9", CodecLimits.DEFAULT))
                    .isEqualTo(CodecError.MALFORMED);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertThat(console.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void raw_ampersands_are_repaired_with_one_warning_or_rejected_when_asked() throws CodecException {
        byte[] vector = Vectors.read("scts-dm12/testalerttextinput.xml");
        List<String> warnings = new ArrayList<>();
        SyncMessage m = SyncML.xml(XmlOptions.DEFAULT.withWarnings(warnings::add)).decode(vector);
        Alert alert = (Alert) m.commands().get(0);
        assertThat(alert.items().get(0).data().asText()).isEqualTo("MAXDT=20&DR=hello+andy!&MAXLEN=30&IT=I&ET=P");
        assertThat(warnings).containsExactly("read 4 unescaped '&' as '&amp;' (lenient XML)");
        assertThatThrownBy(() -> SyncML.xml(XmlOptions.DEFAULT.withRepairAmpersands(false)).decode(vector))
                .isInstanceOfSatisfying(CodecException.class, e -> {
                    assertThat(e.error()).isEqualTo(CodecError.MALFORMED);
                    assertThat(e.getMessage()).contains("4 occurrences");
                });
    }

    @Test
    void valid_references_and_cdata_are_left_alone_by_the_repair() throws CodecException {
        String xml = HEAD + "<Alert><CmdID>1</CmdID><Data>1100</Data><Item><Data>a&amp;b&#38;c&#x26;d"
                + "<![CDATA[&raw]]>&e</Data></Item></Alert><!-- & -->" + TAIL;
        List<String> warnings = new ArrayList<>();
        SyncMessage m = SyncML.xml(XmlOptions.DEFAULT.withWarnings(warnings::add))
                .decode(xml.getBytes(StandardCharsets.UTF_8));
        assertThat(((Alert) m.commands().get(0)).items().get(0).data().asText()).isEqualTo("a&b&c&d&raw&e");
        assertThat(warnings).hasSize(1).first().asString().startsWith("read 1 ");
    }

    @Test
    void structural_errors_are_reported_with_codes() {
        assertThat(xmlError(HEAD + TAIL + "<x/>", CodecLimits.DEFAULT)).isEqualTo(CodecError.MALFORMED);
        assertThat(xmlError("<SyncML xmlns='SYNCML:SYNCML1.2'><SyncBody/></SyncML>", CodecLimits.DEFAULT))
                .isEqualTo(CodecError.INCOMPLETE);
        assertThat(xmlError("<Foo/>", CodecLimits.DEFAULT)).isEqualTo(CodecError.UNSUPPORTED_FORMAT);
        assertThat(xmlError("<SyncML xmlns='SYNCML:SYNCML2.0'/>", CodecLimits.DEFAULT))
                .isEqualTo(CodecError.UNSUPPORTED_VERSION);
        assertThat(xmlError(HEAD + "<Add><CmdID>1</CmdID></Add>" + TAIL, CodecLimits.DEFAULT))
                .isEqualTo(CodecError.INCOMPLETE);
        assertThat(xmlError(HEAD + "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd>"
                + "<Data>abc</Data></Status>" + TAIL, CodecLimits.DEFAULT)).isEqualTo(CodecError.INCOMPLETE);
        assertThat(xmlError(HEAD.replace("<MsgID>1</MsgID>", "<MsgID>1</MsgID><MsgID>2</MsgID>") + TAIL,
                CodecLimits.DEFAULT)).isEqualTo(CodecError.MALFORMED);
        assertThat(xmlError(HEAD + "<Alert><CmdID>1<b/></CmdID><Data>1</Data></Alert>" + TAIL, CodecLimits.DEFAULT))
                .isEqualTo(CodecError.MALFORMED);
        assertThat(xmlError("", CodecLimits.DEFAULT)).isEqualTo(CodecError.MALFORMED);
        assertThat(xmlError("<SyncML", CodecLimits.DEFAULT)).isEqualTo(CodecError.MALFORMED);
    }

    @Test
    void unencodable_values_fail_with_unencodable() {
        SyncMessage nul = message(Item.data(Data.text("a\u0001b")));
        assertThatThrownBy(() -> SyncML.xml().encode(nul)).isInstanceOfSatisfying(CodecException.class,
                e -> assertThat(e.error()).isEqualTo(CodecError.UNENCODABLE));
        SyncMessage surrogate = message(Item.data(Data.text("a\uD800b")));
        assertThatThrownBy(() -> SyncML.wbxml().encode(surrogate)).isInstanceOfSatisfying(CodecException.class,
                e -> assertThat(e.error()).isEqualTo(CodecError.UNENCODABLE));
        assertThatThrownBy(() -> SyncML.xml().encode(surrogate)).isInstanceOfSatisfying(CodecException.class,
                e -> assertThat(e.error()).isEqualTo(CodecError.UNENCODABLE));
        SyncMessage binary = message(Item.data(Data.bytes(new byte[] {(byte) 0xFF, (byte) 0xFE})));
        assertThatThrownBy(() -> SyncML.xml().encode(binary)).isInstanceOfSatisfying(CodecException.class,
                e -> assertThat(e.error()).isEqualTo(CodecError.UNENCODABLE));
    }

    @Test
    void xml_encoder_refuses_element_names_that_are_not_xml_names() {
        // the model accepts any non-empty name; XML output must not let a name carry markup
        for (String name : new String[] {"Put><Exec", "a b", "1a", "x\"y"}) {
            SyncMessage m = message(Item.data(new Data.Xml(List.of(
                    org.cardinaldm.syncml.api.model.XmlElement.text("urn:x", name, "v")))));
            assertThatThrownBy(() -> SyncML.xml().encode(m)).as(name).isInstanceOfSatisfying(CodecException.class,
                    e -> assertThat(e.error()).isEqualTo(CodecError.UNENCODABLE));
        }
    }

    @Test
    void a_depth_limit_above_the_codec_ceiling_still_ends_in_too_deep() {
        // the binder recurses once per level: with max.depth raised to any int, 100 000 nested Atomic
        // elements (200 kB of WBXML, 1.6 MB of XML) used to end in a StackOverflowError
        CodecLimits huge = new CodecLimits(64 << 20, Integer.MAX_VALUE, Integer.MAX_VALUE, 1 << 20, 4 << 20);
        int n = 100_000;
        ByteArrayOutputStream wbxml = new ByteArrayOutputStream();
        wbxml.writeBytes(new byte[] {0x02, (byte) 0xA4, 0x01, 0x6A, 0x00, 0x6D, 0x6B});
        for (int i = 0; i < n; i++) {
            wbxml.write(0x48); // Atomic, with content
        }
        for (int i = 0; i < n + 2; i++) {
            wbxml.write(0x01);
        }
        assertThat(error(SyncML.wbxml(WbxmlOptions.DEFAULT.withLimits(huge)), wbxml.toByteArray()))
                .isEqualTo(CodecError.TOO_DEEP);
        String xml = HEAD + "<Atomic>".repeat(n) + "</Atomic>".repeat(n) + TAIL;
        assertThat(xmlError(xml, huge)).isEqualTo(CodecError.TOO_DEEP);
        String tnds = "<MgmtTree xmlns='syncml:dmddf1.2'><VerDTD>1.2</VerDTD>" + "<Node><NodeName>a</NodeName>".repeat(n)
                + "</Node>".repeat(n) + "</MgmtTree>";
        assertThatThrownBy(() -> SyncML.tndsXml(XmlOptions.DEFAULT.withLimits(huge))
                .decode(tnds.getBytes(StandardCharsets.UTF_8))).isInstanceOfSatisfying(CodecException.class,
                        e -> assertThat(e.error()).isEqualTo(CodecError.TOO_DEEP));
    }

    /** An input stream that never ends; counts what was read. */
    private static final class EndlessStream extends InputStream {
        long read;

        @Override
        public int read() {
            read++;
            return 0x41;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, (byte) 0x41);
            read += len;
            return len;
        }
    }
}
