package org.cardinaldm.syncml.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.WbxmlOptions;
import org.cardinaldm.syncml.api.XmlOptions;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.syncml.internal.xml.AmpersandRepair;
import org.cardinaldm.syncml.test.Documents;
import org.cardinaldm.syncml.test.MessageGenerator;
import org.cardinaldm.syncml.test.Normalize;
import org.cardinaldm.syncml.test.Vectors;
import org.cardinaldm.testing.ExternalTool;
import org.cardinaldm.testing.RequiresTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cross-checks against libwbxml (Debian {@code libwbxml2-utils}), an independent codec. Documents are
 * compared as documents ({@link Documents}), not as strings. Skipped without libwbxml, failed with {@code CI=true}.
 */
@RequiresTool(name = "wbxml2xml", debianPackage = "libwbxml2-utils")
@RequiresTool(name = "xml2wbxml", debianPackage = "libwbxml2-utils")
class LibWbxmlCrossCheckTest {
    private static final String PACKAGE = "libwbxml2-utils";
    private static final MessageCodec XML = SyncML.xml();

    static List<String> wbxmlVectors() {
        return Vectors.WBXML_MESSAGES;
    }

    static List<String> xmlVectors() {
        return Vectors.XML_MESSAGES;
    }

    static List<Long> corpus() {
        List<Long> seeds = new ArrayList<>();
        for (long s = 1; s <= 40; s++) {
            seeds.add(s * 7919);
        }
        return seeds;
    }

    private static byte[] wbxml2xml(byte[] wbxml) throws Exception {
        ExternalTool.Result r = ExternalTool.require("wbxml2xml", PACKAGE).run(wbxml);
        assertThat(r.exitCode()).as("wbxml2xml: %s", r.stderr()).isZero();
        return r.output();
    }

    private static byte[] xml2wbxml(byte[] xml) throws Exception {
        ExternalTool.Result r = ExternalTool.require("xml2wbxml", PACKAGE).run(xml);
        assertThat(r.exitCode()).as("xml2wbxml: %s", r.stderr()).isZero();
        return r.output();
    }

    /** The reference document of an XML vector: its bytes, with raw '&' escaped (libwbxml rejects them). */
    private static byte[] reference(String name) {
        byte[] raw = Vectors.read(name);
        int n = AmpersandRepair.count(raw);
        return n == 0 ? raw : AmpersandRepair.repair(raw, n);
    }

    @ParameterizedTest
    @MethodSource("wbxmlVectors")
    void cardinal_decodes_each_wbxml_vector_to_the_document_libwbxml_decodes(String name) throws Exception {
        byte[] wbxml = Vectors.read(name);
        String theirs = Documents.canonical(wbxml2xml(wbxml));
        String ours = Documents.canonical(XML.encode(SyncML.wbxml().decode(wbxml)));
        assertThat(ours).isEqualTo(theirs);
    }

    @ParameterizedTest
    @MethodSource("xmlVectors")
    void libwbxml_reads_cardinal_wbxml_of_each_xml_vector_as_the_same_document(String name) throws Exception {
        byte[] ref = reference(name);
        SyncMessage m = XML.decode(ref);
        for (WbxmlOptions o : optionVariants()) {
            byte[] ours = SyncML.wbxml(o).encode(m);
            assertThat(Documents.canonical(wbxml2xml(ours))).as("options %s", o).isEqualTo(Documents.canonical(ref));
        }
    }

    @ParameterizedTest
    @MethodSource("xmlVectors")
    void cardinal_reads_libwbxml_wbxml_of_each_xml_vector_as_the_same_document(String name) throws Exception {
        byte[] ref = reference(name);
        byte[] theirs = xml2wbxml(ref);
        SyncMessage m = SyncML.wbxml().decode(theirs);
        assertThat(Documents.canonical(XML.encode(m))).isEqualTo(Documents.canonical(ref));
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void generated_messages_agree_with_libwbxml_in_both_directions(long seed) throws Exception {
        SyncMessage m = new MessageGenerator(new Random(seed), false, true).cdataSafe().message();
        byte[] xml = XML.encode(m);
        String reference = Documents.canonical(xml);
        for (WbxmlOptions o : optionVariants()) {
            assertThat(Documents.canonical(wbxml2xml(SyncML.wbxml(o).encode(m)))).as("options %s", o)
                    .isEqualTo(reference);
        }
        // libwbxml writes some Data text as OPAQUE: compare the text
        assertThat(Normalize.message(SyncML.wbxml().decode(xml2wbxml(xml)))).isEqualTo(m);
    }

    @Test
    void the_tnds_vector_agrees_with_libwbxml_in_both_directions() throws Exception {
        byte[] ddf = Vectors.read("libwbxml/ddf-001.ddf");
        var tree = SyncML.tndsXml(XmlOptions.DEFAULT).decode(ddf);
        byte[] ours = SyncML.tndsWbxml(WbxmlOptions.DEFAULT).encode(tree);
        assertThat(Documents.canonical(wbxml2xml(ours))).isEqualTo(Documents.canonical(ddf));
        assertThat(SyncML.tndsWbxml(WbxmlOptions.DEFAULT).decode(xml2wbxml(ddf))).isEqualTo(tree);
    }

    private static List<WbxmlOptions> optionVariants() {
        WbxmlOptions d = WbxmlOptions.DEFAULT;
        return List.of(d, d.withPublicIdForm(WbxmlOptions.PublicIdForm.LITERAL).withStringTable(true).withVersion(3),
                d.withPublicIdForm(WbxmlOptions.PublicIdForm.LITERAL).withOpaqueData(true).withVersion(1));
    }
}
