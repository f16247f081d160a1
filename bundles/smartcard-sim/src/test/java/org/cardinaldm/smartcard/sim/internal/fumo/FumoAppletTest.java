package org.cardinaldm.smartcard.sim.internal.fumo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cardinaldm.smartcard.sim.internal.fumo.FumoCardKit.HEX;
import static org.cardinaldm.smartcard.sim.internal.fumo.FumoCardKit.change;
import static org.cardinaldm.smartcard.sim.internal.fumo.FumoCardKit.firmware;
import static org.cardinaldm.smartcard.sim.internal.fumo.FumoCardKit.manifest;

import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.List;

import org.cardinaldm.smartcard.api.ResponseApdu;
import org.cardinaldm.smartcard.sim.internal.card.Uicc;
import org.junit.jupiter.api.Test;

/** The FUMO commands of profile 1.2 on the demo card: every status word, the counter's rules, tears and replays. */
class FumoAppletTest {
    private static final byte[] NONCE = HEX.parseHex("00112233445566778899AABBCCDDEEFF");
    private final FumoCardKit kit = new FumoCardKit();
    private final KeyPair signer = FumoCardKit.demoSigner();

    FumoAppletTest() throws Exception {
    }

    @Test
    void the_demo_card_announces_profile_1_2_with_the_fumo_capability_and_its_policy() throws Exception {
        byte[] state = kit.send("80 30 01 00 00").data();
        assertThat(HEX.formatHex(Arrays.copyOf(state, 4))).isEqualTo("0101023F");
        CardFumoPolicy p = kit.policy();
        assertThat(p.counter()).isEqualTo(1);
        assertThat(p.threshold()).isEqualTo(1);
        assertThat(p.allowedServers()).containsExactly("cardinal-dms");
        assertThat(p.signerKeys()).hasSize(1);
        assertThat(p.signerKeys().get(0)).isEqualTo(signer.getPublic().getEncoded());
        assertThat(p.authorisationKey()).isEqualTo(FumoCardKit.cardAuthorisationKey().getEncoded());
    }

    @Test
    void admit_needs_the_device_key_and_the_dm_state_of_that_server_on_this_channel() throws Exception {
        assertThat(kit.send(0x3A, 0, 0, "cardinal-dms".getBytes(), true).sw()).isEqualTo(0x6982);
        kit.device();
        assertThat(kit.send(0x3A, 0, 0, "cardinal-dms".getBytes(), true).sw()).as("no dm state").isEqualTo(0x6982);
        kit.server();
        assertThat(kit.send(0x3A, 0, 0, "another-server".getBytes(), true).sw()).as("not that key's server")
                .isEqualTo(0x6982);
        assertThat(kit.send("00 70 00 01").sw()).isEqualTo(0x9000); // channel 1 does not inherit the dm state
        assertThat(kit.send("81 20 00 00 10 " + FumoCardKit.DEVICE_KEY).sw()).isEqualTo(0x9000);
        assertThat(kit.send("81 3A 00 00 0C " + HEX.formatHex("cardinal-dms".getBytes()) + " 00").sw()).isEqualTo(0x6982);
        assertThat(kit.admit()).hasSize(8);
        kit.send("80 36 00 00"); // END DM SESSION
        kit.device();
        assertThat(kit.send(0x3A, 0, 0, "cardinal-dms".getBytes(), true).sw()).isEqualTo(0x6982);
    }

    @Test
    void a_server_the_policy_does_not_list_is_refused_6f05() throws Exception {
        kit.device();
        byte[] ch = kit.fumoChallenge();
        assertThat(kit.updatePolicy(change(List.of(signer.getPublic()), 1, List.of("other-dms"), 1), ch, 0,
                signer.getPrivate()).sw()).isEqualTo(0x9000);
        kit.server();
        assertThat(kit.send(0x3A, 0, 0, "cardinal-dms".getBytes(), true).sw()).isEqualTo(0x6F05);
    }

    @Test
    void an_empty_server_list_admits_any_server_the_card_authenticated() throws Exception {
        kit.device();
        byte[] ch = kit.fumoChallenge();
        assertThat(kit.updatePolicy(change(List.of(signer.getPublic()), 1, List.of(), 1), ch, 0xFF,
                FumoCardKit.issuer().getPrivate()).sw()).isEqualTo(0x9000);
        kit.server();
        assertThat(kit.admit()).hasSize(8);
    }

    @Test
    void admit_authorise_commit_raises_the_counter_and_the_card_signs_the_authorisation_bytes() throws Exception {
        kit.server();
        byte[] handle = kit.admit();
        byte[] m = firmware(2);
        byte[] before = kit.send("80 30 00 00 00").data();
        ResponseApdu r = kit.authorise(handle, m, NONCE, 0, signer.getPrivate());
        assertThat(r.sw()).isEqualTo(0x9000);
        byte[] cardNonce = Arrays.copyOf(r.data(), 16);
        byte[] signature = Arrays.copyOfRange(r.data(), 16, r.length());
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initVerify(FumoCardKit.cardAuthorisationKey());
        s.update(FumoCardKit.authorisationSignedBytes(m, 2, NONCE, cardNonce));
        assertThat(s.verify(signature)).isTrue();
        assertThat(kit.policy().counter()).as("authorising does not move the counter").isEqualTo(1);

        ResponseApdu c = kit.commit(cardNonce, m, 2);
        assertThat(c.sw()).isEqualTo(0x9000);
        assertThat(ByteBuffer.wrap(c.data()).getLong()).isEqualTo(2);
        assertThat(kit.policy().counter()).isEqualTo(2);
        byte[] after = kit.send("80 30 00 00 00").data();
        assertThat(Arrays.copyOfRange(after, 21, 25)).as("the card counted its own writes of the FUMO policy")
                .isNotEqualTo(Arrays.copyOfRange(before, 21, 25));
        // idempotent: the device crashed before its own bookkeeping and asks again
        assertThat(kit.commit(cardNonce, m, 2).sw()).isEqualTo(0x9000);
        assertThat(kit.policy().counter()).isEqualTo(2);
        // the committed authorisation cannot be authorised again
        assertThat(kit.authorise(handle, m, NONCE, 0, signer.getPrivate()).sw()).isEqualTo(0x6985);
    }

    @Test
    void the_update_can_run_after_the_dm_session_ended_with_the_device_key_only() throws Exception {
        kit.server();
        byte[] handle = kit.admit();
        kit.card.powerOff(); // the session ended, the card lost its volatile state
        kit.card.powerOn();
        kit.device();
        ResponseApdu r = kit.authorise(handle, firmware(5), NONCE, 0, signer.getPrivate());
        assertThat(r.sw()).isEqualTo(0x9000);
        assertThat(kit.commit(Arrays.copyOf(r.data(), 16), firmware(5), 5).sw()).isEqualTo(0x9000);
        assertThat(kit.policy().counter()).isEqualTo(5);
    }

    @Test
    void authorise_refuses_each_bad_package_with_its_status_word() throws Exception {
        kit.server();
        byte[] handle = kit.admit();
        KeyPair stranger = FumoCardKit.fresh();
        assertThat(kit.authorise(new byte[8], firmware(2), NONCE, 0, signer.getPrivate()).sw()).as("unknown handle")
                .isEqualTo(0x6A88);
        assertThat(kit.authorise(handle, firmware(2), NONCE, 0, stranger.getPrivate()).sw()).as("unknown key")
                .isEqualTo(0x6F04);
        assertThat(kit.authorise(handle, firmware(2), NONCE, 1, signer.getPrivate()).sw()).as("no signer 1")
                .isEqualTo(0x6F04);
        assertThat(kit.authorise(handle, manifest(0, List.of(FumoCardKit.DEVICE_CLASS), 2L), NONCE, 0,
                signer.getPrivate()).sw()).as("an application").isEqualTo(0x6F03);
        assertThat(kit.authorise(handle, manifest(1, List.of("Acme/Other"), 2L), NONCE, 0, signer.getPrivate()).sw())
                .as("another device class").isEqualTo(0x6F03);
        assertThat(kit.authorise(handle, firmware(0), NONCE, 0, signer.getPrivate()).sw()).as("rollback")
                .isEqualTo(0x6F05);
        assertThat(kit.authorise(handle, manifest(1, List.of(FumoCardKit.DEVICE_CLASS), null), NONCE, 0,
                signer.getPrivate()).sw()).as("no counter").isEqualTo(0x6F05);
        assertThat(kit.authorise(handle, firmware(1), NONCE, 0, signer.getPrivate()).sw()).as("equal counter")
                .isEqualTo(0x9000);
        assertThat(kit.chained(0x3C, HEX.parseHex("C00102")).sw()).as("malformed").isEqualTo(0x6A80);
    }

    @Test
    void a_manifest_changed_after_signing_fails_the_message_digest_check() throws Exception {
        kit.server();
        byte[] handle = kit.admit();
        byte[] signedFor = firmware(2);
        byte[] attrs = FumoCardKit.signedAttributes(signedFor);
        byte[] sig = FumoCardKit.sign(signer.getPrivate(), attrs);
        byte[] tampered = firmware(9); // same signature, another manifest: a counter raised by an attacker
        byte[] input = FumoCardKit.authoriseInput(handle, tampered, NONCE, FumoCardKit.DEVICE_CLASS,
                FumoCardKit.signer(0, attrs, sig));
        assertThat(kit.chained(0x3C, input).sw()).isEqualTo(0x6F04);
        byte[] flipped = sig.clone();
        flipped[flipped.length - 1] ^= 1;
        input = FumoCardKit.authoriseInput(handle, signedFor, NONCE, FumoCardKit.DEVICE_CLASS,
                FumoCardKit.signer(0, attrs, flipped));
        assertThat(kit.chained(0x3C, input).sw()).isEqualTo(0x6F04);
    }

    @Test
    void m_of_n_two_of_three_signers_needs_two_distinct_ones() throws Exception {
        KeyPair b = FumoCardKit.fresh();
        KeyPair c = FumoCardKit.fresh();
        kit.device();
        byte[] ch = kit.fumoChallenge();
        assertThat(kit.updatePolicy(change(List.of(signer.getPublic(), b.getPublic(), c.getPublic()), 2,
                List.of("cardinal-dms"), 1), ch, 0xFF, FumoCardKit.issuer().getPrivate()).sw()).isEqualTo(0x9000);
        assertThat(kit.policy().threshold()).isEqualTo(2);
        kit.server();
        byte[] handle = kit.admit();
        assertThat(kit.authorise(handle, firmware(2), NONCE, 0, signer.getPrivate()).sw()).as("one of three")
                .isEqualTo(0x6F04);
        assertThat(kit.authorise(handle, firmware(2), NONCE, 0, signer.getPrivate(), 0, signer.getPrivate()).sw())
                .as("the same signer twice").isEqualTo(0x6F04);
        assertThat(kit.authorise(handle, firmware(2), NONCE, 0, signer.getPrivate(), 2, b.getPrivate()).sw())
                .as("a good and a wrong one").isEqualTo(0x6F04);
        assertThat(kit.authorise(handle, firmware(2), NONCE, 0, signer.getPrivate(), 2, c.getPrivate()).sw())
                .as("two of three").isEqualTo(0x9000);
    }

    @Test
    void commit_needs_an_authorisation_the_card_issued_and_never_lowers_the_counter() throws Exception {
        kit.server();
        byte[] h1 = kit.admit();
        byte[] h2 = kit.admit();
        ResponseApdu a3 = kit.authorise(h1, firmware(3), NONCE, 0, signer.getPrivate());
        ResponseApdu a2 = kit.authorise(h2, firmware(2), NONCE, 0, signer.getPrivate());
        assertThat(kit.commit(new byte[16], firmware(3), 3).sw()).as("not issued").isEqualTo(0x6A88);
        assertThat(kit.commit(Arrays.copyOf(a3.data(), 16), firmware(3), 4).sw()).as("another counter").isEqualTo(0x6A88);
        assertThat(kit.commit(Arrays.copyOf(a3.data(), 16), firmware(3), 3).sw()).isEqualTo(0x9000);
        ResponseApdu older = kit.commit(Arrays.copyOf(a2.data(), 16), firmware(2), 2);
        assertThat(older.sw()).isEqualTo(0x9000);
        assertThat(ByteBuffer.wrap(older.data()).getLong()).isEqualTo(3);
        assertThat(kit.policy().counter()).isEqualTo(3);
        byte[] h4 = kit.admit();
        assertThat(kit.authorise(h4, firmware(2), NONCE, 0, signer.getPrivate()).sw()).isEqualTo(0x6F05);
    }

    @Test
    void release_forgets_the_admission() throws Exception {
        kit.server();
        byte[] handle = kit.admit();
        assertThat(kit.send(0x40, 0, 0, handle, false).sw()).isEqualTo(0x9000);
        assertThat(kit.send(0x40, 0, 0, handle, false).sw()).as("idempotent").isEqualTo(0x9000);
        assertThat(kit.authorise(handle, firmware(2), NONCE, 0, signer.getPrivate()).sw()).isEqualTo(0x6A88);
        assertThat(kit.send(0x40, 0, 0, new byte[3], false).sw()).isEqualTo(0x6700);
    }

    @Test
    void no_fumo_command_runs_without_the_device_key() {
        assertThat(kit.send(0x3C, 0, 0, new byte[] {1}, true).sw()).isEqualTo(0x6982);
        assertThat(kit.send(0x3E, 0, 0, new byte[56], true).sw()).isEqualTo(0x6982);
        assertThat(kit.send(0x40, 0, 0, new byte[8], false).sw()).isEqualTo(0x6982);
        assertThat(kit.send(0x42, 0, 0, new byte[0], true).sw()).isEqualTo(0x6982);
        assertThat(kit.send(0x44, 0, 0, new byte[] {1}, false).sw()).isEqualTo(0x6982);
    }

    @Test
    void a_server_with_the_dm_state_cannot_rewrite_the_counter_through_file_writes() throws Exception {
        kit.server();
        kit.send("00 A4 04 0C 0C A000000063504B43532D3135");
        assertThat(kit.send("00 D6 8B 00 01 00").sw()).as("control").isEqualTo(0x6982);
        assertThat(kit.send("00 D6 8C 00 01 00").sw()).as("slot 0").isEqualTo(0x6982);
        assertThat(kit.send("00 D6 8D 00 01 00").sw()).as("slot 1").isEqualTo(0x6982);
        assertThat(kit.send("00 D6 88 00 01 30").sw()).as("the MO store stays writable").isEqualTo(0x9000);
        assertThat(kit.policy().counter()).isEqualTo(1);
    }

    @Test
    void signers_rotate_with_their_own_signature_and_a_replayed_command_is_refused() throws Exception {
        KeyPair next = FumoCardKit.fresh();
        kit.device();
        byte[] ch = kit.fumoChallenge();
        assertThat(kit.fumoChallenge()).as("the same until used").isEqualTo(ch);
        byte[] rotate = change(List.of(signer.getPublic(), next.getPublic()), 1, List.of("cardinal-dms"), 1);
        assertThat(kit.updatePolicy(rotate, ch, 0, signer.getPrivate()).sw()).isEqualTo(0x9000);
        assertThat(kit.policy().signerKeys()).hasSize(2);
        assertThat(kit.updatePolicy(rotate, ch, 0, signer.getPrivate()).sw()).as("replayed: no challenge")
                .isEqualTo(0x6985);
        byte[] ch2 = kit.fumoChallenge();
        assertThat(ch2).isNotEqualTo(ch);
        assertThat(kit.updatePolicy(rotate, ch, 0, signer.getPrivate()).sw()).as("signed for the used challenge")
                .isEqualTo(0x6F04);
        byte[] revoke = change(List.of(next.getPublic()), 1, List.of("cardinal-dms"), 1);
        byte[] ch3 = kit.fumoChallenge();
        assertThat(kit.updatePolicy(revoke, ch3, 1, next.getPrivate()).sw()).isEqualTo(0x9000);
        kit.server();
        byte[] handle = kit.admit();
        assertThat(kit.authorise(handle, firmware(2), NONCE, 0, signer.getPrivate()).sw()).as("revoked signer")
                .isEqualTo(0x6F04);
    }

    @Test
    void signers_cannot_lower_the_counter_and_the_issuer_can_rma_reset_it() throws Exception {
        kit.device();
        byte[] lower = change(List.of(signer.getPublic()), 1, List.of("cardinal-dms"), 0);
        assertThat(kit.updatePolicy(lower, kit.fumoChallenge(), 0, signer.getPrivate()).sw()).isEqualTo(0x6F05);
        assertThat(kit.policy().counter()).isEqualTo(1);
        assertThat(kit.updatePolicy(lower, kit.fumoChallenge(), 0xFF, FumoCardKit.issuer().getPrivate()).sw())
                .isEqualTo(0x9000);
        assertThat(kit.policy().counter()).isZero();
        assertThat(kit.policy().authorisationKey()).as("kept").isEqualTo(FumoCardKit.cardAuthorisationKey().getEncoded());
    }

    @Test
    void a_policy_change_signed_for_another_card_is_refused() throws Exception {
        kit.device();
        byte[] ch = kit.fumoChallenge();
        byte[] c = change(List.of(signer.getPublic()), 1, List.of(), 0);
        byte[] signed = FumoPolicyUpdate.signedBytes(HEX.parseHex("989400000000000099F9"), ch, c);
        byte[] input = FumoCardKit.concat(Der.tlv(0xC5, c), Der.tlv(0xE0, Der.tlv(0x80, new byte[] {(byte) 0xFF}),
                Der.tlv(0x82, FumoCardKit.sign(FumoCardKit.issuer().getPrivate(), signed))));
        assertThat(kit.chained(0x44, input).sw()).isEqualTo(0x6F04);
        assertThat(kit.policy().counter()).isEqualTo(1);
    }

    @Test
    void invalid_policy_changes_are_refused_6a80() throws Exception {
        kit.device();
        PublicKey k = signer.getPublic();
        assertThat(kit.updatePolicy(change(List.of(k), 2, List.of(), 1), kit.fumoChallenge(), 0, signer.getPrivate()).sw())
                .as("threshold above the signers").isEqualTo(0x6A80);
        assertThat(kit.updatePolicy(change(List.of(), 1, List.of(), 1), kit.fumoChallenge(), 0, signer.getPrivate()).sw())
                .as("no signer").isEqualTo(0x6A80);
        assertThat(kit.updatePolicy(change(List.of(k, k), 1, List.of(), 1), kit.fumoChallenge(), 0, signer.getPrivate()).sw())
                .as("a signer twice").isEqualTo(0x6A80);
    }

    @Test
    void chained_blocks_must_come_in_order_and_the_input_is_bounded() throws Exception {
        kit.device();
        assertThat(kit.send(0x3C, 0x80, 0, new byte[] {1}, false).sw()).isEqualTo(0x9000);
        assertThat(kit.send(0x3C, 0x80, 2, new byte[] {1}, false).sw()).as("block 2 after 0").isEqualTo(0x6985);
        assertThat(kit.send(0x3C, 0x00, 1, new byte[] {1}, true).sw()).as("the chain was dropped").isEqualTo(0x6985);
        assertThat(kit.send(0x3C, 0x40, 0, new byte[] {1}, false).sw()).isEqualTo(0x6A86);
        for (int b = 0; b < 16; b++) {
            assertThat(kit.send(0x3C, 0x80, b, new byte[255], false).sw()).isEqualTo(0x9000);
        }
        assertThat(kit.send(0x3C, 0x80, 16, new byte[255], false).sw()).as("more than 4096 bytes").isEqualTo(0x6A84);
    }

    @Test
    void a_commit_torn_before_or_after_its_store_leaves_the_old_or_the_new_counter_and_a_retry_works() throws Exception {
        for (boolean after : new boolean[] {false, true}) {
            FumoCardKit k = new FumoCardKit();
            k.server();
            byte[] handle = k.admit();
            ResponseApdu r = k.authorise(handle, firmware(7), NONCE, 0, signer.getPrivate());
            byte[] cardNonce = Arrays.copyOf(r.data(), 16);
            k.memory.tearAt(1, after);
            assertThatThrownBy(() -> k.commit(cardNonce, firmware(7), 7)).isInstanceOf(Uicc.CardPowerLostException.class);
            k.reinsert();
            assertThat(k.policy().counter()).as(after ? "stored" : "not stored").isEqualTo(after ? 7 : 1);
            k.device();
            assertThat(k.commit(cardNonce, firmware(7), 7).sw()).as("the retry").isEqualTo(0x9000);
            assertThat(k.policy().counter()).isEqualTo(7);
        }
    }

    @Test
    void an_authorisation_torn_before_its_store_is_not_recorded() throws Exception {
        kit.server();
        byte[] handle = kit.admit();
        kit.memory.tearAt(1, false);
        assertThatThrownBy(() -> kit.authorise(handle, firmware(7), NONCE, 0, signer.getPrivate()))
                .isInstanceOf(Uicc.CardPowerLostException.class);
        kit.reinsert();
        kit.device();
        assertThat(kit.commit(new byte[16], firmware(7), 7).sw()).isEqualTo(0x6A88);
        ResponseApdu again = kit.authorise(handle, firmware(7), NONCE, 0, signer.getPrivate());
        assertThat(again.sw()).as("the admission survived").isEqualTo(0x9000);
    }

    @Test
    void a_policy_update_torn_after_its_store_used_the_challenge_and_wrote_the_policy() throws Exception {
        kit.device();
        byte[] ch = kit.fumoChallenge();
        byte[] c = change(List.of(signer.getPublic()), 1, List.of(), 4);
        kit.memory.tearAt(1, false);
        assertThatThrownBy(() -> kit.updatePolicy(c, ch, 0, signer.getPrivate()))
                .isInstanceOf(Uicc.CardPowerLostException.class);
        kit.reinsert();
        assertThat(kit.policy().counter()).isEqualTo(1);
        kit.device();
        assertThat(kit.fumoChallenge()).as("nothing was stored: the same challenge").isEqualTo(ch);
        kit.memory.tearAt(1, true);
        assertThatThrownBy(() -> kit.updatePolicy(c, ch, 0, signer.getPrivate()))
                .isInstanceOf(Uicc.CardPowerLostException.class);
        kit.reinsert();
        assertThat(kit.policy().counter()).isEqualTo(4);
        kit.device();
        assertThat(kit.updatePolicy(c, ch, 0, signer.getPrivate()).sw()).as("replay after the tear").isEqualTo(0x6985);
    }

    @Test
    void admissions_are_bounded_committed_ones_are_replaced_first() throws Exception {
        kit.server();
        byte[] first = kit.admit();
        ResponseApdu r = kit.authorise(first, firmware(2), NONCE, 0, signer.getPrivate());
        kit.commit(Arrays.copyOf(r.data(), 16), firmware(2), 2);
        byte[] second = kit.admit();
        kit.admit();
        kit.admit();
        kit.admit(); // the fifth replaces the committed first one
        assertThat(kit.authorise(first, firmware(3), NONCE, 0, signer.getPrivate()).sw()).isEqualTo(0x6A88);
        assertThat(kit.authorise(second, firmware(3), NONCE, 0, signer.getPrivate()).sw()).isEqualTo(0x9000);
    }
}
