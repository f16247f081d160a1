package org.cardinaldm.smartcard.sim.internal.dm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

import org.cardinaldm.smartcard.api.ResponseApdu;
import org.cardinaldm.smartcard.sim.internal.SimCardHandle;
import org.cardinaldm.smartcard.sim.internal.card.CardImage;
import org.cardinaldm.smartcard.sim.internal.card.CardImageCodec;
import org.cardinaldm.smartcard.sim.internal.card.Uicc;
import org.cardinaldm.smartcard.sim.internal.image.MemoryImageStore;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 5: the card checks the server against a challenge of its own, the {@code dm} state belongs to
 * one logical channel and one session, and the device's credentials need the device key (demo card).
 */
class DmSessionSecurityTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final String PKCS15 = "A000000063504B43532D3135";
    /** The demo card's device key (key 04, usage dm-device): the 16 ASCII bytes "cardinal-demo-dk". */
    static final String DEVICE_KEY = "63617264696E616C2D64656D6F2D646B";

    private final MemoryImageStore memory;
    private final SimCardHandle handle;
    private Uicc card;

    DmSessionSecurityTest() throws Exception {
        CardImage image = SimCardHandle.personalisation(null);
        memory = new MemoryImageStore(CardImageCodec.encode(image));
        handle = SimCardHandle.inMemory(image, memory);
        card = handle.uicc();
        card.powerOn();
    }

    private ResponseApdu send(String hex) {
        return ResponseApdu.parse(card.transmit(HEX.parseHex(hex.replace(" ", ""))));
    }

    private int sw(String hex) {
        return send(hex).sw();
    }

    /** CLA 80 on a channel 0-3. */
    private static String cla(int channel) {
        return String.format("%02X", 0x80 | channel);
    }

    private void device(int channel) {
        assertThat(sw(cla(channel) + " 20 00 00 10 " + DEVICE_KEY)).isEqualTo(0x9000);
    }

    private byte[] challenge(int channel) {
        ResponseApdu r = send(cla(channel) + " 38 00 03 10");
        assertThat(r.sw()).isEqualTo(0x9000);
        assertThat(r.data()).hasSize(16);
        return r.data();
    }

    private static byte[] md5(byte[]... parts) throws Exception {
        MessageDigest md = MessageDigest.getInstance("MD5");
        for (byte[] p : parts) {
            md.update(p);
        }
        return md.digest();
    }

    private static byte[] serverKey() throws Exception {
        return Base64.getEncoder().encode(md5("cardinal-dms:cardinal-dms-demo-secret".getBytes(StandardCharsets.UTF_8)));
    }

    /** The server's md5 digest as a DM server computes it from its own secret. */
    private static byte[] serverMd5(byte[] nonce) throws Exception {
        return md5(serverKey(), ":".getBytes(), nonce);
    }

    /** The HMAC form over a body (a session message, or a package 0's trigger). */
    private static byte[] serverMac(byte[] nonce, byte[] body) throws Exception {
        return md5(serverKey(), ":".getBytes(), nonce, ":".getBytes(), Base64.getEncoder().encode(md5(body)));
    }

    private static String tlv(int tag, byte[] value) {
        return String.format("%02X%02X", tag, value.length) + HEX.formatHex(value);
    }

    private static String withLc(String data) {
        return HEX.formatHex(new byte[] {(byte) (data.length() / 2)}) + data;
    }

    private int verifyMd5(int channel, byte[] nonce, byte[] digest) {
        return sw(cla(channel) + " 34 01 03 " + withLc(tlv(0x80, nonce) + tlv(0x82, digest)));
    }

    private int verifyMac(int channel, int p1, byte[] nonce, byte[] body, byte[] digest) throws Exception {
        return sw(cla(channel) + String.format(" 34 %02X 03 ", p1)
                + withLc(tlv(0x80, nonce) + tlv(0x81, md5(body)) + tlv(0x82, digest)));
    }

    private int writeMoSlot(int channel) {
        send(String.format("%02X", channel) + " A4 04 0C 0C " + PKCS15);
        return sw(String.format("%02X", channel) + " D6 89 00 01 00");
    }

    @Test
    void computing_the_devices_credentials_needs_the_device_key_on_the_channel() {
        String compute = " 32 01 02 06 " + tlv(0x80, new byte[] {1, 2, 3, 4}) + " 00";
        assertThat(sw("80" + compute)).as("a local PC/SC client without the key").isEqualTo(0x6982);
        device(0);
        assertThat(sw("80" + compute)).isEqualTo(0x9000);
        assertThat(send("00 70 00 00 01").data()).containsExactly(1);
        assertThat(sw("81" + compute)).as("another channel").isEqualTo(0x6982);
        assertThat(sw("80 36 00 00")).isEqualTo(0x9000);
        assertThat(sw("80" + compute)).as("after END DM SESSION").isEqualTo(0x6982);
    }

    @Test
    void a_wrong_device_key_costs_a_try_and_the_key_blocks_after_three() {
        String wrong = "80 20 00 00 10 " + "00".repeat(16);
        assertThat(sw("80 20 00 00")).as("status: not verified, 3 tries").isEqualTo(0x63C3);
        assertThat(sw(wrong)).isEqualTo(0x63C2);
        device(0);
        assertThat(sw("80 20 00 00")).isEqualTo(0x9000);
        assertThat(sw(wrong)).as("a wrong key also forgets the right one").isEqualTo(0x63C2);
        assertThat(sw("80 32 01 02 04 80020102 00")).isEqualTo(0x6982);
        assertThat(sw(wrong)).isEqualTo(0x63C1);
        assertThat(sw(wrong)).isEqualTo(0x63C0);
        assertThat(sw("80 20 00 00 10 " + DEVICE_KEY)).isEqualTo(0x6983);
        assertThat(sw("80 20 00 02 10 " + DEVICE_KEY)).as("not a device key").isEqualTo(0x6984);
        assertThat(sw("80 20 00 09 10 " + DEVICE_KEY)).isEqualTo(0x6A88);
        assertThat(sw("80 20 00 00 04 00000000")).isEqualTo(0x6700);
    }

    @Test
    void verify_server_digest_accepts_only_the_cards_own_challenge() throws Exception {
        device(0);
        byte[] mine = {9, 8, 7, 6, 5, 4, 3, 2};
        assertThat(verifyMd5(0, mine, serverMd5(mine))).as("a nonce the caller chose").isEqualTo(0x6985);
        assertThat(writeMoSlot(0)).isEqualTo(0x6982);
        byte[] challenge = challenge(0);
        assertThat(challenge(0)).as("pending until used").isEqualTo(challenge);
        assertThat(verifyMd5(0, challenge, serverMd5(challenge))).isEqualTo(0x9000);
        assertThat(writeMoSlot(0)).isEqualTo(0x9000);
    }

    @Test
    void a_recorded_server_digest_is_never_accepted_twice() throws Exception {
        device(0);
        byte[] challenge = challenge(0);
        byte[] recorded = serverMd5(challenge);
        assertThat(verifyMd5(0, challenge, recorded)).isEqualTo(0x9000);
        assertThat(sw("80 36 00 00")).isEqualTo(0x9000);
        device(0);
        assertThat(verifyMd5(0, challenge, recorded)).as("the challenge was used up").isEqualTo(0x6985);
        assertThat(writeMoSlot(0)).isEqualTo(0x6982);
        byte[] next = challenge(0);
        assertThat(next).isNotEqualTo(challenge);
        assertThat(verifyMd5(0, next, recorded)).isEqualTo(0x63C9);
        assertThat(verifyMd5(0, next, serverMd5(next))).as("one attempt per challenge").isEqualTo(0x6985);
    }

    @Test
    void the_challenge_survives_a_power_loss_and_a_reload_of_the_image() throws Exception {
        device(0);
        byte[] challenge = challenge(0);
        card.powerOff();
        card = handle.reload();
        card.powerOn();
        device(0);
        assertThat(challenge(0)).isEqualTo(challenge);
        assertThat(verifyMd5(0, challenge, serverMd5(challenge))).isEqualTo(0x9000);
    }

    @Test
    void a_verification_torn_after_its_first_commit_uses_the_challenge_up() throws Exception {
        device(0);
        byte[] challenge = challenge(0);
        memory.tearAt(1, true);
        assertThatThrownBy(() -> verifyMd5(0, challenge, serverMd5(challenge)))
                .isInstanceOf(Uicc.CardPowerLostException.class);
        card = handle.reload();
        card.powerOn();
        device(0);
        assertThat(verifyMd5(0, challenge, serverMd5(challenge))).isEqualTo(0x6985);
    }

    @Test
    void a_second_channel_does_not_inherit_the_dm_state_and_closing_the_channel_ends_it() throws Exception {
        assertThat(send("00 70 00 00 01").data()).containsExactly(1);
        device(1);
        byte[] challenge = challenge(1);
        assertThat(verifyMd5(1, challenge, serverMd5(challenge))).isEqualTo(0x9000);
        assertThat(writeMoSlot(1)).isEqualTo(0x9000);
        assertThat(writeMoSlot(0)).as("the basic channel").isEqualTo(0x6982);
        assertThat(send("00 70 00 00 01").data()).containsExactly(2);
        assertThat(writeMoSlot(2)).as("a channel opened later").isEqualTo(0x6982);
        assertThat(sw("01 70 00 03")).isEqualTo(0x9000);
        assertThat(writeMoSlot(3)).as("a channel opened from the authenticated one").isEqualTo(0x6982);
        assertThat(sw("00 70 80 01")).isEqualTo(0x9000);
        assertThat(sw("00 70 00 01")).isEqualTo(0x9000);
        assertThat(writeMoSlot(1)).as("the same number, opened again").isEqualTo(0x6982);
        assertThat(sw("81 32 01 02 04 80020102 00")).isEqualTo(0x6982);
    }

    @Test
    void end_dm_session_on_another_channel_leaves_the_state_alone() throws Exception {
        device(0);
        byte[] challenge = challenge(0);
        assertThat(verifyMd5(0, challenge, serverMd5(challenge))).isEqualTo(0x9000);
        assertThat(send("00 70 00 00 01").data()).containsExactly(1);
        assertThat(sw("81 36 00 00")).isEqualTo(0x9000);
        assertThat(writeMoSlot(0)).isEqualTo(0x9000);
        card.reset();
        assertThat(writeMoSlot(0)).isEqualTo(0x6982);
    }

    @Test
    void a_package_0_digest_never_opens_the_dm_state_nor_passes_as_a_session_mac() throws Exception {
        device(0);
        byte[] challenge = challenge(0);
        byte[] trigger = HEX.parseHex("02C000000000000C636172646E616C2D646D73");
        byte[] digest = serverMac(challenge, trigger);
        assertThat(verifyMac(0, 0x12, challenge, trigger, digest)).as("notification: match").isEqualTo(0x9000);
        assertThat(writeMoSlot(0)).isEqualTo(0x6982);
        assertThat(verifyMac(0, 0x12, challenge, trigger, digest)).as("the same package 0 again").isEqualTo(0x6985);
        assertThat(verifyMac(0, 0x02, challenge, trigger, digest)).as("replayed as a session MAC").isEqualTo(0x63C9);
        assertThat(writeMoSlot(0)).isEqualTo(0x6982);
        byte[] next = challenge(0);
        byte[] body = "<SyncML>package 2</SyncML>".getBytes(StandardCharsets.UTF_8);
        assertThat(verifyMac(0, 0x02, next, body, serverMac(next, body))).isEqualTo(0x9000);
        assertThat(writeMoSlot(0)).isEqualTo(0x9000);
    }

    @Test
    void a_notification_may_name_another_nonce_and_a_wrong_one_costs_a_try() throws Exception {
        device(0);
        byte[] resync = new byte[8];
        byte[] trigger = {1, 2, 3};
        assertThat(verifyMac(0, 0x12, resync, trigger, serverMac(resync, trigger))).isEqualTo(0x9000);
        byte[] bad = serverMac(resync, trigger);
        bad[3] ^= 4;
        assertThat(verifyMac(0, 0x12, resync, trigger, bad)).isEqualTo(0x63C9);
        assertThat(sw("80 34 11 03 " + withLc(tlv(0x80, resync) + tlv(0x82, bad)))).as("md5 form").isEqualTo(0x6A86);
    }

    @Test
    void server_commands_need_the_device_key_so_a_stranger_cannot_spend_the_server_keys_tries() throws Exception {
        byte[] nonce = {1, 2};
        assertThat(sw("80 38 00 03 10")).isEqualTo(0x6982);
        assertThat(verifyMd5(0, nonce, new byte[16])).isEqualTo(0x6982);
        assertThat(verifyMac(0, 0x12, nonce, nonce, new byte[16])).isEqualTo(0x6982);
        device(0);
        assertThat(sw("80 38 00 02 10")).as("a client key").isEqualTo(0x6984);
        assertThat(sw("80 38 01 03 10")).isEqualTo(0x6A86);
        assertThat(sw("80 38 00 03 08")).isEqualTo(0x6700);
        assertThat(verifyMd5(0, challenge(0), new byte[16])).as("the key's 10 tries are intact").isEqualTo(0x63C9);
    }
}
