package org.cardinaldm.smartcard.sim.internal.card;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.cardinaldm.smartcard.api.ResponseApdu;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How {@link Uicc} routes a command to its families and proprietary commands by class and instruction. */
class UiccDispatchTest {
    private final CardTester t = CardTester.withTestProfile();

    @ParameterizedTest
    @ValueSource(strings = {"A4", "B0", "D6", "B2", "DC", "20", "24", "2C", "84", "82", "70"})
    void a_built_in_instruction_in_the_proprietary_class_is_6e00(String ins) {
        t.expect("80 " + ins + " 00 00", 0x6E00);
    }

    @ParameterizedTest
    @ValueSource(strings = {"00", "44", "99", "B1", "CA", "E0"})
    void an_instruction_no_family_knows_is_6d00_in_both_classes(String ins) {
        t.expect("00 " + ins + " 00 00", 0x6D00);
        t.expect("80 " + ins + " 00 00", 0x6D00);
    }

    @Test
    void a_proprietary_instruction_in_the_inter_industry_class_is_6e00() {
        t.card.register(0x30, (ctx, c) -> ResponseApdu.of(0x9000));
        t.ok("80 30 00 00");
        t.expect("00 30 00 00", 0x6E00);
        t.expect("00 F2 00 00", 0x6E00);
    }

    @Test
    void a_proprietary_command_may_share_an_instruction_with_a_family_in_its_own_class() {
        t.card.register(0xA4, (ctx, c) -> ResponseApdu.of(new byte[] {0x42}, 0x9000));
        assertThat(t.expect("80 A4 00 00 00", 0x9000)).isEqualTo("42");
        t.ok("00 A4 00 0C 02 2FE2"); // still SELECT
    }

    @Test
    void the_families_own_disjoint_instructions_and_leave_the_cards_own_alone() {
        FamilyCard card = new FamilyCard();
        Set<Integer> seen = new HashSet<>();
        CommandFamily.Registry registry = (ins, command) -> assertThat(seen.add(ins)).as("INS %02X", ins).isTrue();
        new FileSystemCommands(card).registerWith(registry);
        new SecurityCommands(card).registerWith(registry);
        assertThat(seen).hasSize(10).doesNotContain(0x70, 0xC0, 0xF2);
    }

    @Test
    void proprietary_commands_see_the_channels_current_files_and_the_families_security_status() {
        t.card.register(0x10, (ctx, c) -> ResponseApdu.of(new byte[] {(byte) (ctx.currentEf().fid() >> 8),
                (byte) ctx.currentEf().fid(), (byte) (ctx.security().isPinVerified(1) ? 1 : 0)}, 0x9000));
        t.ok("00 70 00 00 01");
        t.ok("01 A4 00 0C 02 2FE2");
        t.ok("00 A4 00 0C 02 0002");
        t.ok("00 20 00 01 08 " + CardTester.pin("1234"));
        assertThat(t.expect("81 10 00 00 00", 0x9000)).isEqualTo("2FE201");
        assertThat(t.expect("80 10 00 00 00", 0x9000)).isEqualTo("000201");
    }
}
