package org.cardinaldm.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cardinaldm.client.internal.SessionEngineTest.headerStatus;
import static org.cardinaldm.client.internal.SessionEngineTest.item;
import static org.cardinaldm.client.internal.SessionEngineTest.statusFor;

import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import org.cardinaldm.api.NodeUri;
import org.cardinaldm.client.api.SessionOutcome;
import org.cardinaldm.client.api.SessionResult;
import org.cardinaldm.stacktest.DeviceRig;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.syncml.api.auth.HmacHeader;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.Chal;
import org.cardinaldm.syncml.api.model.Cred;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.Replace;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Authentication both ways (digest 3): basic, md5 with the nonce life-cycle, HMAC, bounded attempts. */
class AuthenticationTest {
    private static final String CN = Base64.getEncoder().encodeToString("client-nonce-1".getBytes());
    private static final String SN = Base64.getEncoder().encodeToString("server-nonce-1".getBytes());

    @TempDir
    Path dir;

    private static Chal chal(String type, byte[] nonce) {
        return new Chal(Meta.builder().type(type).format("b64")
                .nextNonce(nonce == null ? null : Base64.getEncoder().encodeToString(nonce)).build());
    }

    private static SyncMessage challenge(FakeServer s, SyncMessage c, int code, Chal chal) {
        SyncMessage.Builder b = SyncMessage.builder(s.header(c).build());
        b.add(Status.builder().cmdId(b.nextCmdId()).msgRef(c.header().msgId()).answeringHeader().code(code).chal(chal)
                .build());
        FakeServer.statuses(c, b, code);
        return b.build();
    }

    @Test
    void md5_client_credentials_follow_the_servers_challenge_and_the_next_nonce_is_stored() throws Exception {
        DeviceRig d = DeviceRig.builder(dir).build();
        d.account(DeviceRig.SERVER, DeviceRig.ADDRESS, new String[] {"DIGEST", "device", "devpass", CN},
                new String[] {"BASIC", "server", "srvpass"});
        byte[] n1 = "fresh-1".getBytes();
        byte[] n2 = "for-next-session".getBytes();
        FakeServer s = new FakeServer();
        s.thenReply(c -> challenge(s, c, StatusCodes.INVALID_CREDENTIALS, chal("syncml:auth-md5", n1)))
                .thenReply(c -> {
                    SyncMessage.Builder b = SyncMessage.builder(s.header(c).build());
                    b.add(Status.builder().cmdId(b.nextCmdId()).msgRef(c.header().msgId()).answeringHeader()
                            .code(StatusCodes.AUTHENTICATION_ACCEPTED).chal(chal("syncml:auth-md5", n2)).build());
                    FakeServer.statuses(c, b, StatusCodes.OK);
                    b.add(Add.of("9", item("./Auth", "chr", "ok")));
                    return b.build();
                }).thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        SessionResult r = d.run(DeviceRig.SERVER);

        assertThat(r.outcome()).as(r.toString()).isEqualTo(SessionOutcome.COMPLETED);
        SyncMessage first = s.received.get(0);
        assertThat(first.header().source().locName()).isEqualTo("device");
        assertThat(first.header().cred().meta().type()).isEqualTo("syncml:auth-md5");
        assertThat(first.header().cred().data().asText())
                .isEqualTo(Credentials.md5Digest("device", "devpass", Base64.getDecoder().decode(CN)));
        SyncMessage again = s.received.get(1);
        assertThat(again.header().cred().data().asText()).isEqualTo(Credentials.md5Digest("device", "devpass", n1));
        assertThat(again.commands()).anyMatch(c -> c instanceof Alert a && a.code() == 1201);
        assertThat(again.commands()).anyMatch(c -> c instanceof Replace);
        assertThat(headerStatus(again).msgRef()).isEqualTo("1");
        SyncMessage pkg3 = s.received.get(2);
        assertThat(pkg3.header().cred()).as("no Cred after 212").isNull();
        assertThat(d.nonce(DeviceRig.SERVER, "cl")).containsExactly(n2);
        assertThat(d.system().exists(NodeUri.of("./Auth"))).isTrue();
    }

    @Test
    void a_server_that_keeps_refusing_the_client_ends_the_session_after_the_allowed_attempts() throws Exception {
        DeviceRig d = DeviceRig.builder(dir).build();
        d.account(DeviceRig.SERVER, DeviceRig.ADDRESS, new String[] {"DIGEST", "device", "wrong", CN},
                new String[] {"BASIC", "server", "srvpass"});
        FakeServer s = new FakeServer();
        s.cred = Credentials.basic("server", "not-the-password");
        for (int i = 0; i < 10; i++) {
            s.thenReply(c -> challenge(s, c, StatusCodes.INVALID_CREDENTIALS, chal("syncml:auth-md5", "n".getBytes())));
        }
        d.transport(s);

        SessionResult r = d.run(DeviceRig.SERVER);

        assertThat(r.outcome()).isEqualTo(SessionOutcome.AUTHENTICATION_FAILED);
        assertThat(s.received).hasSizeLessThanOrEqualTo(Settings.DEFAULT.authAttempts() + 2);
        assertThat(d.nonce(DeviceRig.SERVER, "cl")).as("no nonce from an unauthenticated server is kept")
                .containsExactly(Base64.getDecoder().decode(CN));
    }

    @Test
    void a_401_without_challenge_ends_the_session_at_once() throws Exception {
        DeviceRig d = DeviceRig.builder(dir).build();
        d.basicAccount();
        FakeServer s = new FakeServer();
        s.thenReply(c -> challenge(s, c, StatusCodes.INVALID_CREDENTIALS, null));
        d.transport(s);

        SessionResult r = d.run(DeviceRig.SERVER);

        assertThat(r.outcome()).isEqualTo(SessionOutcome.AUTHENTICATION_FAILED);
        assertThat(s.received).hasSize(1);
    }

    @Test
    void the_server_can_ask_for_md5_when_the_client_sent_basic() throws Exception {
        DeviceRig d = DeviceRig.builder(dir).build();
        d.basicAccount();
        byte[] n = "switch".getBytes();
        FakeServer s = new FakeServer();
        s.thenReply(c -> challenge(s, c, StatusCodes.MISSING_CREDENTIALS, chal("syncml:auth-md5", n)))
                .thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        assertThat(d.run(DeviceRig.SERVER).outcome()).isEqualTo(SessionOutcome.COMPLETED);
        assertThat(s.received.get(0).header().cred().meta().type()).isEqualTo("syncml:auth-basic");
        assertThat(s.received.get(1).header().cred().meta().type()).isEqualTo("syncml:auth-md5");
        assertThat(s.received.get(1).header().cred().data().asText()).isEqualTo(Credentials.md5Digest("device", "devpass", n));
    }

    @Test
    void wrong_server_credentials_get_401_with_a_challenge_and_nothing_is_executed_until_they_are_right()
            throws Exception {
        DeviceRig d = DeviceRig.builder(dir).build();
        d.basicAccount();
        FakeServer s = new FakeServer();
        s.cred = Credentials.basic("server", "guess");
        s.thenReply(c -> {
            SyncMessage.Builder b = s.reply(c, StatusCodes.AUTHENTICATION_ACCEPTED);
            FakeServer.statuses(c, b, StatusCodes.OK);
            b.add(Add.of("5", item("./Evil", "chr", "x")));
            return b.build();
        }).thenReply(c -> {
            s.cred = Credentials.basic("server", "srvpass");
            SyncMessage.Builder b = s.reply(c, StatusCodes.OK);
            FakeServer.statuses(c, b, StatusCodes.OK);
            b.add(Add.of("6", item("./Good", "chr", "x")));
            return b.build();
        }).thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        SessionResult r = d.run(DeviceRig.SERVER);

        assertThat(r.outcome()).as(r.toString()).isEqualTo(SessionOutcome.COMPLETED);
        SyncMessage refused = s.received.get(1);
        assertThat(headerStatus(refused).code()).isEqualTo(StatusCodes.INVALID_CREDENTIALS);
        assertThat(headerStatus(refused).chal().meta().type()).isEqualTo("syncml:auth-basic");
        assertThat(statusFor(refused, "5").code()).isEqualTo(StatusCodes.INVALID_CREDENTIALS);
        assertThat(d.system().exists(NodeUri.of("./Evil"))).isFalse();
        assertThat(headerStatus(s.received.get(2)).code()).isEqualTo(StatusCodes.AUTHENTICATION_ACCEPTED);
        assertThat(d.system().exists(NodeUri.of("./Good"))).isTrue();
    }

    @Test
    void md5_server_credentials_are_checked_with_the_stored_nonce_and_a_new_one_is_issued() throws Exception {
        DeviceRig d = DeviceRig.builder(dir).build();
        d.account(DeviceRig.SERVER, DeviceRig.ADDRESS, new String[] {"BASIC", "device", "devpass"},
                new String[] {"DIGEST", "server", "srvpass", SN});
        FakeServer s = new FakeServer();
        s.cred = new Cred(Meta.of("b64", "syncml:auth-md5"),
                Data.text(Credentials.md5Digest("server", "srvpass", Base64.getDecoder().decode(SN))));
        s.thenReply(c -> {
            SyncMessage.Builder b = s.reply(c, StatusCodes.AUTHENTICATION_ACCEPTED);
            FakeServer.statuses(c, b, StatusCodes.OK);
            b.add(Add.of("5", item("./Md5", "chr", "x")));
            return b.build();
        }).thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        assertThat(d.run(DeviceRig.SERVER).outcome()).isEqualTo(SessionOutcome.COMPLETED);

        Status hdr = headerStatus(s.received.get(1));
        assertThat(hdr.code()).isEqualTo(StatusCodes.AUTHENTICATION_ACCEPTED);
        assertThat(hdr.chal().meta().type()).isEqualTo("syncml:auth-md5");
        byte[] next = Base64.getDecoder().decode(hdr.chal().meta().nextNonce());
        assertThat(next).hasSize(16);
        assertThat(d.nonce(DeviceRig.SERVER, "sv")).containsExactly(next);
        assertThat(d.system().exists(NodeUri.of("./Md5"))).isTrue();
    }

    @Test
    void missing_then_wrong_md5_server_credentials_are_challenged_a_bounded_number_of_times() throws Exception {
        DeviceRig d = DeviceRig.builder(dir).build();
        d.account(DeviceRig.SERVER, DeviceRig.ADDRESS, new String[] {"BASIC", "device", "devpass"},
                new String[] {"DIGEST", "server", "srvpass", SN});
        FakeServer s = new FakeServer();
        s.cred = null;
        for (int i = 0; i < 10; i++) {
            s.thenReply(c -> {
                SyncMessage.Builder b = s.reply(c, StatusCodes.OK);
                b.add(Add.of("5", item("./Never", "chr", "x")));
                s.cred = new Cred(Meta.of("b64", "syncml:auth-md5"), Data.text("AAAAAAAAAAAAAAAAAAAAAA=="));
                return b.build();
            });
        }
        d.transport(s);

        SessionResult r = d.run(DeviceRig.SERVER);

        assertThat(r.outcome()).isEqualTo(SessionOutcome.AUTHENTICATION_FAILED);
        Status first = headerStatus(s.received.get(1));
        assertThat(first.code()).isEqualTo(StatusCodes.MISSING_CREDENTIALS);
        assertThat(first.chal().meta().nextNonce()).isNotNull();
        assertThat(headerStatus(s.received.get(2)).code()).isEqualTo(StatusCodes.INVALID_CREDENTIALS);
        assertThat(s.received).as("the challenges, then Alert 1223").hasSize(Settings.DEFAULT.authAttempts() + 2);
        SyncMessage abort = s.received.get(s.received.size() - 1);
        assertThat(abort.commands()).anyMatch(c -> c instanceof Alert a && a.code() == 1223);
        assertThat(abort.isFinal()).isTrue();
        assertThat(d.system().exists(NodeUri.of("./Never"))).isFalse();
        byte[] lastIssued = Base64.getDecoder().decode(headerStatus(s.received.get(s.received.size() - 2))
                .chal().meta().nextNonce());
        assertThat(d.nonce(DeviceRig.SERVER, "sv")).containsExactly(lastIssued);
    }

    @Test
    void hmac_protects_every_message_both_ways() throws Exception {
        DeviceRig d = DeviceRig.builder(dir).build();
        d.account(DeviceRig.SERVER, DeviceRig.ADDRESS, new String[] {"HMAC", "device", "devpass", CN},
                new String[] {"HMAC", "server", "srvpass", SN});
        FakeServer s = new FakeServer();
        s.cred = null;
        byte[][] serverNonce = {Base64.getDecoder().decode(SN)};
        byte[] clientNext = "client-next".getBytes();
        s.then((c, req, srv) -> {
            HmacHeader h = HmacHeader.parse(req.headers().get("x-syncml-hmac"));
            assertThat(h.username()).isEqualTo("device");
            assertThat(h.verify("devpass", Base64.getDecoder().decode(CN), req.body())).isTrue();
            assertThat(c.header().cred()).isNull();
            SyncMessage.Builder b = SyncMessage.builder(srv.header(c).build());
            b.add(Status.builder().cmdId(b.nextCmdId()).msgRef("1").answeringHeader().code(200)
                    .chal(chal("syncml:auth-MAC", clientNext)).build());
            FakeServer.statuses(c, b, StatusCodes.OK);
            b.add(Add.of("5", item("./Mac", "chr", "x")));
            byte[] body = SyncML.wbxml().encode(b.build());
            return org.cardinaldm.api.spi.transport.TransportResponse.of("application/vnd.syncml.dm+wbxml", body,
                    Map.of("x-syncml-hmac", HmacHeader.compute("server", "srvpass", serverNonce[0], body).toHeaderValue()));
        }).then((c, req, srv) -> {
            HmacHeader h = HmacHeader.parse(req.headers().get("x-syncml-hmac"));
            assertThat(h.verify("devpass", clientNext, req.body())).as("the client uses the new nonce").isTrue();
            Status hdr = headerStatus(c);
            assertThat(hdr.code()).isEqualTo(200);
            assertThat(hdr.chal().meta().type()).isEqualTo("syncml:auth-MAC");
            serverNonce[0] = Base64.getDecoder().decode(hdr.chal().meta().nextNonce());
            SyncMessage m = FakeServer.done(c, srv);
            byte[] body = SyncML.wbxml().encode(m);
            return org.cardinaldm.api.spi.transport.TransportResponse.of("application/vnd.syncml.dm+wbxml", body,
                    Map.of("x-syncml-hmac", HmacHeader.compute("server", "srvpass", serverNonce[0], body).toHeaderValue()));
        });
        d.transport(s);

        SessionResult r = d.run(DeviceRig.SERVER);

        assertThat(r.outcome()).as(r.toString()).isEqualTo(SessionOutcome.COMPLETED);
        assertThat(d.system().exists(NodeUri.of("./Mac"))).isTrue();
        assertThat(d.nonce(DeviceRig.SERVER, "cl")).containsExactly(clientNext);
    }

    @Test
    void a_wrong_or_missing_server_mac_gets_401_or_407_and_nothing_runs() throws Exception {
        DeviceRig d = DeviceRig.builder(dir).build();
        d.account(DeviceRig.SERVER, DeviceRig.ADDRESS, new String[] {"BASIC", "device", "devpass"},
                new String[] {"HMAC", "server", "srvpass", SN});
        FakeServer s = new FakeServer();
        s.cred = null;
        s.then((c, req, srv) -> {
            SyncMessage.Builder b = srv.reply(c, 212);
            b.add(Add.of("5", item("./Forged", "chr", "x")));
            byte[] body = SyncML.wbxml().encode(b.build());
            return org.cardinaldm.api.spi.transport.TransportResponse.of("application/vnd.syncml.dm+wbxml", body,
                    Map.of("x-syncml-hmac", HmacHeader.compute("server", "guess", "x".getBytes(), body).toHeaderValue()));
        }).thenReply(c -> {
            SyncMessage.Builder b = s.reply(c, 200);
            b.add(Add.of("6", item("./Forged", "chr", "x")));
            return b.build();
        }).thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        d.run(DeviceRig.SERVER);

        assertThat(headerStatus(s.received.get(1)).code()).isEqualTo(StatusCodes.INVALID_CREDENTIALS);
        assertThat(headerStatus(s.received.get(2)).code()).isEqualTo(StatusCodes.MISSING_CREDENTIALS);
        assertThat(d.system().exists(NodeUri.of("./Forged"))).isFalse();
    }

    @Test
    void a_resync_session_builds_the_first_md5_credentials_on_the_zero_nonce() throws Exception {
        DeviceRig d = DeviceRig.builder(dir).build();
        d.account(DeviceRig.SERVER, DeviceRig.ADDRESS, new String[] {"DIGEST", "device", "devpass", CN},
                new String[] {"BASIC", "server", "srvpass"});
        FakeServer s = new FakeServer();
        s.thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        assertThat(d.runServerInitiated(DeviceRig.SERVER, "1234", true).outcome()).isEqualTo(SessionOutcome.COMPLETED);
        SyncMessage first = s.received.get(0);
        assertThat(first.header().sessionId()).isEqualTo("1234");
        assertThat(((Alert) first.commands().get(0)).code()).isEqualTo(1200);
        assertThat(first.header().cred().data().asText()).isEqualTo(Credentials.md5Digest("device", "devpass", new byte[4]));
    }
}
