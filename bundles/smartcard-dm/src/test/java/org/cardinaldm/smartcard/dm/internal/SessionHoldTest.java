package org.cardinaldm.smartcard.dm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.cardinaldm.smartcard.api.CardHold;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.junit.jupiter.api.Test;

class SessionHoldTest {
    private static final Duration HOLD = Duration.ofSeconds(30);

    /** A hold that stays active until closed or told to expire. */
    private static final class FakeHold implements CardHold {
        boolean active = true;
        int extended;
        boolean closed;

        @Override
        public String reader() {
            return "Sim 0";
        }

        @Override
        public boolean isActive() {
            return active;
        }

        @Override
        public boolean extend(Duration maxHold) {
            if (!active) {
                return false;
            }
            extended++;
            return true;
        }

        @Override
        public void close() {
            closed = true;
            active = false;
        }
    }

    @Test
    void a_proven_server_is_remembered_with_its_hold_until_the_session_ends() throws Exception {
        SessionHold s = new SessionHold();
        FakeHold h = new FakeHold();
        assertThat(s.server()).isEmpty();
        assertThat(s.proven("dms-a", HOLD, t -> h)).isTrue();
        assertThat(s.server()).contains("dms-a");
        assertThat(s.isHeld()).isTrue();
        assertThat(s.isActive()).isTrue();

        // a second verification extends the hold instead of taking another, and names the newer server
        assertThat(s.proven("dms-b", HOLD, t -> {
            throw new AssertionError("no second hold");
        })).isFalse();
        assertThat(h.extended).isEqualTo(1);
        assertThat(s.server()).contains("dms-b");

        assertThat(s.end()).isTrue();
        assertThat(h.closed).isTrue();
        assertThat(s.server()).isEmpty();
        assertThat(s.isHeld()).isFalse();
        assertThat(s.end()).isFalse();
    }

    @Test
    void an_expired_hold_is_dropped_when_touched_and_replaced_at_the_next_proof() throws Exception {
        SessionHold s = new SessionHold();
        FakeHold first = new FakeHold();
        s.proven("dms", HOLD, t -> first);
        first.active = false;
        s.touched(HOLD);
        assertThat(s.isHeld()).isFalse();
        assertThat(s.server()).contains("dms"); // the card's state may still be open: the server stays known

        FakeHold second = new FakeHold();
        assertThat(s.proven("dms", HOLD, t -> second)).isTrue();
        assertThat(s.isActive()).isTrue();
    }

    @Test
    void without_a_hold_time_or_when_the_card_cannot_be_held_the_server_is_still_remembered() throws Exception {
        SessionHold none = new SessionHold();
        assertThat(none.proven("dms", Duration.ZERO, t -> {
            throw new AssertionError("no hold without a hold time");
        })).isFalse();
        assertThat(none.server()).contains("dms");
        assertThat(none.isHeld()).isFalse();

        SessionHold failing = new SessionHold();
        assertThatThrownBy(() -> failing.proven("dms", HOLD, t -> {
            throw new SmartCardException(SmartCardException.Code.CARD_REMOVED, "gone");
        })).isInstanceOf(SmartCardException.class);
        assertThat(failing.server()).contains("dms");
        assertThat(failing.isHeld()).isFalse();
    }
}
