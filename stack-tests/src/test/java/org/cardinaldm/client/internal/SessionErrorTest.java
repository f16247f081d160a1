package org.cardinaldm.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cardinaldm.client.internal.SessionEngineTest.item;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.spi.transport.TransportException.Reason;
import org.cardinaldm.api.spi.transport.TransportException;
import org.cardinaldm.api.spi.transport.TransportResponse;
import org.cardinaldm.client.api.SessionOutcome;
import org.cardinaldm.client.api.SessionResult;
import org.cardinaldm.stacktest.DeviceRig;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A server that answers garbage, slowly, with errors or not at all: a clear result, nothing half-applied. */
class SessionErrorTest {
    @TempDir
    Path dir;

    private DeviceRig device() throws Exception {
        DeviceRig d = DeviceRig.builder(dir).settings(Settings.DEFAULT.withRetries(2, Duration.ofMillis(500), Duration.ofSeconds(1))).build();
        d.basicAccount();
        return d;
    }

    /** Package 2 with an Add, then whatever {@code then} answers to package 3. */
    private static FakeServer addThen(FakeServer.Step then) {
        FakeServer s = new FakeServer();
        s.thenReply(c -> {
            SyncMessage.Builder b = s.reply(c, StatusCodes.AUTHENTICATION_ACCEPTED);
            FakeServer.statuses(c, b, StatusCodes.OK);
            b.add(Add.of("5", item("./Applied", "chr", "a")));
            return b.build();
        });
        return s.then(then);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "<SyncML xmlns='SYNCML:SYNCML1.2'><SyncHdr>", "\u0002\u00a4\u0001\u006a\u0000\u006d"})
    void garbage_ends_the_session_as_a_protocol_error_and_applies_nothing(String body) throws Exception {
        DeviceRig d = device();
        FakeServer s = new FakeServer();
        s.then((c, req, srv) -> TransportResponse.of(MediaTypes.DM_XML, (body.isEmpty() ? "x" : body)
                .getBytes(StandardCharsets.ISO_8859_1), Map.of()));
        d.transport(s);

        SessionResult r = d.run(DeviceRig.SERVER);

        assertThat(r.outcome()).isEqualTo(SessionOutcome.PROTOCOL_ERROR);
        assertThat(r.detail()).contains("cannot be decoded");
        assertThat(r.messagesReceived()).isZero();
    }

    @Test
    void garbage_after_commands_leaves_the_executed_ones_and_nothing_of_the_garbage() throws Exception {
        DeviceRig d = device();
        d.transport(addThen((c, req, srv) -> TransportResponse.of(MediaTypes.DM_WBXML, new byte[] {2, 0, 0, 0x6A, 1},
                Map.of())));

        SessionResult r = d.run(DeviceRig.SERVER);

        assertThat(r.outcome()).isEqualTo(SessionOutcome.PROTOCOL_ERROR);
        assertThat(d.system().exists(NodeUri.of("./Applied"))).isTrue();
        assertThat(r.messagesSent()).isEqualTo(2);
    }

    @Test
    void a_server_that_never_answers_ends_as_a_timeout_after_the_retries() throws Exception {
        DeviceRig d = device();
        FakeServer s = new FakeServer();
        for (int i = 0; i < 3; i++) {
            s.then((c, req, srv) -> {
                throw new TransportException(Reason.TIMEOUT, "no answer within 60000 ms");
            });
        }
        d.transport(s);

        SessionResult r = d.run(DeviceRig.SERVER);

        assertThat(r.outcome()).isEqualTo(SessionOutcome.TIMEOUT);
        assertThat(r.detail()).contains("after 3 attempts");
        assertThat(s.received).hasSize(3);
        assertThat(d.sleeps()).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @Test
    void an_http_server_error_and_a_404_are_retried_and_another_client_error_is_not() throws Exception {
        DeviceRig d = device();
        FakeServer s = new FakeServer();
        s.then((c, req, srv) -> {
            throw TransportException.peerStatus(503, "HTTP 503");
        }).then((c, req, srv) -> {
            // a server still starting answers 404 for its DM path
            throw TransportException.peerStatus(404, "HTTP 404");
        }).then((c, req, srv) -> {
            throw TransportException.peerStatus(403, "HTTP 403");
        });
        d.transport(s);

        SessionResult r = d.run(DeviceRig.SERVER);

        assertThat(r.outcome()).isEqualTo(SessionOutcome.SERVER_ERROR);
        assertThat(r.detail()).contains("403");
        assertThat(s.received).hasSize(3);
    }

    @Test
    void an_oversized_answer_ends_as_message_too_large() throws Exception {
        DeviceRig d = device();
        FakeServer s = new FakeServer();
        s.then((c, req, srv) -> {
            assertThat(req.maxResponseBytes()).isEqualTo(Settings.DEFAULT.maxMsgSize());
            throw new TransportException(Reason.RESPONSE_TOO_LARGE, "body exceeds 65536 bytes");
        });
        d.transport(s);

        assertThat(d.run(DeviceRig.SERVER).outcome()).isEqualTo(SessionOutcome.MESSAGE_TOO_LARGE);
    }

    @Test
    void an_answer_for_another_session_or_protocol_version_is_a_protocol_error() throws Exception {
        DeviceRig d = device();
        FakeServer s = new FakeServer();
        s.thenReply(c -> {
            SyncHeader h = s.header(c).sessionId("FFFF").build();
            return SyncMessage.builder(h).add(Add.of("1", item("./Wrong", "chr", "w"))).build();
        });
        d.transport(s);
        SessionResult r = d.run(DeviceRig.SERVER);
        assertThat(r.outcome()).isEqualTo(SessionOutcome.PROTOCOL_ERROR);
        assertThat(r.detail()).contains("session FFFF");

        FakeServer s2 = new FakeServer();
        s2.thenReply(c -> SyncMessage.builder(s2.header(c).verDtd("1.1").verProto("DM/1.1").build())
                .add(Add.of("1", item("./Wrong", "chr", "w"))).build());
        d.transport(s2);
        assertThat(d.run(DeviceRig.SERVER).outcome()).isEqualTo(SessionOutcome.PROTOCOL_ERROR);
        assertThat(d.system().exists(NodeUri.of("./Wrong"))).isFalse();
    }

    @Test
    void a_server_that_never_ends_the_session_is_stopped_after_the_message_limit() throws Exception {
        DeviceRig d = DeviceRig.builder(dir).settings(new Settings(true, 65_536, 1 << 20, Duration.ofSeconds(5), 0, Duration.ZERO,
                Duration.ZERO, 5, 3, Duration.ofSeconds(1), true, 5)).build();
        d.basicAccount();
        FakeServer s = new FakeServer();
        for (int i = 0; i < 10; i++) {
            s.thenReply(c -> {
                SyncMessage.Builder b = s.reply(c, StatusCodes.AUTHENTICATION_ACCEPTED);
                b.add(org.cardinaldm.syncml.api.model.Get.of("9", org.cardinaldm.syncml.api.model.Item.target("./DevInfo/Man")));
                return b.build();
            });
        }
        d.transport(s);

        SessionResult r = d.run(DeviceRig.SERVER);

        assertThat(r.outcome()).isEqualTo(SessionOutcome.PROTOCOL_ERROR);
        assertThat(r.detail()).contains("more than 5 messages");
        assertThat(s.received).as("five messages, then Alert 1223").hasSize(6);
        SyncMessage abort = s.received.get(5);
        assertThat(abort.isFinal()).isTrue();
        assertThat(abort.commands()).hasSize(2);
        assertThat(abort.commands().get(0)).isInstanceOfSatisfying(org.cardinaldm.syncml.api.model.Status.class,
                st -> assertThat(st.cmd()).isEqualTo("SyncHdr"));
        assertThat(abort.commands().get(1)).isInstanceOfSatisfying(org.cardinaldm.syncml.api.model.Alert.class,
                a -> assertThat(a.code()).isEqualTo(1223));
    }

    @Test
    void a_missing_account_transport_or_server_authentication_is_reported_before_anything_is_sent() throws Exception {
        DeviceRig d = DeviceRig.builder(dir).build();
        FakeServer s = new FakeServer();
        assertThat(d.run("nobody").outcome()).isEqualTo(SessionOutcome.NO_ACCOUNT);

        d.account("plain.example.com", "http://127.0.0.1:1/dm", new String[] {"BASIC", "dev", "pw"}, null);
        d.account("ftp.example.com", "ftp://127.0.0.1/dm", new String[] {"BASIC", "dev", "pw"},
                new String[] {"BASIC", "srv", "pw"});
        d.account("nosecret.example.com", "http://127.0.0.1:1/dm", new String[] {"DIGEST", "dev", ""},
                new String[] {"BASIC", "srv", "pw"});
        d.transport(s);

        SessionResult plain = d.run("plain.example.com");
        assertThat(plain.outcome()).isEqualTo(SessionOutcome.AUTHENTICATION_FAILED);
        assertThat(plain.detail()).contains("not HTTPS");
        assertThat(d.run("ftp.example.com").outcome()).isEqualTo(SessionOutcome.NO_TRANSPORT);
        assertThat(d.run("nosecret.example.com").outcome()).isEqualTo(SessionOutcome.AUTHENTICATION_FAILED);
        assertThat(s.received).isEmpty();
    }

    @Test
    void a_transport_that_throws_a_runtime_exception_is_an_internal_error_not_a_crash() throws Exception {
        DeviceRig d = device();
        FakeServer s = new FakeServer();
        s.then((c, req, srv) -> {
            throw new IllegalStateException("bug in a transport");
        });
        d.transport(s);

        assertThat(d.run(DeviceRig.SERVER).outcome()).isEqualTo(SessionOutcome.INTERNAL_ERROR);
    }

    @Test
    void a_server_message_in_the_other_encoding_is_understood() throws Exception {
        DeviceRig d = device();
        FakeServer s = new FakeServer();
        s.then((c, req, srv) -> {
            SyncMessage.Builder b = srv.reply(c, StatusCodes.AUTHENTICATION_ACCEPTED);
            FakeServer.statuses(c, b, StatusCodes.OK);
            b.add(Add.of("5", item("./Xml", "chr", "x")));
            return TransportResponse.of("", SyncML.xml().encode(b.build()), Map.of());
        }).thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        assertThat(d.run(DeviceRig.SERVER).outcome()).isEqualTo(SessionOutcome.COMPLETED);
        assertThat(d.system().exists(NodeUri.of("./Xml"))).isTrue();
        assertThat(SyncML.isWbxml(s.requests.get(1).body())).isTrue();
    }
}
