package org.cardinaldm.smartcard.dm.internal.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;

import org.cardinaldm.smartcard.dm.api.CardCredential;
import org.cardinaldm.smartcard.dm.api.CardPolicy;
import org.cardinaldm.smartcard.dm.api.DigestType;
import org.cardinaldm.smartcard.dm.api.FumoPolicy;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15Exception;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15Path;
import org.cardinaldm.smartcard.dm.internal.profile.ProfileCodec.SlotControl;
import org.junit.jupiter.api.Test;

/** Cardinal's own DODF objects: exact DER, round trips, and refusal of what is malformed. */
class ProfileCodecTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private static byte[] h(String hex) {
        return HEX.parseHex(hex.replace(" ", ""));
    }

    @Test
    void policy_has_the_documented_encoding() throws Exception {
        CardPolicy p = CardPolicy.of(false, true, List.of("cardinal-dms"));
        assertThat(HEX.formatHex(ProfileCodec.encode(p)))
                .isEqualTo("3019020100010100" + "0101FF" + "300E0C0C" + HEX.formatHex("cardinal-dms".getBytes()));
        assertThat(ProfileCodec.decodePolicy(ProfileCodec.encode(p))).isEqualTo(p);
    }

    @Test
    void policy_decoding_is_lenient_with_ber_and_later_versions_but_not_with_wrong_types() throws Exception {
        // BER true (01 instead of FF), version 1, an appended element, trailing padding
        CardPolicy p = ProfileCodec.decodePolicy(h("3010 020101 010101 010100 3000 0C03 414243 0000"));
        assertThat(p.userConfirmation()).isTrue();
        assertThat(p.allowedServers()).isEmpty();
        assertThatThrownBy(() -> ProfileCodec.decodePolicy(h("300B 020100 0101FF 0101FF 0400")))
                .isInstanceOf(Pkcs15Exception.class);
        assertThatThrownBy(() -> ProfileCodec.decodePolicy(h("3008 020100 0101FF 0101FF")))
                .isInstanceOf(Pkcs15Exception.class);
        assertThatThrownBy(() -> ProfileCodec.decodePolicy(h("300D 0201FF 0101FF 0101FF 3002 0C00")))
                .isInstanceOf(Pkcs15Exception.class);
        assertThatThrownBy(() -> ProfileCodec.decodePolicy(h("0000"))).isInstanceOf(Pkcs15Exception.class);
        assertThatThrownBy(() -> ProfileCodec.decodePolicy(h("300D 020100 0101FF 0101FF 3004 03020640")))
                .isInstanceOf(Pkcs15Exception.class);
    }

    @Test
    void fumo_policy_round_trips_and_checks_hash_lengths() throws Exception {
        FumoPolicy f = FumoPolicy.of(List.of("AB".repeat(32)), List.of("a", "b"), 42);
        assertThat(ProfileCodec.decodeFumoPolicy(ProfileCodec.encode(f))).isEqualTo(f);
        assertThatThrownBy(() -> ProfileCodec.decodeFumoPolicy(h("300F 020100 3004 0402 ABCD 3000 020101")))
                .isInstanceOf(Pkcs15Exception.class);
        assertThatThrownBy(() -> ProfileCodec.decodeFumoPolicy(h("300B 020100 3000 3000 0201FF")))
                .isInstanceOf(Pkcs15Exception.class);
    }

    @Test
    void credentials_round_trip_with_their_digest_bits() throws Exception {
        List<CardCredential> list = List.of(
                CardCredential.of("s", CardCredential.Level.CLIENT, "dev", 2, EnumSet.of(DigestType.MD5)),
                CardCredential.of("s", CardCredential.Level.SERVER, "srv", 3, EnumSet.of(DigestType.MD5, DigestType.HMAC)),
                CardCredential.of("t", CardCredential.Level.SERVER, "x", 31, EnumSet.noneOf(DigestType.class)));
        byte[] der = ProfileCodec.encode(list);
        assertThat(HEX.formatHex(der)).contains("03020780").contains("030206C0").contains("030100");
        assertThat(ProfileCodec.decodeCredentials(der)).isEqualTo(list);
    }

    @Test
    void credentials_with_a_wrong_level_or_key_reference_are_refused() {
        assertThatThrownBy(() -> ProfileCodec.decodeCredentials(h("3011 300F 0C0173 0A0102 0C0178 020102 03020780")))
                .isInstanceOf(Pkcs15Exception.class);
        assertThatThrownBy(() -> ProfileCodec.decodeCredentials(h("3011 300F 0C0173 0A0100 0C0178 020140 03020780")))
                .isInstanceOf(Pkcs15Exception.class);
        assertThatThrownBy(() -> ProfileCodec.decodeCredentials(h("3005 3003 0C0173")))
                .isInstanceOf(Pkcs15Exception.class);
    }

    @Test
    void control_records_commit_to_the_other_slot_with_the_content_hash() throws Exception {
        List<Pkcs15Path> slots = List.of(Pkcs15Path.ofFid(0x6438), Pkcs15Path.ofFid(0x6439));
        SlotControl empty = ProfileCodec.empty(2048, slots);
        SlotControl one = empty.next("abc".getBytes());
        assertThat(one.generation()).isEqualTo(1);
        assertThat(one.active()).isEqualTo(1);
        assertThat(one.activeSlot().fid()).isEqualTo(0x6439);
        assertThat(one.inactiveSlot().fid()).isEqualTo(0x6438);
        assertThat(one.matches("abc".getBytes())).isTrue();
        assertThat(one.matches("abd".getBytes())).isFalse();
        byte[] der = ProfileCodec.encode(one);
        assertThat(der.length).isLessThan(100);
        SlotControl back = ProfileCodec.decodeControl(DemoBytes.pad(der, 96));
        assertThat(back.generation()).isEqualTo(1);
        assertThat(back.slots()).isEqualTo(slots);
        assertThat(back.next(new byte[0]).active()).isZero();
        SlotControl wrap = new SlotControl(0xFFFFFFFFL, 0, 0, 10, one.sha256(), slots).next(new byte[0]);
        assertThat(wrap.generation()).isZero();
    }

    @Test
    void inconsistent_control_records_are_refused() {
        String hash = "0420" + "00".repeat(32);
        String slots = "3010 3006 04 02 6438 00 3006 0402 6439";
        assertThatThrownBy(() -> ProfileCodec.decodeControl(h("303A 020101 020102 020100 020110 " + hash
                + " 3010 3006 0402643802 3006 04026439"))).isInstanceOf(Pkcs15Exception.class); // active 2
        assertThatThrownBy(() -> ProfileCodec.decodeControl(h("3039 020101 020101 020111 020110 " + hash
                + " 300C 3004 04026438 3004 04026439"))).isInstanceOf(Pkcs15Exception.class); // length > size
        assertThatThrownBy(() -> ProfileCodec.decodeControl(h("302B 020101 020101 020100 020110 0410"
                + "00".repeat(16) + " 300C 3004 04026438 3004 04026439"))).isInstanceOf(Pkcs15Exception.class);
        assertThatThrownBy(() -> ProfileCodec.decodeControl(h("3031 020101 020101 020100 020110 " + hash
                + " 3000"))).isInstanceOf(Pkcs15Exception.class);
        assertThat(slots).isNotEmpty();
    }

    @Test
    void named_bits_drop_trailing_zero_bits() {
        assertThat(HEX.formatHex(ProfileCodec.der(ProfileCodec.namedBits(0)))).isEqualTo("030100");
        assertThat(HEX.formatHex(ProfileCodec.der(ProfileCodec.namedBits(2)))).isEqualTo("03020640");
        assertThat(HEX.formatHex(ProfileCodec.der(ProfileCodec.namedBits(1 << 8)))).isEqualTo("0303070080");
    }

    /** Padding helper. */
    static final class DemoBytes {
        static byte[] pad(byte[] b, int size) {
            return java.util.Arrays.copyOf(b, size);
        }
    }
}
