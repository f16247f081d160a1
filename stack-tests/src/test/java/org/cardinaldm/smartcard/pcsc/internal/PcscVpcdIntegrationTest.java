package org.cardinaldm.smartcard.pcsc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.cardinaldm.smartcard.api.CardChannel;
import org.cardinaldm.smartcard.api.CardEvent;
import org.cardinaldm.smartcard.api.CardHold;
import org.cardinaldm.smartcard.api.CardListener;
import org.cardinaldm.smartcard.api.CardService;
import org.cardinaldm.smartcard.api.CardSession;
import org.cardinaldm.smartcard.api.CardState;
import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.api.ResponseApdu;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.api.SmartCardException.Code;
import org.cardinaldm.smartcard.core.internal.CardServiceImpl;
import org.cardinaldm.smartcard.sim.internal.SimCardHandle;
import org.cardinaldm.smartcard.sim.internal.vpcd.VpcdConnector;
import org.cardinaldm.smartcard.sim.internal.vpcd.VpcdPortLock;
import org.cardinaldm.testing.RequiresPcscd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

/**
 * The PC/SC backend against the real pcscd: the software card is plugged into vpcd's readers
 * ("Virtual PCD 00 00", T=1, and "Virtual PCD 00 01", T=0) and reached through javax.smartcardio, behind the
 * card service. Needs pcscd and vsmartcard-vpcd ({@link RequiresPcscd}: skipped without them, failed with CI=true). Holds both vpcd ports
 * ({@link VpcdPortLock}) for its whole run, so that other tests on the machine's pcscd wait for it.
 */
@RequiresPcscd
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(60)
class PcscVpcdIntegrationTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final String READER_T1 = "Virtual PCD 00 00";
    private static final String READER_T0 = "Virtual PCD 00 01";
    private static final String PKCS15 = "A000000063504B43532D3135";

    private VpcdPortLock port1;
    private VpcdPortLock port0;
    private SimCardHandle card1;
    private SimCardHandle card0;
    private VpcdConnector vpcd1;
    private VpcdConnector vpcd0;
    private PcscContext context;
    private PcscCardBackend backend1;
    private PcscCardBackend backend0;
    private CardServiceImpl service;
    private final Recorder events = new Recorder();

    /**
     * Collects the card service's events. Events of other readers are kept for them, not dropped:
     * the two readers' first events arrive in either order (on a freshly started pcscd the T=0
     * reader is often first).
     */
    static final class Recorder implements CardListener {
        final BlockingQueue<CardEvent> queue = new LinkedBlockingQueue<>();
        private final List<CardEvent> heldForOthers = new ArrayList<>();

        @Override
        public void cardChanged(CardEvent event) {
            queue.add(event);
        }

        /** Waits (bounded) for the next event of the reader; events of other readers stay queued for them. */
        synchronized CardEvent next(String reader) throws InterruptedException {
            for (Iterator<CardEvent> it = heldForOthers.iterator(); it.hasNext();) {
                CardEvent e = it.next();
                if (e.reader().equals(reader)) {
                    it.remove();
                    return e;
                }
            }
            while (true) {
                CardEvent e = queue.poll(20, TimeUnit.SECONDS);
                assertThat(e).as("an event of %s", reader).isNotNull();
                if (e.reader().equals(reader)) {
                    return e;
                }
                heldForOthers.add(e);
            }
        }
    }

    @BeforeAll
    @Timeout(360)
    void start(@TempDir Path dir) throws Exception {
        // always in this order (35963, then 35964), so that two tests holding both cannot deadlock
        port1 = VpcdPortLock.acquire(35963, Duration.ofMinutes(5));
        port0 = VpcdPortLock.acquire(35964, Duration.ofMinutes(5));
        String profile = new String(getClass().getResourceAsStream("/pcsc-test-profile.txt").readAllBytes(),
                StandardCharsets.UTF_8);
        Path p1 = dir.resolve("t1.profile");
        Path p0 = dir.resolve("t0.profile");
        Files.writeString(p1, profile);
        Files.writeString(p0, profile.replace("card protocol=T=1", "card protocol=T=0"));
        card1 = SimCardHandle.open(dir.resolve("t1.img"), p1, SimCardHandle.Personalize.ALWAYS);
        card0 = SimCardHandle.open(dir.resolve("t0.img"), p0, SimCardHandle.Personalize.ALWAYS);
        vpcd1 = new VpcdConnector("127.0.0.1", 35963, card1, true);
        vpcd0 = new VpcdConnector("127.0.0.1", 35964, card0, true);
        assertThat(vpcd1.awaitConnected(10_000)).as("connected to vpcd on 35963").isTrue();
        assertThat(vpcd0.awaitConnected(10_000)).as("connected to vpcd on 35964").isTrue();

        context = new PcscContext();
        context.activate(Converters.standardConverter()
                .convert(Map.of("event.wait.millis", 200, "retry.millis", 500)).to(PcscContext.Config.class));
        backend1 = new PcscCardBackend(context, config(READER_T1, true));
        backend0 = new PcscCardBackend(context, config(READER_T0, false));
        service = new CardServiceImpl();
        service.addListener(events, Map.of());
        service.addBackend(backend1, Map.of("card.reader", READER_T1, "card.backend", "pcsc"));
        service.addBackend(backend0, Map.of("card.reader", READER_T0, "card.backend", "pcsc"));
    }

    private static PcscCardBackend.Config config(String reader, boolean exclusive) {
        return Converters.standardConverter().convert(Map.of("card.reader", reader, "exclusive", exclusive))
                .to(PcscCardBackend.Config.class);
    }

    @AfterAll
    void stop() throws IOException {
        if (service != null) {
            service.deactivate();
        }
        for (PcscCardBackend b : new PcscCardBackend[] {backend1, backend0}) {
            if (b != null) {
                b.close();
            }
        }
        if (context != null) {
            context.deactivate();
        }
        for (VpcdConnector c : new VpcdConnector[] {vpcd1, vpcd0}) {
            if (c != null) {
                c.close();
            }
        }
        for (SimCardHandle c : new SimCardHandle[] {card1, card0}) {
            if (c != null) {
                c.close();
            }
        }
        for (VpcdPortLock l : new VpcdPortLock[] {port0, port1}) {
            if (l != null) {
                l.close();
            }
        }
    }

    private static ResponseApdu send(CardChannel ch, String apdu) throws SmartCardException {
        return ch.transmit(CommandApdu.parse(HEX.parseHex(apdu.replace(" ", ""))));
    }

    private CardEvent awaitInserted(String reader) throws InterruptedException {
        while (true) {
            CardEvent e = events.next(reader);
            if (e.type() == CardEvent.Type.CARD_INSERTED) {
                return e;
            }
        }
    }

    @Test
    @Order(1)
    void the_inserted_cards_are_detected_with_their_atr() throws Exception {
        CardEvent inserted = awaitInserted(READER_T1);
        assertThat(inserted.status().atrHex()).isEqualTo(HEX.formatHex(card1.uicc().atr()));
        assertThat(awaitInserted(READER_T0).status().atrHex()).isEqualTo(HEX.formatHex(card0.uicc().atr()));
        // vpcd may still hold a connection of an earlier card process and report it removed once: wait it out
        awaitPresent(READER_T1);
        awaitPresent(READER_T0);
        assertThat(service.readers()).extracting(r -> r.reader() + " " + r.backend() + " " + r.state())
                .contains(READER_T1 + " pcsc PRESENT", READER_T0 + " pcsc PRESENT");
    }

    @Test
    @Order(2)
    void select_and_read_binary_through_pcscd() throws Exception {
        awaitPresent(READER_T1);
        try (CardSession s = service.openSession(READER_T1)) {
            assertThat(s.protocol()).isEqualTo("T=1");
            ResponseApdu fcp = send(s.basicChannel(), "00 A4 04 04 0C " + PKCS15 + " 00");
            assertThat(fcp.sw()).isEqualTo(0x9000);
            assertThat(HEX.formatHex(fcp.data())).contains("840C" + PKCS15);
            assertThat(send(s.basicChannel(), "00 A4 00 0C 02 5031").sw()).isEqualTo(0x9000);
            assertThat(HEX.formatHex(send(s.basicChannel(), "00 B0 00 00 08").data())).isEqualTo("A706300404026430");
            assertThat(send(s.basicChannel(), "00 A4 08 0C 02 2FE2").sw()).isEqualTo(0x9000);
            assertThat(HEX.formatHex(send(s.basicChannel(), "00 B0 00 00 00").data())).isEqualTo("98940000000000001" + "0F2");
            ResponseApdu large = send(s.basicChannel(), "00 A4 00 04 02 0003 00");
            assertThat(large.sw()).isEqualTo(0x9000);
            ResponseApdu extended = send(s.basicChannel(), "00 B0 00 00 00 02 58");
            assertThat(extended.sw()).isEqualTo(0x9000);
            assertThat(extended.length()).isEqualTo(600);
        }
    }

    @Test
    @Order(3)
    void verify_pin_wrong_then_right_and_the_counter_is_on_the_card() throws Exception {
        awaitPresent(READER_T1);
        try (CardSession s = service.openSession(READER_T1)) {
            send(s.basicChannel(), "00 A4 00 0C 02 0002");
            assertThat(send(s.basicChannel(), "00 B0 00 00 08").sw()).isEqualTo(0x6982);
            assertThat(send(s.basicChannel(), "00 20 00 01 08 39393939FFFFFFFF").sw()).isEqualTo(0x63C2);
            assertThat(card1.uicc().snapshot().pins().get(0x01).retries()).isEqualTo(2);
            assertThat(send(s.basicChannel(), "00 20 00 01 08 31323334FFFFFFFF").sw()).isEqualTo(0x9000);
            assertThat(HEX.formatHex(send(s.basicChannel(), "00 B0 00 00 08").data())).isEqualTo("1122334455667788");
            assertThat(card1.uicc().snapshot().pins().get(0x01).retries()).isEqualTo(3);
            s.reset(); // drops the verified PIN before the card goes back
            assertThat(send(s.basicChannel(), "00 20 00 01").sw()).isEqualTo(0x63C3);
        }
    }

    @Test
    @Order(4)
    void logical_channels_work_through_javax_smartcardio() throws Exception {
        awaitPresent(READER_T1);
        try (CardSession s = service.openSession(READER_T1)) {
            CardChannel ch = s.openLogicalChannel();
            assertThat(ch.number()).isBetween(1, 3);
            assertThat(send(ch, "00 A4 04 0C 0C " + PKCS15).sw()).isEqualTo(0x9000);
            assertThat(send(ch, "00 A4 00 0C 02 5031").sw()).isEqualTo(0x9000);
            assertThat(send(s.basicChannel(), "00 A4 00 0C 02 5031").sw()).isEqualTo(0x6A82);
            ch.close();
            assertThat(s.openLogicalChannel().number()).isEqualTo(ch.number());
        }
    }

    @Test
    @Order(5)
    void a_t0_card_gets_complete_responses_through_pcscd() throws Exception {
        awaitPresent(READER_T0);
        try (CardSession s = service.openSession(READER_T0)) {
            assertThat(s.protocol()).isEqualTo("T=0");
            ResponseApdu fcp = send(s.basicChannel(), "00 A4 04 04 0C " + PKCS15 + " 00");
            assertThat(fcp.sw()).isEqualTo(0x9000);
            assertThat(HEX.formatHex(fcp.data())).startsWith("62").contains("840C" + PKCS15);
            assertThat(send(s.basicChannel(), "00 A4 00 0C 02 5031").sw()).isEqualTo(0x9000);
            assertThat(send(s.basicChannel(), "00 B0 00 00 FF").length()).isEqualTo(32); // 6C20, repeated
            assertThatThrownBy(() -> send(s.basicChannel(), "00 B0 00 00 00 01 01"))
                    .isInstanceOfSatisfying(SmartCardException.class,
                            e -> assertThat(e.code()).isEqualTo(Code.NOT_SUPPORTED));
            assertThat(s.isOpen()).isTrue();
        }
    }

    @Test
    @Order(6)
    void pulling_the_card_is_seen_as_removal_and_inserting_it_again_as_insertion() throws Exception {
        awaitPresent(READER_T1);
        CardSession s = service.openSession(READER_T1);
        assertThat(send(s.basicChannel(), "00 A4 00 0C 02 3F00").sw()).isEqualTo(0x9000);
        vpcd1.pull();
        assertThatThrownBy(() -> send(s.basicChannel(), "00 A4 00 0C 02 3F00"))
                .isInstanceOfSatisfying(SmartCardException.class,
                        e -> assertThat(e.code()).isIn(Code.CARD_REMOVED, Code.IO_ERROR));
        s.close();
        CardEvent removed = events.next(READER_T1);
        assertThat(removed.type()).isEqualTo(CardEvent.Type.CARD_REMOVED);
        awaitState(READER_T1, CardState.ABSENT);
        assertThatThrownBy(() -> service.openSession(READER_T1)).isInstanceOfSatisfying(SmartCardException.class,
                e -> assertThat(e.code()).isEqualTo(Code.CARD_ABSENT));
        vpcd1.insert();
        assertThat(awaitInserted(READER_T1).status().atrHex()).isEqualTo(HEX.formatHex(card1.uicc().atr()));
        try (CardSession again = service.openSession(READER_T1)) {
            assertThat(send(again.basicChannel(), "00 A4 04 0C 0C " + PKCS15).sw()).isEqualTo(0x9000);
        }
    }

    @Test
    @Order(7)
    void a_reset_by_another_application_ends_a_shared_session_and_the_next_one_reconnects() throws Exception {
        awaitPresent(READER_T0);
        CardSession s = service.openSession(READER_T0); // backend0 is not exclusive
        assertThat(send(s.basicChannel(), "00 20 00 01 08 31323334FFFFFFFF").sw()).isEqualTo(0x9000);
        assertThat(runResetCard(READER_T0)).isEqualTo("reset");
        assertThatThrownBy(() -> send(s.basicChannel(), "00 20 00 01")).isInstanceOfSatisfying(
                SmartCardException.class, e -> assertThat(e.code()).isEqualTo(Code.CARD_RESET));
        assertThat(s.isOpen()).isFalse();
        s.close();
        try (CardSession again = service.openSession(READER_T0, Duration.ofSeconds(5))) {
            assertThat(send(again.basicChannel(), "00 20 00 01").sw()).isEqualTo(0x63C3); // the PIN state is gone
        }
    }

    @Test
    @Order(8)
    void an_exclusive_session_keeps_another_application_waiting_until_it_ends() throws Exception {
        awaitPresent(READER_T1);
        OtherApplication other;
        try (CardSession s = service.openSession(READER_T1)) {
            assertThat(send(s.basicChannel(), "00 20 00 01 08 31323334FFFFFFFF").sw()).isEqualTo(0x9000);
            other = new OtherApplication(READER_T1);
            assertThat(other.line()).isEqualTo("connecting"); // pcscd holds its connect back: our transaction
            for (int i = 0; i < 20; i++) {
                assertThat(send(s.basicChannel(), "00 20 00 01").sw()).isEqualTo(0x9000);
            }
            assertThat(other.process.isAlive()).isTrue();
            assertThat(other.lines).isEmpty();
        }
        assertThat(other.line()).isEqualTo("connected");
        assertThat(other.line()).isEqualTo("reset");
        try (CardSession s = service.openSession(READER_T1, Duration.ofSeconds(5))) {
            assertThat(send(s.basicChannel(), "00 20 00 01").sw()).isEqualTo(0x63C3);
        }
    }

    /** Another PC/SC client process ({@code ResetCard.java}), its output read with bounded waits. */
    private static final class OtherApplication {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        OtherApplication(String reader) throws IOException {
            process = startResetCard(reader);
            Thread pump = new Thread(() -> {
                try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String l = in.readLine(); l != null; l = in.readLine()) {
                        lines.add(l);
                    }
                } catch (IOException e) {
                    lines.add("io: " + e);
                }
            }, "test-other-pcsc-app");
            pump.setDaemon(true);
            pump.start();
        }

        String line() throws InterruptedException {
            String l = lines.poll(30, TimeUnit.SECONDS);
            if (l == null) {
                process.destroyForcibly();
            }
            assertThat(l).as("output of the other PC/SC application").isNotNull();
            return l;
        }
    }

    @Test
    @Order(9)
    void a_reader_pcscd_does_not_know_is_absent() throws Exception {
        PcscCardBackend nowhere = new PcscCardBackend(context, config("No Such Reader 99", true));
        try {
            assertThat(nowhere.status().state()).isEqualTo(CardState.NO_READER);
            assertThatThrownBy(nowhere::connect).isInstanceOfSatisfying(SmartCardException.class,
                    e -> assertThat(e.code()).isEqualTo(Code.READER_ABSENT));
        } finally {
            nowhere.close();
        }
    }

    @Test
    @Order(10)
    void apdu_round_trip_time_through_pcscd_is_measured() throws Exception {
        awaitPresent(READER_T1);
        try (CardSession s = service.openSession(READER_T1)) {
            send(s.basicChannel(), "00 A4 00 0C 02 2FE2");
            int n = 200;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                send(s.basicChannel(), "00 B0 00 00 0A");
            }
            long perApdu = (System.nanoTime() - t0) / n / 1000;
            System.out.println("PC/SC via vpcd: " + perApdu + " us per READ BINARY round trip (" + n + " APDUs)");
            assertThat(vpcd1.apduCount()).isGreaterThanOrEqualTo(n);
        }
    }

    /** Time enough for pcscd to power an unconnected card off (it does so about 0.5 s after the last connection). */
    private static final long BEYOND_POWER_OFF_GRACE_MILLIS = 3000;

    @Test
    @Order(11)
    void a_held_card_keeps_its_security_state_beyond_pcscds_power_off_grace_and_is_released_when_the_hold_ends()
            throws Exception {
        awaitPresent(READER_T1);
        CardHold hold;
        try (CardSession s = service.openSession(READER_T1)) {
            assertThat(send(s.basicChannel(), "00 20 00 01 08 31323334FFFFFFFF").sw()).isEqualTo(0x9000);
            hold = service.holdCard(READER_T1, Duration.ofMinutes(1)); // taken before the session gives the card back
        }
        assertThat(backend1.isHoldingCard()).isTrue();

        Thread.sleep(BEYOND_POWER_OFF_GRACE_MILLIS); // only the delay: a DM server's writes come seconds later

        assertThat(card1.uicc().isPowered()).as("pcscd kept the held card powered").isTrue();
        try (CardSession s = service.openSession(READER_T1)) {
            assertThat(send(s.basicChannel(), "00 20 00 01").sw()).as("the PIN is still verified").isEqualTo(0x9000);
        }
        assertThat(hold.isActive()).isTrue();

        hold.close();

        assertThat(backend1.isHoldingCard()).isFalse();
        awaitUnpowered(card1);
        try (CardSession s = service.openSession(READER_T1)) {
            assertThat(send(s.basicChannel(), "00 20 00 01").sw()).as("power off cleared the PIN").isEqualTo(0x63C3);
        }
        awaitNoConnection();
    }

    @Test
    @Order(12)
    void another_pcsc_application_can_use_a_held_card_and_the_hold_follows_the_reset_it_made() throws Exception {
        awaitPresent(READER_T1);
        try (CardHold hold = service.holdCard(READER_T1, Duration.ofMinutes(1))) {
            assertThat(runResetCard(READER_T1)).as("the hold is shared, not exclusive").isEqualTo("reset");
            try (CardSession s = service.openSession(READER_T1, Duration.ofSeconds(5))) {
                assertThat(send(s.basicChannel(), "00 A4 04 0C 0C " + PKCS15).sw()).isEqualTo(0x9000);
            }
            assertThat(hold.isActive()).isTrue();
            assertThat(backend1.isHoldingCard()).isTrue();
        }
        assertThat(backend1.isHoldingCard()).isFalse();
        awaitNoConnection();
    }

    @Test
    @Order(13)
    void a_card_pulled_while_held_is_seen_removed_and_the_hold_and_its_connection_end() throws Exception {
        awaitPresent(READER_T1);
        events.queue.clear();
        CardHold hold = service.holdCard(READER_T1, Duration.ofMinutes(1));
        int threads = Thread.activeCount();

        vpcd1.pull();

        CardEvent e;
        do {
            e = events.next(READER_T1);
        } while (e.type() != CardEvent.Type.CARD_REMOVED);
        assertThat(hold.isActive()).isFalse();
        assertThat(backend1.isHoldingCard()).isFalse();
        assertThat(service.activeHolds(READER_T1)).isZero();
        awaitNoConnection();
        assertThatThrownBy(() -> service.holdCard(READER_T1, Duration.ofMinutes(1)))
                .isInstanceOfSatisfying(SmartCardException.class, x -> assertThat(x.code()).isEqualTo(Code.CARD_ABSENT));

        vpcd1.insert();
        awaitInserted(READER_T1);
        awaitPresent(READER_T1);
        try (CardSession s = service.openSession(READER_T1)) {
            assertThat(send(s.basicChannel(), "00 A4 04 0C 0C " + PKCS15).sw()).isEqualTo(0x9000);
        }
        hold.close(); // ended already: nothing happens
        assertThat(backend1.isHoldingCard()).isFalse();
        assertThat(Thread.activeCount()).as("no thread left behind").isLessThanOrEqualTo(threads + 1);
    }

    /** Waits (bounded) until pcscd has powered the card off. */
    private static void awaitUnpowered(SimCardHandle card) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (card.uicc().isPowered()) {
            assertThat(System.nanoTime()).as("pcscd powers the released card off").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** Waits (bounded) until the backends' connections (holds included) are all closed. */
    private void awaitNoConnection() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (context.openConnections() != 0) {
            assertThat(System.nanoTime()).as("no PC/SC connection left open").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /**
     * Waits (bounded) until the card service reports the card present and a session on it opens: right after
     * another process let go of a vpcd card, pcscd may still report the old card for a moment and refuse the
     * connection (SCARD_E_NO_SMARTCARD) until the new one is in.
     */
    private void awaitPresent(String reader) throws InterruptedException {
        awaitState(reader, CardState.PRESENT);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (CardSession s = service.openSession(reader)) {
                return;
            } catch (SmartCardException e) {
                if (e.code() != Code.CARD_ABSENT || System.nanoTime() > deadline) {
                    throw new AssertionError(reader + " reports a card but no session opens on it", e);
                }
                events.queue.poll(200, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Waits (bounded) until the card service reports the state, consuming the events on the way. */
    private void awaitState(String reader, CardState state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (service.reader(reader).map(r -> r.state() != state || state == CardState.PRESENT
                && r.atr().length == 0).orElse(true)) {
            assertThat(System.nanoTime()).as("%s reaches %s", reader, state).isLessThan(deadline);
            events.queue.poll(200, TimeUnit.MILLISECONDS);
        }
    }

    private static Process startResetCard(String reader) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "src/test/scripts/ResetCard.java", reader).redirectErrorStream(true).start();
    }

    private static String runResetCard(String reader) throws Exception {
        Process p = startResetCard(reader);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ResetCard did not finish");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return out.lines().reduce((a, b) -> b).orElse("");
    }

    /** Lets the type be referenced for the service field's declared type. */
    @SuppressWarnings("unused")
    private CardService asService() {
        return service;
    }
}
