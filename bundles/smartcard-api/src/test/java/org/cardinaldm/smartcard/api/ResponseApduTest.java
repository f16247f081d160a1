package org.cardinaldm.smartcard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import nl.jqno.equalsverifier.EqualsVerifier;

class ResponseApduTest {
    @Test
    void parse_splits_data_and_status_word() {
        ResponseApdu r = ResponseApdu.parse(new byte[] {1, 2, (byte) 0x90, 0});
        assertThat(r.data()).containsExactly(1, 2);
        assertThat(r.sw()).isEqualTo(0x9000);
        assertThat(r.sw1()).isEqualTo(0x90);
        assertThat(r.sw2()).isZero();
        assertThat(r.isSuccess()).isTrue();
        assertThat(r.bytes()).containsExactly(1, 2, (byte) 0x90, 0);
    }

    @Test
    void parse_rejects_fewer_than_two_bytes() {
        assertThatThrownBy(() -> ResponseApdu.parse(new byte[] {(byte) 0x90}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ResponseApdu.of(0x10000)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"63C2, 2", "63C0, 0", "6983, 0"})
    void retries_left_reads_63cx_and_blocked(String sw, int retries) {
        assertThat(ResponseApdu.of(Integer.parseInt(sw, 16)).retriesLeft()).hasValue(retries);
    }

    @Test
    void retries_left_is_empty_for_other_status_words() {
        assertThat(ResponseApdu.of(0x9000).retriesLeft()).isEmpty();
        assertThat(ResponseApdu.of(0x6982).retriesLeft()).isEmpty();
    }

    @Test
    void warnings_and_more_data_are_recognised() {
        assertThat(ResponseApdu.of(0x6282).isWarning()).isTrue();
        assertThat(ResponseApdu.of(0x63C1).isWarning()).isTrue();
        assertThat(ResponseApdu.of(0x6A82).isWarning()).isFalse();
        assertThat(ResponseApdu.of(0x6110).hasMoreData()).isTrue();
        assertThat(ResponseApdu.of(0x9000).hasMoreData()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "6982, SECURITY_STATUS_NOT_SATISFIED", "63C1, AUTHENTICATION_FAILED", "6300, AUTHENTICATION_FAILED",
        "6983, AUTHENTICATION_BLOCKED", "6A82, FILE_NOT_FOUND", "6881, NO_CHANNEL_AVAILABLE", "6B00, CARD_ERROR",
    })
    void require_success_maps_the_status_word_to_a_code(String sw, SmartCardException.Code code) {
        int value = Integer.parseInt(sw, 16);
        assertThatThrownBy(() -> ResponseApdu.of(value).requireSuccess("SELECT 5031"))
                .isInstanceOfSatisfying(SmartCardException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.statusWord()).isEqualTo(value);
                    assertThat(e.getMessage()).startsWith("SELECT 5031: " + sw);
                });
    }

    @Test
    void require_success_returns_the_response_on_9000() throws SmartCardException {
        ResponseApdu ok = ResponseApdu.of(new byte[] {7}, 0x9000);
        assertThat(ok.requireSuccess("x")).isSameAs(ok);
    }

    @Test
    void to_string_never_prints_the_data() {
        ResponseApdu r = ResponseApdu.of(new byte[] {0x31, 0x32, 0x33}, 0x9000);
        assertThat(r.toString()).isEqualTo("R-APDU 3 bytes SW=9000 (success)");
    }

    @Test
    void equals_and_hash_code_follow_data_and_status() {
        EqualsVerifier.forClass(ResponseApdu.class).verify();
    }

    @Test
    void status_words_are_described() {
        assertThat(StatusWord.describe(0x63C2)).isEqualTo("verification failed, 2 tries left");
        assertThat(StatusWord.describe(0x6110)).isEqualTo("16 bytes available");
        assertThat(StatusWord.describe(0x6C00)).isEqualTo("wrong Le, 256 bytes available");
        assertThat(StatusWord.describe(0x6A82)).isEqualTo("file not found");
        assertThat(StatusWord.describe(0x6299)).isEqualTo("warning");
        assertThat(StatusWord.describe(0x6F12)).isEqualTo("error");
        assertThat(StatusWord.toHex(0x9000)).isEqualTo("9000");
    }
}
