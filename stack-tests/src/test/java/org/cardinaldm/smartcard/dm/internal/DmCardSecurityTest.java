package org.cardinaldm.smartcard.dm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.cardinaldm.smartcard.api.CardSession;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.dm.api.DigestType;
import org.cardinaldm.smartcard.dm.api.DmCard;
import org.cardinaldm.smartcard.dm.internal.card.ApduStats;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.stacktest.card.CardStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

/** Issue 12, item 5, as the device uses the card: its own challenge, the device key, the idle limit. */
class DmCardSecurityTest {
    private final CardStack stack;

    DmCardSecurityTest() throws Exception {
        stack = DmStacks.demo();
    }

    @AfterEach
    void stop() throws Exception {
        stack.close();
    }

    private static byte[] serverMd5(byte[] nonce) {
        return Base64.getDecoder().decode(Credentials.md5Digest(DemoCard.SERVER_NAME, DemoCard.SERVER_SECRET, nonce));
    }

    /** The HMAC form (the package-0 digest over a trigger), as a DM server computes it from its secret. */
    private static byte[] serverMac(byte[] nonce, byte[] body) throws Exception {
        java.security.MessageDigest md5 = java.security.MessageDigest.getInstance("MD5");
        byte[] key = Base64.getEncoder().encode(
                md5.digest((DemoCard.SERVER_NAME + ":" + DemoCard.SERVER_SECRET).getBytes(StandardCharsets.UTF_8)));
        byte[] bodyB64 = Base64.getEncoder().encode(md5.digest(body));
        md5.update(key);
        md5.update((byte) ':');
        md5.update(nonce);
        md5.update((byte) ':');
        return md5.digest(bodyB64);
    }

    private int writeMoSlot() throws Exception {
        try (CardSession s = stack.cards().openSession(CardStack.SIM_READER)) {
            s.basicChannel().transmit(org.cardinaldm.smartcard.api.CommandApdu.parse(
                    java.util.HexFormat.of().parseHex("00A4040C0CA000000063504B43532D3135")));
            return s.basicChannel().transmit(org.cardinaldm.smartcard.api.CommandApdu.of(0x00, 0xD6, 0x89, 0x00,
                    new byte[] {0})).sw();
        }
    }

    @Test
    void the_card_verifies_the_server_against_its_own_challenge_and_never_twice() throws Exception {
        DmCard card = stack.insert().card().orElseThrow();
        assertThat(card.capabilities()).contains(DmCard.CAPABILITY_SERVER_CHALLENGE);
        byte[] mine = {1, 2, 3, 4, 5, 6, 7, 8};
        assertThat(card.verifyServer(DemoCard.SERVER_ID, DigestType.MD5, mine, null, serverMd5(mine)))
                .as("a nonce the device chose").isFalse();
        byte[] challenge = card.serverChallenge(DemoCard.SERVER_ID).orElseThrow();
        assertThat(challenge).hasSize(16);
        assertThat(card.serverChallenge(DemoCard.SERVER_ID)).hasValueSatisfying(c -> assertThat(c).isEqualTo(challenge));
        byte[] recorded = serverMd5(challenge);
        assertThat(card.verifyServer(DemoCard.SERVER_ID, DigestType.MD5, challenge, null, recorded)).isTrue();
        assertThat(writeMoSlot()).isEqualTo(0x9000);
        card.endDmSession();
        assertThat(writeMoSlot()).isEqualTo(0x6982);
        assertThat(card.verifyServer(DemoCard.SERVER_ID, DigestType.MD5, challenge, null, recorded))
                .as("the recorded digest, again").isFalse();
        assertThat(writeMoSlot()).isEqualTo(0x6982);
        assertThat(card.serverChallenge(DemoCard.SERVER_ID).orElseThrow()).isNotEqualTo(challenge);
    }

    @Test
    void a_notification_check_answers_match_only_and_never_opens_the_dm_state() throws Exception {
        DmCard card = stack.insert().card().orElseThrow();
        byte[] challenge = card.serverChallenge(DemoCard.SERVER_ID).orElseThrow();
        card.endDmSession();
        byte[] trigger = "trigger".getBytes(StandardCharsets.US_ASCII);
        byte[] digest = serverMac(challenge, trigger);
        ApduStats stats = stack.dm().stats();
        long before = stats.apdus();
        assertThat(card.verifyNotification(DemoCard.SERVER_ID, challenge, trigger, digest)).isTrue();
        assertThat(stats.apdus() - before).as("VERIFY device key, VERIFY SERVER DIGEST 12, forget").isEqualTo(3);
        assertThat(writeMoSlot()).isEqualTo(0x6982);
        assertThat(card.verifyNotification(DemoCard.SERVER_ID, challenge, trigger, digest)).as("replayed").isFalse();
        assertThat(card.verifyServer(DemoCard.SERVER_ID, DigestType.HMAC, challenge, trigger, digest))
                .as("replayed as a session MAC").isFalse();
        assertThat(writeMoSlot()).isEqualTo(0x6982);
    }

    @Test
    void without_the_device_key_the_card_computes_and_checks_nothing() throws Exception {
        DmCardServiceImpl keyless = new DmCardServiceImpl(stack.cards(), Converters.standardConverter()
                .convert(Map.of()).to(DmCardServiceImpl.Config.class));
        CardStack.Events events = new CardStack.Events();
        keyless.addListener(events, Map.of());
        stack.cards().addListener(keyless, Map.of());
        try {
            stack.insert();
            DmCard card = events.next(org.cardinaldm.smartcard.dm.api.DmCardEvent.Type.INSERTED).card().orElseThrow();
            assertThatThrownBy(() -> card.computeDigest(DemoCard.SERVER_ID, DigestType.MD5, new byte[4], null))
                    .isInstanceOfSatisfying(SmartCardException.class,
                            e -> assertThat(e.code()).isEqualTo(SmartCardException.Code.SECURITY_STATUS_NOT_SATISFIED))
                    .hasMessageNotContaining(DemoCard.DEVICE_KEY);
            assertThatThrownBy(() -> card.serverChallenge(DemoCard.SERVER_ID)).isInstanceOf(SmartCardException.class);
        } finally {
            stack.cards().removeListener(keyless, Map.of());
            keyless.deactivate();
        }
    }

    @Test
    void a_wrong_device_key_is_refused_and_counts_against_the_key() throws Exception {
        DmCardServiceImpl wrong = new DmCardServiceImpl(stack.cards(), Converters.standardConverter()
                .convert(Map.of(".device.key", "00112233445566778899AABBCCDDEEFF")).to(DmCardServiceImpl.Config.class));
        CardStack.Events events = new CardStack.Events();
        wrong.addListener(events, Map.of());
        stack.cards().addListener(wrong, Map.of());
        try {
            stack.insert();
            DmCard card = events.next(org.cardinaldm.smartcard.dm.api.DmCardEvent.Type.INSERTED).card().orElseThrow();
            assertThatThrownBy(() -> card.computeDigest(DemoCard.SERVER_ID, DigestType.MD5, new byte[4], null))
                    .isInstanceOfSatisfying(SmartCardException.class,
                            e -> assertThat(e.code()).isEqualTo(SmartCardException.Code.AUTHENTICATION_FAILED))
                    .hasMessageContaining("2 tries left").hasMessageNotContaining("00112233");
        } finally {
            stack.cards().removeListener(wrong, Map.of());
            wrong.deactivate();
        }
    }

    @Test
    void the_idle_limit_ends_the_dm_session_on_the_card() throws Exception {
        DmCard card = stack.insert().card().orElseThrow();
        byte[] challenge = card.serverChallenge(DemoCard.SERVER_ID).orElseThrow();
        assertThat(card.verifyServer(DemoCard.SERVER_ID, DigestType.MD5, challenge, null, serverMd5(challenge))).isTrue();
        stack.advanceClock(TimeUnit.SECONDS.toNanos(299));
        assertThat(stack.dm().endIdleSessions()).isEqualTo(TimeUnit.SECONDS.toNanos(1));
        assertThat(writeMoSlot()).isEqualTo(0x9000);
        stack.advanceClock(TimeUnit.SECONDS.toNanos(300));
        assertThat(stack.dm().endIdleSessions()).isZero();
        assertThat(stack.dm().holdsCard(CardStack.SIM_READER)).isFalse();
        assertThat(writeMoSlot()).as("END DM SESSION sent by the service").isEqualTo(0x6982);
    }

    @Test
    void a_card_reset_by_another_application_is_authorised_again() throws Exception {
        DmCard card = stack.insert().card().orElseThrow();
        assertThat(card.computeDigest(DemoCard.SERVER_ID, DigestType.MD5, new byte[4], null)).hasSize(16);
        stack.card().uicc().reset();
        assertThat(card.computeDigest(DemoCard.SERVER_ID, DigestType.MD5, new byte[4], null)).hasSize(16);
    }
}
