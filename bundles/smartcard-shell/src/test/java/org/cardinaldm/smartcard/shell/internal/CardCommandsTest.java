package org.cardinaldm.smartcard.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.smartcard.api.CardChannel;
import org.cardinaldm.smartcard.api.CardService;
import org.cardinaldm.smartcard.api.CardSession;
import org.cardinaldm.smartcard.api.CardState;
import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.api.ReaderStatus;
import org.cardinaldm.smartcard.api.ResponseApdu;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.dm.api.CardCredential;
import org.cardinaldm.smartcard.dm.api.CardObject;
import org.cardinaldm.smartcard.dm.api.CardPolicy;
import org.cardinaldm.smartcard.dm.api.DigestType;
import org.cardinaldm.smartcard.dm.api.DmCard;
import org.cardinaldm.smartcard.dm.api.DmCards;
import org.cardinaldm.smartcard.dm.api.FumoPolicy;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.junit.jupiter.api.Test;

/** The card: commands on mocked services. */
class CardCommandsTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final CardService service = mock(CardService.class);
    private final DmCards dmCards = mock(DmCards.class);
    private final DmCard card = mock(DmCard.class);

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    private void oneDmCard() {
        when(dmCards.cards()).thenReturn(List.of(card));
        when(dmCards.card("Sim 0")).thenReturn(Optional.of(card));
        when(card.reader()).thenReturn("Sim 0");
        when(card.cardId()).thenReturn("989400000000000010F2");
        when(card.atr()).thenReturn(new byte[] {0x3B, 0x00});
        when(card.profileVersion()).thenReturn("1.0");
        when(card.changeCounter()).thenReturn(7L);
        when(card.capabilities()).thenReturn(Set.of("md5", "hmac"));
        when(card.freeSpace()).thenReturn(1798L);
        when(card.bootstrapDocument()).thenReturn(Optional.empty());
        when(card.policy()).thenReturn(CardPolicy.of(false, true, List.of("cardinal-dms")));
        when(card.fumoPolicy()).thenReturn(Optional.of(FumoPolicy.of(List.of("AB".repeat(32)), List.of(), 1)));
        when(card.credentials()).thenReturn(List.of(CardCredential.of("cardinal-dms", CardCredential.Level.CLIENT,
                "cardinal-device", 2, EnumSet.of(DigestType.MD5))));
    }

    @Test
    void list_shows_one_line_per_reader_with_backend_state_and_atr() throws Exception {
        when(service.readers()).thenReturn(List.of(
                ReaderStatus.of("Sim 0", "sim", CardState.PRESENT, new byte[] {0x3B, (byte) 0x87}),
                ReaderStatus.of("Virtual PCD 00 00", "pcsc", CardState.ABSENT),
                ReaderStatus.of("Gone", "pcsc", CardState.NO_READER)));
        ListCommand c = new ListCommand();
        c.cards = service;
        c.out = out;
        c.execute();
        String[] lines = text().split("\n");
        assertThat(lines[0]).contains("Reader").contains("Backend").contains("Card").contains("ATR");
        assertThat(text()).contains("Sim 0").containsPattern("Sim 0\\s+\\| sim\\s+\\| present\\s+\\| 3B87");
        assertThat(text()).containsPattern("Virtual PCD 00 00 \\| pcsc\\s+\\| absent\\s+\\|");
        assertThat(text()).contains("no-reader");
    }

    @Test
    void list_without_a_card_service_explains_what_to_install() {
        ListCommand c = new ListCommand();
        c.out = out;
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("cardinal-smartcard");
    }

    @Test
    void info_shows_the_dm_card_without_secrets() throws Exception {
        oneDmCard();
        InfoCommand c = new InfoCommand();
        c.cards = dmCards;
        c.out = out;
        c.execute();
        assertThat(text()).contains("Card id:               989400000000000010F2").contains("Cardinal DM 1.0")
                .contains("Change counter:        7").contains("Allowed servers:       cardinal-dms")
                .contains("FUMO anti-rollback:    1").contains("cardinal-dms CLCRED name cardinal-device, card key 2")
                .contains("1798 bytes").contains("Bootstrap:             none");
    }

    @Test
    void info_names_what_is_missing() {
        when(dmCards.cards()).thenReturn(List.of());
        InfoCommand c = new InfoCommand();
        c.cards = dmCards;
        c.out = out;
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("No DM card");
        c.reader = "Nope";
        when(dmCards.card("Nope")).thenReturn(Optional.empty());
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("'Nope'");
        InfoCommand none = new InfoCommand();
        assertThatThrownBy(none::execute).isInstanceOf(CommandException.class).hasMessageContaining("cardinal-smartcard-dm");
    }

    @Test
    void ls_lists_the_pkcs15_objects() throws Exception {
        oneDmCard();
        when(card.pkcs15Objects()).thenReturn(List.of(
                CardObject.of(CardObject.Kind.APPLICATION, "3F00/5015", "CARDINAL", "", "AID A000000063504B43532D3135"),
                CardObject.of(CardObject.Kind.DATA, "6431", "DM Bootstrap", "2.23.43.7.1", "DM bootstrap")));
        LsCommand c = new LsCommand();
        c.cards = dmCards;
        c.out = out;
        c.execute();
        assertThat(text()).contains("application").contains("3F00/5015").contains("2.23.43.7.1").contains("DM bootstrap");
        when(card.pkcs15Objects()).thenThrow(new SmartCardException(SmartCardException.Code.CARD_REMOVED, "gone"));
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("gone");
    }

    @Test
    void cat_decodes_the_bootstrap_and_dumps_files() throws Exception {
        oneDmCard();
        SyncMessage m = SyncMessage.builder(SyncHeader.builder().sessionId("0").msgId("1").target("t").source("s").build())
                .build();
        when(card.bootstrapDocument()).thenReturn(Optional.of(SyncML.wbxml().encode(m)));
        CatCommand c = new CatCommand();
        c.cards = dmCards;
        c.out = out;
        c.what = "bootstrap";
        c.execute();
        assertThat(text()).contains("<SyncML").contains("<LocURI>s</LocURI>");
        bytes.reset();
        when(card.readFile("2FE2")).thenReturn(HEX.parseHex("989400000000000010F2"));
        c.what = "2FE2";
        c.execute();
        assertThat(text()).isEqualTo("0000  98 94 00 00 00 00 00 00 10 F2                    ..........\n");
        bytes.reset();
        c.what = "policy";
        c.execute();
        assertThat(text()).contains("allowedServers=[cardinal-dms]");
        when(card.readFile("xyz")).thenThrow(new IllegalArgumentException("bad"));
        c.what = "xyz";
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("bootstrap, policy");
        when(card.readFile("7777")).thenThrow(SmartCardException.forStatus(0x6A82, "READ"));
        c.what = "7777";
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("6A82");
        when(card.bootstrapDocument()).thenReturn(Optional.of(new byte[] {1, 2, 3}));
        c.what = "bootstrap";
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("--hex");
    }

    @Test
    void apdu_sends_in_one_session_and_prints_responses() throws Exception {
        when(service.readers()).thenReturn(List.of(ReaderStatus.of("Sim 0", "sim", CardState.PRESENT, new byte[] {0x3B, 0})));
        CardSession session = mock(CardSession.class);
        CardChannel basic = mock(CardChannel.class);
        when(service.openSession("Sim 0")).thenReturn(session);
        when(session.basicChannel()).thenReturn(basic);
        when(basic.transmit(any(CommandApdu.class))).thenReturn(ResponseApdu.of(new byte[] {1, 2}, 0x9000),
                ResponseApdu.of(0x6A82));
        ApduCommand c = new ApduCommand();
        c.cards = service;
        c.out = out;
        c.reset = true;
        c.apdus = List.of("80 30 00 00 00", "00A4000C026431");
        c.execute();
        assertThat(text()).isEqualTo("> 8030000000\n< 0102 9000 (success)\n> 00A4000C026431\n< 6A82 (file not found)\n");
        verify(session).reset();
        verify(session).close();
        c.apdus = List.of("zz");
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("not a command APDU");
    }

    @Test
    void apdu_needs_a_card() {
        when(service.readers()).thenReturn(List.of(ReaderStatus.of("Sim 0", "sim", CardState.ABSENT)));
        ApduCommand c = new ApduCommand();
        c.cards = service;
        c.out = out;
        c.apdus = List.of("00A40000");
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("No reader holds a card");
        c.reader = "Other";
        when(service.reader("Other")).thenReturn(Optional.empty());
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("card:list");
    }
}
