package org.cardinaldm.transport.http.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.DeviceRegistration;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.transport.InboundMessage;
import org.cardinaldm.server.api.transport.OutboundMessage;
import org.cardinaldm.server.api.transport.ServerEndpoint;
import org.cardinaldm.server.internal.Registry;
import org.cardinaldm.server.internal.ServerConfig;
import org.cardinaldm.server.internal.SessionEngine;
import org.cardinaldm.server.internal.store.InMemoryServerStore;
import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.AlertCodes;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Get;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.Location;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.Results;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The endpoint in a real servlet container (Jetty 9.4, Servlet 3.1 as in Karaf 4.4), over real HTTP. */
class DmServletTest {
    private final InMemoryServerStore store = new InMemoryServerStore();
    private final SessionEngine engine = new SessionEngine(store, ServerConfig.DEFAULT.withMaxMessageBytes(64 * 1024),
            Clock.systemUTC(), new SecureRandom(), SyncML::forMediaType);
    private final Registry registry = new Registry(store, ServerConfig.DEFAULT, Clock.systemUTC(), new SecureRandom());
    private final AtomicReference<ServerEndpoint> endpoint = new AtomicReference<>(engine);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Server jetty;
    private String url;

    @BeforeEach
    void start() throws Exception {
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        ServletHolder holder = new ServletHolder(new DmServlet(endpoint::get, 0, null));
        holder.setAsyncSupported(true); // as DmServletComponent registers it
        context.addServlet(holder, "/dm");
        jetty.setHandler(context);
        jetty.start();
        url = "http://127.0.0.1:" + connector.getLocalPort() + "/dm";
    }

    @AfterEach
    void stop() throws Exception {
        jetty.stop();
    }

    private HttpResponse<byte[]> post(String target, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static SyncHeader header(int msgId, String nonce) {
        SyncHeader.Builder h = SyncHeader.builder().sessionId("3F").msgId(Integer.toString(msgId)).target("http://x/dm")
                .source(Location.of("IMEI:1", "IMEI:1")).meta(Meta.builder().maxMsgSize(16384L).build());
        if (nonce != null) {
            h.cred(Credentials.md5("IMEI:1", "pw", Credentials.decodeNonce(nonce)));
        }
        return h.build();
    }

    private static SyncMessage pkg1(int msgId, String nonce) {
        return SyncMessage.builder(header(msgId, nonce)).add(Alert.of("1", AlertCodes.CLIENT_INITIATED_MGMT)).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/vnd.syncml.dm+xml", "application/vnd.syncml.dm+wbxml",
            "application/vnd.syncml+xml; charset=UTF-8", "application/vnd.syncml+wbxml"})
    void a_whole_session_runs_over_http_following_the_resp_uri(String type) throws Exception {
        MessageCodec codec = SyncML.forMediaType(type).orElseThrow();
        registry.register(DeviceRegistration.builder("IMEI:1").client(AuthScheme.MD5, "IMEI:1", "pw")
                .server(AuthScheme.MD5, null, "srv").build());
        Job job = registry.submit("IMEI:1", null, List.of(Operation.get("./DevInfo/Mod")));

        HttpResponse<byte[]> r1 = post(url, type, codec.encode(pkg1(1, null)));
        assertThat(r1.statusCode()).isEqualTo(200);
        assertThat(DmServlet.bare(r1.headers().firstValue("Content-Type").orElseThrow()))
                .isEqualTo(DmServlet.bare(type));
        SyncMessage m1 = codec.decode(r1.body());
        Status h1 = (Status) m1.commands().get(0);
        assertThat(h1.code()).isEqualTo(407);
        String respUri = m1.header().respUri();
        assertThat(respUri).startsWith(url + "?s=");

        SyncMessage m2 = codec.decode(post(respUri, type, codec.encode(pkg1(2, h1.chal().meta().nextNonce()))).body());
        assertThat(((Status) m2.commands().get(0)).code()).isEqualTo(212);
        Get get = (Get) m2.commands().stream().filter(Get.class::isInstance).findFirst().orElseThrow();

        SyncMessage.Builder b = SyncMessage.builder(header(3, null));
        b.add(Status.builder().cmdId("1").msgRef(m2.header().msgId()).answeringHeader().code(212).build());
        b.add(Status.of("2", m2.header().msgId(), get, 200));
        b.add(Results.of("3", m2.header().msgId(), get.cmdId(),
                new Item(null, Location.of("./DevInfo/Mod"), Meta.of("chr", null), Data.text("Sim"), false)));
        HttpResponse<byte[]> r3 = post(m2.header().respUri(), type, codec.encode(b.build()));
        assertThat(r3.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(codec.decode(r3.body()).isFinal()).isTrue();
        Job done = registry.job(job.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.result(0).orElseThrow().items().get(0).value()).isEqualTo("Sim");
    }

    @Test
    void other_media_types_get_415_with_the_accepted_ones() throws Exception {
        HttpResponse<byte[]> r = post(url, "text/xml", "<SyncML/>".getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(r.headers().firstValue("Accept").orElseThrow()).contains("application/vnd.syncml.dm+wbxml");
        assertThat(post(url, null, new byte[] {1}).statusCode()).isEqualTo(415);
    }

    @Test
    void get_gets_405_with_allow_post() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).contains("POST");
    }

    @Test
    void empty_and_malformed_bodies_get_400_with_a_reason() throws Exception {
        assertThat(post(url, "application/vnd.syncml.dm+xml", new byte[0]).statusCode()).isEqualTo(400);
        HttpResponse<byte[]> r = post(url, "application/vnd.syncml.dm+xml",
                "<SyncML xmlns='SYNCML:SYNCML1.2'><SyncHdr>".getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).startsWith("not a SyncML DM message");
    }

    @Test
    void bodies_over_max_msg_size_get_413_whether_declared_or_streamed() throws Exception {
        byte[] big = new byte[64 * 1024 + 1];
        assertThat(post(url, "application/vnd.syncml.dm+wbxml", big).statusCode()).isEqualTo(413);
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/vnd.syncml.dm+wbxml")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
        assertThat(http.send(chunked, HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(413);
    }

    @Test
    void the_hmac_header_and_the_session_token_reach_the_server_and_its_hmac_comes_back() throws Exception {
        AtomicReference<InboundMessage> seen = new AtomicReference<>();
        endpoint.set(new ServerEndpoint() {
            @Override
            public OutboundMessage process(InboundMessage message) {
                seen.set(message);
                return OutboundMessage.message(new byte[] {2, 0, 0}, "application/vnd.syncml.dm+wbxml",
                        "algorithm=MD5, username=\"srv\", mac=abc=");
            }

            @Override
            public int maxMessageBytes() {
                return 1000;
            }
        });
        HttpRequest req = HttpRequest.newBuilder(URI.create(url + "?x=1&s=tok%2Dken"))
                .header("Content-Type", "application/vnd.syncml.dm+wbxml")
                .header("x-syncml-hmac", "algorithm=MD5, username=\"dev\", mac=xyz=")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {2, 1})).build();
        HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-syncml-hmac")).contains("algorithm=MD5, username=\"srv\", mac=abc=");
        assertThat(r.body()).containsExactly(2, 0, 0);
        assertThat(seen.get().sessionToken()).isEqualTo("tok-ken");
        assertThat(seen.get().hmacHeader()).isEqualTo("algorithm=MD5, username=\"dev\", mac=xyz=");
        assertThat(seen.get().requestUrl()).isEqualTo(url);
        assertThat(seen.get().body()).containsExactly(2, 1);
        assertThat(post(url, "application/vnd.syncml.dm+wbxml", new byte[1001]).statusCode()).isEqualTo(413);
    }

    @Test
    void without_a_running_server_the_endpoint_answers_503() throws Exception {
        endpoint.set(null);
        assertThat(post(url, "application/vnd.syncml.dm+xml", new byte[] {'<'}).statusCode()).isEqualTo(503);
    }

    @Test
    void session_tokens_are_read_from_the_query_only() {
        assertThat(DmServlet.sessionToken(null)).isNull();
        assertThat(DmServlet.sessionToken("a=b")).isNull();
        assertThat(DmServlet.sessionToken("s=abc&t=1")).isEqualTo("abc");
        assertThat(DmServlet.sessionToken("ss=1&s=%41")).isEqualTo("A");
        assertThat(DmServlet.sessionToken("s=%zz")).isNull();
    }
}
