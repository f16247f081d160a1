package org.cardinaldm.syncml.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.WbxmlOptions;
import org.cardinaldm.syncml.api.XmlOptions;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.syncml.api.tnds.MgmtTree;
import org.cardinaldm.syncml.internal.wbxml.CodePages;
import org.cardinaldm.syncml.test.Documents;
import org.cardinaldm.syncml.test.MessageGenerator;
import org.cardinaldm.syncml.test.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.kxml2.wap.WbxmlParser;
import org.xmlpull.v1.XmlPullParser;

/** kXML2 2.3.0's WBXML parser, an independent Java reader, must read every WBXML Cardinal writes. */
class KxmlCrossCheckTest {

    static List<SyncMessage> corpus() throws Exception {
        List<SyncMessage> out = new ArrayList<>();
        for (String name : Vectors.WBXML_MESSAGES) {
            out.add(SyncML.wbxml().decode(Vectors.read(name)));
        }
        for (String name : Vectors.XML_MESSAGES) {
            if (!Vectors.DEVINF.contains(name)) {
                out.add(SyncML.xml().decode(Vectors.read(name)));
            }
        }
        Random r = new Random(42);
        for (int i = 0; i < 300; i++) {
            out.add(new MessageGenerator(new Random(r.nextLong()), false, true).message());
        }
        return out;
    }

    private static List<WbxmlOptions> variants() {
        WbxmlOptions inline = WbxmlOptions.DEFAULT.withEmbeddedDocuments(WbxmlOptions.EmbeddedDocuments.INLINE);
        return List.of(inline, inline.withStringTable(true).withPublicIdForm(WbxmlOptions.PublicIdForm.LITERAL)
                .withVersion(3), inline.withOpaqueData(true).withVersion(1));
    }

    @Test
    void kxml_reads_every_message_cardinal_writes_as_the_same_document() throws Exception {
        int checked = 0;
        for (SyncMessage m : corpus()) {
            String expected = Documents.canonical(SyncML.xml().encode(m), false);
            for (WbxmlOptions o : variants()) {
                assertThat(kxml(SyncML.wbxml(o).encode(m))).as("options %s", o).isEqualTo(expected);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(900);
    }

    @Test
    void kxml_reads_the_embedded_and_standalone_tnds_documents_cardinal_writes() throws Exception {
        Random r = new Random(7);
        for (int i = 0; i < 100; i++) {
            MgmtTree t = new MessageGenerator(new Random(r.nextLong()), false, true).tnds();
            byte[] wbxml = SyncML.tndsWbxml(WbxmlOptions.DEFAULT).encode(t);
            assertThat(kxml(wbxml)).isEqualTo(Documents.canonical(SyncML.tndsXml(XmlOptions.DEFAULT).encode(t), false));
        }
    }

    /** Parses with kXML2 and renders like {@link Documents#canonical(byte[], boolean)} without namespaces. */
    static String kxml(byte[] wbxml) throws Exception {
        WbxmlParser p = new WbxmlParser();
        p.setTagTable(0, tail(CodePages.syncmlTable()));
        p.setTagTable(1, tail(CodePages.metinfTable()));
        p.setTagTable(2, tail(CodePages.dmddfTable()));
        p.setInput(new ByteArrayInputStream(wbxml), null);
        StringBuilder out = new StringBuilder();
        List<StringBuilder> texts = new ArrayList<>();
        List<StringBuilder> lines = new ArrayList<>();
        int ev = p.nextToken();
        while (ev != XmlPullParser.END_DOCUMENT) {
            switch (ev) {
                case XmlPullParser.START_TAG -> {
                    StringBuilder line = new StringBuilder("  ".repeat(p.getDepth() - 1)).append(p.getName());
                    lines.add(line);
                    texts.add(new StringBuilder());
                    out.append('\u0000').append(lines.size() - 1).append('\u0000');
                }
                case XmlPullParser.TEXT -> texts.get(openIndex(out, lines)).append(p.getText());
                case WbxmlParser.WAP_EXTENSION -> texts.get(openIndex(out, lines))
                        .append(new String((byte[]) p.getWapExtensionData(), StandardCharsets.UTF_8));
                case XmlPullParser.END_TAG -> out.append('\u0001');
                default -> {
                }
            }
            ev = p.nextToken();
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            sb.append(lines.get(i));
            String t = texts.get(i).toString().strip();
            if (!t.isEmpty()) {
                sb.append(" = ").append(t.replace("\r\n", "\n"));
            }
            sb.append('\n');
        }
        // WBXML carries the embedded-document types in their +wbxml form (libwbxml convention)
        return sb.toString().replace("application/vnd.syncml.dmtnds+wbxml", "application/vnd.syncml.dmtnds+xml")
                .replace("application/vnd.syncml-devinf+wbxml", "application/vnd.syncml-devinf+xml");
    }

    /** @return the index of the innermost open element, from the start/end marks written so far */
    private static int openIndex(StringBuilder marks, List<StringBuilder> lines) {
        List<Integer> stack = new ArrayList<>();
        int i = 0;
        while (i < marks.length()) {
            char c = marks.charAt(i);
            if (c == '\u0000') {
                int end = marks.indexOf("\u0000", i + 1);
                stack.add(Integer.parseInt(marks.substring(i + 1, end)));
                i = end + 1;
            } else {
                stack.remove(stack.size() - 1);
                i++;
            }
        }
        return stack.get(stack.size() - 1);
    }

    private static String[] tail(String[] table) {
        String[] t = new String[table.length - 5];
        System.arraycopy(table, 5, t, 0, t.length);
        return t;
    }

    @ParameterizedTest
    @MethodSource("org.cardinaldm.syncml.codec.LibWbxmlCrossCheckTest#wbxmlVectors")
    void kxml_and_cardinal_agree_on_the_wbxml_vectors(String name) throws Exception {
        byte[] wbxml = Vectors.read(name);
        assertThat(kxml(wbxml)).isEqualTo(Documents.canonical(SyncML.xml().encode(SyncML.wbxml().decode(wbxml)), false));
    }
}
