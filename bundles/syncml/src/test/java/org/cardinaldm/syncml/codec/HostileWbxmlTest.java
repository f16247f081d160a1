package org.cardinaldm.syncml.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.cardinaldm.syncml.api.CodecError;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.CodecLimits;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.WbxmlOptions;
import org.cardinaldm.syncml.test.HostileDocuments;
import org.junit.jupiter.api.Test;

/**
 * Hand-made WBXML documents whose string table or attributes are hostile (issue 11): each must end in
 * a coded {@link CodecException}, never in an exception of the JDK or of the model.
 */
class HostileWbxmlTest {
    private static final int SYNCML = 0x6D;
    private static final int SYNCBODY = 0x6B;
    private static final int SYNCBODY_WITH_ATTRIBUTES = 0xEB;
    private static final int END = 0x01;
    private static final int LITERAL = 0x04;
    private static final int LITERAL_C = 0x44;
    private static final int STR_T = 0x83;
    private static final String DDF_FPI = "-//OMA//DTD-DM-DDF 1.2//EN";

    /** A SyncML 1.2 document (numeric public id 0x1201, UTF-8) with the given string table and body. */
    static byte[] syncml(byte[] table, int... body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x02, (byte) 0xA4, 0x01, 0x6A});
        mb(out, table.length);
        out.writeBytes(table);
        for (int t : body) {
            out.write(t);
        }
        return out.toByteArray();
    }

    /** A DM DDF (TNDS) document: literal public id at string-table index 0, then {@code more} strings. */
    static byte[] tnds(byte[] more, int... body) {
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        table.writeBytes((DDF_FPI + "\0").getBytes(StandardCharsets.US_ASCII));
        table.writeBytes(more);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x02, 0x00, 0x00, 0x6A});
        mb(out, table.size());
        out.writeBytes(table.toByteArray());
        for (int t : body) {
            out.write(t);
        }
        return out.toByteArray();
    }

    private static void mb(ByteArrayOutputStream out, int value) {
        if (value >= 0x80) {
            out.write(0x80 | (value >>> 7));
        }
        out.write(value & 0x7F);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static CodecException decodeError(byte[] wbxml) {
        try {
            SyncML.wbxml().decode(wbxml);
        } catch (CodecException e) {
            return e;
        }
        throw new AssertionError("decoded without an error");
    }

    private static void assertMalformedStringTable(byte[] wbxml) {
        assertThat(decodeError(wbxml)).satisfies(e -> {
            assertThat(e.error()).isEqualTo(CodecError.MALFORMED);
            assertThat(e.getMessage()).contains("string table");
        });
    }

    @Test
    void literal_tag_naming_an_empty_string_is_malformed() {
        // the fuzzing finding: SyncBody holds a LITERAL tag whose name is the empty string at index 0
        assertMalformedStringTable(syncml(new byte[] {0}, SYNCML, SYNCBODY, LITERAL, 0, END, END));
    }

    @Test
    void literal_tag_with_content_naming_an_empty_string_is_malformed() {
        assertMalformedStringTable(syncml(ascii("Put\0\0"), SYNCML, SYNCBODY, LITERAL_C, 4, END, END, END));
    }

    @Test
    void literal_tag_naming_an_empty_string_in_a_tnds_document_is_malformed() {
        int mgmtTree = 0x60;
        int afterFpi = DDF_FPI.length() + 1;
        byte[] doc = tnds(new byte[] {0}, mgmtTree, LITERAL_C, afterFpi, END, END);
        assertThatThrownBy(() -> SyncML.tndsWbxml(WbxmlOptions.DEFAULT).decode(doc)).isInstanceOfSatisfying(CodecException.class, e -> {
            assertThat(e.error()).isEqualTo(CodecError.MALFORMED);
            assertThat(e.getMessage()).contains("string table");
        });
    }

    @Test
    void literal_tag_referring_into_the_middle_of_a_string_is_malformed() {
        assertMalformedStringTable(syncml(ascii("Put\0"), SYNCML, SYNCBODY, LITERAL, 1, END, END));
    }

    @Test
    void literal_tag_referring_past_the_string_table_is_malformed() {
        assertMalformedStringTable(syncml(ascii("Put\0"), SYNCML, SYNCBODY, LITERAL, 4, END, END));
        assertMalformedStringTable(syncml(new byte[0], SYNCML, SYNCBODY, LITERAL, 0, END, END));
    }

    @Test
    void literal_tag_naming_the_unterminated_last_string_is_read() throws CodecException {
        // the SCTS leniency (a last string without its NUL) also holds for names: the document is
        // otherwise incomplete (no SyncHdr), so reaching INCOMPLETE proves the name was accepted
        assertThat(decodeError(syncml(ascii("Put"), SYNCML, SYNCBODY, LITERAL, 0, END, END)).error())
                .isEqualTo(CodecError.INCOMPLETE);
    }

    @Test
    void literal_attribute_naming_an_empty_string_is_malformed() {
        assertMalformedStringTable(syncml(new byte[] {0}, SYNCML, SYNCBODY_WITH_ATTRIBUTES, LITERAL, 0, END, END, END));
    }

    @Test
    void literal_attribute_referring_into_a_string_or_past_the_table_is_malformed() {
        assertMalformedStringTable(syncml(ascii("id\0"), SYNCML, SYNCBODY_WITH_ATTRIBUTES, LITERAL, 1, END, END, END));
        assertMalformedStringTable(syncml(ascii("id\0"), SYNCML, SYNCBODY_WITH_ATTRIBUTES, LITERAL, 9, END, END, END));
    }

    @Test
    void attribute_value_referring_past_the_string_table_is_malformed() {
        assertMalformedStringTable(syncml(ascii("id\0"), SYNCML, SYNCBODY_WITH_ATTRIBUTES, LITERAL, 0, STR_T, 0x7F,
                END, END, END));
    }

    @Test
    void attributes_naming_valid_strings_are_skipped() {
        // LITERAL attribute "id" with value STR_T "id": skipped, so the document only lacks its SyncHdr
        assertThat(decodeError(syncml(ascii("id\0"), SYNCML, SYNCBODY_WITH_ATTRIBUTES, LITERAL, 0, STR_T, 0, END,
                END, END)).error()).isEqualTo(CodecError.INCOMPLETE);
    }

    @Test
    void literal_tag_whose_name_is_not_an_xml_name_is_malformed() {
        for (String name : new String[] {"a b", "1a", "a:b", "-x", "a>b", "Put><Exec", "x\"y", "\u00e9\u00a0"}) {
            byte[] table = (name + "\0").getBytes(StandardCharsets.UTF_8);
            assertThat(decodeError(syncml(table, SYNCML, SYNCBODY, LITERAL, 0, END, END))).as(name).satisfies(e -> {
                assertThat(e.error()).isEqualTo(CodecError.MALFORMED);
                assertThat(e.getMessage()).contains("not an XML name");
            });
        }
    }

    @Test
    void literal_tag_with_a_non_ascii_xml_name_is_read() {
        byte[] table = "\u00e9l\u00e9ment_1.x-y\0".getBytes(StandardCharsets.UTF_8);
        assertThat(decodeError(syncml(table, SYNCML, SYNCBODY, LITERAL, 0, END, END)).error())
                .isEqualTo(CodecError.INCOMPLETE); // only the SyncHdr is missing
    }

    @Test
    void literal_attribute_whose_name_is_not_an_xml_name_is_malformed() {
        assertThat(decodeError(syncml(ascii("a b\0"), SYNCML, SYNCBODY_WITH_ATTRIBUTES, LITERAL, 0, END, END, END))
                .getMessage()).contains("not an XML name");
    }

    @Test
    void a_literal_name_cannot_inject_markup_into_the_xml_transcode() throws CodecException {
        // found by the campaign's transcode check: a LITERAL name "Put><Exec>...<Put" was written verbatim by
        // the XML encoder, so WBXML -> XML (bin/syncml decode) produced an Exec the WBXML message did not hold
        assertThat(decodeError(HostileDocuments.literalNameInjection()).getMessage()).contains("not an XML name");
    }

    @Test
    void text_expanded_from_the_string_table_is_bounded_by_the_message_limit() {
        // 8 000 characters in the table, referenced from 2 000 elements: 16 M characters from 10 kB
        CodecLimits limits = new CodecLimits(64 * 1024, 64, 200_000, 8_000, 64 * 1024);
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        table.writeBytes(ascii("x".repeat(7_990) + "\0Put\0"));
        int put = 7_991;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(SYNCML);
        body.write(SYNCBODY);
        for (int i = 0; i < 2_000; i++) {
            body.writeBytes(new byte[] {LITERAL_C, (byte) (0x80 | (put >>> 7)), (byte) (put & 0x7F), (byte) STR_T, 0,
                END});
        }
        body.write(END);
        body.write(END);
        byte[] doc = syncml(table.toByteArray());
        byte[] all = new byte[doc.length + body.size()];
        System.arraycopy(doc, 0, all, 0, doc.length);
        System.arraycopy(body.toByteArray(), 0, all, doc.length, body.size());
        assertThatThrownBy(() -> SyncML.wbxml(WbxmlOptions.DEFAULT.withLimits(limits)).decode(all))
                .isInstanceOfSatisfying(CodecException.class,
                        e -> assertThat(e.error()).isEqualTo(CodecError.MESSAGE_TOO_LARGE));
    }
}
