package org.cardinaldm.server.internal.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.cardinaldm.server.api.AsyncReport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ResultCodesTest {
    static final Instant T = Instant.parse("2026-12-07T00:00:00Z");
    static final String SCOMO = "urn:oma:at:scomo:1.0:OperationComplete";
    static final String FUMO = "org.openmobilealliance.dm.firmwareupdate.downloadandupdate";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"200|200", " 1200 |1200", "<ResultCode>1405</ResultCode>|1405",
        "<ResultCode> 1200 </ResultCode><Identifier>a</Identifier>|1200",
        "&lt;ResultCode&gt;1401&lt;/ResultCode&gt;|1401", "<resultcode>1407</resultcode>|1407",
        "abc|-1", "1234567|-1", "<ResultCode>12a</ResultCode>|-1", "<ResultCode>|-1", "-200|-1", "''|-1"})
    void the_result_code_is_the_data_or_its_result_code_element(String data, int code) {
        assertThat(ResultCodes.code(data)).isEqualTo(code);
    }

    @Test
    void oversized_data_is_not_read() {
        assertThat(ResultCodes.code("<ResultCode>1200</ResultCode>" + " ".repeat(ResultCodes.MAX_DATA))).isEqualTo(-1);
        assertThat(ResultCodes.code(null)).isEqualTo(-1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"1200|true|success", "1251|true|success, vendor-specific",
        "1401|false|user cancelled", "1405|false|install failed", "1407|false|package validation failed (signature)",
        "1413|false|operation rejected: target environment type unsupported",
        "1460|false|client error, vendor-specific", "1501|false|alternate download server unavailable",
        "1551|false|alternate download server error, vendor-specific", "200|false|not a SCOMO result code"})
    void scomo_codes_are_read_in_the_1xxx_range(int code, boolean success, String meaning) {
        AsyncReport r = ResultCodes.interpret(SCOMO, "<ResultCode>" + code + "</ResultCode>", "./s", "./t", null, T);
        assertThat(r.code()).isEqualTo(code);
        assertThat(r.success()).isEqualTo(success);
        assertThat(r.meaning()).isEqualTo(meaning);
        assertThat(r.source()).isEqualTo("./s");
        assertThat(r.target()).isEqualTo("./t");
        assertThat(r.late()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"200|true|successful", "251|true|successful, vendor-specific",
        "401|false|user cancelled", "404|false|failed package validation (signature)",
        "410|false|firmware update failed", "412|false|alternate download server unavailable",
        "500|false|firmware update failed or alternate download server error (sources disagree)",
        "503|false|download failed, network issues", "460|false|client error, vendor-specific",
        "1200|false|not a FUMO result code"})
    void fumo_codes_are_read_in_the_http_like_range(int code, boolean success, String meaning) {
        AsyncReport r = ResultCodes.interpret(FUMO, Integer.toString(code), null, null, "critical", T);
        assertThat(r.success()).isEqualTo(success);
        assertThat(r.meaning()).isEqualTo(meaning);
        assertThat(r.mark()).isEqualTo("critical");
    }

    @ParameterizedTest
    @ValueSource(strings = {"org.openmobilealliance.dm.firmwareupdate.download",
        "org.openmobilealliance.dm.firmwareupdate.update", "ORG.OPENMOBILEALLIANCE.DM.FIRMWAREUPDATE.UPDATE",
        "urn:oma:at:scomo:1.0:operationcomplete"})
    void known_types_are_recognised_whatever_their_case(String type) {
        assertThat(ResultCodes.kind(type)).isNotEqualTo(ResultCodes.Kind.OTHER);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"200|true", "1299|true", "299|true", "300|false", "1400|false",
        "x|false"})
    void other_types_succeed_only_with_a_2xx_or_12xx_code(String data, boolean success) {
        assertThat(ResultCodes.interpret("com.example.thing", data, null, null, null, T).success())
                .isEqualTo(success);
        assertThat(ResultCodes.interpret(null, data, null, null, null, T).success()).isEqualTo(success);
    }

    @Test
    void no_code_is_a_failure_that_says_so() {
        assertThat(ResultCodes.interpret(SCOMO, "", null, null, null, T).summary()).isEqualTo("no result code");
        assertThat(ResultCodes.interpret(SCOMO, "done", null, null, null, T).summary())
                .isEqualTo("no result code in the data");
    }

    @Test
    void firmware_execs_wait_the_firmware_timeout_under_a_fumo_root_only() {
        AsyncTimeouts t = AsyncTimeouts.parse("PT12H", "P7D", new String[] {"./FUMO", "./Firmware/"}, 10);
        assertThat(t.timeoutFor("./FUMO/Gateway/Update")).isEqualTo(Duration.ofDays(7));
        assertThat(t.timeoutFor("./Firmware/x/Update")).isEqualTo(Duration.ofDays(7));
        assertThat(t.timeoutFor("./FUMOX/Update")).isEqualTo(Duration.ofHours(12));
        assertThat(t.timeoutFor("./SCOMO/Download/a/Operations/Download")).isEqualTo(Duration.ofHours(12));
    }

    @Test
    void bad_timeouts_are_refused_with_the_key() {
        assertThatThrownBy(() -> AsyncTimeouts.parse("one day", "P7D", new String[0], 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("async.timeout.default");
        assertThatThrownBy(() -> AsyncTimeouts.parse("P1D", "PT0S", new String[0], 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AsyncTimeouts.parse("P1D", "P7D", new String[0], 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
