package org.cardinaldm.smartcard.sim.internal.card;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link FileSystemCommands} alone: what it registers, how it moves a channel, and what it asks of the card. */
class FileSystemCommandsTest {
    private final FamilyCard card = new FamilyCard();
    private final FileSystemCommands fs = new FileSystemCommands(card);

    FileSystemCommandsTest() {
        card.with(fs);
    }

    @Test
    void registers_select_binary_and_record_commands_only() {
        assertThat(card.commands.keySet()).containsExactly(0xA4, 0xB0, 0xD6, 0xB2, 0xDC);
    }

    @Test
    void select_moves_only_the_channel_it_runs_on() {
        LogicalChannel other = new LogicalChannel(card.image.mf());
        assertThat(card.sw("00 A4 04 0C 0C A000000063504B43532D3135")).isEqualTo(0x9000);
        assertThat(card.channel.df().fid()).isEqualTo(0x5015);
        assertThat(card.channel.adf()).isSameAs(card.channel.df());
        assertThat(card.sw("00 A4 00 0C 02 5031")).isEqualTo(0x9000);
        assertThat(card.channel.ef().fid()).isEqualTo(0x5031);
        assertThat(card.channel.adf().fid()).isEqualTo(0x5015);
        assertThat(other.df()).isSameAs(card.image.mf());
        assertThat(other.ef()).isNull();
    }

    @Test
    void a_write_is_observed_then_committed() {
        card.sw("00 A4 00 0C 02 0001");
        assertThat(card.sw("00 D6 00 00 01 41")).isEqualTo(0x9000);
        card.sw("00 A4 08 0C 04 7F10 6F3A");
        assertThat(card.sw("00 DC 01 04 04 01020304")).isEqualTo(0x9000);
        assertThat(card.events).containsExactly("written 0001", "commit", "written 6F3A", "commit");
    }

    @Test
    void access_conditions_are_checked_against_the_cards_security_status() {
        card.sw("00 A4 00 0C 02 0002");
        assertThat(card.sw("00 B0 00 00 01")).isEqualTo(0x6982);
        assertThat(card.sw("00 D6 00 00 01 41")).isEqualTo(0x6982);
        card.security.pinVerified(1);
        assertThat(card.send("00 B0 00 00 01").data()).containsExactly(0x11);
        assertThat(card.sw("00 D6 00 00 01 41")).isEqualTo(0x9000);
        assertThat(card.events).containsExactly("written 0002", "commit");
    }

    @Test
    void a_refused_or_malformed_write_reaches_neither_observer_nor_commit() {
        card.sw("00 A4 00 0C 02 2FE2");
        assertThat(card.sw("00 D6 00 00 01 41")).isEqualTo(0x6982);    // update=never
        card.sw("00 A4 00 0C 02 0001");
        assertThat(card.sw("00 D6 00 10 01 41")).isEqualTo(0x6B00);    // past the end
        assertThat(card.sw("00 DC 01 04 04 01020304")).isEqualTo(0x6981); // a transparent file
        assertThat(card.events).isEmpty();
    }

    @Test
    void the_image_is_asked_for_at_every_command() {
        CardImage replaced = CardTester.testImage(CardImage.Protocol.T1);
        ((TransparentFile) replaced.mf().child(0x0001).orElseThrow()).write(0, new byte[] {'J'});
        card.image = replaced;
        card.channel.relink(replaced.mf());
        card.sw("00 A4 00 0C 02 0001");
        assertThat(card.send("00 B0 00 00 01").data()).containsExactly('J');
    }
}
