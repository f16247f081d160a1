package org.cardinaldm.smartcard.sim.internal.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class CardImageCodecTest {
    @Test
    void encoding_round_trips() {
        CardImage image = CardTester.testImage(CardImage.Protocol.T1);
        byte[] encoded = CardImageCodec.encode(image);
        CardImage back = CardImageCodec.decode(encoded);
        assertThat(CardImageCodec.encode(back)).isEqualTo(encoded);
        assertThat(back.pins()).containsOnlyKeys(0x01, 0x81);
        assertThat(back.keys().get(0x02).usage()).isEqualTo("dm-server");
        assertThat(back.mf().child(0x5015).map(f -> ((DedicatedFile) f).aid())).isPresent();
    }

    @Test
    void state_changes_survive_the_round_trip() {
        CardTester t = CardTester.withTestProfile();
        t.expect("00 20 00 01 08 " + CardTester.pin("9999"), 0x63C2);
        t.ok("00 A4 00 0C 02 0001");
        t.ok("00 D6 00 00 01 5A");
        CardImage back = CardImageCodec.decode(t.saved.get(t.saved.size() - 1));
        assertThat(back.pins().get(0x01).retries()).isEqualTo(2);
        assertThat(((TransparentFile) back.mf().child(0x0001).orElseThrow()).content()[0]).isEqualTo((byte) 0x5A);
        assertThat(back.changeCounter()).isEqualTo(t.card.snapshot().changeCounter());
    }

    @Test
    void every_truncation_is_rejected() {
        byte[] encoded = CardImageCodec.encode(CardTester.testImage(CardImage.Protocol.T0));
        for (int n = 0; n < encoded.length; n++) {
            byte[] cut = Arrays.copyOf(encoded, n);
            assertThatThrownBy(() -> CardImageCodec.decode(cut)).as("length %d", n)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void trailing_bytes_and_bad_magic_are_rejected() {
        byte[] encoded = CardImageCodec.encode(CardTester.testImage(CardImage.Protocol.T1));
        assertThatThrownBy(() -> CardImageCodec.decode(Arrays.copyOf(encoded, encoded.length + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Trailing");
        byte[] bad = encoded.clone();
        bad[0] = 'X';
        assertThatThrownBy(() -> CardImageCodec.decode(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("magic");
    }

    @Test
    void applet_data_round_trips_and_a_version_1_image_still_loads() {
        CardImage image = CardTester.testImage(CardImage.Protocol.T1);
        byte[] v1 = CardImageCodec.encode(image);
        v1 = Arrays.copyOf(v1, v1.length - 2); // version 2 with no applet data = version 1 + a zero count
        v1[4] = 1;
        assertThat(CardImageCodec.decode(v1).appletDataNames()).isEmpty();
        image.putAppletData("dm.challenge.02", new byte[] {1, 2, 3});
        CardImage back = CardImageCodec.decode(CardImageCodec.encode(image));
        assertThat(back.appletData("dm.challenge.02")).hasValueSatisfying(v -> assertThat(v).containsExactly(1, 2, 3));
        back.putAppletData("dm.challenge.02", null);
        assertThat(CardImageCodec.decode(CardImageCodec.encode(back)).appletDataNames()).isEmpty();
    }
}
