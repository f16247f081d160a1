package org.cardinaldm.smartcard.sim.internal.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cardinaldm.smartcard.sim.internal.card.CardTester.HEX;
import static org.cardinaldm.smartcard.sim.internal.card.CardTester.pin;

import java.util.ArrayList;
import java.util.List;

import org.cardinaldm.smartcard.sim.internal.card.Uicc.CommandException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link SecurityCommands} alone: what it registers, the state it owns, and its tear-safe comparisons. */
class SecurityCommandsTest {
    private final List<Integer> retriesAtCommit = new ArrayList<>();
    private final FamilyCard card = new FamilyCard();
    private final SecurityCommands security = new SecurityCommands(card);

    SecurityCommandsTest() {
        card.with(security);
        card.onCommit = () -> retriesAtCommit.add(card.image.pins().get(1).retries());
    }

    @Test
    void registers_pin_and_key_commands_only() {
        assertThat(card.commands.keySet()).containsExactly(0x20, 0x24, 0x2C, 0x84, 0x82);
    }

    @Test
    void a_wrong_pin_is_counted_in_a_commit_before_the_answer() {
        assertThat(card.sw("00 20 00 01 08 " + pin("9999"))).isEqualTo(0x63C2);
        assertThat(retriesAtCommit).containsExactly(2);
        assertThat(card.sw("00 20 00 01 08 " + pin("1234"))).isEqualTo(0x9000);
        assertThat(retriesAtCommit).containsExactly(2, 1, 3);
        assertThat(security.state().isPinVerified(1)).isTrue();
    }

    @Test
    void the_family_owns_the_security_status_and_reset_clears_it() {
        card.sw("00 20 00 01 08 " + pin("1234"));
        security.state().setDmServerAuthenticated(true);
        SecurityState state = security.state();
        security.reset();
        assertThat(security.state()).isSameAs(state);
        assertThat(state.isPinVerified(1)).isFalse();
        assertThat(state.isDmServerAuthenticated()).isFalse();
    }

    @Test
    void get_response_and_the_authentication_commands_keep_the_challenge() {
        for (int ins : new int[] {0xC0, 0x84, 0x82}) {
            String challenge = HEX.formatHex(card.send("00 84 00 00 10").data());
            security.commandSeen(ins);
            String cryptogram = HEX.formatHex(Uicc.admCryptogram(CardTester.ADM_KEY, HEX.parseHex(challenge)));
            assertThat(card.sw("00 82 00 01 10 " + cryptogram)).as("after INS %02X", ins).isEqualTo(0x9000);
        }
        assertThat(security.state().isAdmAuthenticated()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {0xA4, 0xB0, 0x20, 0x70, 0xF2, 0x34})
    void any_other_instruction_uses_up_the_challenge(int ins) {
        String challenge = HEX.formatHex(card.send("00 84 00 00 10").data());
        security.commandSeen(ins);
        String cryptogram = HEX.formatHex(Uicc.admCryptogram(CardTester.ADM_KEY, HEX.parseHex(challenge)));
        assertThat(card.sw("00 82 00 01 10 " + cryptogram)).isEqualTo(0x6985);
    }

    @Test
    void reset_forgets_the_challenge() {
        String challenge = HEX.formatHex(card.send("00 84 00 00 10").data());
        security.reset();
        String cryptogram = HEX.formatHex(Uicc.admCryptogram(CardTester.ADM_KEY, HEX.parseHex(challenge)));
        assertThat(card.sw("00 82 00 01 10 " + cryptogram)).isEqualTo(0x6985);
    }

    @Test
    void check_key_commits_the_decrement_before_comparing_and_restores_on_a_match() throws CommandException {
        CardKey key = card.image.keys().get(2);
        int max = key.retries();
        byte[] expected = HEX.parseHex("00112233445566778899AABBCCDDEEFF");
        assertThatThrownBy(() -> security.checkKey(key, expected, new byte[16]))
                .isInstanceOfSatisfying(CommandException.class, e -> assertThat(e.sw()).isEqualTo(0x63C0 | (max - 1)));
        assertThat(card.events).containsExactly("commit");
        security.checkKey(key, expected, expected.clone());
        assertThat(key.retries()).isEqualTo(max);
        assertThat(card.events).containsExactly("commit", "commit", "commit");
    }
}
