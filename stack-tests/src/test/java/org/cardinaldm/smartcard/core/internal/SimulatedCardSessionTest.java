package org.cardinaldm.smartcard.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;

import org.cardinaldm.smartcard.api.CardChannel;
import org.cardinaldm.smartcard.api.CardSession;
import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.api.ResponseApdu;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.api.SmartCardException.Code;
import org.cardinaldm.smartcard.sim.internal.SimCardHandle;
import org.cardinaldm.smartcard.sim.internal.backend.SimCardBackend;
import org.cardinaldm.stacktest.card.CardStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The card service in front of the real software card (volatile image). */
class SimulatedCardSessionTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final String PKCS15 = "A000000063504B43532D3135";

    @TempDir
    Path dir;

    private CardStack stack;
    private CardServiceImpl service;
    private SimCardBackend sim;

    /** The card stack with its simulated reader "Sim", empty until {@link #start(String)}. */
    @BeforeEach
    void stack() throws Exception {
        stack = CardStack.inJvm().reader("Sim").start();
        service = stack.cards();
    }

    private void start(String protocol) throws Exception {
        String demo;
        try (var in = SimCardHandle.class.getResourceAsStream(SimCardHandle.DEMO_PROFILE)) {
            demo = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        Path profile = dir.resolve("p.profile");
        Files.writeString(profile, demo.replace("card protocol=T=1", "card protocol=" + protocol));
        stack.insert(SimCardHandle.open(null, profile, SimCardHandle.Personalize.IF_ABSENT));
        sim = stack.simBackend();
    }

    @AfterEach
    void stop() throws Exception {
        stack.close();
    }

    private static ResponseApdu send(CardChannel ch, String hex) throws SmartCardException {
        return ch.transmit(CommandApdu.parse(HEX.parseHex(hex.replace(" ", ""))));
    }

    @Test
    void under_t0_callers_see_complete_responses() throws Exception {
        start("T=0");
        try (CardSession s = service.openSession("Sim")) {
            assertThat(s.protocol()).isEqualTo("T=0");
            ResponseApdu fcp = send(s.basicChannel(), "00 A4 04 04 0C " + PKCS15 + " 00");
            assertThat(fcp.sw()).isEqualTo(0x9000);
            assertThat(HEX.formatHex(fcp.data())).startsWith("62").contains("840C" + PKCS15);
            send(s.basicChannel(), "00 A4 00 0C 02 5031");
            ResponseApdu odf = send(s.basicChannel(), "00 B0 00 00 FF"); // 6C20 from the card, repeated with Le 20
            assertThat(odf.sw()).isEqualTo(0x9000);
            assertThat(odf.data()).hasSize(32);
        }
    }

    @Test
    void logical_channels_are_opened_used_and_closed_on_the_card() throws Exception {
        start("T=1");
        try (CardSession s = service.openSession("Sim")) {
            CardChannel one = s.openLogicalChannel();
            CardChannel two = s.openLogicalChannel();
            CardChannel three = s.openLogicalChannel();
            assertThat(new int[] {one.number(), two.number(), three.number()}).containsExactly(1, 2, 3);
            assertThatThrownBy(s::openLogicalChannel).isInstanceOfSatisfying(SmartCardException.class,
                    e -> assertThat(e.code()).isEqualTo(Code.NO_CHANNEL_AVAILABLE));
            assertThat(send(one, "00 A4 04 0C 0C " + PKCS15).sw()).isEqualTo(0x9000);
            assertThat(send(one, "00 A4 00 0C 02 5031").sw()).isEqualTo(0x9000);
            assertThat(send(s.basicChannel(), "00 A4 00 0C 02 5031").sw()).isEqualTo(0x6A82); // basic is at the MF
            two.close();
            assertThat(two.isOpen()).isFalse();
            assertThatThrownBy(() -> send(two, "00 A4 00 0C 02 3F00")).isInstanceOf(SmartCardException.class);
            assertThat(s.openLogicalChannel().number()).isEqualTo(2); // freed on the card
        }
    }

    @Test
    void a_pulled_card_is_an_event_and_ends_the_session() throws Exception {
        start("T=1");
        CardServiceImplTest.Recorder rec = new CardServiceImplTest.Recorder();
        service.addListener(rec, Map.of());
        assertThat(rec.take(2)).containsExactly("READER_ADDED Sim ABSENT", "CARD_INSERTED Sim PRESENT");
        CardSession s = service.openSession("Sim");
        sim.remove();
        assertThat(rec.take()).isEqualTo("CARD_REMOVED Sim ABSENT");
        assertThatThrownBy(() -> send(s.basicChannel(), "00 A4 00 0C 02 3F00"))
                .isInstanceOfSatisfying(SmartCardException.class, e -> assertThat(e.code()).isEqualTo(Code.CARD_REMOVED));
        assertThatThrownBy(() -> service.openSession("Sim")).isInstanceOfSatisfying(SmartCardException.class,
                e -> assertThat(e.code()).isEqualTo(Code.CARD_ABSENT));
        sim.insert();
        assertThat(rec.take()).isEqualTo("CARD_INSERTED Sim PRESENT");
        try (CardSession again = service.openSession("Sim", java.time.Duration.ZERO)) {
            assertThat(send(again.basicChannel(), "00 A4 00 0C 02 3F00").sw()).isEqualTo(0x9000);
        }
    }

    @Test
    void reset_forgets_the_pin_and_closes_channels() throws Exception {
        start("T=1");
        try (CardSession s = service.openSession("Sim")) {
            assertThat(send(s.basicChannel(), "00 20 00 01 08 31323334FFFFFFFF").sw()).isEqualTo(0x9000);
            CardChannel ch = s.openLogicalChannel();
            s.reset();
            assertThat(ch.isOpen()).isFalse();
            assertThat(send(s.basicChannel(), "00 20 00 01").sw()).isEqualTo(0x63C3);
            assertThat(s.atr()).isEqualTo(sim.status().atr());
        }
    }
}
