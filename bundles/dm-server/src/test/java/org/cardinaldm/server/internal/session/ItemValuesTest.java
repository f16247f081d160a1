package org.cardinaldm.server.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.cardinaldm.server.api.ResultItem;
import org.junit.jupiter.api.Test;

class ItemValuesTest {
    @Test
    void opaque_text_formats_become_text() {
        byte[] raw = "grüße".getBytes(StandardCharsets.UTF_8);
        for (String format : new String[] {null, "chr", "CHR", "int", "bool", "xml", "node"}) {
            ResultItem item = ItemValues.fromBytes("./A", format, null, raw);
            assertThat(item.binary()).as(String.valueOf(format)).isFalse();
            assertThat(item.value()).isEqualTo("grüße");
        }
    }

    @Test
    void opaque_bin_and_b64_stay_bytes() {
        byte[] raw = "abc".getBytes(StandardCharsets.US_ASCII);
        assertThat(ItemValues.fromBytes("./A", "bin", null, raw)).isEqualTo(new ResultItem("./A", "bin", null, "YWJj", true));
        assertThat(ItemValues.fromBytes("./A", " b64 ", null, raw).binary()).isTrue();
    }

    @Test
    void opaque_bytes_that_are_not_utf8_are_kept_as_bytes_even_when_the_format_says_chr() {
        byte[] raw = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF};
        ResultItem item = ItemValues.fromBytes("./A", "chr", "text/plain", raw);
        assertThat(item.binary()).isTrue();
        assertThat(item.value()).isEqualTo("wyj/");
    }
}
