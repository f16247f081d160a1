package org.cardinaldm.smartcard.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.cardinaldm.smartcard.api.CardEvent;
import org.cardinaldm.smartcard.api.CardEvent.Type;
import org.cardinaldm.smartcard.api.CardListener;
import org.cardinaldm.smartcard.api.CardSession;
import org.cardinaldm.smartcard.api.CardState;
import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.api.ResponseApdu;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.api.SmartCardException.Code;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class CardServiceImplTest {
    private final CardServiceImpl service = new CardServiceImpl();

    @AfterEach
    void stop() {
        service.deactivate();
    }

    /** Collects events; take() waits (bounded) for the next one. */
    static final class Recorder implements CardListener {
        final BlockingQueue<CardEvent> events = new LinkedBlockingQueue<>();

        @Override
        public void cardChanged(CardEvent event) {
            events.add(event);
        }

        String take() throws InterruptedException {
            CardEvent e = events.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("an event").isNotNull();
            return e.type() + " " + e.reader() + " " + e.status().state();
        }

        List<String> take(int n) throws InterruptedException {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(take());
            }
            return out;
        }
    }

    private static Map<String, Object> props(String reader) {
        return Map.of("card.reader", reader, "card.backend", "fake");
    }

    @Test
    void readers_are_listed_by_name_with_their_state() {
        service.addBackend(new FakeBackend("b", CardState.ABSENT), props("b"));
        service.addBackend(new FakeBackend("a", CardState.PRESENT), props("a"));
        assertThat(service.readers()).extracting(r -> r.reader() + "=" + r.state())
                .containsExactly("a=PRESENT", "b=ABSENT");
        assertThat(service.reader("a")).hasValueSatisfying(r -> assertThat(r.atrHex()).isEqualTo("3B00"));
        assertThat(service.reader("c")).isEmpty();
    }

    @Test
    void a_second_backend_for_the_same_reader_is_ignored_and_the_name_can_come_from_the_status() {
        FakeBackend first = new FakeBackend("r", CardState.ABSENT);
        FakeBackend second = new FakeBackend("r", CardState.PRESENT);
        service.addBackend(first, props("r"));
        service.addBackend(second, Map.of());
        assertThat(service.readers()).hasSize(1);
        assertThat(service.reader("r").orElseThrow().state()).isEqualTo(CardState.ABSENT);
        service.removeBackend(second, Map.of());
        assertThat(service.readers()).hasSize(1);
    }

    @Test
    void insertion_and_removal_become_events_in_order() throws Exception {
        Recorder rec = new Recorder();
        service.addListener(rec, Map.of());
        FakeBackend b = new FakeBackend("r", CardState.NO_READER);
        service.addBackend(b, props("r"));
        b.set(CardState.ABSENT);
        b.set(CardState.PRESENT, 0x3B, 0x01);
        b.set(CardState.PRESENT, 0x3B, 0x01);          // no change: no event
        b.set(CardState.PRESENT, 0x3B, 0x02);          // another card
        b.set(CardState.ABSENT);
        b.set(CardState.PRESENT);                      // a card whose ATR is not known yet…
        b.set(CardState.PRESENT, 0x3B, 0x03);          // …and then is: the same card, no event
        b.set(CardState.NO_READER);
        assertThat(rec.take(8)).containsExactly("READER_ADDED r ABSENT", "CARD_INSERTED r PRESENT",
                "CARD_REMOVED r ABSENT", "CARD_INSERTED r PRESENT", "CARD_REMOVED r ABSENT",
                "CARD_INSERTED r PRESENT", "CARD_REMOVED r ABSENT", "READER_REMOVED r NO_READER");
        service.awaitDelivery();
        assertThat(rec.events).isEmpty();
    }

    @Test
    void a_removed_backend_reports_its_card_and_reader_gone() throws Exception {
        Recorder rec = new Recorder();
        service.addListener(rec, Map.of());
        FakeBackend b = new FakeBackend("r", CardState.PRESENT);
        service.addBackend(b, props("r"));
        assertThat(rec.take(2)).containsExactly("READER_ADDED r ABSENT", "CARD_INSERTED r PRESENT");
        service.removeBackend(b, props("r"));
        assertThat(rec.take(2)).containsExactly("CARD_REMOVED r ABSENT", "READER_REMOVED r NO_READER");
        assertThat(service.readers()).isEmpty();
        assertThat(b.observers).isEmpty();
    }

    @Test
    void a_late_listener_is_told_the_present_state_first() throws Exception {
        FakeBackend present = new FakeBackend("a", CardState.PRESENT);
        FakeBackend empty = new FakeBackend("b", CardState.ABSENT);
        service.addBackend(present, props("a"));
        service.addBackend(empty, props("b"));
        Recorder late = new Recorder();
        service.addListener(late, Map.of());
        assertThat(late.take(3)).containsExactly("READER_ADDED a ABSENT", "CARD_INSERTED a PRESENT",
                "READER_ADDED b ABSENT");
        empty.set(CardState.PRESENT, 0x3B, 0x09);
        assertThat(late.take()).isEqualTo("CARD_INSERTED b PRESENT");
    }

    @Test
    void a_reader_filter_limits_the_events_and_a_failing_listener_does_not_stop_others() throws Exception {
        Recorder onlyB = new Recorder();
        Recorder all = new Recorder();
        service.addListener(e -> {
            throw new IllegalStateException("listener bug");
        }, Map.of());
        service.addListener(onlyB, Map.of(CardListener.READER_PROPERTY, "b"));
        service.addListener(all, Map.of());
        FakeBackend a = new FakeBackend("a", CardState.ABSENT);
        FakeBackend b = new FakeBackend("b", CardState.ABSENT);
        service.addBackend(a, props("a"));
        service.addBackend(b, props("b"));
        a.set(CardState.PRESENT, 0x3B, 0x00);
        b.set(CardState.PRESENT, 0x3B, 0x00);
        assertThat(all.take(4)).containsExactly("READER_ADDED a ABSENT", "READER_ADDED b ABSENT",
                "CARD_INSERTED a PRESENT", "CARD_INSERTED b PRESENT");
        assertThat(onlyB.take(2)).containsExactly("READER_ADDED b ABSENT", "CARD_INSERTED b PRESENT");
        service.awaitDelivery();
        assertThat(onlyB.events).isEmpty();
    }

    @Test
    void a_removed_listener_gets_nothing_more() throws Exception {
        Recorder rec = new Recorder();
        service.addListener(rec, Map.of());
        FakeBackend b = new FakeBackend("r", CardState.ABSENT);
        service.addBackend(b, props("r"));
        assertThat(rec.take()).isEqualTo("READER_ADDED r ABSENT");
        service.removeListener(rec, Map.of());
        b.set(CardState.PRESENT, 0x3B, 0x00);
        Recorder after = new Recorder();
        service.addListener(after, Map.of());
        assertThat(after.take(2)).containsExactly("READER_ADDED r ABSENT", "CARD_INSERTED r PRESENT");
        service.awaitDelivery();
        assertThat(rec.events).isEmpty();
    }

    @Test
    void sessions_are_exclusive_and_a_waiting_session_gets_the_card_when_the_first_closes() throws Exception {
        FakeBackend b = new FakeBackend("r", CardState.PRESENT);
        service.addBackend(b, props("r"));
        CardSession first = service.openSession("r");
        assertThatThrownBy(() -> service.openSession("r", Duration.ZERO))
                .isInstanceOfSatisfying(SmartCardException.class, e -> assertThat(e.code()).isEqualTo(Code.READER_BUSY));
        CompletableFuture<CardSession> second = CompletableFuture.supplyAsync(() -> {
            try {
                return service.openSession("r", Duration.ofSeconds(20));
            } catch (SmartCardException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(second).isNotDone();
        first.close();
        first.close(); // idempotent: the permit is released once
        CardSession s2 = second.get(20, TimeUnit.SECONDS);
        assertThatThrownBy(() -> service.openSession("r", Duration.ZERO))
                .isInstanceOfSatisfying(SmartCardException.class, e -> assertThat(e.code()).isEqualTo(Code.READER_BUSY));
        s2.close();
        service.openSession("r", Duration.ZERO).close();
        assertThat(b.connections).isEqualTo(3);
        assertThat(b.closed).isEqualTo(3);
    }

    @Test
    void sessions_need_a_reader_and_a_card() {
        service.addBackend(new FakeBackend("empty", CardState.ABSENT), props("empty"));
        service.addBackend(new FakeBackend("gone", CardState.NO_READER), props("gone"));
        assertThatThrownBy(() -> service.openSession("nope")).isInstanceOfSatisfying(SmartCardException.class,
                e -> assertThat(e.code()).isEqualTo(Code.READER_ABSENT));
        assertThatThrownBy(() -> service.openSession("empty")).isInstanceOfSatisfying(SmartCardException.class,
                e -> assertThat(e.code()).isEqualTo(Code.CARD_ABSENT));
        assertThatThrownBy(() -> service.openSession("gone")).isInstanceOfSatisfying(SmartCardException.class,
                e -> assertThat(e.code()).isEqualTo(Code.READER_ABSENT));
    }

    @Test
    void a_backend_that_fails_to_connect_gives_io_error_and_releases_the_reader() throws Exception {
        FakeBackend b = new FakeBackend("r", CardState.PRESENT);
        service.addBackend(b, props("r"));
        b.connectFailure = new IllegalStateException("driver bug");
        assertThatThrownBy(() -> service.openSession("r")).isInstanceOfSatisfying(SmartCardException.class,
                e -> assertThat(e.code()).isEqualTo(Code.IO_ERROR));
        b.connectFailure = null;
        service.openSession("r", Duration.ZERO).close();
    }

    @Test
    void get_response_is_chained_and_6cxx_is_repeated_with_the_right_le() throws Exception {
        FakeBackend b = new FakeBackend("r", CardState.PRESENT);
        b.card = c -> {
            if (c.ins() == 0xB0) {
                return c.ne() == 3 ? ResponseApdu.of(new byte[] {1, 2, 3}, 0x9000) : ResponseApdu.of(0x6C03);
            }
            if (c.ins() == 0xA4) {
                return ResponseApdu.of(new byte[] {0x62}, 0x6102);
            }
            if (c.ins() == 0xC0 && c.ne() == 2) {
                return ResponseApdu.of(new byte[] {0x01, 0x02}, 0x6100);
            }
            if (c.ins() == 0xC0 && c.ne() == 256) {
                return ResponseApdu.of(new byte[] {0x03}, 0x9000);
            }
            return ResponseApdu.of(0x6F00);
        };
        service.addBackend(b, props("r"));
        try (CardSession s = service.openSession("r")) {
            ResponseApdu read = s.basicChannel().transmit(CommandApdu.of(0, 0xB0, 0, 0, 10));
            assertThat(read.data()).containsExactly(1, 2, 3);
            ResponseApdu select = s.basicChannel().transmit(CommandApdu.of(0, 0xA4, 0, 0, new byte[] {0x3F, 0}));
            assertThat(select.data()).containsExactly(0x62, 0x01, 0x02, 0x03);
            assertThat(select.sw()).isEqualTo(0x9000);
        }
    }

    @Test
    void a_card_that_never_stops_announcing_data_is_a_protocol_error() throws Exception {
        FakeBackend b = new FakeBackend("r", CardState.PRESENT);
        b.card = c -> ResponseApdu.of(new byte[10], 0x6110);
        service.addBackend(b, props("r"));
        try (CardSession s = service.openSession("r")) {
            assertThatThrownBy(() -> s.basicChannel().transmit(CommandApdu.of(0, 0xCA, 0, 0, 256)))
                    .isInstanceOfSatisfying(SmartCardException.class,
                            e -> assertThat(e.code()).isEqualTo(Code.PROTOCOL_ERROR));
        }
    }

    @Test
    void a_removed_card_ends_the_session_and_frees_the_reader() throws Exception {
        FakeBackend b = new FakeBackend("r", CardState.PRESENT);
        service.addBackend(b, props("r"));
        CardSession s = service.openSession("r");
        b.set(CardState.ABSENT);
        assertThat(s.isOpen()).isFalse();
        assertThatThrownBy(() -> s.basicChannel().transmit(CommandApdu.of(0, 0xA4, 0, 0)))
                .isInstanceOfSatisfying(SmartCardException.class, e -> assertThat(e.code()).isEqualTo(Code.CARD_REMOVED));
        b.set(CardState.PRESENT, 0x3B, 0x00);
        // the same card again (same ATR) is still a new insertion for the old session
        assertThatThrownBy(() -> s.basicChannel().transmit(CommandApdu.of(0, 0xA4, 0, 0)))
                .isInstanceOfSatisfying(SmartCardException.class, e -> assertThat(e.code()).isEqualTo(Code.SESSION_CLOSED));
        service.openSession("r", Duration.ZERO).close();
        s.close();
        service.openSession("r", Duration.ZERO).close();
    }

    @Test
    void the_command_is_sent_on_the_channel_asked_for() throws Exception {
        FakeBackend b = new FakeBackend("r", CardState.PRESENT);
        b.card = c -> c.ins() == 0x70 && c.p1() == 0 ? ResponseApdu.of(new byte[] {2}, 0x9000) : ResponseApdu.of(0x9000);
        service.addBackend(b, props("r"));
        try (CardSession s = service.openSession("r")) {
            var ch = s.openLogicalChannel();
            assertThat(ch.number()).isEqualTo(2);
            ch.transmit(CommandApdu.of(0x00, 0xB0, 0, 0, 1));
            s.basicChannel().transmit(CommandApdu.of(0x03, 0xB0, 0, 0, 1));
        }
        assertThat(b.sent).extracting(c -> String.format("%02X %02X %02X %02X", c.cla(), c.ins(), c.p1(), c.p2()))
                .containsExactly("00 70 00 00", "02 B0 00 00", "00 B0 00 00", "02 70 80 02");
    }

    @Test
    void a_card_without_channels_gives_no_channel_available() throws Exception {
        FakeBackend b = new FakeBackend("r", CardState.PRESENT);
        b.card = c -> ResponseApdu.of(0x6881);
        service.addBackend(b, props("r"));
        try (CardSession s = service.openSession("r")) {
            assertThatThrownBy(s::openLogicalChannel).isInstanceOfSatisfying(SmartCardException.class,
                    e -> assertThat(e.code()).isEqualTo(Code.NO_CHANNEL_AVAILABLE));
        }
    }
}
