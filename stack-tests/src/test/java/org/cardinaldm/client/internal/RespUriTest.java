package org.cardinaldm.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cardinaldm.client.internal.SessionEngineTest.headerStatus;
import static org.cardinaldm.client.internal.SessionEngineTest.item;

import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import org.cardinaldm.api.NodeUri;
import org.cardinaldm.client.api.SessionOutcome;
import org.cardinaldm.stacktest.DeviceRig;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.syncml.api.auth.HmacHeader;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 1: a RespURI is followed only from a server message whose credentials were verified in that
 * message, and only on the account's own scheme, host and port; anything else is ignored and the session goes on
 * at the address it had.
 */
class RespUriTest {
    @TempDir
    Path dir;

    private static SyncMessage withRespUri(FakeServer s, SyncMessage c, String respUri, int code) {
        SyncMessage.Builder b = SyncMessage.builder(s.header(c).respUri(respUri).build());
        b.add(org.cardinaldm.syncml.api.model.Status.builder().cmdId(b.nextCmdId()).msgRef(c.header().msgId())
                .answeringHeader().code(code).build());
        FakeServer.statuses(c, b, StatusCodes.OK);
        b.add(Add.of("9", item("./R", "chr", "r")));
        return b.build();
    }

    @Test
    void an_unverified_message_cannot_move_the_session_to_another_host() throws Exception {
        DeviceRig d = DeviceRig.builder(dir).build().basicAccount();
        FakeServer s = new FakeServer();
        s.cred = Credentials.basic("server", "a-guess");
        s.thenReply(c -> withRespUri(s, c, "http://attacker.example:8080/dm", 212)).thenReply(c -> {
            s.cred = Credentials.basic("server", "srvpass");
            return FakeServer.done(c, s);
        });
        d.transport(s);

        d.run(DeviceRig.SERVER);

        assertThat(headerStatus(s.received.get(1)).code()).isEqualTo(StatusCodes.INVALID_CREDENTIALS);
        assertThat(s.requests.get(1).uri().toString()).isEqualTo(DeviceRig.ADDRESS);
        assertThat(d.system().exists(NodeUri.of("./R"))).isFalse();
    }

    @Test
    void an_unverified_message_cannot_move_the_session_on_the_same_host_either() throws Exception {
        DeviceRig d = DeviceRig.builder(dir).build().basicAccount();
        FakeServer s = new FakeServer();
        s.cred = null;
        s.thenReply(c -> withRespUri(s, c, "http://127.0.0.1:8080/elsewhere", 212)).thenReply(c -> {
            s.cred = Credentials.basic("server", "srvpass");
            return FakeServer.done(c, s);
        });
        d.transport(s);

        d.run(DeviceRig.SERVER);

        assertThat(headerStatus(s.received.get(1)).code()).isEqualTo(StatusCodes.MISSING_CREDENTIALS);
        assertThat(s.requests.get(1).uri().toString()).isEqualTo(DeviceRig.ADDRESS);
    }

    @Test
    void a_verified_message_on_the_accounts_origin_moves_the_session() throws Exception {
        DeviceRig d = DeviceRig.builder(dir).build().basicAccount();
        FakeServer s = new FakeServer();
        s.thenReply(c -> withRespUri(s, c, "http://127.0.0.1:8080/dm/s?id=42", 212))
                .thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        assertThat(d.run(DeviceRig.SERVER).outcome()).isEqualTo(SessionOutcome.COMPLETED);
        assertThat(s.requests.get(1).uri().toString()).isEqualTo("http://127.0.0.1:8080/dm/s?id=42");
    }

    @Test
    void a_verified_message_cannot_move_the_session_to_another_origin() throws Exception {
        for (String elsewhere : new String[] {"http://attacker.example:8080/dm", "http://127.0.0.1:9090/dm",
            "https://127.0.0.1:8080/dm", "http://127.0.0.2:8080/dm"}) {
            DeviceRig d = DeviceRig.builder(dir.resolve(Integer.toString(elsewhere.hashCode()))).build().basicAccount();
            FakeServer s = new FakeServer();
            s.thenReply(c -> withRespUri(s, c, elsewhere, 212)).thenReply(c -> FakeServer.done(c, s));
            d.transport(s);

            assertThat(d.run(DeviceRig.SERVER).outcome()).as(elsewhere).isEqualTo(SessionOutcome.COMPLETED);
            assertThat(s.requests.get(1).uri().toString()).as(elsewhere).isEqualTo(DeviceRig.ADDRESS);
            assertThat(d.system().exists(NodeUri.of("./R"))).as("the verified commands still run").isTrue();
        }
    }

    @Test
    void the_default_port_counts_as_the_same_origin() throws Exception {
        DeviceRig d = DeviceRig.builder(dir).build();
        d.account(DeviceRig.SERVER, "http://dm.example.com/dm", new String[] {"BASIC", "device", "devpass"},
                new String[] {"BASIC", "server", "srvpass"});
        FakeServer s = new FakeServer();
        s.thenReply(c -> withRespUri(s, c, "http://DM.example.com:80/dm?s=1", 212))
                .thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        assertThat(d.run(DeviceRig.SERVER).outcome()).isEqualTo(SessionOutcome.COMPLETED);
        assertThat(s.requests.get(1).uri().toString()).isEqualTo("http://DM.example.com:80/dm?s=1");
    }

    @Test
    void after_authentication_a_later_message_without_a_checked_credential_cannot_move_the_session()
            throws Exception {
        DeviceRig d = DeviceRig.builder(dir).build().basicAccount();
        FakeServer s = new FakeServer();
        s.thenReply(c -> {
            SyncMessage.Builder b = s.reply(c, 212);
            FakeServer.statuses(c, b, StatusCodes.OK);
            b.add(Add.of("9", item("./A", "chr", "a")));
            return b.build();
        }).thenReply(c -> {
            s.cred = null;
            return withRespUri(s, c, "http://127.0.0.1:8080/dm/other", 200);
        }).thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        assertThat(d.run(DeviceRig.SERVER).outcome()).isEqualTo(SessionOutcome.COMPLETED);
        assertThat(s.requests.get(2).uri().toString()).isEqualTo(DeviceRig.ADDRESS);
    }

    @Test
    void every_hmac_verified_message_may_carry_a_resp_uri_on_the_same_origin() throws Exception {
        DeviceRig d = DeviceRig.builder(dir).build();
        byte[] sn = "server-nonce-1".getBytes();
        d.account(DeviceRig.SERVER, DeviceRig.ADDRESS, new String[] {"BASIC", "device", "devpass"},
                new String[] {"HMAC", "server", "srvpass", Base64.getEncoder().encodeToString(sn)});
        FakeServer s = new FakeServer();
        s.cred = null;
        byte[][] nonce = {sn};
        s.then((c, req, srv) -> {
            SyncMessage m = withRespUri(srv, c, "http://127.0.0.1:8080/dm/mac", 212);
            byte[] body = SyncML.wbxml().encode(m);
            return org.cardinaldm.api.spi.transport.TransportResponse.of("application/vnd.syncml.dm+wbxml", body,
                    Map.of("x-syncml-hmac", HmacHeader.compute("server", "srvpass", nonce[0], body).toHeaderValue()));
        }).thenReply(c -> FakeServer.done(c, s));
        d.transport(s);

        d.run(DeviceRig.SERVER);

        assertThat(headerStatus(s.received.get(1)).code()).isEqualTo(StatusCodes.OK);
        assertThat(s.requests.get(1).uri().toString()).isEqualTo("http://127.0.0.1:8080/dm/mac");
    }
}
