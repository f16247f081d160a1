package org.cardinaldm.syncml.internal.osgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.util.Map;

import org.cardinaldm.syncml.api.CodecError;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.syncml.api.tnds.MgmtTree;
import org.cardinaldm.syncml.test.Vectors;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

class CodecComponentsTest {
    private static CodecConfig config(Map<String, Object> props) {
        return Converters.standardConverter().convert(props).to(CodecConfig.class);
    }

    @Test
    void components_answer_to_their_media_types_and_decode_the_vectors() throws Exception {
        CodecConfig defaults = config(Map.of());
        WbxmlMessageCodecComponent wbxml = new WbxmlMessageCodecComponent(defaults);
        XmlMessageCodecComponent xml = new XmlMessageCodecComponent(defaults);
        assertThat(wbxml.mediaTypes()).containsExactly(MediaTypes.DM_WBXML, MediaTypes.DS_WBXML);
        assertThat(xml.mediaTypes()).containsExactly(MediaTypes.DM_XML, MediaTypes.DS_XML);
        SyncMessage m = wbxml.decode(new ByteArrayInputStream(Vectors.read("scts-dm12/testget.wbxml")));
        assertThat(xml.decode(xml.encode(m))).isEqualTo(m);
        assertThat(wbxml.decode(wbxml.encode(m))).isEqualTo(m);
        assertThat(xml.decode(Vectors.read("scts-dm12/testalertconfirm.xml")).commands()).hasSize(1);
    }

    @Test
    void configuration_sets_limits_and_wbxml_form() throws Exception {
        CodecConfig c = config(Map.of("max.message.bytes", 100, "repair.ampersands", false, "wbxml.public.id", "literal",
                "wbxml.version", 3, "wbxml.string.table", true));
        WbxmlMessageCodecComponent wbxml = new WbxmlMessageCodecComponent(c);
        XmlMessageCodecComponent xml = new XmlMessageCodecComponent(c);
        assertThatThrownBy(() -> wbxml.decode(Vectors.read("scts-dm12/testget.wbxml")))
                .isInstanceOfSatisfying(CodecException.class,
                        e -> assertThat(e.error()).isEqualTo(CodecError.MESSAGE_TOO_LARGE));
        assertThatThrownBy(() -> new XmlMessageCodecComponent(config(Map.of("repair.ampersands", false)))
                .decode(Vectors.read("scts-dm12/testalertconfirm.xml"))).isInstanceOfSatisfying(CodecException.class,
                        e -> assertThat(e.error()).isEqualTo(CodecError.MALFORMED));
        SyncMessage m = new XmlMessageCodecComponent(config(Map.of())).decode(Vectors.read("scts-dm12/testgetscript.xml"));
        byte[] out = wbxml.encode(m);
        assertThat(out[0]).isEqualTo((byte) 3);
        assertThat(out[1]).isEqualTo((byte) 0);
        assertThat(xml.mediaTypes()).isNotEmpty();
    }

    @Test
    void tnds_components_round_trip() throws CodecException {
        CodecConfig defaults = config(Map.of());
        TndsCodecComponents.Xml xml = new TndsCodecComponents.Xml(defaults);
        TndsCodecComponents.Binary wbxml = new TndsCodecComponents.Binary(defaults);
        assertThat(xml.mediaType()).isEqualTo(MediaTypes.TNDS_XML);
        assertThat(wbxml.mediaType()).isEqualTo(MediaTypes.TNDS_WBXML);
        MgmtTree t = xml.decode(Vectors.read("libwbxml/ddf-001.ddf"));
        assertThat(wbxml.decode(wbxml.encode(t))).isEqualTo(t);
        assertThat(xml.decode(xml.encode(t))).isEqualTo(t);
    }
}
