package org.cardinaldm.smartcard.dm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.cardinaldm.smartcard.api.CardSession;
import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.core.internal.CardServiceImpl;
import org.cardinaldm.smartcard.dm.api.CardPolicy;
import org.cardinaldm.smartcard.dm.internal.card.ApduStats;
import org.cardinaldm.smartcard.dm.internal.card.CardContents;
import org.cardinaldm.smartcard.dm.internal.card.CardIo;
import org.cardinaldm.smartcard.dm.internal.card.Discovery;
import org.cardinaldm.smartcard.dm.internal.card.TearSafe;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15Path;
import org.cardinaldm.smartcard.dm.internal.profile.ProfileCodec;
import org.cardinaldm.smartcard.sim.internal.SimCardHandle;
import org.cardinaldm.smartcard.sim.internal.card.CardImage;
import org.cardinaldm.smartcard.sim.internal.card.Uicc;
import org.cardinaldm.smartcard.sim.internal.profile.ProfileParser;
import org.cardinaldm.stacktest.card.CardStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Discovery on the software card through the card service: what is read, and with how many APDUs. */
class DiscoveryTest {
    private final ApduStats stats = new ApduStats();
    private CardStack stack;
    private CardServiceImpl service;

    /** The card stack with its simulated reader "R", empty until {@link #start(CardImage)}. */
    @BeforeEach
    void stack() throws Exception {
        stack = CardStack.inJvm().reader("R").start();
        service = stack.cards();
    }

    /** Puts the card (its image in memory) into the reader. */
    private void start(CardImage image) throws Exception {
        stack.insert(image);
    }

    @AfterEach
    void stop() throws Exception {
        stack.close();
    }

    private CardContents cold() throws Exception {
        try (CardSession s = service.openSession("R")) {
            return Discovery.cold(new CardIo(s.basicChannel(), stats), "R", s.atr());
        }
    }

    private CardContents refresh(CardContents old) throws Exception {
        try (CardSession s = service.openSession("R")) {
            return Discovery.refresh(new CardIo(s.basicChannel(), stats), old);
        }
    }

    @Test
    void cold_detection_reads_the_whole_dm_structure_of_the_demo_card() throws Exception {
        start(SimCardHandle.personalisation(null));
        CardContents c = cold();
        assertThat(c.cardId()).isEqualTo("989400000000000010F2");
        assertThat(c.profileVersion()).isEqualTo("1.2");
        assertThat(c.changeCounter()).isZero();
        assertThat(c.bootstrap()).isEqualTo(DemoCard.bootstrapWbxml());
        assertThat(c.policy()).isEqualTo(DemoCard.policy());
        assertThat(c.fumo()).isEqualTo(DemoCard.fumoPolicy());
        assertThat(c.credentials()).isEqualTo(DemoCard.credentials());
        assertThat(c.moControl().length()).isEqualTo(DemoCard.moStoreWbxml().length);
        assertThat(c.freeSpace()).isEqualTo(2048 - DemoCard.moStoreWbxml().length);
        assertThat(c.capabilities()).containsExactly("md5", "hmac", "verify-server", "change-counter", "server-challenge", "fumo",
                "mo-store");
        assertThat(c.problems()).isEmpty();
    }

    @Test
    void cold_detection_costs_the_pkcs15_minimum_plus_the_change_counter() throws Exception {
        start(SimCardHandle.personalisation(null));
        cold();
        // the minimum with short APDUs: EF.DIR 1, SELECT 1, ODF 1, DODF ceil(243/256)=1, bootstrap
        // ceil(871/256)=4, keys 1, policy control+slot 2, FUMO control+slot 2, MO control 1 = 14;
        // plus GET CHANGE COUNTER, which names the card and makes every later check one APDU
        int bootstrapReads = (DemoCard.bootstrapWbxml().length + 255) / 256;
        assertThat(stats.apdus()).isEqualTo(1 + 1 + 1 + 1 + 1 + bootstrapReads + 1 + 2 + 2 + 1);
    }

    @Test
    void an_unchanged_card_is_recognised_with_one_apdu() throws Exception {
        start(SimCardHandle.personalisation(null));
        CardContents c = cold();
        stats.reset();
        assertThat(refresh(c)).isSameAs(c);
        assertThat(stats.apdus()).isEqualTo(1);
    }

    @Test
    void a_changed_policy_is_read_again_alone() throws Exception {
        start(SimCardHandle.personalisation(null));
        CardContents c = cold();
        CardPolicy changed = CardPolicy.of(true, false, List.of("other-dms"));
        try (CardSession s = service.openSession("R")) {
            CardIo io = new CardIo(s.basicChannel(), stats);
            adm(io);
            io.useState(c.state());
            io.selectApplication(c.application().aid());
            TearSafe.write(io, c.policyPath(), c.policyControl(), ProfileCodec.encode(changed));
        }
        stats.reset();
        CardContents after = refresh(c);
        assertThat(after.policy()).isEqualTo(changed);
        assertThat(after.changeCounter()).isEqualTo(2);
        assertThat(after.bootstrap()).isEqualTo(c.bootstrap());
        // GET CHANGE COUNTER, SELECT, policy control, policy slot
        assertThat(stats.apdus()).isEqualTo(4);
        stats.reset();
        assertThat(refresh(after)).isSameAs(after);
        assertThat(stats.apdus()).isEqualTo(1);
    }

    @Test
    void a_structural_change_means_a_new_discovery() throws Exception {
        start(SimCardHandle.personalisation(null));
        CardContents c = cold();
        try (CardSession s = service.openSession("R")) {
            CardIo io = new CardIo(s.basicChannel(), stats);
            adm(io);
            io.useState(c.state());
            io.selectApplication(c.application().aid());
            io.write(Pkcs15Path.ofFid(0x5031), 24, new byte[] {0}); // ODF padding, same content
        }
        stats.reset();
        CardContents after = refresh(c);
        assertThat(after).isNotSameAs(c);
        assertThat(after.changeCounter()).isEqualTo(1);
        assertThat(stats.apdus()).isGreaterThan(10);
    }

    @Test
    void a_card_with_only_the_dm_bootstrap_is_read_with_selects_and_its_token_serial() throws Exception {
        String profile = "cardinal-uicc-profile 1\ncard protocol=T=0\n"
                + "key 01 usage=adm value=000102030405060708090A0B0C0D0E0F\n"
                + "mf {\n  ef 2F00 linear-fixed record-size=32 records=2 sfi=30 {\n"
                + "    record 1 hex 61 12 4F 0C A000000063504B43532D3135 51 02 5015\n  }\n"
                + "  df 5015 aid=A000000063504B43532D3135 {\n"
                + "    ef 5031 transparent {\n data hex A7 06 30 04 04 02 64 30\n }\n"
                + "    ef 5032 transparent {\n data hex 30 0B 02 01 00 04 03 01 02 03 03 01 00\n }\n"
                + "    ef 6430 transparent size=64 fill=FF {\n data hex " + hex(DemoCard.oidObject("", "", "2.23.43.7.1", 0x6431, false)) + "\n }\n"
                + "    ef 6431 transparent size=1000 fill=FF {\n data hex " + hex(DemoCard.bootstrapWbxml()) + "\n }\n"
                + "  }\n}\n";
        start(new ProfileParser(null).parse(profile));
        CardContents c = cold();
        assertThat(c.profileVersion()).isEmpty();
        assertThat(c.changeCounter()).isEqualTo(-1);
        assertThat(c.cardId()).isEqualTo("010203");
        assertThat(c.bootstrap()).isEqualTo(DemoCard.bootstrapWbxml());
        assertThat(c.policy()).isEqualTo(CardPolicy.defaults());
        assertThat(c.credentials()).isEmpty();
        stats.reset();
        CardContents again = refresh(c);
        assertThat(again.bootstrap()).isEqualTo(c.bootstrap());
        assertThat(stats.apdus()).as("no change counter: the whole chain again").isGreaterThan(5);
    }

    @Test
    void a_card_without_pkcs15_is_not_a_dm_card() throws Exception {
        start(new ProfileParser(null).parse("cardinal-uicc-profile 1\ncard protocol=T=1\nmf {\n}\n"));
        assertThatThrownBy(this::cold).isInstanceOf(Discovery.NotDmCardException.class);
    }

    @Test
    void a_pkcs15_card_without_dm_objects_is_not_a_dm_card() throws Exception {
        String profile = "cardinal-uicc-profile 1\ncard protocol=T=1\n"
                + "key 01 usage=adm value=000102030405060708090A0B0C0D0E0F\n"
                + "mf {\n  df 5015 aid=A000000063504B43532D3135 {\n"
                + "    ef 5031 transparent {\n data hex A7 06 30 04 04 02 64 30\n }\n"
                + "    ef 6430 transparent size=16 fill=00\n  }\n}\n";
        start(new ProfileParser(null).parse(profile));
        assertThatThrownBy(this::cold).isInstanceOf(Discovery.NotDmCardException.class)
                .hasMessageContaining("no DM objects");
    }

    @Test
    void a_policy_slot_that_does_not_match_its_control_falls_back_to_the_default_policy() throws Exception {
        CardImage image = SimCardHandle.personalisation(null);
        start(image);
        CardContents c = cold();
        try (CardSession s = service.openSession("R")) {
            CardIo io = new CardIo(s.basicChannel(), stats);
            adm(io);
            io.useState(c.state());
            io.selectApplication(c.application().aid());
            io.write(c.policyControl().activeSlot(), 3, new byte[] {0x00}); // flip a byte behind the control's back
        }
        CardContents after = refresh(c);
        assertThat(after.policy()).isEqualTo(CardPolicy.defaults());
        assertThat(after.problems()).anyMatch(p -> p.contains("does not match"));
    }

    static void adm(CardIo io) throws Exception {
        byte[] challenge = io.send(CommandApdu.of(0, 0x84, 0, 0, 16)).data();
        io.send(CommandApdu.of(0, 0x82, 0, 1, Uicc.admCryptogram(DemoCard.ADM_KEY, challenge))).requireSuccess("ADM");
    }

    private static String hex(byte[] b) {
        return DemoCard.HEX.formatHex(b);
    }

    static byte[] copy(byte[] b) {
        return Arrays.copyOf(b, b.length);
    }
}
