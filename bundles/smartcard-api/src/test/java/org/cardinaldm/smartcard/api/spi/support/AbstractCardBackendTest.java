package org.cardinaldm.smartcard.api.spi.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.cardinaldm.smartcard.api.CardState;
import org.cardinaldm.smartcard.api.ReaderStatus;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.api.spi.BackendObserver;
import org.cardinaldm.smartcard.api.spi.CardBackend;
import org.cardinaldm.smartcard.api.spi.CardConnection;
import org.junit.jupiter.api.Test;

class AbstractCardBackendTest {
    private static final ReaderStatus ABSENT = ReaderStatus.of("r", "test", CardState.ABSENT);
    private static final ReaderStatus PRESENT = ReaderStatus.of("r", "test", CardState.PRESENT, new byte[] {0x3B, 0x00});

    /** A backend whose state changes when the test says so, recording the observers that failed. */
    private static final class TestBackend extends AbstractCardBackend {
        final List<String> failures = new ArrayList<>();
        ReaderStatus status = ABSENT;

        void change(ReaderStatus now) {
            status = now;
            fireStateChanged(now);
        }

        @Override
        protected void observerFailed(ReaderStatus about, RuntimeException failure) {
            failures.add(about.state() + ": " + failure.getMessage());
        }

        @Override
        public ReaderStatus status() {
            return status;
        }

        @Override
        public CardConnection connect() throws SmartCardException {
            throw new SmartCardException(SmartCardException.Code.CARD_ABSENT, "none");
        }
    }

    /** Records what it is told. */
    private static final class Recorder implements BackendObserver {
        final List<String> seen = new ArrayList<>();

        @Override
        public void stateChanged(CardBackend from, ReaderStatus status) {
            seen.add(status.state().name());
        }
    }

    private final TestBackend backend = new TestBackend();

    @Test
    void every_observer_hears_every_change_in_order() {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        backend.addObserver(a);
        backend.addObserver(b);

        backend.change(PRESENT);
        backend.change(ABSENT);

        assertThat(a.seen).containsExactly("PRESENT", "ABSENT");
        assertThat(b.seen).containsExactly("PRESENT", "ABSENT");
        assertThat(backend.failures).isEmpty();
    }

    @Test
    void the_observer_is_told_which_backend_changed() {
        List<CardBackend> sources = new ArrayList<>();
        backend.addObserver((from, status) -> sources.add(from));

        backend.change(PRESENT);

        assertThat(sources).containsExactly(backend);
    }

    @Test
    void adding_the_same_observer_twice_tells_it_once() {
        Recorder a = new Recorder();
        backend.addObserver(a);
        backend.addObserver(a);

        backend.change(PRESENT);

        assertThat(a.seen).containsExactly("PRESENT");
    }

    @Test
    void a_removed_observer_hears_nothing_more_and_unknown_ones_are_ignored() {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        backend.addObserver(a);
        backend.addObserver(b);
        backend.change(PRESENT);

        backend.removeObserver(a);
        backend.removeObserver(new Recorder());
        backend.removeObserver(null);
        backend.change(ABSENT);

        assertThat(a.seen).containsExactly("PRESENT");
        assertThat(b.seen).containsExactly("PRESENT", "ABSENT");
    }

    @Test
    void a_failing_observer_is_reported_and_the_others_still_hear_the_change() {
        Recorder before = new Recorder();
        Recorder after = new Recorder();
        backend.addObserver(before);
        backend.addObserver((from, status) -> {
            throw new IllegalStateException("broken");
        });
        backend.addObserver(after);

        backend.change(PRESENT);

        assertThat(before.seen).containsExactly("PRESENT");
        assertThat(after.seen).containsExactly("PRESENT");
        assertThat(backend.failures).containsExactly("PRESENT: broken");
    }

    @Test
    void an_observer_may_remove_itself_while_being_told() {
        Recorder other = new Recorder();
        List<String> selfSeen = new ArrayList<>();
        backend.addObserver(new BackendObserver() {
            @Override
            public void stateChanged(CardBackend from, ReaderStatus status) {
                selfSeen.add(status.state().name());
                from.removeObserver(this);
            }
        });
        backend.addObserver(other);

        backend.change(PRESENT);
        backend.change(ABSENT);

        assertThat(selfSeen).containsExactly("PRESENT");
        assertThat(other.seen).containsExactly("PRESENT", "ABSENT");
    }

    @Test
    void nulls_are_refused() {
        assertThatThrownBy(() -> backend.addObserver(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> backend.change(null)).isInstanceOf(NullPointerException.class);
    }
}
