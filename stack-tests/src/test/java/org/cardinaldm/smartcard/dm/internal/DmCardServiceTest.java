package org.cardinaldm.smartcard.dm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.cardinaldm.smartcard.api.CardSession;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.dm.api.CardPolicy;
import org.cardinaldm.smartcard.dm.api.DigestType;
import org.cardinaldm.smartcard.dm.api.DmCard;
import org.cardinaldm.smartcard.dm.api.DmCardEvent;
import org.cardinaldm.smartcard.dm.internal.card.CardContents;
import org.cardinaldm.smartcard.dm.internal.card.CardIo;
import org.cardinaldm.smartcard.dm.internal.card.TearSafe;
import org.cardinaldm.smartcard.dm.internal.profile.ProfileCodec;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.stacktest.card.CardStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

/** The DM card service on the software card: events, the DmCard view, credentials that stay on the card. */
class DmCardServiceTest {
    private final CardStack stack;
    private final byte[] nonce = {0x12, 0x34, 0x56, 0x78, (byte) 0x9A, (byte) 0xBC, (byte) 0xDE, (byte) 0xF0};

    DmCardServiceTest() throws Exception {
        stack = DmStacks.demo();
    }

    @AfterEach
    void stop() throws Exception {
        stack.close();
    }

    @Test
    void an_inserted_card_is_discovered_and_a_removed_one_forgotten() throws Exception {
        DmCardEvent inserted = stack.insert();
        assertThat(inserted.reader()).isEqualTo(CardStack.SIM_READER);
        DmCard card = inserted.card().orElseThrow();
        assertThat(card.cardId()).isEqualTo("989400000000000010F2");
        assertThat(card.bootstrapDocument()).contains(DemoCard.bootstrapWbxml());
        assertThat(card.policy()).isEqualTo(DemoCard.policy());
        assertThat(card.fumoPolicy()).contains(DemoCard.fumoPolicy());
        assertThat(card.credentials()).isEqualTo(DemoCard.credentials());
        assertThat(card.capabilities()).contains(DmCard.CAPABILITY_CHANGE_COUNTER, DmCard.CAPABILITY_MO_STORE);
        assertThat(card.atr()).isEqualTo(stack.card().uicc().atr());
        assertThat(stack.dm().cards()).extracting(DmCard::cardId).containsExactly("989400000000000010F2");
        assertThat(stack.dm().card(CardStack.SIM_READER)).isPresent();
        DmCardEvent removed = stack.remove();
        assertThat(removed.cardId()).isEqualTo("989400000000000010F2");
        assertThat(removed.card()).isEmpty();
        assertThat(stack.dm().cards()).isEmpty();
        assertThat(stack.dm().refresh(CardStack.SIM_READER)).isEmpty();
    }

    @Test
    void a_late_listener_is_told_about_the_present_card() throws Exception {
        stack.insert();
        CardStack.Events late = new CardStack.Events();
        stack.dm().addListener(late, Map.of());
        assertThat(late.next().type()).isEqualTo(DmCardEvent.Type.INSERTED);
    }

    @Test
    void the_card_computes_the_device_credentials_a_server_expects() throws Exception {
        DmCard card = stack.insert().card().orElseThrow();
        byte[] md5 = card.computeDigest(DemoCard.SERVER_ID, DigestType.MD5, nonce, null);
        assertThat(Base64.getEncoder().encodeToString(md5))
                .isEqualTo(Credentials.md5Digest(DemoCard.CLIENT_NAME, DemoCard.CLIENT_SECRET, nonce));
        byte[] body = "<SyncML/>".getBytes(StandardCharsets.UTF_8);
        byte[] mac = card.computeDigest(DemoCard.SERVER_ID, DigestType.HMAC, nonce, body);
        assertThat(mac).hasSize(16).isNotEqualTo(md5);
        assertThatThrownBy(() -> card.computeDigest("other", DigestType.MD5, nonce, null))
                .isInstanceOfSatisfying(SmartCardException.class, e -> assertThat(e.code())
                        .isEqualTo(SmartCardException.Code.NOT_SUPPORTED));
    }

    @Test
    void the_card_checks_the_server_and_opens_its_dm_state_for_the_session() throws Exception {
        DmCard card = stack.insert().card().orElseThrow();
        byte[] nonce = card.serverChallenge(DemoCard.SERVER_ID).orElseThrow();
        byte[] good = Base64.getDecoder().decode(Credentials.md5Digest(DemoCard.SERVER_NAME, DemoCard.SERVER_SECRET, nonce));
        byte[] bad = good.clone();
        bad[3] ^= 0x10;
        assertThat(card.verifyServer(DemoCard.SERVER_ID, DigestType.MD5, nonce, null, bad)).isFalse();
        assertThat(card.verifyServer(DemoCard.SERVER_ID, DigestType.MD5, nonce, null, new byte[3])).isFalse();
        assertThat(writeMoSlot()).isEqualTo(0x6982);
        nonce = card.serverChallenge(DemoCard.SERVER_ID).orElseThrow();
        good = Base64.getDecoder().decode(Credentials.md5Digest(DemoCard.SERVER_NAME, DemoCard.SERVER_SECRET, nonce));
        assertThat(card.verifyServer(DemoCard.SERVER_ID, DigestType.MD5, nonce, null, good)).isTrue();
        assertThat(writeMoSlot()).isEqualTo(0x9000);
        card.endDmSession();
        assertThat(writeMoSlot()).isEqualTo(0x6982);
    }

    @Test
    void a_verified_server_holds_the_card_until_end_dm_session_and_neither_a_wrong_digest_nor_a_removed_card_keeps_it()
            throws Exception {
        DmCard card = stack.insert().card().orElseThrow();
        byte[] nonce = card.serverChallenge(DemoCard.SERVER_ID).orElseThrow();
        byte[] bad = good(nonce);
        bad[0] ^= 0x01;

        assertThat(card.verifyServer(DemoCard.SERVER_ID, DigestType.MD5, nonce, null, bad)).isFalse();
        assertThat(stack.dm().holdsCard(CardStack.SIM_READER)).isFalse();
        assertThat(stack.cards().activeHolds(CardStack.SIM_READER)).isZero();

        nonce = card.serverChallenge(DemoCard.SERVER_ID).orElseThrow();
        assertThat(card.verifyServer(DemoCard.SERVER_ID, DigestType.MD5, nonce, null, good(nonce))).isTrue();
        assertThat(stack.dm().holdsCard(CardStack.SIM_READER)).isTrue();
        nonce = card.serverChallenge(DemoCard.SERVER_ID).orElseThrow();
        assertThat(card.verifyServer(DemoCard.SERVER_ID, DigestType.MD5, nonce, null, good(nonce))).isTrue();
        assertThat(stack.cards().activeHolds(CardStack.SIM_READER)).as("a second verification extends the hold").isEqualTo(1);
        assertThat(stack.dm().moStore(CardStack.SIM_READER)).isPresent(); // DM card operations keep the hold
        assertThat(stack.dm().holdsCard(CardStack.SIM_READER)).isTrue();

        card.endDmSession();
        assertThat(stack.dm().holdsCard(CardStack.SIM_READER)).isFalse();
        assertThat(stack.cards().activeHolds(CardStack.SIM_READER)).isZero();

        nonce = card.serverChallenge(DemoCard.SERVER_ID).orElseThrow();
        assertThat(card.verifyServer(DemoCard.SERVER_ID, DigestType.MD5, nonce, null, good(nonce))).isTrue();
        stack.remove();
        assertThat(stack.cards().activeHolds(CardStack.SIM_READER)).isZero();
        assertThatThrownBy(card::endDmSession).isInstanceOfSatisfying(SmartCardException.class,
                e -> assertThat(e.code()).isEqualTo(SmartCardException.Code.CARD_REMOVED));
        stack.insert();
        assertThat(stack.dm().holdsCard(CardStack.SIM_READER)).isFalse();
        assertThat(stack.cards().activeHolds(CardStack.SIM_READER)).isZero();
    }

    @Test
    void with_a_hold_time_of_zero_a_verified_server_does_not_hold_the_card() throws Exception {
        DmCardServiceImpl noHold = new DmCardServiceImpl(stack.cards(), Converters.standardConverter()
                .convert(Map.of("dm.session.hold.seconds", 0, ".device.key", DemoCard.DEVICE_KEY))
                .to(DmCardServiceImpl.Config.class));
        CardStack.Events events = new CardStack.Events();
        noHold.addListener(events, Map.of());
        stack.cards().addListener(noHold, Map.of());
        try {
            stack.insert();
            DmCard card = events.next(DmCardEvent.Type.INSERTED).card().orElseThrow();
            byte[] challenge = card.serverChallenge(DemoCard.SERVER_ID).orElseThrow();
            assertThat(card.verifyServer(DemoCard.SERVER_ID, DigestType.MD5, challenge, null, good(challenge))).isTrue();
            assertThat(noHold.holdsCard(CardStack.SIM_READER)).isFalse();
            assertThat(stack.cards().activeHolds(CardStack.SIM_READER)).isZero();
            assertThat(writeMoSlot()).as("the dm state is open all the same").isEqualTo(0x9000);
        } finally {
            stack.cards().removeListener(noHold, Map.of());
            noHold.deactivate();
        }
    }

    private static byte[] good(byte[] nonce) {
        return Base64.getDecoder().decode(Credentials.md5Digest(DemoCard.SERVER_NAME, DemoCard.SERVER_SECRET, nonce));
    }

    private int writeMoSlot() throws Exception {
        CardContents c = stack.dm().validated(CardStack.SIM_READER).orElseThrow();
        try (CardSession s = stack.cards().openSession(CardStack.SIM_READER)) {
            CardIo io = new CardIo(s.basicChannel(), stack.dm().stats());
            io.useState(c.state());
            io.selectApplication(c.application().aid());
            io.write(c.moControl().inactiveSlot(), 0, new byte[] {1});
            return 0x9000;
        } catch (SmartCardException e) {
            return e.statusWord();
        }
    }

    @Test
    void tools_see_the_pkcs15_structure_and_read_files() throws Exception {
        DmCard card = stack.insert().card().orElseThrow();
        List<org.cardinaldm.smartcard.dm.api.CardObject> objects = card.pkcs15Objects();
        assertThat(objects).extracting(o -> o.kind().name()).containsExactly("APPLICATION", "TOKEN", "DIRECTORY",
                "DIRECTORY", "DIRECTORY", "DATA", "DATA", "DATA", "DATA", "DATA", "DATA", "PIN", "CERTIFICATE");
        assertThat(objects.get(0).path()).isEqualTo("3F00/5015");
        assertThat(objects.get(1).label()).isEqualTo("Cardinal demo UICC");
        assertThat(objects.get(5).detail()).isEqualTo("DM bootstrap");
        assertThat(objects.get(6).detail()).isEqualTo("Cardinal card policy");
        assertThat(objects.get(11).detail()).isEqualTo("reference 1, 4..8 digits");
        assertThat(objects.get(12).detail()).isEqualTo("trusted CDF, id 46");
        assertThat(card.readFile("6431")).isEqualTo(DemoCard.bootstrapWbxml());
        assertThat(DemoCard.HEX.formatHex(card.readFile("3F00/2FE2"))).isEqualTo("989400000000000010F2");
        assertThat(card.readFile("4403")).isEqualTo(DemoCard.signerCertificate());
        assertThatThrownBy(() -> card.readFile("12")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> card.readFile("7777")).isInstanceOfSatisfying(SmartCardException.class,
                e -> assertThat(e.code()).isEqualTo(SmartCardException.Code.FILE_NOT_FOUND));
    }

    @Test
    void a_view_of_a_removed_card_refuses_to_work() throws Exception {
        DmCard card = stack.insert().card().orElseThrow();
        stack.remove();
        assertThatThrownBy(() -> card.computeDigest(DemoCard.SERVER_ID, DigestType.MD5, nonce, null))
                .isInstanceOfSatisfying(SmartCardException.class,
                        e -> assertThat(e.code()).isEqualTo(SmartCardException.Code.CARD_REMOVED));
        stack.insert();
        assertThatThrownBy(() -> card.endDmSession()).isInstanceOf(SmartCardException.class);
    }

    @Test
    void a_change_on_the_card_is_found_by_refresh_and_announced() throws Exception {
        DmCard card = stack.insert().card().orElseThrow();
        CardPolicy changed = CardPolicy.of(true, false, List.of());
        CardContents c = stack.dm().validated(CardStack.SIM_READER).orElseThrow();
        try (CardSession s = stack.cards().openSession(CardStack.SIM_READER)) {
            CardIo io = new CardIo(s.basicChannel(), stack.dm().stats());
            DiscoveryTest.adm(io);
            io.useState(c.state());
            io.selectApplication(c.application().aid());
            TearSafe.write(io, c.policyPath(), c.policyControl(), ProfileCodec.encode(changed));
        }
        assertThat(card.policy()).as("a view is a snapshot").isEqualTo(DemoCard.policy());
        DmCard now = stack.dm().refresh(CardStack.SIM_READER).orElseThrow();
        assertThat(now.policy()).isEqualTo(changed);
        assertThat(now.changeCounter()).isEqualTo(2);
        DmCardEvent e = stack.events().next(DmCardEvent.Type.CHANGED);
        assertThat(e.card().orElseThrow().policy()).isEqualTo(changed);
        assertThat(card.computeDigest(DemoCard.SERVER_ID, DigestType.MD5, nonce, null)).hasSize(16);
    }

    @Test
    void a_card_without_dm_data_is_not_a_dm_card() throws Exception {
        stack.close();
        try (CardStack plain = DmStacks.demo(new org.cardinaldm.smartcard.sim.internal.profile.ProfileParser(null)
                .parse("cardinal-uicc-profile 1\ncard protocol=T=1\nmf {\n}\n"), 0)) {
            plain.simBackend().insert();
            // a DM card inserted afterwards in another reader is read after the plain one (events and
            // discovery keep their order), so its event proves the plain card was looked at and skipped
            org.cardinaldm.smartcard.sim.internal.backend.SimCardBackend second =
                    new org.cardinaldm.smartcard.sim.internal.backend.SimCardBackend("Sim 1",
                            org.cardinaldm.smartcard.sim.internal.SimCardHandle.open(null, null,
                                    org.cardinaldm.smartcard.sim.internal.SimCardHandle.Personalize.IF_ABSENT), false);
            plain.cards().addBackend(second, Map.of("card.reader", "Sim 1", "card.backend", "sim"));
            second.insert();
            assertThat(plain.events().next().reader()).isEqualTo("Sim 1");
            assertThat(plain.dm().cards()).extracting(DmCard::reader).containsExactly("Sim 1");
            second.close();
        }
    }
}
