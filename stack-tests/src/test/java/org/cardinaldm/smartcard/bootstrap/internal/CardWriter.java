package org.cardinaldm.smartcard.bootstrap.internal;

import java.util.Arrays;

import org.cardinaldm.smartcard.api.CardService;
import org.cardinaldm.smartcard.api.CardSession;
import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.sim.internal.card.Uicc;

/** The issuer's over-the-air update for tests: rewrites a card's bootstrap file with the ADM key. */
final class CardWriter {
    private CardWriter() {
    }

    static void writeBootstrap(CardService cards, String reader, byte[] document) throws Exception {
        byte[] content = Arrays.copyOf(document, TestCard.BOOT_SIZE); // zero padding clears the old tail
        try (CardSession s = cards.openSession(reader)) {
            var ch = s.basicChannel();
            byte[] challenge = ch.transmit(CommandApdu.of(0, 0x84, 0, 0, 16)).requireSuccess("GET CHALLENGE").data();
            ch.transmit(CommandApdu.of(0, 0x82, 0, 1, Uicc.admCryptogram(TestCard.ADM_KEY, challenge)))
                    .requireSuccess("EXTERNAL AUTHENTICATE");
            ch.transmit(CommandApdu.of(0, 0xA4, 4, 0x0C, TestCard.HEX.parseHex("A000000063504B43532D3135")))
                    .requireSuccess("SELECT");
            ch.transmit(CommandApdu.of(0, 0xA4, 2, 0x0C, new byte[] {0x64, 0x31})).requireSuccess("SELECT EF");
            for (int off = 0; off < content.length; off += 255) {
                byte[] chunk = Arrays.copyOfRange(content, off, Math.min(content.length, off + 255));
                ch.transmit(CommandApdu.of(0, 0xD6, off >> 8, off & 0xFF, chunk)).requireSuccess("UPDATE BINARY");
            }
            s.reset();
        }
    }
}
