package org.cardinaldm.smartcard.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.cardinaldm.smartcard.api.CardHold;
import org.cardinaldm.smartcard.api.CardSession;
import org.cardinaldm.smartcard.api.CardState;
import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.api.ReaderStatus;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.api.SmartCardException.Code;
import org.cardinaldm.smartcard.api.spi.BackendObserver;
import org.cardinaldm.smartcard.api.spi.CardConnection;
import org.cardinaldm.smartcard.api.spi.HoldingBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link CardServiceImpl#holdCard}: counting, release, expiry, removal, backends that cannot hold. */
@Timeout(30)
class CardHoldTest {
    private static final Duration LONG = Duration.ofMinutes(5);
    private final CardServiceImpl service = new CardServiceImpl();

    @AfterEach
    void stop() {
        service.deactivate();
    }

    /** A fake backend that records hold and release calls. */
    static final class Holding implements HoldingBackend {
        final FakeBackend fake;
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile boolean holding;
        volatile SmartCardException holdFailure;

        Holding(String reader) {
            fake = new FakeBackend(reader, CardState.PRESENT);
        }

        @Override
        public void holdCard() throws SmartCardException {
            if (holdFailure != null) {
                throw holdFailure;
            }
            if (!holding) {
                calls.add("hold");
            }
            holding = true;
        }

        @Override
        public void releaseCard() {
            if (holding) {
                calls.add("release");
            }
            holding = false;
        }

        @Override
        public boolean isHoldingCard() {
            return holding;
        }

        @Override
        public ReaderStatus status() {
            return fake.status();
        }

        @Override
        public void addObserver(BackendObserver observer) {
            fake.observers.add(observer);
        }

        @Override
        public void removeObserver(BackendObserver observer) {
            fake.observers.remove(observer);
        }

        @Override
        public CardConnection connect() throws SmartCardException {
            return fake.connect();
        }

        /** Reports a new state to the card service, as the fake does. */
        void set(CardState state, int... atr) {
            byte[] b = new byte[atr.length];
            for (int i = 0; i < atr.length; i++) {
                b[i] = (byte) atr[i];
            }
            fake.status = ReaderStatus.of(fake.status.reader(), "fake", state, b);
            for (BackendObserver o : fake.observers) {
                o.stateChanged(this, fake.status);
            }
        }
    }

    private Holding add(String reader) {
        Holding b = new Holding(reader);
        service.addBackend(b, Map.of("card.reader", reader, "card.backend", "fake"));
        return b;
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void nested_holds_hold_the_backend_once_and_release_it_with_the_last() throws Exception {
        Holding b = add("r");
        CardHold first = service.holdCard("r", LONG);
        CardHold second = service.holdCard("r", LONG);
        assertThat(b.calls).containsExactly("hold");
        assertThat(service.activeHolds("r")).isEqualTo(2);

        first.close();
        first.close(); // idempotent
        assertThat(first.isActive()).isFalse();
        assertThat(second.isActive()).isTrue();
        assertThat(b.holding).isTrue();

        second.close();
        assertThat(b.calls).containsExactly("hold", "release");
        assertThat(service.activeHolds("r")).isZero();
        assertThat(first.extend(LONG)).as("an ended hold stays ended").isFalse();
    }

    @Test
    void sessions_work_as_before_while_the_card_is_held() throws Exception {
        Holding b = add("r");
        try (CardHold h = service.holdCard("r", LONG)) {
            for (int i = 0; i < 2; i++) {
                try (CardSession s = service.openSession("r")) {
                    assertThat(s.basicChannel().transmit(CommandApdu.of(0, 0xA4, 0, 0x0C)).sw()).isEqualTo(0x9000);
                }
            }
            assertThat(h.isActive()).isTrue();
            assertThat(b.fake.connections).isEqualTo(2);
            assertThat(b.fake.closed).isEqualTo(2);
        }
        assertThat(b.calls).containsExactly("hold", "release");
    }

    @Test
    void a_hold_ends_by_itself_after_its_time_and_an_extension_moves_the_end() throws Exception {
        Holding b = add("r");
        CardHold h = service.holdCard("r", LONG);
        assertThat(h.extend(Duration.ofMillis(50))).isTrue();
        await("the hold expires", () -> !h.isActive());
        await("the backend is released", () -> !b.holding);
        assertThat(b.calls).containsExactly("hold", "release");
        assertThat(service.activeHolds("r")).isZero();
    }

    @Test
    void removing_the_card_ends_its_holds_and_releases_the_backend() throws Exception {
        Holding b = add("r");
        CardHold h = service.holdCard("r", LONG);

        b.set(CardState.ABSENT);

        assertThat(h.isActive()).as("inactive at once").isFalse();
        await("the backend is released", () -> !b.holding);
        assertThat(b.calls).containsExactly("hold", "release");
        assertThat(h.extend(LONG)).isFalse();
        // a new card is not held by the old hold
        b.set(CardState.PRESENT, 0x3B, 0x01);
        assertThat(h.isActive()).isFalse();
        assertThat(b.holding).isFalse();
        assertThatThrownBy(() -> service.holdCard("r", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_card_replaced_by_another_one_ends_the_hold() throws Exception {
        Holding b = add("r");
        CardHold h = service.holdCard("r", LONG);
        b.set(CardState.PRESENT, 0x3B, 0x7F); // another ATR: another card
        assertThat(h.isActive()).isFalse();
        await("the backend is released", () -> !b.holding);
    }

    @Test
    void removing_the_backend_or_stopping_the_service_ends_the_holds() throws Exception {
        Holding b = add("r");
        Holding c = add("s");
        CardHold hb = service.holdCard("r", LONG);
        CardHold hc = service.holdCard("s", LONG);

        service.removeBackend(b, Map.of("card.reader", "r"));
        assertThat(hb.isActive()).isFalse();
        await("r released", () -> !b.holding);

        service.deactivate();
        assertThat(hc.isActive()).isFalse();
        assertThat(c.holding).isFalse();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("dm-card-holds") && t.isAlive());
    }

    @Test
    void no_card_no_reader_or_a_failing_backend_give_no_hold() throws Exception {
        Holding b = add("r");
        assertThatThrownBy(() -> service.holdCard("nowhere", LONG)).isInstanceOfSatisfying(SmartCardException.class,
                e -> assertThat(e.code()).isEqualTo(Code.READER_ABSENT));
        b.set(CardState.ABSENT);
        assertThatThrownBy(() -> service.holdCard("r", LONG)).isInstanceOfSatisfying(SmartCardException.class,
                e -> assertThat(e.code()).isEqualTo(Code.CARD_ABSENT));
        b.set(CardState.PRESENT, 0x3B, 0x00);
        b.holdFailure = new SmartCardException(Code.IO_ERROR, "reader broke");
        assertThatThrownBy(() -> service.holdCard("r", LONG)).isInstanceOfSatisfying(SmartCardException.class,
                e -> assertThat(e.code()).isEqualTo(Code.IO_ERROR));
        assertThat(service.activeHolds("r")).isZero();
    }

    @Test
    void a_backend_that_cannot_hold_gets_holds_that_only_track_the_card() throws Exception {
        FakeBackend plain = new FakeBackend("p", CardState.PRESENT);
        service.addBackend(plain, Map.of("card.reader", "p", "card.backend", "fake"));
        CardHold h = service.holdCard("p", LONG);
        assertThat(h.isActive()).isTrue();
        assertThat(h.reader()).isEqualTo("p");
        plain.set(CardState.ABSENT);
        assertThat(h.isActive()).isFalse();
        h.close();
    }
}
