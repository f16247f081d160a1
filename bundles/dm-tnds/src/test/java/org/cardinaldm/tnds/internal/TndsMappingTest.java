package org.cardinaldm.tnds.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Property;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.SubtreeNode;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.WbxmlOptions;
import org.cardinaldm.syncml.api.XmlOptions;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.tnds.MgmtTree;
import org.cardinaldm.syncml.api.tnds.RtProperties;
import org.cardinaldm.syncml.api.tnds.TndsNode;
import org.junit.jupiter.api.Test;

/** MgmtTree (codec model) to and from SubtreeNode (tree model), digest 7. */
class TndsMappingTest {
    private static final byte[] BYTES = {0, (byte) 0xff, 0x10, (byte) 0x80};

    private static SubtreeNode sample() {
        return SubtreeNode.interior("Acc").path("./DMAcc").property(Property.ACL, "Get=*&Replace=srv")
                .property(Property.FORMAT, "node").property(Property.TYPE, "urn:oma:mo:oma-dm-dmacc:1.0")
                .property(Property.TITLE, "Account").property(Property.VERNO, "3")
                .child(SubtreeNode.leaf("Name").property(Property.FORMAT, "chr").property(Property.TYPE, "text/plain")
                        .property(Property.SIZE, "5").value(NodeValue.ofText(Format.CHR, "text/plain", "a<&>b")).build())
                .child(SubtreeNode.leaf("Key").property(Property.FORMAT, "bin")
                        .property(Property.TYPE, "application/octet-stream")
                        .value(NodeValue.ofBinary(BYTES, "application/octet-stream")).build())
                .child(SubtreeNode.leaf("Secret").property(Property.FORMAT, "chr").build())
                .build();
    }

    @Test
    void a_subtree_survives_xml_and_wbxml_documents_unchanged() throws Exception {
        for (boolean wbxml : new boolean[] {false, true}) {
            MgmtTree tree = TndsMapping.toMgmtTree(sample(), wbxml);
            byte[] doc = wbxml ? SyncML.tndsWbxml(WbxmlOptions.DEFAULT).encode(tree)
                    : SyncML.tndsXml(XmlOptions.DEFAULT).encode(tree);
            MgmtTree back = wbxml ? SyncML.tndsWbxml(WbxmlOptions.DEFAULT).decode(doc)
                    : SyncML.tndsXml(XmlOptions.DEFAULT).decode(doc);

            assertThat(TndsMapping.fromMgmtTree(back)).as(wbxml ? "WBXML" : "XML").containsExactly(sample());
        }
    }

    @Test
    void types_are_ddf_names_for_interior_nodes_and_mime_types_for_leaves() {
        TndsNode top = TndsMapping.toMgmtTree(sample(), false).nodes().get(0);

        assertThat(top.path()).isEqualTo("./DMAcc");
        assertThat(top.properties().ddfName()).isEqualTo("urn:oma:mo:oma-dm-dmacc:1.0");
        assertThat(top.properties().mimeType()).isNull();
        assertThat(top.children().get(0).properties().mimeType()).isEqualTo("text/plain");
        assertThat(top.children().get(2).value()).as("a leaf without value has no Value").isNull();
    }

    @Test
    void bin_values_are_base64_text_in_xml_and_opaque_bytes_in_wbxml() throws DmException {
        TndsNode xmlKey = TndsMapping.toMgmtTree(sample(), false).nodes().get(0).children().get(1);
        TndsNode wbxmlKey = TndsMapping.toMgmtTree(sample(), true).nodes().get(0).children().get(1);

        assertThat(xmlKey.value()).isEqualTo(Data.text("AP8QgA=="));
        assertThat(wbxmlKey.value().asBytes()).containsExactly(BYTES);
        assertThat(xmlDocument(sample())).contains("<Value>AP8QgA==</Value>").contains("a&lt;&amp;&gt;b");
    }

    private static String xmlDocument(SubtreeNode n) {
        try {
            return new String(SyncML.tndsXml(XmlOptions.DEFAULT).encode(TndsMapping.toMgmtTree(n, false)),
                    StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static MgmtTree tree(TndsNode... nodes) {
        return MgmtTree.of(nodes);
    }

    @Test
    void a_node_without_format_is_interior_unless_it_has_a_value() throws DmException {
        List<SubtreeNode> nodes = TndsMapping.fromMgmtTree(tree(
                TndsNode.interior("A", null, TndsNode.leaf("V", null, "text")),
                new TndsNode("E", "./X", null, null, List.of())));

        assertThat(nodes.get(0).isInterior()).isTrue();
        SubtreeNode v = nodes.get(0).children().get(0);
        assertThat(v.isInterior()).isFalse();
        assertThat(v.value()).contains(NodeValue.ofText(Format.CHR, "", "text"));
        assertThat(nodes.get(1).isInterior()).isTrue();
        assertThat(nodes.get(1).path()).contains("./X");
    }

    @Test
    void only_top_level_nodes_keep_a_path() throws DmException {
        TndsNode child = TndsNode.leaf("C", RtProperties.leaf("chr", "text/plain"), "c").withPath("./Ignored");

        SubtreeNode top = TndsMapping.fromMgmtTree(tree(TndsNode.interior("T", null, child).withPath("./P"))).get(0);

        assertThat(top.path()).contains("./P");
        assertThat(top.children().get(0).path()).isEmpty();
    }

    @Test
    void other_verdtd_and_unknown_formats_are_415() {
        MgmtTree old = new MgmtTree("1.1", null, null, List.of(TndsNode.interior("A", null)));
        MgmtTree jpeg = tree(TndsNode.leaf("A", RtProperties.leaf("jpeg", "image/jpeg"), "x"));

        assertThat(status(old)).isEqualTo(StatusCode.UNSUPPORTED_MEDIA_TYPE);
        assertThat(status(jpeg)).isEqualTo(StatusCode.UNSUPPORTED_MEDIA_TYPE);
    }

    @Test
    void contradictions_and_bad_base64_are_400() {
        MgmtTree interiorWithValue = tree(TndsNode.leaf("A", RtProperties.interior(null), "v"));
        MgmtTree leafWithChildren = tree(TndsNode.interior("A", RtProperties.leaf("chr", "text/plain"),
                TndsNode.leaf("B", null, "b")));
        MgmtTree badBase64 = tree(TndsNode.leaf("K", RtProperties.leaf("bin", "application/octet-stream"), "!!not base64"));

        assertThat(status(interiorWithValue)).isEqualTo(StatusCode.BAD_REQUEST);
        assertThat(status(leafWithChildren)).isEqualTo(StatusCode.BAD_REQUEST);
        assertThat(status(badBase64)).isEqualTo(StatusCode.BAD_REQUEST);
    }

    private static StatusCode status(MgmtTree tree) {
        DmException e = catchThrowableOfType(DmException.class, () -> TndsMapping.fromMgmtTree(tree));
        assertThat(e).as("refused").isNotNull();
        return e.status();
    }
}
