package org.cardinaldm.syncml.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.cardinaldm.syncml.api.CodecError;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.WbxmlOptions;
import org.cardinaldm.syncml.api.XmlOptions;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.syncml.test.Normalize;
import org.cardinaldm.syncml.test.Vectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class VectorDecodeTest {

    static List<String> wbxml() {
        return Vectors.WBXML_MESSAGES;
    }

    static List<String> xml() {
        return Vectors.XML_MESSAGES;
    }

    static List<String> notMessages() {
        return Vectors.XML_NOT_MESSAGES;
    }

    @ParameterizedTest
    @MethodSource("wbxml")
    void every_wbxml_vector_decodes_and_round_trips_in_both_encodings(String name) throws CodecException {
        SyncMessage m = SyncML.wbxml().decode(Vectors.read(name));
        assertThat(m.commands()).isNotEmpty();
        assertThat(SyncML.wbxml().decode(SyncML.wbxml().encode(m))).isEqualTo(m);
        assertThat(SyncML.xml().decode(SyncML.xml().encode(m))).isEqualTo(Normalize.message(m));
        MessageCodec literal = SyncML.wbxml(WbxmlOptions.DEFAULT.withPublicIdForm(WbxmlOptions.PublicIdForm.LITERAL)
                .withStringTable(true).withVersion(3));
        assertThat(literal.decode(literal.encode(m))).isEqualTo(m);
    }

    @ParameterizedTest
    @MethodSource("xml")
    void every_xml_vector_decodes_and_round_trips_in_both_encodings(String name) throws CodecException {
        List<String> warnings = new ArrayList<>();
        MessageCodec xml = SyncML.xml(XmlOptions.DEFAULT.withWarnings(warnings::add));
        SyncMessage m = xml.decode(Vectors.read(name));
        assertThat(warnings).hasSize(Vectors.RAW_AMPERSAND.contains(name) ? 1 : 0);
        assertThat(xml.decode(xml.encode(m))).isEqualTo(m);
        assertThat(SyncML.wbxml().decode(SyncML.wbxml().encode(m))).isEqualTo(m);
    }

    @ParameterizedTest
    @MethodSource("notMessages")
    void documents_that_are_not_messages_fail_with_a_coded_error(String name) {
        assertThatThrownBy(() -> SyncML.xml().decode(Vectors.read(name))).isInstanceOfSatisfying(CodecException.class,
                e -> assertThat(e.error()).isIn(CodecError.UNSUPPORTED_FORMAT, CodecError.INCOMPLETE));
    }
}
