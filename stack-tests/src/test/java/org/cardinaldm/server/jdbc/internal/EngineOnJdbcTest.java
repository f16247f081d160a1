package org.cardinaldm.server.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.DeviceRegistration;
import org.cardinaldm.server.api.DeviceState;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.transport.InboundMessage;
import org.cardinaldm.server.api.transport.OutboundMessage;
import org.cardinaldm.server.internal.osgi.DmServerComponent;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.AlertCodes;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Get;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.Location;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.Replace;
import org.cardinaldm.syncml.api.model.Results;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

/** The DM server component, as DS would build it, on the H2 registry: a whole session over real messages. */
class EngineOnJdbcTest {
    private ConnectionPool pool;
    private DmServerComponent server;

    @BeforeEach
    void start() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:engine-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        pool = new ConnectionPool(ds, 4, 10_000);
        Map<String, Object> props = new HashMap<>();
        props.put("server.id", "acme-dm");
        props.put("auth.max.failures", 2);
        props.put("card.id.uri", ""); // no card probe: the job is the first thing the server sends
        server = new DmServerComponent(JdbcServerStore.open(pool),
                Converters.standardConverter().convert(props).to(DmServerComponent.Config.class));
    }

    @AfterEach
    void stop() throws Exception {
        var m = DmServerComponent.class.getDeclaredMethod("deactivate");
        m.setAccessible(true);
        m.invoke(server);
        pool.close();
    }

    private SyncMessage send(SyncMessage m, String token) throws Exception {
        byte[] bytes = SyncML.wbxml().encode(m);
        OutboundMessage out = server.process(new InboundMessage(bytes, MediaTypes.DM_WBXML, null, token,
                "http://localhost/dm", "test"));
        assertThat(out.isMessage()).as(String.valueOf(out.reason())).isTrue();
        assertThat(out.contentType()).isEqualTo(MediaTypes.DM_WBXML);
        return SyncML.wbxml().decode(out.body());
    }

    private static Status hdr(SyncMessage m) {
        return (Status) m.commands().get(0);
    }

    private static SyncHeader.Builder header(int msgId) {
        return SyncHeader.builder().sessionId("0").msgId(Integer.toString(msgId)).target("http://localhost/dm")
                .source(Location.of("IMEI:42", "IMEI:42"));
    }

    private static SyncMessage pkg1(int msgId, String nonce) {
        SyncHeader.Builder h = header(msgId);
        if (nonce != null) {
            h.cred(Credentials.md5("IMEI:42", "device-pw", Credentials.decodeNonce(nonce)));
        }
        return SyncMessage.builder(h.build()).add(Alert.of("1", AlertCodes.CLIENT_INITIATED_MGMT))
                .add(Replace.of("2", new Item(null, Location.of("./DevInfo/Mod"), Meta.of("chr", null),
                        Data.text("X1"), false)))
                .build();
    }

    @Test
    void a_device_is_challenged_authenticated_and_served_its_job_with_everything_persisted() throws Exception {
        server.register(DeviceRegistration.builder("IMEI:42").client(AuthScheme.MD5, "IMEI:42", "device-pw")
                .server(AuthScheme.MD5, null, "server-pw").build());
        Job job = server.submit("IMEI:42", "read model", List.of(Operation.get("./DevInfo/Mod")));

        SyncMessage r1 = send(pkg1(1, null), null);
        assertThat(hdr(r1).code()).isEqualTo(407);
        String token = r1.header().respUri().substring(r1.header().respUri().indexOf("?s=") + 3);
        SyncMessage r2 = send(pkg1(2, hdr(r1).chal().meta().nextNonce()), token);
        assertThat(hdr(r2).code()).isEqualTo(212);
        // issue 12: the session has a new token once the device authenticated
        String challengeToken = token;
        token = r2.header().respUri().substring(r2.header().respUri().indexOf("?s=") + 3);
        assertThat(token).isNotEqualTo(challengeToken);
        assertThat(r2.header().source().locName()).isEqualTo("acme-dm");
        assertThat(Credentials.verify(r2.header().cred(), "acme-dm", "server-pw",
                Credentials.decodeNonce("AAAAAA=="))).isTrue();
        Get get = (Get) r2.commands().stream().filter(Get.class::isInstance).findFirst().orElseThrow();
        assertThat(server.sessions()).singleElement().satisfies(s -> assertThat(s.authenticated()).isTrue());

        SyncMessage.Builder b = SyncMessage.builder(header(3).build());
        b.add(Status.builder().cmdId("1").msgRef(r2.header().msgId()).answeringHeader().code(212).build());
        b.add(Status.of("2", r2.header().msgId(), get, 200));
        b.add(Results.of("3", r2.header().msgId(), get.cmdId(),
                new Item(null, Location.of("./DevInfo/Mod"), Meta.of("chr", "text/plain"), Data.text("X1"), false)));
        SyncMessage r3 = send(b.build(), token);
        assertThat(r3.isFinal()).isTrue();
        assertThat(r3.commands()).allMatch((Command c) -> c instanceof Status);

        Job done = server.job(job.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.result(0).orElseThrow().items().get(0).value()).isEqualTo("X1");
        assertThat(server.device("IMEI:42").orElseThrow().devInfo()).containsEntry("./DevInfo/Mod", "X1");
        assertThat(server.device("IMEI:42").orElseThrow().state(java.time.Instant.now()))
                .isEqualTo(DeviceState.ACTIVE);
        assertThat(server.sessions()).isEmpty();
    }

    @Test
    void an_answer_the_registry_refuses_in_the_middle_of_a_message_gives_503_and_keeps_nothing_of_the_message()
            throws Exception {
        server.register(DeviceRegistration.builder("IMEI:42").client(AuthScheme.MD5, "IMEI:42", "device-pw")
                .server(AuthScheme.MD5, null, "server-pw").build());
        Job job = server.submit("IMEI:42", "read two", List.of(Operation.get("./DevInfo/Mod"),
                Operation.get("./DevInfo/Man")));
        SyncMessage r1 = send(pkg1(1, null), null);
        String token = r1.header().respUri().substring(r1.header().respUri().indexOf("?s=") + 3);
        SyncMessage r2 = send(pkg1(2, hdr(r1).chal().meta().nextNonce()), token);
        token = r2.header().respUri().substring(r2.header().respUri().indexOf("?s=") + 3); // new since 212
        List<Get> gets = r2.commands().stream().filter(Get.class::isInstance).map(Get.class::cast).toList();
        assertThat(gets).hasSize(2);

        SyncMessage.Builder b = SyncMessage.builder(header(3).build());
        String msgRef = r2.header().msgId();
        b.add(Status.builder().cmdId("1").msgRef(msgRef).answeringHeader().code(212).build());
        b.add(Status.of("2", msgRef, gets.get(0), 200));
        b.add(Status.of("3", msgRef, gets.get(1), 200));
        b.add(Results.of("4", msgRef, gets.get(0).cmdId(),
                new Item(null, Location.of("./DevInfo/Mod"), Meta.of("chr", "text/plain"), Data.text("X1"), false)));
        // a Meta Format longer than the registry's column: the second result's insert fails
        b.add(Results.of("5", msgRef, gets.get(1).cmdId(), new Item(null, Location.of("./DevInfo/Man"),
                Meta.of("f".repeat(200), "text/plain"), Data.text("Acme"), false)));
        OutboundMessage out = server.process(new InboundMessage(SyncML.wbxml().encode(b.build()),
                MediaTypes.DM_WBXML, null, token, "http://localhost/dm", "test"));

        assertThat(out.isMessage()).isFalse();
        assertThat(out.transportStatus()).isEqualTo(503);
        assertThat(server.sessions()).isEmpty();
        Job read = server.job(job.id()).orElseThrow();
        assertThat(read.state()).isEqualTo(JobState.INTERRUPTED);
        assertThat(read.results()).isEmpty();
    }

    @Test
    void failures_throttle_their_source_without_writing_the_registry_and_unlock_forgets_them() throws Exception {
        server.register(DeviceRegistration.builder("IMEI:42").client(AuthScheme.MD5, "IMEI:42", "device-pw")
                .server(AuthScheme.MD5, null, "server-pw").build());
        String nonce = hdr(send(new SyncMessage(pkg1(1, null).header().toBuilder().sessionId("8").build(),
                pkg1(1, null).commands(), true), null)).chal().meta().nextNonce();
        SyncMessage wrong = pkg1(1, "AAAAAA==");
        assertThat(hdr(send(wrong, null)).code()).isEqualTo(401);
        SyncMessage again = new SyncMessage(wrong.header().toBuilder().sessionId("7").build(), wrong.commands(), true);
        assertThat(hdr(send(again, null)).code()).isEqualTo(401);
        // issue 12: a stranger's failures lock no one out; they throttle (DevId, source) on this node only
        assertThat(server.device("IMEI:42").orElseThrow().lockedUntil()).isNull();
        assertThat(server.device("IMEI:42").orElseThrow().totalAuthFailures()).isZero();
        SyncMessage right = pkg1(1, nonce);
        assertThat(hdr(send(new SyncMessage(right.header().toBuilder().sessionId("9").build(), right.commands(), true),
                null)).code()).isEqualTo(417);
        assertThat(server.failedAttempts("IMEI:42")).hasSize(3);
        assertThat(server.unlock("IMEI:42")).isTrue();
        assertThat(hdr(send(new SyncMessage(right.header().toBuilder().sessionId("A").build(), right.commands(), true),
                null)).code()).isEqualTo(212);
    }
}
