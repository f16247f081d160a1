package org.cardinaldm.server.packages.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Range header as the package servlet reads it: one range, the whole file, or 416. */
class ByteRangeTest {
    private static final long LEN = 1000;

    @Test
    void the_three_forms_of_one_range() {
        assertThat(ByteRange.parse("bytes=0-99", LEN)).isEqualTo(new ByteRange(0, 99, true));
        assertThat(ByteRange.parse("bytes=500-", LEN)).isEqualTo(new ByteRange(500, 999, true));
        assertThat(ByteRange.parse("bytes=-10", LEN)).isEqualTo(new ByteRange(990, 999, true));
        assertThat(ByteRange.parse("Bytes = 7-7 ", LEN)).isEqualTo(new ByteRange(7, 7, true));
        assertThat(ByteRange.parse("bytes=7-7", LEN).length()).isEqualTo(1);
    }

    @Test
    void a_last_position_past_the_end_is_cut_and_a_suffix_longer_than_the_file_is_the_file() {
        assertThat(ByteRange.parse("bytes=900-5000", LEN)).isEqualTo(new ByteRange(900, 999, true));
        assertThat(ByteRange.parse("bytes=-5000", LEN)).isEqualTo(new ByteRange(0, 999, true));
    }

    @Test
    void huge_positions_saturate_instead_of_overflowing() {
        assertThat(ByteRange.parse("bytes=0-99999999999999999999999999", LEN)).isEqualTo(new ByteRange(0, 999, true));
        assertThat(ByteRange.parse("bytes=9223372036854775807-", LEN)).isEqualTo(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.parse("bytes=99999999999999999999999999-", LEN)).isEqualTo(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.parse("bytes=-99999999999999999999999999", LEN)).isEqualTo(new ByteRange(0, 999, true));
        assertThat(ByteRange.parse("bytes=9223372036854775806-9223372036854775807", Long.MAX_VALUE))
                .isEqualTo(new ByteRange(9223372036854775806L, 9223372036854775806L, true));
        assertThat(ByteRange.parse("bytes=0000000000000000000000000000005-6", LEN)).isEqualTo(new ByteRange(5, 6, true));
    }

    @Test
    void ranges_that_do_not_overlap_the_file_are_unsatisfiable() {
        assertThat(ByteRange.parse("bytes=1000-", LEN)).isEqualTo(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.parse("bytes=1000-2000", LEN)).isEqualTo(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.parse("bytes=-0", LEN)).isEqualTo(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.parse("bytes=0-", 0)).isEqualTo(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.parse("bytes=-5", 0)).isEqualTo(ByteRange.UNSATISFIABLE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "bytes", "bytes=", "bytes=-", "bytes=--5", "bytes=-5-10", "bytes=5-3", "bytes=a-b",
            "bytes=0x10-20", "bytes=+5-10", "bytes=5--10", "bytes=1e3-", "items=0-10", "bytes 0-10", "bytes=0-10,20-30",
            "bytes=0-0,0-0,0-0", "bytes=٣-٤", "bytes=\u00a05-6"})
    void headers_that_do_not_parse_or_ask_for_several_ranges_mean_the_whole_file(String header) {
        assertThat(ByteRange.parse(header, LEN)).isEqualTo(ByteRange.WHOLE);
        assertThat(ByteRange.WHOLE.partial()).isFalse();
    }

    @Test
    void thousands_of_ranges_and_overlong_headers_are_the_whole_file_once() {
        assertThat(ByteRange.parse("bytes=" + "0-0,".repeat(5000) + "0-0", LEN)).isEqualTo(ByteRange.WHOLE);
        assertThat(ByteRange.parse("bytes=" + "0".repeat(ByteRange.MAX_HEADER) + "-1", LEN)).isEqualTo(ByteRange.WHOLE);
        assertThat(ByteRange.parse(null, LEN)).isEqualTo(ByteRange.WHOLE);
    }
}
