package org.cardinaldm.smartcard.sim.internal.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cardinaldm.smartcard.sim.internal.card.CardTester.HEX;
import static org.cardinaldm.smartcard.sim.internal.card.CardTester.pin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import org.cardinaldm.smartcard.api.ResponseApdu;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ISO/IEC 7816-4 behaviour of the software UICC, one command family per nested class. */
class UiccTest {
    private final CardTester t = CardTester.withTestProfile();

    @Nested
    class Select {
        @Test
        void mf_is_selected_by_empty_data_and_by_3f00() {
            assertThat(t.expect("00 A4 00 04 00", 0x9000)).startsWith("62").contains("83023F00");
            t.expect("00 A4 00 04", 0x6111); // no Le: the FCP waits for GET RESPONSE
            assertThat(t.expect("00 A4 00 04 02 3F00 00", 0x9000)).contains("83023F00");
        }

        @Test
        void ef_fcp_carries_structure_fid_status_security_size_and_sfi() {
            assertThat(t.expect("00 A4 00 04 02 2FE2 00", 0x9000))
                    .isEqualTo("6215" + "82024121" + "83022FE2" + "8A0105" + "860200FF" + "8002000A" + "8800");
            assertThat(t.expect("00 A4 00 04 02 2F00 00", 0x9000))
                    .isEqualTo("6219" + "8205422100" + "0803" + "83022F00" + "8A0105" + "86020080" + "80020018"
                            + "8801F0");
        }

        @Test
        void adf_fcp_carries_the_aid() {
            assertThat(t.expect("00 A4 04 04 0C A000000063504B43532D3135 00", 0x9000))
                    .contains("83025015").contains("840CA000000063504B43532D3135");
        }

        @Test
        void p2_chooses_fci_fcp_fmd_or_nothing() {
            assertThat(t.expect("00 A4 00 00 02 2FE2 00", 0x9000)).startsWith("6F15");
            assertThat(t.expect("00 A4 00 0C 02 2FE2", 0x9000)).isEmpty();
            assertThat(t.expect("00 A4 04 08 0C A000000063504B43532D3135 00", 0x9000))
                    .isEqualTo("640E840CA000000063504B43532D3135");
            t.expect("00 A4 00 0C 02 2FE2", 0x6A82); // an EF of the MF is not reachable from the ADF
        }

        @Test
        void unknown_files_and_applications_are_6a82() {
            t.expect("00 A4 00 0C 02 1234", 0x6A82);
            t.expect("00 A4 04 0C 05 A000000099", 0x6A82);
            t.expect("00 A4 08 0C 04 7F10 9999", 0x6A82);
        }

        @Test
        void p1_01_selects_only_child_dfs_and_p1_02_only_efs() {
            t.ok("00 A4 01 0C 02 7F10");
            t.expect("00 A4 01 0C 02 6F3A", 0x6A82);
            t.ok("00 A4 02 0C 02 6F3A");
            t.ok("00 A4 00 0C 02 3F00");
            t.expect("00 A4 02 0C 02 7F10", 0x6A82);
        }

        @Test
        void p1_03_selects_the_parent_and_fails_at_the_mf() {
            t.ok("00 A4 08 0C 04 7F10 5F3A");
            assertThat(t.expect("00 A4 03 04 00", 0x9000)).contains("83027F10");
            assertThat(t.expect("00 A4 03 04 00", 0x9000)).contains("83023F00");
            t.expect("00 A4 03 0C", 0x6A82);
        }

        @Test
        void a_fid_reaches_children_parent_and_sibling_dfs_but_not_cousins() {
            t.ok("00 A4 00 0C 02 7F10");
            t.ok("00 A4 00 0C 02 5F3A");     // child
            t.ok("00 A4 00 0C 02 4F30");     // EF child of current DF
            t.ok("00 A4 00 0C 02 7F10");     // parent of the current DF
            t.ok("00 A4 00 0C 02 5015");     // sibling DF of 7F10
            t.expect("00 A4 00 0C 02 4F30", 0x6A82); // not reachable from 5015
        }

        @Test
        void paths_from_the_mf_and_from_the_current_df() {
            t.ok("00 A4 08 0C 06 7F10 5F3A 4F30");
            assertThat(t.expect("00 B0 00 00 04", 0x9000)).isEqualTo("CAFEBABE");
            t.ok("00 A4 08 0C 02 7F10");
            t.ok("00 A4 09 0C 04 5F3A 4F30");
            t.ok("00 A4 08 0C 08 3F00 7F10 5F3A 4F30"); // a path naming the MF is tolerated
            t.expect("00 A4 08 0C 06 2FE2 0001 0002", 0x6A82); // through an EF
            t.expect("00 A4 08 0C 03 7F10 5F", 0x6700);
        }

        @Test
        void fid_7fff_is_the_current_application() {
            t.expect("00 A4 08 0C 04 7FFF 5031", 0x6A82); // no application selected yet
            t.ok("00 A4 04 0C 0C A000000063504B43532D3135");
            t.ok("00 A4 00 0C 02 3F00");
            t.ok("00 A4 08 0C 04 7FFF 5031");
            assertThat(t.expect("00 B0 00 00 00", 0x9000)).isEqualTo("A706300404026430");
        }

        @Test
        void aid_right_truncated_selects_first_then_next_occurrence() {
            assertThat(t.expect("00 A4 04 04 0B A000000063504B43532D31 00", 0x9000)).contains("83025015");
            assertThat(t.expect("00 A4 04 06 0B A000000063504B43532D31 00", 0x9000)).contains("83027F20");
            t.expect("00 A4 04 06 0B A000000063504B43532D31 00", 0x6A82);
            t.expect("00 A4 04 05 0B A000000063504B43532D31 00", 0x6A81); // last occurrence: not supported
        }

        @ParameterizedTest
        @CsvSource({"00 A4 05 0C 02 3F00, 6A86", "00 A4 00 10 02 3F00, 6A86", "00 A4 00 0D 02 3F00, 6A86",
                "00 A4 00 0C 01 3F, 6700", "00 A4 02 0C 03 2FE200, 6700", "00 A4 03 0C 02 3F00, 6700"})
        void malformed_selects_get_the_right_status(String apdu, String sw) {
            t.expect(apdu, Integer.parseInt(sw, 16));
        }
    }

    @Nested
    class Binary {
        @Test
        void read_binary_reads_from_an_offset() {
            t.ok("00 A4 00 0C 02 0001");
            assertThat(t.expect("00 B0 00 01 04", 0x9000)).isEqualTo(hexOf("ello"));
        }

        @Test
        void le_00_reads_as_much_as_is_available() {
            t.ok("00 A4 00 0C 02 2FE2");
            assertThat(t.expect("00 B0 00 00 00", 0x9000)).isEqualTo("98940000000000001" + "0F2");
            assertThat(t.expect("00 B0 00 08 00", 0x9000)).isEqualTo("10F2");
        }

        @Test
        void an_explicit_le_past_the_end_returns_what_is_there_with_6282() {
            t.ok("00 A4 00 0C 02 2FE2");
            ResponseApdu r = t.send("00 B0 00 08 05");
            assertThat(r.sw()).isEqualTo(0x6282);
            assertThat(HEX.formatHex(r.data())).isEqualTo("10F2");
        }

        @Test
        void offsets_outside_the_file_are_6b00() {
            t.ok("00 A4 00 0C 02 2FE2");
            t.expect("00 B0 00 0A 01", 0x6B00);
            t.ok("00 A4 00 0C 02 0001");
            t.expect("00 D6 00 10 01 00", 0x6B00);
        }

        @Test
        void extended_length_reads_a_large_file_in_one_command() {
            t.ok("00 A4 00 0C 02 0003");
            String data = t.expect("00 B0 00 00 00 01 2C", 0x9000);
            assertThat(data).hasSize(600).startsWith(hexOf("admin"));
        }

        @Test
        void sfi_selects_the_file_and_makes_it_current() {
            assertThat(t.expect("00 B0 81 00 05", 0x9000)).isEqualTo(hexOf("hello"));
            assertThat(t.expect("00 B0 00 00 01", 0x9000)).isEqualTo(hexOf("h"));
            t.expect("00 B0 82 00 01", 0x6A82);
            t.expect("00 B0 A1 00 01", 0x6A86);
        }

        @Test
        void without_a_current_ef_binary_commands_are_6986() {
            t.expect("00 B0 00 00 01", 0x6986);
            t.expect("00 D6 00 00 01 00", 0x6986);
        }

        @Test
        void binary_commands_on_a_record_file_are_6981() {
            t.ok("00 A4 00 0C 02 2F00");
            t.expect("00 B0 00 00 01", 0x6981);
            t.expect("00 D6 00 00 01 00", 0x6981);
        }

        @Test
        void wrong_cases_are_6700() {
            t.ok("00 A4 00 0C 02 0001");
            t.expect("00 B0 00 00", 0x6700);           // no Le
            t.expect("00 B0 00 00 01 00 05", 0x6700);  // data in a READ BINARY
            t.expect("00 D6 00 00", 0x6700);           // no data
        }

        @Test
        void update_binary_writes_and_commits_before_answering() {
            t.ok("00 A4 00 0C 02 0001");
            int before = t.saved.size();
            t.ok("00 D6 00 00 05 " + hexOf("HELLO"));
            assertThat(t.saved).hasSize(before + 1);
            assertThat(t.expect("00 B0 00 00 05", 0x9000)).isEqualTo(hexOf("HELLO"));
            CardImage stored = CardImageCodec.decode(t.saved.get(t.saved.size() - 1));
            TransparentFile ef = (TransparentFile) stored.mf().child(0x0001).orElseThrow();
            assertThat(new String(ef.content(), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("HELLO");
        }

        @Test
        void writing_past_the_end_is_6a84_and_changes_nothing() {
            t.ok("00 A4 00 0C 02 0001");
            int before = t.saved.size();
            t.expect("00 D6 00 0E 03 AABBCC", 0x6A84);
            assertThat(t.saved).hasSize(before);
            assertThat(t.expect("00 B0 00 0E 02", 0x9000)).isEqualTo("FFFF");
        }

        @Test
        void under_t0_a_wrong_le_is_6cxx() {
            CardTester t0 = new CardTester(bytes -> { }, CardTester.testImage(CardImage.Protocol.T0));
            t0.ok("00 A4 00 0C 02 2FE2");
            t0.expect("00 B0 00 08 05", 0x6C02);
            assertThat(t0.expect("00 B0 00 08 02", 0x9000)).isEqualTo("10F2");
        }
    }

    @Nested
    class Records {
        @Test
        void absolute_mode_reads_any_record() {
            t.ok("00 A4 00 0C 02 2F00");
            assertThat(t.expect("00 B2 02 04 08", 0x9000)).isEqualTo("0202020202020202");
            assertThat(t.expect("00 B2 03 04 00", 0x9000)).isEqualTo(hexOf("third") + "FFFFFF");
        }

        @Test
        void next_and_previous_move_the_record_pointer() {
            t.ok("00 A4 00 0C 02 2F00");
            t.expect("00 B2 00 04 08", 0x6A83);                         // no current record yet
            assertThat(t.expect("00 B2 00 02 08", 0x9000)).startsWith("01");
            assertThat(t.expect("00 B2 00 02 08", 0x9000)).startsWith("02");
            assertThat(t.expect("00 B2 00 04 08", 0x9000)).startsWith("02"); // current
            assertThat(t.expect("00 B2 00 03 08", 0x9000)).startsWith("01");
            t.expect("00 B2 00 03 08", 0x6A83);                         // before the first
            t.ok("00 A4 00 0C 02 2F00");                                // reselect resets the pointer
            assertThat(t.expect("00 B2 00 03 08", 0x9000)).startsWith(hexOf("t")); // previous from none: last
            t.expect("00 B2 00 02 08", 0x6A83);                         // past the last
        }

        @Test
        void missing_records_are_6a83_and_bad_modes_6a86() {
            t.ok("00 A4 00 0C 02 2F00");
            t.expect("00 B2 04 04 08", 0x6A83);
            t.expect("00 B2 01 02 08", 0x6A86);  // next with P1 != 0
            t.expect("00 B2 01 05 08", 0x6A86);  // unsupported mode
            t.expect("00 B2 01 FC 08", 0x6A86);  // SFI 31 reserved
        }

        @Test
        void a_wrong_le_is_answered_with_the_record_length() {
            t.ok("00 A4 00 0C 02 2F00");
            t.expect("00 B2 01 04 05", 0x6C08);
        }

        @Test
        void sfi_in_p2_reads_without_select() {
            assertThat(t.expect("00 B2 01 F4 08", 0x9000)).isEqualTo("0101010101010101");
        }

        @Test
        void record_commands_on_a_transparent_file_are_6981() {
            t.ok("00 A4 00 0C 02 0001");
            t.expect("00 B2 01 04 08", 0x6981);
        }

        @Test
        void update_record_needs_the_exact_length_and_its_access_condition() {
            t.ok("00 A4 08 0C 04 7F10 6F3A");
            t.expect("00 DC 01 04 03 AABBCC", 0x6700);
            t.ok("00 DC 01 04 04 AABBCCDD");
            assertThat(t.expect("00 B2 01 04 04", 0x9000)).isEqualTo("AABBCCDD");
            t.ok("00 A4 00 0C 02 3F00");
            t.ok("00 A4 00 0C 02 2F00");
            t.expect("00 DC 01 04 08 0000000000000000", 0x6982);
        }
    }

    @Nested
    class Pins {
        @Test
        void a_pin_protected_file_needs_the_pin() {
            t.ok("00 A4 00 0C 02 0002");
            t.expect("00 B0 00 00 08", 0x6982);
            t.ok("00 20 00 01 08 " + pin("1234"));
            assertThat(t.expect("00 B0 00 00 08", 0x9000)).isEqualTo("1122334455667788");
        }

        @Test
        void wrong_pins_count_down_and_then_block_even_the_right_pin() {
            t.expect("00 20 00 01", 0x63C3);
            t.expect("00 20 00 01 08 " + pin("9999"), 0x63C2);
            t.expect("00 20 00 01 08 " + pin("9999"), 0x63C1);
            t.expect("00 20 00 01 08 " + pin("9999"), 0x63C0);
            t.expect("00 20 00 01 08 " + pin("1234"), 0x6983);
            t.expect("00 20 00 01", 0x6983);
        }

        @Test
        void a_right_pin_restores_the_counter() {
            t.expect("00 20 00 01 08 " + pin("9999"), 0x63C2);
            t.ok("00 20 00 01 08 " + pin("1234"));
            t.ok("00 20 00 01"); // verified
            t.card.reset();
            t.expect("00 20 00 01", 0x63C3);
        }

        @Test
        void counters_are_committed_before_the_comparison() {
            int before = t.saved.size();
            t.expect("00 20 00 01 08 " + pin("9999"), 0x63C2);
            assertThat(t.saved).hasSize(before + 1);
            Pin stored = CardImageCodec.decode(t.saved.get(before)).pins().get(0x01);
            assertThat(stored.retries()).isEqualTo(2);
        }

        @Test
        void tearing_the_card_during_verify_does_not_give_a_free_attempt() {
            AtomicBoolean tear = new AtomicBoolean(true);
            byte[][] stored = new byte[1][];
            CardImage image = CardTester.testImage(CardImage.Protocol.T1);
            Uicc card = new Uicc(image, bytes -> {
                stored[0] = bytes; // persisted…
                if (tear.getAndSet(false)) {
                    throw new Uicc.CardPowerLostException("pulled"); // …and then the power went
                }
            });
            card.powerOn();
            assertThatThrownBy(() -> card.transmit(CardTester.hex("00 20 00 01 08 " + pin("1234"))))
                    .isInstanceOf(Uicc.CardPowerLostException.class);
            assertThat(card.isDead()).isTrue();
            assertThatThrownBy(card::powerOn).isInstanceOf(IllegalStateException.class);
            assertThat(CardImageCodec.decode(stored[0]).pins().get(0x01).retries()).isEqualTo(2);
        }

        @Test
        void p1_ff_clears_the_verification() {
            t.ok("00 20 00 01 08 " + pin("1234"));
            t.ok("00 20 FF 01");
            t.expect("00 20 00 01", 0x63C3);
        }

        @ParameterizedTest
        @CsvSource({"00 20 00 02, 6A88", "00 20 00 00, 6A86", "00 20 00 41, 6A86", "00 20 01 01, 6A86",
                "00 20 00 01 04 31323334, 6700"})
        void bad_verify_commands(String apdu, String sw) {
            t.expect(apdu, Integer.parseInt(sw, 16));
        }

        @Test
        void local_pins_protect_files_of_their_application() {
            t.ok("00 A4 08 0C 04 5015 6430");
            t.expect("00 B0 00 00 04", 0x6982);
            t.ok("00 20 00 81 08 " + pin("0000"));
            t.ok("00 B0 00 00 04");
        }

        @Test
        void change_reference_data_needs_the_old_pin_and_a_valid_new_one() {
            t.expect("00 24 00 01 10 " + pin("9999") + pin("4321"), 0x63C2);
            t.expect("00 24 00 01 10 " + pin("1234") + "31FF323334FFFFFF", 0x6A80);
            t.expect("00 24 00 01 08 " + pin("1234"), 0x6700);
            t.ok("00 24 00 01 10 " + pin("1234") + pin("4321"));
            t.card.reset();
            t.expect("00 20 00 01 08 " + pin("1234"), 0x63C2);
            t.ok("00 20 00 01 08 " + pin("4321"));
        }

        @Test
        void unblocking_needs_the_puk_and_sets_a_new_pin() {
            for (int i = 0; i < 3; i++) {
                t.send("00 20 00 01 08 " + pin("0000"));
            }
            t.expect("00 20 00 01", 0x6983);
            t.expect("00 2C 00 01 10 " + pin("00000000") + pin("5555"), 0x63C9);
            t.expect("00 2C 00 01 10 " + pin("12345678") + "FFFFFFFFFFFFFFFF", 0x6A80);
            t.ok("00 2C 00 01 10 " + pin("12345678") + pin("5555"));
            t.ok("00 20 00 01"); // verified by the unblock
            t.card.reset();
            t.expect("00 20 00 01", 0x63C3);
            t.ok("00 20 00 01 08 " + pin("5555"));
        }

        @Test
        void unblock_with_p1_01_resets_the_counter_only() {
            t.send("00 20 00 01 08 " + pin("0000"));
            t.ok("00 2C 01 01 08 " + pin("12345678"));
            t.card.reset();
            t.expect("00 20 00 01", 0x63C3);
            t.ok("00 20 00 01 08 " + pin("1234"));
        }

        @Test
        void the_puk_blocks_too_and_a_pin_without_puk_cannot_be_unblocked() {
            for (int i = 9; i >= 0; i--) {
                t.expect("00 2C 00 01 10 " + pin("00000000") + pin("5555"), 0x63C0 | i);
            }
            t.expect("00 2C 00 01 10 " + pin("12345678") + pin("5555"), 0x6983);
            t.expect("00 2C 00 81 10 " + pin("12345678") + pin("5555"), 0x6984);
            t.expect("00 2C 02 01 08 " + pin("12345678"), 0x6A86);
        }
    }

    @Nested
    class AdmKey {
        @Test
        void an_adm_file_needs_external_authentication() {
            t.ok("00 A4 00 0C 02 0003");
            t.expect("00 D6 00 00 01 41", 0x6982);
            t.authenticateAdm();
            t.ok("00 D6 00 00 01 41");
        }

        @Test
        void external_authenticate_needs_a_fresh_challenge() {
            t.expect("00 82 00 01 10 00000000000000000000000000000000", 0x6985);
            String challenge = t.expect("00 84 00 00 10", 0x9000);
            String cryptogram = HEX.formatHex(Uicc.admCryptogram(CardTester.ADM_KEY, CardTester.hex(challenge)));
            t.ok("00 82 00 01 10 " + cryptogram);
            t.expect("00 82 00 01 10 " + cryptogram, 0x6985); // replay: the challenge was used up
        }

        @Test
        void any_other_command_discards_the_challenge() {
            String challenge = t.expect("00 84 00 00 10", 0x9000);
            t.ok("00 A4 00 0C 02 3F00");
            String cryptogram = HEX.formatHex(Uicc.admCryptogram(CardTester.ADM_KEY, CardTester.hex(challenge)));
            t.expect("00 82 00 01 10 " + cryptogram, 0x6985);
        }

        @Test
        void a_wrong_cryptogram_counts_down_and_blocks_the_key() {
            for (int left = 2; left >= 0; left--) {
                t.ok("00 84 00 00 10");
                t.expect("00 82 00 01 10 00000000000000000000000000000000", 0x63C0 | left);
            }
            t.ok("00 84 00 00 10");
            t.expect("00 82 00 01 10 00000000000000000000000000000000", 0x6983);
        }

        @ParameterizedTest
        @CsvSource({"00 82 00 05 10 00000000000000000000000000000000, 6A88",
                "00 82 00 02 10 00000000000000000000000000000000, 6984",
                "00 82 01 01 10 00000000000000000000000000000000, 6A86",
                "00 84 00 00 04, 6700", "00 84 01 00 10, 6A86"})
        void bad_authentication_commands(String apdu, String sw) {
            t.ok("00 84 00 00 10");
            t.expect(apdu, Integer.parseInt(sw, 16));
        }

        @Test
        void a_reset_forgets_the_authentication() {
            t.authenticateAdm();
            t.card.reset();
            t.ok("00 A4 00 0C 02 0003");
            t.expect("00 D6 00 00 01 41", 0x6982);
        }
    }

    @Nested
    class DmServerState {
        @Test
        void a_dm_writable_file_opens_when_a_profile_command_authenticates_the_server() {
            t.card.register(0x10, (ctx, c) -> {
                ctx.security().setDmServerAuthenticated(true);
                return ResponseApdu.of(0x9000);
            });
            t.ok("00 A4 00 0C 02 0004");
            t.expect("00 D6 00 00 02 CAFE", 0x6982);
            t.ok("80 10 00 00");
            t.ok("00 D6 00 00 02 CAFE");
            t.card.reset();
            t.ok("00 A4 00 0C 02 0004");
            t.expect("00 D6 00 00 02 CAFE", 0x6982);
        }

        @Test
        void registering_a_built_in_or_taken_instruction_fails() {
            t.card.register(0x10, (ctx, c) -> ResponseApdu.of(0x9000));
            assertThatThrownBy(() -> t.card.register(0x10, (ctx, c) -> ResponseApdu.of(0x9000)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> t.card.register(0xF2, (ctx, c) -> ResponseApdu.of(0x9000)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Channels {
        @Test
        void manage_channel_opens_channels_until_none_is_free() {
            assertThat(t.expect("00 70 00 00 01", 0x9000)).isEqualTo("01");
            assertThat(t.expect("00 70 00 00 01", 0x9000)).isEqualTo("02");
            assertThat(t.expect("00 70 00 00 01", 0x9000)).isEqualTo("03");
            t.expect("00 70 00 00 01", 0x6A81);
        }

        @Test
        void channels_have_their_own_current_file() {
            t.ok("00 70 00 00 01");
            t.ok("00 A4 00 0C 02 0001");
            t.ok("01 A4 00 0C 02 2FE2");
            assertThat(t.expect("00 B0 00 00 01", 0x9000)).isEqualTo(hexOf("h"));
            assertThat(t.expect("01 B0 00 00 01", 0x9000)).isEqualTo("98");
        }

        @Test
        void unopened_channels_are_6881_and_closing_frees_them() {
            t.expect("02 A4 00 0C 02 3F00", 0x6881);
            t.ok("00 70 00 00 01");
            t.ok("01 A4 00 0C 02 3F00");
            t.ok("00 70 80 01");
            t.expect("01 A4 00 0C 02 3F00", 0x6881);
            t.expect("00 70 80 01", 0x6881);
            t.expect("00 70 80 00", 0x6A86);   // the basic channel cannot be closed
        }

        @Test
        void a_channel_closes_itself_with_p2_00() {
            t.ok("00 70 00 00 01");
            t.ok("01 70 80 00");
            t.expect("01 A4 00 0C 02 3F00", 0x6881);
        }

        @Test
        void a_channel_can_be_opened_by_number() {
            t.ok("00 70 00 02");
            t.ok("02 A4 00 0C 02 3F00");
            t.expect("00 70 00 02", 0x6985);
            t.expect("00 70 00 07", 0x6881);
        }

        @Test
        void a_channel_opened_from_another_channel_inherits_its_current_df() {
            t.ok("00 70 00 00 01");
            t.ok("01 A4 00 0C 02 7F10");
            assertThat(t.expect("01 70 00 00 01", 0x9000)).isEqualTo("02");
            t.ok("02 A4 02 0C 02 6F3A"); // an EF of 7F10
            t.ok("00 A4 02 0C 02 0001"); // the basic channel is still at the MF
        }

        @Test
        void further_interindustry_class_reaches_channels_above_3() {
            CardImage image = CardTester.testImage(CardImage.Protocol.T1);
            String text = CardTester.testProfileText().replace("channels=4", "channels=8");
            CardTester eight = new CardTester(bytes -> { }, parse(text));
            for (int i = 1; i <= 5; i++) {
                eight.ok("00 70 00 00 01");
            }
            eight.ok("41 A4 00 0C 02 2FE2");  // channel 5
            assertThat(eight.expect("41 B0 00 00 01", 0x9000)).isEqualTo("98");
            assertThat(image.channels()).isEqualTo(4);
        }

        @Test
        void a_reset_closes_all_logical_channels() {
            t.ok("00 70 00 00 01");
            t.card.reset();
            t.expect("01 A4 00 0C 02 3F00", 0x6881);
        }
    }

    @Nested
    class GetResponse {
        @Test
        void data_of_a_command_without_le_waits_for_get_response() {
            t.expect("00 A4 00 04 02 2FE2", 0x6117);
            assertThat(t.expect("00 C0 00 00 17", 0x9000)).startsWith("6215");
        }

        @Test
        void get_response_can_fetch_in_pieces() {
            t.expect("00 A4 00 04 02 2FE2", 0x6117);
            assertThat(t.expect("00 C0 00 00 05", 0x6112)).isEqualTo("6215820241");
            assertThat(t.expect("00 C0 00 00 00", 0x9000)).startsWith("2183022FE2");
            t.expect("00 C0 00 00 01", 0x6985);
        }

        @Test
        void get_response_with_too_large_le_is_6cxx_and_other_commands_drop_the_data() {
            t.expect("00 A4 00 04 02 2FE2", 0x6117);
            t.expect("00 C0 00 00 20", 0x6C17);
            t.ok("00 A4 00 0C 02 3F00");
            t.expect("00 C0 00 00 17", 0x6985);
            t.expect("00 C0 01 00 17", 0x6A86);
        }

        @Test
        void a_short_le_returns_part_and_announces_the_rest() {
            ResponseApdu r = t.send("00 A4 00 04 02 2FE2 10");
            assertThat(r.sw()).isEqualTo(0x6107);
            assertThat(r.length()).isEqualTo(16);
            assertThat(t.expect("00 C0 00 00 07", 0x9000)).isEqualTo("FF8002000A8800");
        }

        @Test
        void under_t0_case_4_commands_answer_61xx() {
            CardTester t0 = new CardTester(bytes -> { }, CardTester.testImage(CardImage.Protocol.T0));
            t0.expect("00 A4 00 04 02 2FE2 00", 0x6117);
            assertThat(t0.expect("00 C0 00 00 17", 0x9000)).startsWith("6215");
            assertThat(t0.card.atr()).isEqualTo(Atr.defaultFor(CardImage.Protocol.T0, 4));
        }
    }

    @Nested
    class ClassesAndInstructions {
        @ParameterizedTest
        @CsvSource({"A0 A4 00 00 02 3F00, 6E00", "20 A4 00 0C 02 3F00, 6E00", "FF A4 00 0C 02 3F00, 6E00",
                "10 A4 00 0C 02 3F00, 6884", "0C A4 00 0C 02 3F00, 6882", "60 A4 00 0C 02 3F00, 6882",
                "00 44 00 00, 6D00", "00 F2 00 00 00, 6E00", "80 A4 00 0C 02 3F00, 6E00", "80 99 00 00, 6D00",
                "00 B1 00 00 01, 6D00"})
        void unsupported_classes_and_instructions(String apdu, String sw) {
            t.expect(apdu, Integer.parseInt(sw, 16));
        }

        @Test
        void malformed_apdus_are_6700() {
            assertThat(t.card.transmit(new byte[] {0, (byte) 0xA4, 0})).containsExactly(0x67, 0x00);
            assertThat(t.card.transmit(CardTester.hex("00 A4 00 0C 05 3F00"))).containsExactly(0x67, 0x00);
        }

        @Test
        void status_returns_the_current_df_and_application() {
            t.ok("00 A4 04 0C 0C A000000063504B43532D3135");
            assertThat(t.expect("80 F2 00 00 00", 0x9000)).contains("83025015");
            assertThat(t.expect("80 F2 00 01 00", 0x9000)).isEqualTo("840CA000000063504B43532D3135");
            t.ok("80 F2 00 0C");
            t.expect("80 F2 00 05 00", 0x6A86);
        }

        @Test
        void a_card_without_power_refuses_commands() {
            t.card.powerOff();
            assertThatThrownBy(() -> t.send("00 A4 00 0C 02 3F00")).isInstanceOf(IllegalStateException.class);
        }
    }

    @Nested
    class Persistence {
        @Test
        void a_failing_store_gives_6581_and_undoes_the_change() {
            AtomicBoolean fail = new AtomicBoolean(false);
            CardTester f = new CardTester(bytes -> {
                if (fail.get()) {
                    throw new IOException("disk full");
                }
            }, CardTester.testImage(CardImage.Protocol.T1));
            f.ok("00 A4 00 0C 02 0001");
            fail.set(true);
            f.expect("00 D6 00 00 02 4142", 0x6581);
            f.expect("00 20 00 01 08 " + pin("9999"), 0x6581);
            fail.set(false);
            assertThat(f.expect("00 B0 00 00 02", 0x9000)).isEqualTo(hexOf("he")); // still selected, unchanged
            f.expect("00 20 00 01", 0x63C3);
        }

        @Test
        void the_change_counter_counts_committed_changes() {
            long before = t.card.snapshot().changeCounter();
            t.ok("00 A4 00 0C 02 0001");
            t.ok("00 D6 00 00 01 41");
            t.ok("00 D6 00 00 01 42");
            assertThat(t.card.snapshot().changeCounter()).isEqualTo(before + 2);
        }
    }

    private static CardImage parse(String text) {
        try {
            return new org.cardinaldm.smartcard.sim.internal.profile.ProfileParser(null).parse(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hexOf(String ascii) {
        return HEX.formatHex(ascii.getBytes(StandardCharsets.US_ASCII));
    }
}
