package org.cardinaldm.smartcard.sim.internal.card;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import org.cardinaldm.smartcard.sim.internal.image.SlotImageStoreAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A card pulled at any byte of an UPDATE BINARY's write reads back as the old or the new content. */
class CardTearTest {
    @TempDir
    Path dir;

    @Test
    void update_binary_torn_anywhere_leaves_old_or_new_content() throws IOException {
        byte[] encoded = CardImageCodec.encode(CardTester.testImage(CardImage.Protocol.T1));
        int slot = encoded.length + 48; // SlotImageStore.SLOT_OVERHEAD
        int sawOld = 0;
        int sawNew = 0;
        // The precise tear of the UPDATE itself: authenticate on a healthy store, then tear the write.
        java.util.List<Integer> limits = new java.util.ArrayList<>();
        for (int limit = 0; limit < slot; limit += 11) {
            limits.add(limit);
        }
        limits.addAll(java.util.List.of(1, 15, 16, 17, slot - 33, slot - 32, slot - 1, slot));
        for (int limit : limits) {
            Path file = dir.resolve("upd-" + limit + ".img");
            final int cut = limit;
            boolean[] armed = {false};
            try (var store = SlotImageStoreAccess.open(file, (channel, data, position) -> {
                if (armed[0]) {
                    ByteBuffer part = data.slice().limit(Math.min(cut, data.remaining()));
                    channel.write(part, position);
                    throw new Uicc.CardPowerLostException("pulled");
                }
                while (data.hasRemaining()) {
                    position += channel.write(data, position);
                }
            })) {
                store.load();
                store.save(encoded);
                Uicc card = new Uicc(CardImageCodec.decode(store.load().orElseThrow()), store);
                card.powerOn();
                card.transmit(CardTester.hex("00 A4 00 0C 02 0003"));
                byte[] challenge = java.util.Arrays.copyOf(card.transmit(CardTester.hex("00 84 00 00 10")), 16);
                card.transmit(CardTester.hex("00 82 00 01 10 "
                        + CardTester.HEX.formatHex(Uicc.admCryptogram(CardTester.ADM_KEY, challenge))));
                armed[0] = true;
                try {
                    card.transmit(CardTester.hex("00 D6 00 00 05 " + CardTester.HEX.formatHex("NEWER".getBytes())));
                    throw new AssertionError("the write should have been torn");
                } catch (Uicc.CardPowerLostException expected) {
                    assertThat(card.isDead()).isTrue();
                }
            }
            try (var store = SlotImageStoreAccess.open(file, null)) {
                Uicc card = new Uicc(CardImageCodec.decode(store.load().orElseThrow()), store);
                card.powerOn();
                card.transmit(CardTester.hex("00 A4 00 0C 02 0003"));
                byte[] r = card.transmit(CardTester.hex("00 B0 00 00 05"));
                String content = new String(r, 0, 5, java.nio.charset.StandardCharsets.US_ASCII);
                assertThat(content).as("torn after %d bytes", cut).isIn("admin", "NEWER");
                if (content.equals("NEWER")) {
                    sawNew++;
                } else {
                    sawOld++;
                }
            }
        }
        assertThat(sawOld).isPositive();
        assertThat(sawNew).isPositive();
    }
}
