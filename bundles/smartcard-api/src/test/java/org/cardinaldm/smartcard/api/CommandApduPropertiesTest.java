package org.cardinaldm.smartcard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class CommandApduPropertiesTest {
    @Property(tries = 500)
    void encoding_then_parsing_gives_the_same_command(@ForAll @IntRange(min = 0, max = 254) int cla,
            @ForAll @IntRange(max = 255) int ins, @ForAll @IntRange(max = 255) int p1,
            @ForAll @IntRange(max = 255) int p2, @ForAll @Size(max = 600) byte[] data,
            @ForAll @IntRange(max = 65536) int ne) {
        CommandApdu c = CommandApdu.of(cla, ins, p1, p2, data, ne);
        CommandApdu back = CommandApdu.parse(c.bytes());
        assertThat(back).isEqualTo(c);
        assertThat(back.isExtended()).isEqualTo(data.length > 255 || ne > 256);
    }

    @Property(tries = 300)
    void any_channel_can_be_set_and_read_back(@ForAll @IntRange(max = 254) int cla,
            @ForAll @IntRange(max = 19) int channel) {
        CommandApdu original = CommandApdu.of(cla, 0xB0, 0, 0);
        boolean secure = (cla & 0x40) != 0 ? (cla & 0x20) != 0 : (cla & 0x0C) != 0;
        if (channel == 19 && (cla & 0x80) != 0 && secure && (cla & 0x10) != 0) {
            assertThatThrownBy(() -> original.withChannel(channel)).isInstanceOf(IllegalArgumentException.class);
            return;
        }
        CommandApdu c = original.withChannel(channel);
        assertThat(c.channel()).isEqualTo(channel);
        assertThat(c.cla() & 0x80).isEqualTo(cla & 0x80);
        assertThat(c.cla() & 0x10).isEqualTo(cla & 0x10);
    }
}
