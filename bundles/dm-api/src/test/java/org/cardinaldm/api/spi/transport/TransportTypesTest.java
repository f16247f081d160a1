package org.cardinaldm.api.spi.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TransportTypesTest {
    private static final URI SERVER = URI.create("https://dms.example.com/dm");

    @Test
    void request_copies_the_body_and_defaults_accept_to_its_own_media_type() {
        byte[] body = {1, 2, 3};
        TransportRequest r = TransportRequest.builder(SERVER, "application/vnd.syncml.dm+wbxml", body).build();
        body[0] = 9;

        assertThat(r.body()).containsExactly(1, 2, 3);
        assertThat(r.accept()).containsExactly("application/vnd.syncml.dm+wbxml");
        assertThat(r.timeout()).isEqualTo(TransportRequest.DEFAULT_TIMEOUT);
        assertThat(r.maxResponseBytes()).isEqualTo(TransportRequest.DEFAULT_MAX_RESPONSE_BYTES);
    }

    @Test
    void request_header_names_are_lower_case_and_values_never_printed() {
        TransportRequest r = TransportRequest.builder(SERVER, "application/vnd.syncml.dm+xml", new byte[0])
                .header("X-SyncML-HMAC", "algorithm=MD5, username=\"u\", mac=SECRETMAC").build();

        assertThat(r.headers()).containsOnlyKeys("x-syncml-hmac");
        assertThat(r.toString()).contains("x-syncml-hmac").doesNotContain("SECRETMAC");
    }

    @Test
    void request_refuses_header_injection_and_bad_limits() {
        TransportRequest.Builder b = TransportRequest.builder(SERVER, "application/vnd.syncml.dm+xml", new byte[0]);
        assertThatThrownBy(() -> b.header("x-a", "v\r\nInjected: 1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.maxResponseBytes(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TransportRequest.builder(SERVER, " ", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void response_headers_are_found_in_any_case_and_body_is_copied() {
        byte[] body = {4, 5};
        TransportResponse r = TransportResponse.of("application/vnd.syncml.dm+xml", body, Map.of("X-SyncML-HMAC", "m"));
        body[0] = 0;

        assertThat(r.header("x-syncml-hmac")).contains("m");
        assertThat(r.header("X-SYNCML-HMAC")).contains("m");
        assertThat(r.body()).containsExactly(4, 5);
        assertThat(r.toString()).doesNotContain("=m");
    }

    @ParameterizedTest
    @CsvSource({"UNREACHABLE,0,true", "TIMEOUT,0,true", "PEER_STATUS,503,true", "PEER_STATUS,500,true",
            "PEER_STATUS,429,true", "PEER_STATUS,408,true", "PEER_STATUS,404,true", "PEER_STATUS,410,false", "PEER_STATUS,401,false",
            "RESPONSE_TOO_LARGE,0,false", "BAD_RESPONSE,0,false", "SECURITY,0,false", "UNSUPPORTED,0,false",
            "INTERRUPTED,0,false"})
    void only_transient_failures_are_retryable(TransportException.Reason reason, int status, boolean retryable) {
        TransportException e = new TransportException(reason, status, "x", null);
        assertThat(e.isRetryable()).isEqualTo(retryable);
        assertThat(e.toDisplayString()).startsWith(reason.name());
    }

    @Test
    void peer_status_factory_keeps_the_status() {
        TransportException e = TransportException.peerStatus(502, "bad gateway");
        assertThat(e.reason()).isEqualTo(TransportException.Reason.PEER_STATUS);
        assertThat(e.peerStatus()).isEqualTo(502);
        assertThat(e.toDisplayString()).isEqualTo("PEER_STATUS 502: bad gateway");
    }
}
