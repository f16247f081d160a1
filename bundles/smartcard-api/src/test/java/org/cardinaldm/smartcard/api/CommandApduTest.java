package org.cardinaldm.smartcard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import nl.jqno.equalsverifier.EqualsVerifier;

class CommandApduTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private static byte[] hex(String s) {
        return HEX.parseHex(s.replace(" ", ""));
    }

    @Test
    void case1_is_the_header_only() {
        CommandApdu c = CommandApdu.of(0x00, 0x70, 0x80, 0x01);
        assertThat(HEX.formatHex(c.bytes())).isEqualTo("00708001");
        assertThat(c.nc()).isZero();
        assertThat(c.ne()).isZero();
    }

    @Test
    void case2_short_encodes_ne_256_as_00() {
        assertThat(HEX.formatHex(CommandApdu.of(0x00, 0xB0, 0, 0, 256).bytes())).isEqualTo("00B0000000");
        assertThat(HEX.formatHex(CommandApdu.of(0x00, 0xB0, 0, 0, 17).bytes())).isEqualTo("00B0000011");
    }

    @Test
    void case3_and_case4_short() {
        byte[] aid = hex("A000000063504B43532D3135");
        assertThat(HEX.formatHex(CommandApdu.of(0x00, 0xA4, 0x04, 0x0C, aid).bytes()))
                .isEqualTo("00A4040C0CA000000063504B43532D3135");
        assertThat(HEX.formatHex(CommandApdu.of(0x00, 0xA4, 0x04, 0x04, aid, 256).bytes()))
                .isEqualTo("00A404040CA000000063504B43532D313500");
    }

    @Test
    void extended_form_is_used_when_ne_exceeds_256_or_nc_exceeds_255() {
        assertThat(HEX.formatHex(CommandApdu.of(0x00, 0xB0, 0, 0, 257).bytes())).isEqualTo("00B00000000101");
        assertThat(HEX.formatHex(CommandApdu.of(0x00, 0xB0, 0, 0, 65536).bytes())).isEqualTo("00B00000000000");
        byte[] data = new byte[300];
        byte[] enc = CommandApdu.of(0x00, 0xD6, 0, 0, data).bytes();
        assertThat(enc).hasSize(4 + 3 + 300);
        assertThat(HEX.formatHex(enc, 0, 7)).isEqualTo("00D6000000012C");
        byte[] enc4 = CommandApdu.of(0x00, 0xD6, 0, 0, data, 65536).bytes();
        assertThat(enc4).hasSize(4 + 3 + 300 + 2);
        assertThat(HEX.formatHex(enc4, 307, 309)).isEqualTo("0000");
        assertThat(CommandApdu.of(0x00, 0xD6, 0, 0, new byte[5], 300).isExtended()).isTrue();
        assertThat(HEX.formatHex(CommandApdu.of(0x00, 0xD6, 0, 0, hex("0102"), 300).bytes()))
                .isEqualTo("00D60000000002010201" + "2C");
    }

    @ParameterizedTest
    @CsvSource({
        "00A40000, 0, 0",
        "00B0000000, 0, 256",
        "00B0000010, 0, 16",
        "00A4000C023F00, 2, 0",
        "00A40004023F0000, 2, 256",
        "00A40004023F0004, 2, 4",
        "00B00000000000, 0, 65536",
        "00B00000000102, 0, 258",
        "00D60000000002AABB, 2, 0",
        "00D60000000002AABB0000, 2, 65536",
        "00D60000000002AABB0101, 2, 257",
    })
    void parse_reads_every_case(String apdu, int nc, int ne) {
        CommandApdu c = CommandApdu.parse(hex(apdu));
        assertThat(c.nc()).isEqualTo(nc);
        assertThat(c.ne()).isEqualTo(ne);
        assertThat(CommandApdu.parse(c.bytes())).isEqualTo(c);
    }

    @ParameterizedTest
    @CsvSource({
        "00A400",                 // too short
        "00A4000C033F00",         // Lc 3, only 2 data bytes
        "00A4000C023F00AABB",     // one byte too many
        "00D6000000000AAABB",     // extended Lc 0
        "00D600000000030102",     // extended Lc 3, 2 data bytes
    })
    void parse_rejects_malformed_commands(String apdu) {
        assertThatThrownBy(() -> CommandApdu.parse(hex(apdu))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void factories_reject_out_of_range_fields() {
        assertThatThrownBy(() -> CommandApdu.of(256, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CommandApdu.of(0, -1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CommandApdu.of(0, 0, 0, 0, 65537)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CommandApdu.of(0, 0, 0, 0, new byte[65536]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void data_is_copied_in_and_out() {
        byte[] data = {1, 2, 3};
        CommandApdu c = CommandApdu.of(0, 0x20, 0, 1, data);
        data[0] = 9;
        assertThat(c.data()).containsExactly(1, 2, 3);
        c.data()[1] = 9;
        assertThat(c.data()).containsExactly(1, 2, 3);
    }

    @Test
    void to_string_never_prints_the_data() {
        CommandApdu verify = CommandApdu.of(0x00, 0x20, 0x00, 0x01, hex("31323334FFFFFFFF"));
        assertThat(verify.toString()).isEqualTo("C-APDU 00 20 00 01 Nc=8").doesNotContain("3132");
        assertThat(verify.toHexString()).isEqualTo("002000010831323334FFFFFFFF");
    }

    @ParameterizedTest
    @CsvSource({
        "00, 0, 00", "00, 3, 03", "00, 4, 40", "00, 19, 4F", "03, 0, 00", "4F, 1, 01",
        "80, 2, 82", "80, 5, C1", "C1, 0, 80", "10, 5, 51", "0C, 4, 60", "60, 1, 09",
    })
    void with_channel_rewrites_the_class_byte(String cla, int channel, String expected) {
        CommandApdu c = CommandApdu.of(Integer.parseInt(cla, 16), 0xA4, 0, 0).withChannel(channel);
        assertThat(String.format("%02X", c.cla())).isEqualTo(expected);
        assertThat(c.channel()).isEqualTo(channel);
    }

    @Test
    void with_channel_rejects_bad_channels_and_cla_ff() {
        CommandApdu c = CommandApdu.of(0, 0xA4, 0, 0);
        assertThatThrownBy(() -> c.withChannel(20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.withChannel(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CommandApdu.of(0xFF, 0, 0, 0).withChannel(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void with_ne_keeps_everything_else() {
        CommandApdu c = CommandApdu.of(0x00, 0xB2, 1, 4, 0).withNe(32);
        assertThat(c).isEqualTo(CommandApdu.of(0x00, 0xB2, 1, 4, 32));
    }

    @Test
    void equals_and_hash_code_follow_all_fields() {
        EqualsVerifier.forClass(CommandApdu.class).verify();
    }

    @Test
    void a_six_byte_command_announcing_extended_length_is_refused_with_illegal_argument() {
        assertThatThrownBy(() -> CommandApdu.parse(HexFormat.of().parseHex("008400000000")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void every_short_byte_string_parses_or_is_refused_with_illegal_argument_only() {
        java.util.Random random = new java.util.Random(7);
        byte[] interesting = {0, 1, 2, (byte) 0xFF, (byte) 0x80, 3, 5};
        for (int n = 4; n <= 12; n++) {
            for (int round = 0; round < 20_000; round++) {
                byte[] apdu = new byte[n];
                for (int k = 0; k < n; k++) {
                    apdu[k] = random.nextBoolean() ? interesting[random.nextInt(interesting.length)] : (byte) random.nextInt();
                }
                try {
                    CommandApdu.parse(apdu);
                } catch (IllegalArgumentException expected) {
                    // refused, as the contract says
                }
            }
        }
    }
}
