package org.cardinaldm.smartcard.sim.internal.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessConditionTest {
    @ParameterizedTest
    @CsvSource({"always, always, 00", "never, never, FF", "adm, adm, 80", "dm|adm, adm|dm, C0", "pin01, pin01, 01",
            "PIN81|adm, pin81|adm, A1", "pin1f|dm, pin1f|dm, 5F"})
    void text_and_byte_forms(String text, String normalised, String hexByte) {
        AccessCondition c = AccessCondition.parse(text);
        assertThat(c.toString()).isEqualTo(normalised);
        assertThat(c.toByte()).isEqualTo(Integer.parseInt(hexByte, 16));
        assertThat(AccessCondition.fromByte(c.toByte())).isEqualTo(c);
    }

    @Test
    void unknown_alternatives_and_bad_pin_references_are_refused() {
        assertThatThrownBy(() -> AccessCondition.parse("root")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AccessCondition.parse("pin00")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AccessCondition.parse("pin20")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AccessCondition.parse("pin1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void any_alternative_grants_access() {
        SecurityState s = new SecurityState();
        AccessCondition c = AccessCondition.parse("pin01|dm");
        assertThat(c.isSatisfiedBy(s)).isFalse();
        s.setDmServerAuthenticated(true);
        assertThat(c.isSatisfiedBy(s)).isTrue();
        s.clear();
        s.pinVerified(0x01);
        assertThat(c.isSatisfiedBy(s)).isTrue();
        assertThat(AccessCondition.NEVER.isSatisfiedBy(s)).isFalse();
        s.keyAuthenticated(1, true);
        assertThat(AccessCondition.ADM.isSatisfiedBy(s)).isTrue();
        assertThat(AccessCondition.NEVER.isSatisfiedBy(s)).isFalse();
    }

    @Test
    void atrs_are_well_formed() {
        Atr.check(Atr.defaultFor(CardImage.Protocol.T1, 4));
        Atr.check(Atr.defaultFor(CardImage.Protocol.T0, 1));
        assertThat(CardTester.HEX.formatHex(Atr.defaultFor(CardImage.Protocol.T1, 4)))
                .isEqualTo("3B878131FE45" + "8031E073BE215B" + "6A");
        assertThatThrownBy(() -> Atr.check(CardTester.hex("3B878131FE458031E073BE215B00")))
                .hasMessageContaining("TCK");
        assertThatThrownBy(() -> Atr.check(CardTester.hex("3B8880"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Atr.check(CardTester.hex("3C00"))).hasMessageContaining("TS");
    }
}
