package org.cardinaldm.smartcard.dm.internal.pkcs15;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.cardinaldm.smartcard.dm.internal.DemoCardAccess;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15.AuthObject;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15.CertificateObject;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15.DataObject;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15.DirApplication;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15.OdfEntry;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15.TokenInfo;
import org.cardinaldm.smartcard.dm.internal.profile.Cardinal;
import org.junit.jupiter.api.Test;

/**
 * PKCS#15 parsing of correct files and of what real cards get wrong. The byte strings are written here by
 * hand from the PKCS#15 v1.1 ASN.1 (none is copied from a published vector).
 */
class Pkcs15ParserTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private final Pkcs15Parser parser = new Pkcs15Parser();

    private static byte[] h(String hex) {
        return HEX.parseHex(hex.replace(" ", ""));
    }

    // ---------------------------------------------------------------- EF.DIR

    @Test
    void dir_record_gives_aid_label_and_path() throws Exception {
        DirApplication a = parser.dirRecord(h("61 1E 4F 0C A000000063504B43532D3135 50 08 4341524449 4E414C 51 04 3F005015 FFFF"));
        assertThat(HEX.formatHex(a.aid())).isEqualTo("A000000063504B43532D3135");
        assertThat(a.label()).isEqualTo("CARDINAL");
        assertThat(HEX.formatHex(a.path())).isEqualTo("3F005015");
    }

    @Test
    void dir_record_without_its_61_wrapper_is_accepted() throws Exception {
        assertThat(HEX.formatHex(parser.dirRecord(h("4F 0C A000000063504B43532D3135 00 00")).aid()))
                .isEqualTo("A000000063504B43532D3135");
    }

    @Test
    void dir_record_of_padding_is_empty_and_broken_ones_fail() throws Exception {
        assertThat(parser.dirRecord(h("FFFFFFFF"))).isNull();
        assertThatThrownBy(() -> parser.dirRecord(h("61 1E 4F 0C A0000000"))).isInstanceOf(Pkcs15Exception.class);
        assertThatThrownBy(() -> parser.dirRecord(h("61 04 50 02 4142"))).isInstanceOf(Pkcs15Exception.class)
                .hasMessageContaining("AID");
        assertThatThrownBy(() -> parser.dirRecord(h("61 84 FFFFFFFF 00"))).isInstanceOf(Pkcs15Exception.class);
    }

    // ---------------------------------------------------------------- ODF

    @Test
    void odf_entries_are_read_up_to_the_padding() throws Exception {
        List<OdfEntry> odf = parser.odf(h("A7 06 30 04 04 02 6430 A8 06 30 04 04 02 4401 A5 06 30 04 04 02 4402 0000000000"));
        assertThat(odf).extracting(OdfEntry::tag).containsExactly(0xA7, 0xA8, 0xA5);
        assertThat(odf.get(0).path()).isEqualTo(Pkcs15Path.ofFid(0x6430));
        assertThat(parser.problems()).isEmpty();
    }

    @Test
    void odf_accepts_a_bare_octet_string_an_absolute_path_and_an_indefinite_length() throws Exception {
        List<OdfEntry> odf = parser.odf(h("A7 04 04 02 6430  A8 08 30 06 04 04 3F005015 A4 80 30 04 04 02 4403 0000"));
        assertThat(odf).hasSize(3);
        assertThat(odf.get(0).path().fid()).isEqualTo(0x6430);
        assertThat(odf.get(1).path().isAbsolute()).isTrue();
        assertThat(odf.get(2).path().fid()).isEqualTo(0x4403);
    }

    @Test
    void odf_skips_entries_it_cannot_use_and_fails_on_broken_framing() throws Exception {
        List<OdfEntry> odf = parser.odf(h("30 02 0500  A7 03 02 01 05  A7 05 30 03 04 01 64  A7 06 30 04 04 02 6430"));
        assertThat(odf).hasSize(1);
        assertThat(parser.problems()).hasSize(3);
        assertThatThrownBy(() -> parser.odf(h("A7 10 30 04 04 02 6430"))).isInstanceOf(Pkcs15Exception.class)
                .hasMessageContaining("past the end");
    }

    // ---------------------------------------------------------------- TokenInfo

    @Test
    void token_info_of_the_demo_card() throws Exception {
        TokenInfo t = parser.tokenInfo(DemoCardAccess.tokenInfo());
        assertThat(t.version()).isZero();
        assertThat(HEX.formatHex(t.serialNumber())).isEqualTo("989400000000000010F2");
        assertThat(t.manufacturer()).isEqualTo("Cardinal");
        assertThat(t.label()).isEqualTo("Cardinal demo UICC");
    }

    @Test
    void token_info_with_an_untagged_or_explicitly_tagged_label() throws Exception {
        assertThat(parser.tokenInfo(h("30 13 020100 0402 0102 0C02 4D4D 0C03 4C4142 030100")).label()).isEqualTo("LAB");
        assertThat(parser.tokenInfo(h("30 11 020100 0402 0102 A0 05 0C03 4C4142 030100")).label()).isEqualTo("LAB");
        assertThat(parser.tokenInfo(h("30 0B 020100 0402 0102 030201C0 FF")).flags()).isEqualTo(3);
    }

    @Test
    void token_info_without_serial_or_with_garbage_fails() {
        assertThatThrownBy(() -> parser.tokenInfo(h("30 03 020100"))).isInstanceOf(Pkcs15Exception.class);
        assertThatThrownBy(() -> parser.tokenInfo(h("0000"))).isInstanceOf(Pkcs15Exception.class);
        assertThatThrownBy(() -> parser.tokenInfo(h("30 05 02 02 0100"))).isInstanceOf(Pkcs15Exception.class);
        assertThatThrownBy(() -> parser.tokenInfo(h("30 04 0202 FFFF"))).isInstanceOf(Pkcs15Exception.class);
    }

    // ---------------------------------------------------------------- DODF

    @Test
    void dodf_of_the_demo_card_names_the_bootstrap_and_cardinal_objects() throws Exception {
        List<DataObject> objects = parser.dodf(DemoCardAccess.dodf());
        assertThat(objects).extracting(DataObject::oid).containsExactly(Pkcs15.OID_DM_BOOTSTRAP, Cardinal.OID_POLICY,
                Cardinal.OID_MO_STORE, Cardinal.OID_FUMO_POLICY, Cardinal.OID_CREDENTIALS, Cardinal.OID_STATE);
        assertThat(objects.get(0).common().label()).isEqualTo("DM Bootstrap");
        assertThat(objects.get(0).common().modifiable()).isTrue();
        assertThat(objects.get(0).path()).isEqualTo(Pkcs15Path.ofFid(0x6431));
        assertThat(objects.get(2).common().label()).isEmpty();
        assertThat(objects.get(2).common().modifiable()).isTrue();
        assertThat(objects.get(1).common().modifiable()).isFalse();
        assertThat(parser.problems()).isEmpty();
    }

    @Test
    void dodf_entry_in_the_lwm2m_card_layout() throws Exception {
        // oidDO with applicationName, OidDO explicitly tagged: A1 { 30 00, 30 { 0C name }, A1 { 30 { 06, Path } } }
        byte[] entry = h("A1 1F 30 00 30 09 0C 07 444D20426F6F74 A1 10 30 0E 06 04 672B0701 30 06 04 04 3F006431");
        DataObject o = parser.dodf(entry).get(0);
        assertThat(o.oid()).isEqualTo("2.23.43.7.1");
        assertThat(o.applicationName()).isEqualTo("DM Boot");
        assertThat(o.path().isAbsolute()).isTrue();
    }

    @Test
    void dodf_oid_wrapped_twice_is_unwrapped() throws Exception {
        byte[] entry = h("A1 16 30 00 30 00 A1 10 30 0E 06 06 06 04 672B0701 30 04 04 02 6431");
        assertThat(parser.dodf(entry).get(0).oid()).isEqualTo("2.23.43.7.1");
    }

    @Test
    void dodf_type_attributes_tagged_implicitly_are_accepted() throws Exception {
        byte[] entry = h("A1 12 30 00 30 00 A1 0C 06 04 672B0701 30 04 04 02 6431");
        assertThat(parser.dodf(entry).get(0).path().fid()).isEqualTo(0x6431);
    }

    @Test
    void dodf_application_oid_identifies_an_opaque_object() throws Exception {
        byte[] entry = h("30 14 30 00 30 06 06 04 672B0701 A1 08 30 06 04 04 3F006431");
        DataObject o = parser.dodf(entry).get(0);
        assertThat(o.kind()).isEqualTo("opaque");
        assertThat(o.isIdentifiedBy(Pkcs15.OID_DM_BOOTSTRAP)).isTrue();
    }

    @Test
    void dodf_direct_values_are_kept() throws Exception {
        byte[] entry = h("A1 14 30 00 30 00 A1 0E 30 0C 06 04 672B0701 A0 04 04 02 CAFE");
        assertThat(HEX.formatHex(parser.dodf(entry).get(0).direct())).isEqualTo("CAFE");
    }

    @Test
    void dodf_skips_broken_objects_and_keeps_the_good_ones() throws Exception {
        byte[] good = h("A1 12 30 00 30 00 A1 0C 06 04 672B0701 30 04 04 02 6431");
        byte[] noType = h("A1 04 30 00 30 00");
        byte[] notOid = h("A1 10 30 00 30 00 A1 0A 30 08 04 02 0102 30 02 0400");
        byte[] wrongTag = h("A5 02 0500");
        byte[] protectedValue = h("A1 14 30 00 30 00 A1 0E 30 0C 06 04 672B0701 A1 04 30 02 0400");
        byte[] file = DemoCardAccess.concat(noType, notOid, wrongTag, protectedValue, good, h("FFFF"));
        assertThat(parser.dodf(file)).hasSize(1);
        assertThat(parser.problems()).hasSize(4);
    }

    // ---------------------------------------------------------------- AODF, CDF

    @Test
    void aodf_pin_object_of_the_demo_card() throws Exception {
        AuthObject pin = parser.aodf(DemoCardAccess.aodf()).get(0);
        assertThat(pin.common().label()).isEqualTo("PIN1");
        assertThat(HEX.formatHex(pin.authId())).isEqualTo("01");
        assertThat(pin.reference()).isEqualTo(1);
        assertThat(pin.pinType()).isEqualTo(1);
        assertThat(pin.minLength()).isEqualTo(4);
        assertThat(pin.storedLength()).isEqualTo(8);
        assertThat(pin.maxLength()).isEqualTo(8);
        assertThat(pin.pinFlags()).isEqualTo((1 << 4) | (1 << 5));
    }

    @Test
    void aodf_skips_non_pin_and_incomplete_objects() throws Exception {
        byte[] bio = h("A0 02 0500");
        byte[] incomplete = h("30 0C 30 00 30 03 040101 A1 03 30 01 00");
        assertThat(parser.aodf(DemoCardAccess.concat(bio, incomplete, DemoCardAccess.aodf()))).hasSize(1);
        assertThat(parser.problems()).hasSize(2);
    }

    @Test
    void cdf_certificate_object_of_the_demo_card() throws Exception {
        CertificateObject c = parser.cdf(DemoCardAccess.cdf()).get(0);
        assertThat(c.common().label()).isEqualTo("FUMO signer");
        assertThat(HEX.formatHex(c.id())).isEqualTo("46");
        assertThat(c.authority()).isFalse();
        assertThat(c.path().fid()).isEqualTo(0x4403);
    }

    @Test
    void cdf_skips_attribute_certificates_and_objects_without_id() throws Exception {
        byte[] attribute = h("A0 02 0500");
        byte[] noId = h("30 0E 30 00 30 03 010100 A1 05 30 03 04 01 44");
        assertThat(parser.cdf(DemoCardAccess.concat(attribute, noId))).isEmpty();
        assertThat(parser.problems()).hasSize(2);
    }

    // ---------------------------------------------------------------- robustness

    @Test
    void random_and_mutated_inputs_fail_only_with_pkcs15_exceptions() {
        Random random = new Random(0x15);
        List<byte[]> seeds = List.of(DemoCardAccess.dodf(), DemoCardAccess.odf(), DemoCardAccess.aodf(),
                DemoCardAccess.cdf(), DemoCardAccess.tokenInfo(), DemoCardAccess.dirRecord());
        for (int i = 0; i < 6_000; i++) {
            byte[] input;
            if (i % 2 == 0) {
                input = new byte[random.nextInt(64)];
                random.nextBytes(input);
            } else {
                input = seeds.get(random.nextInt(seeds.size())).clone();
                for (int k = 0, n = 1 + random.nextInt(4); k < n && input.length > 0; k++) {
                    input[random.nextInt(input.length)] = (byte) random.nextInt(256);
                }
                if (random.nextBoolean()) {
                    input = java.util.Arrays.copyOf(input, random.nextInt(input.length + 1));
                }
            }
            Pkcs15Parser p = new Pkcs15Parser();
            for (int kind = 0; kind < 6; kind++) {
                try {
                    switch (kind) {
                        case 0 -> p.dodf(input);
                        case 1 -> p.odf(input);
                        case 2 -> p.aodf(input);
                        case 3 -> p.cdf(input);
                        case 4 -> p.tokenInfo(input);
                        default -> p.dirRecord(input);
                    }
                } catch (Pkcs15Exception expected) {
                    // the only way to fail
                }
            }
        }
    }

    @Test
    void tlv_framing_handles_long_and_indefinite_lengths_and_refuses_overruns() throws Exception {
        assertThat(Tlv.split(h("04 81 02 AABB 30 80 04 01 01 0000 00"))).hasSize(2);
        assertThat(Tlv.endsInPadding(h("04 01 01 00"))).isTrue();
        assertThat(Tlv.endsInPadding(h("04 05 01"))).isFalse();
        assertThat(Tlv.endsInPadding(h("04 01 01"))).isFalse();
        assertThatThrownBy(() -> Tlv.split(h("04 85 0000000001 00"))).isInstanceOf(Pkcs15Exception.class);
        assertThatThrownBy(() -> Tlv.split(h("04 80 00 00"))).isInstanceOf(Pkcs15Exception.class);
        assertThatThrownBy(() -> Tlv.split(h("30 80 04 01 01"))).isInstanceOf(Pkcs15Exception.class);
        assertThatThrownBy(() -> Tlv.split(h("1F"))).isInstanceOf(Pkcs15Exception.class);
        byte[] deep = new byte[80];
        for (int i = 0; i < 40; i++) {
            deep[2 * i] = 0x30;
            deep[2 * i + 1] = (byte) 0x80;
        }
        assertThatThrownBy(() -> Tlv.split(deep)).isInstanceOf(Pkcs15Exception.class).hasMessageContaining("deeply");
    }
}
