package org.cardinaldm.syncml.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.WbxmlOptions;
import org.cardinaldm.syncml.api.XmlOptions;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.syncml.api.tnds.MgmtTree;
import org.cardinaldm.syncml.api.tnds.TndsCodec;
import org.cardinaldm.syncml.test.MessageGenerator;
import org.cardinaldm.syncml.test.Normalize;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class RoundTripPropertiesTest {

    @Property(tries = 400)
    void generated_messages_round_trip_through_wbxml_with_any_options(@ForAll long seed, @ForAll boolean table,
            @ForAll boolean literal, @ForAll boolean inline, @ForAll boolean opaqueData) throws CodecException {
        SyncMessage m = new MessageGenerator(new Random(seed), !opaqueData, true).message();
        WbxmlOptions o = WbxmlOptions.DEFAULT.withStringTable(table).withOpaqueData(opaqueData)
                .withVersion(1 + Math.floorMod(seed, 3))
                .withPublicIdForm(literal ? WbxmlOptions.PublicIdForm.LITERAL : WbxmlOptions.PublicIdForm.NUMERIC)
                .withEmbeddedDocuments(inline ? WbxmlOptions.EmbeddedDocuments.INLINE : WbxmlOptions.EmbeddedDocuments.OPAQUE);
        MessageCodec codec = SyncML.wbxml(o);
        SyncMessage back = codec.decode(codec.encode(m));
        if (opaqueData) {
            // OPAQUE text reads back as bytes; the XML view of both must be identical
            assertThat(new String(SyncML.xml().encode(Normalize.message(back)), StandardCharsets.UTF_8))
                    .isEqualTo(new String(SyncML.xml().encode(Normalize.message(m)), StandardCharsets.UTF_8));
        } else {
            assertThat(back).isEqualTo(m);
        }
    }

    @Property(tries = 400)
    void generated_messages_round_trip_through_xml_and_across_encodings(@ForAll long seed, @ForAll boolean pretty,
            @ForAll boolean cdata) throws CodecException {
        SyncMessage m = new MessageGenerator(new Random(seed), false, true).message();
        MessageCodec xml = SyncML.xml(XmlOptions.DEFAULT.withPretty(pretty).withCdataData(cdata));
        assertThat(xml.decode(xml.encode(m))).isEqualTo(m);
        assertThat(xml.decode(xml.encode(SyncML.wbxml().decode(SyncML.wbxml().encode(m))))).isEqualTo(m);
    }

    @Property(tries = 200)
    void generated_tnds_trees_round_trip_in_both_encodings(@ForAll long seed) throws CodecException {
        MgmtTree t = new MessageGenerator(new Random(seed), false, true).tnds();
        TndsCodec xml = SyncML.tndsXml(XmlOptions.DEFAULT);
        TndsCodec wbxml = SyncML.tndsWbxml(WbxmlOptions.DEFAULT);
        assertThat(xml.decode(xml.encode(t))).isEqualTo(t);
        assertThat(wbxml.decode(wbxml.encode(t))).isEqualTo(t);
        assertThat(MgmtTree.fromXml(t.toXml())).isEqualTo(t);
    }
}
