package org.cardinaldm.smartcard.sim.internal.dm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import org.cardinaldm.smartcard.api.ResponseApdu;
import org.cardinaldm.smartcard.sim.internal.SimCardHandle;
import org.cardinaldm.smartcard.sim.internal.card.CardImage;
import org.cardinaldm.smartcard.sim.internal.card.CardImageCodec;
import org.cardinaldm.smartcard.sim.internal.card.Uicc;
import org.cardinaldm.smartcard.sim.internal.image.MemoryImageStore;
import org.cardinaldm.smartcard.sim.internal.profile.ProfileParser;
import org.junit.jupiter.api.Test;

/** The card side of Cardinal's DM profile on the demo card: change counters, digests, the dm security state. */
class DmAppletTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final String PKCS15 = "A000000063504B43532D3135";
    private static final byte[] ADM_KEY = HEX.parseHex("000102030405060708090A0B0C0D0E0F");
    private static final String ADM_LINE = "key 01 usage=adm value=000102030405060708090A0B0C0D0E0F\n";

    private final MemoryImageStore memory;
    private final SimCardHandle handle;
    private Uicc card;

    DmAppletTest() throws Exception {
        CardImage image = SimCardHandle.personalisation(null);
        memory = new MemoryImageStore(CardImageCodec.encode(image));
        handle = SimCardHandle.inMemory(image, memory);
        card = handle.uicc();
        card.powerOn();
    }

    private ResponseApdu send(String hex) {
        return ResponseApdu.parse(card.transmit(HEX.parseHex(hex.replace(" ", ""))));
    }

    private byte[] state() {
        ResponseApdu r = send("80 30 00 00 00");
        assertThat(r.sw()).isEqualTo(0x9000);
        return r.data();
    }

    private static long u32(byte[] b, int at) {
        return ((long) (b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    private static long fileCounter(byte[] state, int fid) {
        for (int at = 26; at + 7 <= state.length; at += 7) {
            if (((state[at] & 0xFF) << 8 | (state[at + 1] & 0xFF)) == fid) {
                return u32(state, at + 3);
            }
        }
        throw new AssertionError("no entry for " + Integer.toHexString(fid));
    }

    private void adm() {
        byte[] challenge = Arrays.copyOf(card.transmit(HEX.parseHex("0084000010")), 16);
        assertThat(send("00 82 00 01 10 " + HEX.formatHex(Uicc.admCryptogram(ADM_KEY, challenge))).sw()).isEqualTo(0x9000);
    }

    private static byte[] md5(byte[]... parts) throws Exception {
        MessageDigest md = MessageDigest.getInstance("MD5");
        for (byte[] p : parts) {
            md.update(p);
        }
        return md.digest();
    }

    /** The server's md5 digest as a DM server computes it from its own secret. */
    private static byte[] serverDigest(String name, String secret, byte[] nonce) throws Exception {
        byte[] user = Base64.getEncoder().encode(md5((name + ":" + secret).getBytes(StandardCharsets.UTF_8)));
        return md5(user, ":".getBytes(), nonce);
    }

    private static String tlv(int tag, byte[] value) {
        return String.format("%02X%02X", tag, value.length) + HEX.formatHex(value);
    }

    /** The device key verified on the basic channel (profile 1.1). */
    private void device() {
        assertThat(send("80 20 00 00 10 " + DmSessionSecurityTest.DEVICE_KEY).sw()).isEqualTo(0x9000);
    }

    /** The server key's challenge, after the device key. */
    private byte[] challenge() {
        device();
        ResponseApdu r = send("80 38 00 03 10");
        assertThat(r.sw()).isEqualTo(0x9000);
        return r.data();
    }

    private String verify(byte[] digest, byte[] nonce) {
        String data = tlv(0x80, nonce) + tlv(0x82, digest);
        return HEX.formatHex(new byte[] {(byte) (data.length() / 2)}) + data;
    }

    @Test
    void get_change_counter_returns_the_personalised_state() {
        byte[] s = state();
        assertThat(s[0]).isEqualTo((byte) 1);
        assertThat(new byte[] {s[1], s[2]}).containsExactly(1, 2); // profile 1.2: the demo card has the FUMO commands
        assertThat(s[3] & 0xFF).isEqualTo(0x3F);
        assertThat(HEX.formatHex(Arrays.copyOfRange(s, 5, 5 + s[4]))).isEqualTo("989400000000000010F2");
        assertThat(u32(s, 21)).isZero();
        int entries = s[25] & 0xFF;
        assertThat(s).hasSize(26 + 7 * entries);
        // EF.DIR first, then the application's EFs (EF.DMSTATE excluded) with their SFIs
        assertThat(HEX.formatHex(Arrays.copyOfRange(s, 26, 29))).isEqualTo("2F001E");
        assertThat(HEX.formatHex(s)).contains("643001").contains("643102").contains("503111").doesNotContain("643203");
        assertThat(send("80 30 01 00 00").data()).hasSize(26);
        assertThat(send("80 30 02 00 00").sw()).isEqualTo(0x6A86);
        assertThat(send("80 30 00 00 01 00").sw()).isEqualTo(0x6700);
    }

    @Test
    void a_write_of_a_dm_file_counts_and_other_writes_do_not() {
        adm();
        send("00 A4 04 0C 0C " + PKCS15);
        assertThat(send("00 D6 86 00 01 00").sw()).isEqualTo(0x9000); // policy slot 0 by SFI 6
        byte[] s = state();
        assertThat(u32(s, 21)).isEqualTo(1);
        assertThat(fileCounter(s, 0x6435)).isEqualTo(1);
        assertThat(fileCounter(s, 0x6436)).isZero();
        assertThat(send("00 DC 01 04 28 " + "FF".repeat(40)).sw()).isEqualTo(0x6981); // refused: nothing counted
        send("00 A4 00 0C 02 3F00");
        send("00 A4 00 0C 02 7F10");
        send("00 20 00 01 08 31323334FFFFFFFF");
        send("00 A4 00 0C 02 6F3A");
        assertThat(send("00 DC 01 04 1E " + "00".repeat(30)).sw()).isEqualTo(0x9000); // EF.ADN: not a DM file
        assertThat(u32(state(), 21)).isEqualTo(1);
        send("00 A4 00 0C 02 3F00");
        assertThat(send("00 DC 02 F4 28 " + "FF".repeat(40)).sw()).isEqualTo(0x9000); // EF.DIR record 2
        assertThat(u32(state(), 21)).isEqualTo(2);
        assertThat(fileCounter(state(), 0x2F00)).isEqualTo(1);
    }

    @Test
    void nobody_may_update_ef_dmstate() {
        adm();
        send("00 A4 04 0C 0C " + PKCS15);
        assertThat(send("00 D6 83 15 04 00000000").sw()).isEqualTo(0x6982);
    }

    @Test
    void the_counters_survive_a_reload_of_the_image() throws Exception {
        adm();
        send("00 A4 04 0C 0C " + PKCS15);
        send("00 D6 86 00 01 00");
        card = handle.reload();
        card.powerOn();
        assertThat(u32(state(), 21)).isEqualTo(1);
    }

    @Test
    void a_write_torn_before_its_commit_counts_nothing() throws Exception {
        adm();
        send("00 A4 04 0C 0C " + PKCS15);
        memory.tearAt(1, false);
        assertThatThrownBy(() -> send("00 D6 86 00 01 00")).isInstanceOf(Uicc.CardPowerLostException.class);
        card = handle.reload();
        card.powerOn();
        assertThat(u32(state(), 21)).isZero();
    }

    @Test
    void compute_dm_digest_gives_the_md5_and_hmac_credentials() throws Exception {
        byte[] nonce = "Nonce".getBytes(StandardCharsets.US_ASCII);
        device();
        ResponseApdu r = send("80 32 01 02 07 " + tlv(0x80, nonce) + " 00");
        assertThat(r.sw()).isEqualTo(0x9000);
        byte[] expected = serverDigest("cardinal-device", "cardinal-device-demo-secret", nonce);
        assertThat(r.data()).isEqualTo(expected);
        byte[] body = "<SyncML xmlns=\"SYNCML:SYNCML1.2\"></SyncML>".getBytes(StandardCharsets.UTF_8);
        byte[] bodyMd5 = md5(body);
        r = send("80 32 02 02 19 " + tlv(0x80, nonce) + tlv(0x81, bodyMd5) + " 00");
        byte[] user = Base64.getEncoder().encode(md5("cardinal-device:cardinal-device-demo-secret".getBytes()));
        assertThat(r.data()).isEqualTo(md5(user, ":".getBytes(), nonce, ":".getBytes(), Base64.getEncoder().encode(bodyMd5)));
    }

    @Test
    void compute_dm_digest_matches_the_oma_example() throws Exception {
        String profile = "cardinal-uicc-profile 1\ncard protocol=T=1\n" + ADM_LINE
                + "key 05 usage=dm-client value=" + HEX.formatHex(md5("Bruce2:OhBehave".getBytes())) + "\n"
                + "key 06 usage=dm-device value=" + DmSessionSecurityTest.DEVICE_KEY + "\n"
                + "mf {\n df 5015 aid=" + PKCS15 + " {\n  ef 6432 transparent size=40 update=never\n }\n}\n";
        CardImage image = SimCardHandle.dmPersonalised(new ProfileParser(null).parse(profile));
        Uicc c = new Uicc(image, b -> { });
        DmApplet.install(c);
        c.powerOn();
        assertThat(c.transmit(HEX.parseHex("8020000610" + DmSessionSecurityTest.DEVICE_KEY))).containsExactly(0x90, 0x00);
        byte[] r = c.transmit(HEX.parseHex("80320105078005" + HEX.formatHex("Nonce".getBytes()) + "00"));
        assertThat(Base64.getEncoder().encodeToString(Arrays.copyOf(r, 16))).isEqualTo("Zz6EivR3yeaaENcRN6lpAQ==");
        byte[] body = "<SyncML xmlns=\"SYNCML:SYNCML1.2\"></SyncML>".getBytes(StandardCharsets.UTF_8);
        r = c.transmit(HEX.parseHex("8032020519" + "8005" + HEX.formatHex("Nonce".getBytes()) + "8110"
                + HEX.formatHex(md5(body)) + "00"));
        assertThat(Base64.getEncoder().encodeToString(Arrays.copyOf(r, 16))).isEqualTo("aSBvnDHzBa7JhdjeEEUR2g==");
        // no ICCID on this card: a random card id of 8 bytes
        byte[] s = c.transmit(HEX.parseHex("8030000000"));
        assertThat(s[4]).isEqualTo((byte) 8);
    }

    @Test
    void compute_dm_digest_refuses_wrong_keys_and_malformed_data() {
        String nonce = tlv(0x80, new byte[] {1, 2, 3, 4});
        device();
        assertThat(send("80 32 01 03 06 " + nonce + " 00").sw()).isEqualTo(0x6984); // the server key
        assertThat(send("80 32 01 01 06 " + nonce + " 00").sw()).isEqualTo(0x6984); // the ADM key
        assertThat(send("80 32 01 09 06 " + nonce + " 00").sw()).isEqualTo(0x6A88);
        assertThat(send("80 32 03 02 06 " + nonce + " 00").sw()).isEqualTo(0x6A86);
        assertThat(send("80 32 01 00 06 " + nonce + " 00").sw()).isEqualTo(0x6A86);
        assertThat(send("80 32 02 02 06 " + nonce + " 00").sw()).isEqualTo(0x6A80); // HMAC without body digest
        assertThat(send("80 32 01 02 03 810100 00").sw()).isEqualTo(0x6A80); // no nonce, short body digest
        assertThat(send("80 32 01 02 03 800500 00").sw()).isEqualTo(0x6A80); // truncated
        assertThat(send("80 32 01 02 03 990100 00").sw()).isEqualTo(0x6A80); // unknown tag
        assertThat(send("80 32 01 02 00").sw()).isEqualTo(0x6700);
    }

    @Test
    void verify_server_digest_opens_the_dm_state_until_end_of_session_or_reset() throws Exception {
        send("00 A4 04 0C 0C " + PKCS15);
        assertThat(send("00 D6 89 00 01 00").sw()).as("MO slot: adm|dm").isEqualTo(0x6982);
        byte[] nonce = challenge();
        byte[] digest = serverDigest("cardinal-dms", "cardinal-dms-demo-secret", nonce);
        assertThat(send("80 34 01 03 " + verify(digest, nonce)).sw()).isEqualTo(0x9000);
        assertThat(send("00 D6 89 00 01 00").sw()).isEqualTo(0x9000);
        assertThat(send("00 D6 86 00 01 00").sw()).as("policy: adm only").isEqualTo(0x6982);
        assertThat(send("80 36 00 00").sw()).isEqualTo(0x9000);
        assertThat(send("00 D6 89 00 01 00").sw()).isEqualTo(0x6982);
        nonce = challenge();
        assertThat(send("80 34 01 03 " + verify(serverDigest("cardinal-dms", "cardinal-dms-demo-secret", nonce), nonce))
                .sw()).isEqualTo(0x9000);
        card.reset();
        send("00 A4 04 0C 0C " + PKCS15);
        assertThat(send("00 D6 89 00 01 00").sw()).isEqualTo(0x6982);
    }

    @Test
    void a_wrong_server_digest_closes_the_dm_state_and_costs_a_try_until_the_key_blocks() throws Exception {
        byte[] nonce = challenge();
        assertThat(send("80 34 01 03 " + verify(good(nonce), nonce)).sw()).isEqualTo(0x9000);
        nonce = challenge();
        assertThat(send("80 34 01 03 " + verify(bad(nonce), nonce)).sw()).isEqualTo(0x63C9);
        send("00 A4 04 0C 0C " + PKCS15);
        assertThat(send("00 D6 89 00 01 00").sw()).isEqualTo(0x6982);
        nonce = challenge();
        assertThat(send("80 34 01 03 " + verify(good(nonce), nonce)).sw()).isEqualTo(0x9000); // resets the counter
        for (int left = 9; left >= 0; left--) {
            nonce = challenge();
            assertThat(send("80 34 01 03 " + verify(bad(nonce), nonce)).sw()).isEqualTo(0x63C0 | left);
        }
        nonce = challenge();
        assertThat(send("80 34 01 03 " + verify(good(nonce), nonce)).sw()).isEqualTo(0x6983);
    }

    private static byte[] good(byte[] nonce) throws Exception {
        return serverDigest("cardinal-dms", "cardinal-dms-demo-secret", nonce);
    }

    private static byte[] bad(byte[] nonce) throws Exception {
        byte[] d = good(nonce);
        d[0] ^= 1;
        return d;
    }

    @Test
    void verify_refuses_client_keys_and_missing_digests() throws Exception {
        byte[] nonce = challenge();
        assertThat(send("80 34 01 02 " + verify(new byte[16], nonce)).sw()).isEqualTo(0x6984);
        assertThat(send("80 34 01 03 12 " + tlv(0x80, nonce)).sw()).isEqualTo(0x6A80);
        assertThat(send("80 34 01 03 15 " + tlv(0x80, nonce) + "8201FF").sw()).isEqualTo(0x6A80);
    }

    @Test
    void a_verification_torn_after_the_decrement_costs_the_try() throws Exception {
        byte[] nonce = challenge();
        byte[] good = good(nonce);
        memory.tearAt(1, true);
        assertThatThrownBy(() -> send("80 34 01 03 " + verify(good, nonce))).isInstanceOf(Uicc.CardPowerLostException.class);
        card = handle.reload();
        card.powerOn();
        byte[] next = challenge();
        assertThat(send("80 34 01 03 " + verify(bad(next), next)).sw()).isEqualTo(0x63C8);
    }

    @Test
    void commands_need_class_80_and_a_dm_card() throws Exception {
        assertThat(send("00 30 00 00 00").sw()).isEqualTo(0x6E00);
        String profile = "cardinal-uicc-profile 1\ncard protocol=T=1\nmf {\n}\n";
        CardImage plain = SimCardHandle.dmPersonalised(new ProfileParser(null).parse(profile));
        Uicc c = new Uicc(plain, b -> { });
        assertThat(DmApplet.install(c)).isFalse();
        c.powerOn();
        assertThat(ResponseApdu.parse(c.transmit(HEX.parseHex("8030000000"))).sw()).isEqualTo(0x6D00);
    }

    @Test
    void a_state_file_too_small_for_the_file_table_is_a_profile_error() throws Exception {
        String profile = "cardinal-uicc-profile 1\ncard protocol=T=1\n" + ADM_LINE + "mf {\n df 5015 aid=" + PKCS15 + " {\n"
                + "  ef 6432 transparent size=30 update=never\n  ef 0001 transparent size=1\n  ef 0002 transparent size=1\n }\n}\n";
        CardImage image = new ProfileParser(null).parse(profile);
        assertThatThrownBy(() -> SimCardHandle.dmPersonalised(image))
                .hasMessageContaining("EF.DMSTATE has no room");
    }
}
