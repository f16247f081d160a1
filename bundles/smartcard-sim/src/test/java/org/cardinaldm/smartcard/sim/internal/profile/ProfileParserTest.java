package org.cardinaldm.smartcard.sim.internal.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.cardinaldm.smartcard.sim.internal.SimCardHandle;
import org.cardinaldm.smartcard.sim.internal.card.AccessCondition;
import org.cardinaldm.smartcard.sim.internal.card.CardImage;
import org.cardinaldm.smartcard.sim.internal.card.CardKey;
import org.cardinaldm.smartcard.sim.internal.card.DedicatedFile;
import org.cardinaldm.smartcard.sim.internal.card.LinearFixedFile;
import org.cardinaldm.smartcard.sim.internal.card.TransparentFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProfileParserTest {
    private static final String HEAD = "cardinal-uicc-profile 1\n";

    private static CardImage parse(String body) throws Exception {
        return new ProfileParser(null).parse(HEAD + body);
    }

    @Test
    void the_built_in_demo_profile_is_valid() throws Exception {
        CardImage demo = SimCardHandle.personalisation(null);
        assertThat(demo.protocol()).isEqualTo(CardImage.Protocol.T1);
        assertThat(demo.mf().child(0x2F00)).isPresent();
        DedicatedFile pkcs15 = (DedicatedFile) demo.mf().child(0x5015).orElseThrow();
        assertThat(pkcs15.aid()).hasSize(12);
        assertThat(demo.keys().values()).extracting(CardKey::usage).contains("adm");
    }

    @Test
    void files_get_their_attributes_content_and_padding() throws Exception {
        CardImage image = parse("key 01 usage=adm value=00112233445566778899AABBCCDDEEFF\n"
                + "mf {\n"
                + "  ef 0001 transparent size=6 sfi=5 read=always update=adm|dm label=\"a \\\"quoted\\\" label\" {\n"
                + "    data hex 01 02\n"
                + "    data text \"AB\"   # appended\n"
                + "  }\n"
                + "  ef 0002 linear-fixed record-size=3 fill=00 {\n"
                + "    record 2 hex AABB\n"
                + "  }\n"
                + "}\n");
        TransparentFile ef = (TransparentFile) image.mf().child(1).orElseThrow();
        assertThat(ef.content()).containsExactly(1, 2, 'A', 'B', 0xFF, 0xFF);
        assertThat(ef.sfi()).isEqualTo(5);
        assertThat(ef.label()).isEqualTo("a \"quoted\" label");
        assertThat(ef.updateCondition()).isEqualTo(AccessCondition.parse("adm|dm"));
        LinearFixedFile lf = (LinearFixedFile) image.mf().child(2).orElseThrow();
        assertThat(lf.recordCount()).isEqualTo(2);
        assertThat(lf.record(1)).containsExactly(0, 0, 0);
        assertThat(lf.record(2)).containsExactly(0xAA, 0xBB, 0);
    }

    @Test
    void data_can_come_from_a_file_next_to_the_profile(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("boot.bin"), new byte[] {9, 8, 7});
        Path profile = dir.resolve("card.profile");
        Files.writeString(profile, HEAD + "mf {\n ef 6432 transparent read=always update=never {\n"
                + "  data file \"boot.bin\"\n }\n}\n");
        TransparentFile ef = (TransparentFile) ProfileParser.parse(profile).mf().child(0x6432).orElseThrow();
        assertThat(ef.content()).containsExactly(9, 8, 7);
    }

    @Test
    void card_settings_and_secrets_are_read() throws Exception {
        CardImage image = parse("card protocol=T=0 channels=2 historical=0102\n"
                + "pin 01 value=123456 retries=5 puk=87654321 puk-retries=7\nmf {\n}\n");
        assertThat(image.protocol()).isEqualTo(CardImage.Protocol.T0);
        assertThat(image.channels()).isEqualTo(2);
        assertThat(image.atr()).containsExactly(0x3B, 0x02, 0x01, 0x02);
        assertThat(image.pins().get(1).maxRetries()).isEqualTo(5);
        assertThat(image.pins().get(1).maxPukRetries()).isEqualTo(7);
        assertThat(image.pins().get(1).toString()).doesNotContain("123456");
    }

    static Stream<Arguments> invalid_profiles() {
        return Stream.of(
            Arguments.of("mf {\n}\n", 1, "starts with"),
            Arguments.of("mf {\n", 2, "not closed"),
            Arguments.of("}\n", 2, "without an open block"),
            Arguments.of("bogus 1\n", 2, "unknown statement"),
            Arguments.of("mf {\n ef 12 transparent size=1\n}\n", 3, "4 hex digits"),
            Arguments.of("mf {\n ef 0001 transparent size=1\n ef 0001 transparent size=1\n}\n", 4, "already has a file 0001"),
            Arguments.of("mf {\n ef 0001 cyclic size=1\n}\n", 3, "transparent or linear-fixed"),
            Arguments.of("mf {\n ef 0001 transparent size=2 {\n  data hex 010203\n }\n}\n", 3, "exceeds size"),
            Arguments.of("mf {\n ef 0001 transparent size=2 colour=red\n}\n", 3, "unknown attribute 'colour'"),
            Arguments.of("mf {\n ef 0001 transparent size=2 read=pin02\n}\n", 0, "PIN 02"),
            Arguments.of("mf {\n ef 0001 transparent size=2 update=adm\n}\n", 0, "usage=adm"),
            Arguments.of("mf {\n ef 0001 linear-fixed record-size=2 {\n  record 1 hex 010203\n }\n}\n", 3, "more than record-size"),
            Arguments.of("mf {\n ef 0001 linear-fixed records=2\n}\n", 3, "record-size"),
            Arguments.of("mf {\n ef 0001 transparent size=1 {\n  data hex 0\n }\n}\n", 4, "invalid hex"),
            Arguments.of("mf {\n ef 0001 transparent size=1 label=\"open\n}\n", 3, "unterminated"),
            Arguments.of("mf {\n ef 0001 transparent size=1 {\n  data file \"x\"\n }\n}\n", 4, "not allowed"),
            Arguments.of("pin 01 value=12\nmf {\n}\n", 2, "4..8 decimal digits"),
            Arguments.of("pin 01 value=1234\npin 01 value=5678\nmf {\n}\n", 3, "defined twice"),
            Arguments.of("card protocol=T=2\nmf {\n}\n", 2, "T=0 or T=1"),
            Arguments.of("card atr=3B00 historical=01\nmf {\n}\n", 2, "not both"),
            Arguments.of("mf {\n}\nmf {\n}\n", 4, "exactly one"),
            Arguments.of("mf {\n pin 01 value=1234\n}\n", 3, "top level"),
            Arguments.of("mf {\n df 7F10 aid=A000 {\n }\n}\n", 3, "5..16 bytes"),
            Arguments.of("mf {\n ef 0001 transparent size=1 sfi=31\n}\n", 3, "sfi must be 1..30"),
            Arguments.of("key 01 usage=adm value=0011\nmf {\n}\n", 2, "16, 24 or 32"));
    }

    @ParameterizedTest
    @MethodSource("invalid_profiles")
    void errors_name_their_line(String body, int line, String message) {
        String text = body.startsWith("mf {\n}\n") && line == 1 ? body : HEAD + body;
        assertThatThrownBy(() -> new ProfileParser(null).parse(text)).isInstanceOfSatisfying(ProfileException.class,
                e -> {
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    @Test
    void error_messages_never_show_secrets() {
        assertThatThrownBy(() -> parse("pin 01 value=12a4\nmf {\n}\n")).hasMessageNotContaining("12a4");
        assertThatThrownBy(() -> parse("key 01 usage=adm value=00112233\nmf {\n}\n"))
                .hasMessageNotContaining("00112233");
    }

    @Test
    void a_missing_data_file_is_an_io_error(@TempDir Path dir) throws IOException {
        Path profile = dir.resolve("card.profile");
        Files.writeString(profile, HEAD + "mf {\n ef 0001 transparent {\n  data file \"nope.bin\"\n }\n}\n");
        assertThatThrownBy(() -> ProfileParser.parse(profile)).isInstanceOf(IOException.class);
    }
}
