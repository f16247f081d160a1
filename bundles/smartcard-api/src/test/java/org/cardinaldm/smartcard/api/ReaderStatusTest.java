package org.cardinaldm.smartcard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import nl.jqno.equalsverifier.EqualsVerifier;

class ReaderStatusTest {
    @Test
    void a_present_card_carries_its_atr() {
        ReaderStatus s = ReaderStatus.of("Virtual PCD 00 00", "pcsc", CardState.PRESENT, new byte[] {0x3B, 0x00});
        assertThat(s.isCardPresent()).isTrue();
        assertThat(s.atrHex()).isEqualTo("3B00");
        assertThat(s.toString()).isEqualTo("Reader[Virtual PCD 00 00, pcsc, PRESENT, ATR 3B00]");
    }

    @Test
    void only_a_present_card_may_have_an_atr() {
        assertThatThrownBy(() -> ReaderStatus.of("r", "sim", CardState.ABSENT, new byte[] {0x3B}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ReaderStatus.of("r", "sim", CardState.ABSENT).atr()).isEmpty();
    }

    @Test
    void reader_name_must_not_be_empty() {
        assertThatThrownBy(() -> ReaderStatus.of("", "sim", CardState.ABSENT)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void with_changes_only_state_and_atr() {
        ReaderStatus absent = ReaderStatus.of("r", "sim", CardState.ABSENT);
        ReaderStatus present = absent.with(CardState.PRESENT, new byte[] {0x3B});
        assertThat(present.reader()).isEqualTo("r");
        assertThat(present.backend()).isEqualTo("sim");
        assertThat(present.state()).isEqualTo(CardState.PRESENT);
    }

    @Test
    void value_types_have_proper_equality() {
        EqualsVerifier.forClass(ReaderStatus.class).withNonnullFields("reader", "backend", "state", "atr").verify();
        EqualsVerifier.forClass(CardEvent.class).withNonnullFields("type", "status").verify();
    }

    @Test
    void events_name_their_reader() {
        CardEvent e = CardEvent.of(CardEvent.Type.CARD_REMOVED, ReaderStatus.of("r", "sim", CardState.ABSENT));
        assertThat(e.reader()).isEqualTo("r");
        assertThat(e.toString()).isEqualTo("CARD_REMOVED Reader[r, sim, ABSENT]");
    }

    @Test
    void exceptions_carry_their_code() {
        SmartCardException e = new SmartCardException(SmartCardException.Code.CARD_REMOVED, "gone");
        assertThat(e.code()).isEqualTo(SmartCardException.Code.CARD_REMOVED);
        assertThat(e.statusWord()).isZero();
        assertThatThrownBy(() -> new SmartCardException(null, "x")).isInstanceOf(NullPointerException.class);
    }
}
