package org.cardinaldm.benchmarks.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.cardinaldm.syncml.api.notification.Notification;
import org.junit.jupiter.api.Test;

class ChecksTest {
    @Test
    void token_bits_follow_the_alphabet() {
        assertThat(CodecProbes.tokenBits("0123456789abcdef0123456789abcdef")).isEqualTo(128);
        assertThat(CodecProbes.tokenBits("AbCdEfGhIjKlMnOp_-")).isEqualTo(108);
        assertThat(CodecProbes.tokenBits("1234")).isEqualTo(16);
        assertThat(CodecProbes.tokenBits("a+b/")).isZero();
        assertThat(CodecProbes.tokenBits(null)).isZero();
    }

    @Test
    void a_node_id_before_the_dot_counts_no_bits() {
        assertThat(CodecProbes.randomPart("node1.AbCdEfGhIjKlMnOp_-")).isEqualTo("AbCdEfGhIjKlMnOp_-");
        assertThat(CodecProbes.tokenBits("node1.AbCdEfGhIjKlMnOp_-")).isEqualTo(108);
        assertThat(CodecProbes.tokenBits("node-with-a-long-name.xyz")).isEqualTo(18);
        assertThat(CodecProbes.tokenBits("a.b.c")).isZero();
        assertThat(CodecProbes.tokenBits(".AbCdEfGh")).isZero();
    }

    @Test
    void stack_traces_are_recognised_but_a_one_line_reason_is_not() {
        assertThat(CodecProbes.hasStackTrace("java.lang.IllegalStateException: x\n\tat org.a.B.c(B.java:12)\n")).isTrue();
        assertThat(CodecProbes.hasStackTrace("Caused by: java.io.IOException")).isTrue();
        assertThat(CodecProbes.hasStackTrace("400 malformed: CodecException MALFORMED at line 1 column 20")).isFalse();
    }

    @Test
    void tokens_are_read_from_resp_uri() {
        assertThat(Dm.tokenOf("http://127.0.0.1:8181/dm?s=abc_-1")).isEqualTo("abc_-1");
        assertThat(Dm.tokenOf("http://h/dm?x=1&s=t")).isEqualTo("t");
        assertThat(Dm.tokenOf("http://h/dm")).isNull();
        assertThat(Dm.tokenOf(null)).isNull();
    }

    @Test
    void the_genuine_notification_verifies_with_the_demo_server_password_on_the_resync_nonce() throws Exception {
        byte[] datagram = PushProbes.notification(true);
        byte[] p0 = java.util.Arrays.copyOfRange(datagram, PushProbes.WSP_PUSH.length, datagram.length);
        Notification.Signed signed = Notification.parse(p0);
        assertThat(signed.notification().serverId()).isEqualTo(Expect.DEMO_SERVER_ID);
        assertThat(signed.verify(Expect.DEMO_SERVER_PASSWORD, new byte[4])).isTrue();
        byte[] forged = PushProbes.notification(false);
        assertThat(Notification.parse(java.util.Arrays.copyOfRange(forged, PushProbes.WSP_PUSH.length, forged.length))
                .verify(Expect.DEMO_SERVER_PASSWORD, new byte[4])).isFalse();
    }

    @Test
    void occurrences_counts_overlapping_free_matches() {
        byte[] hay = "xxsecretyysecret".getBytes(StandardCharsets.US_ASCII);
        assertThat(AtRestProbes.occurrences(hay, "secret".getBytes(StandardCharsets.US_ASCII))).isEqualTo(2);
        assertThat(AtRestProbes.occurrences(hay, "zz".getBytes(StandardCharsets.US_ASCII))).isZero();
    }

    @Test
    void an_outcome_is_one_line() {
        Outcome o = Outcome.of(false, "codec.x", "HTTP 400", "HTTP 200\nbody");
        assertThat(o.line()).isEqualTo("FAIL codec.x expected: HTTP 400 observed: HTTP 200 body");
    }
}
