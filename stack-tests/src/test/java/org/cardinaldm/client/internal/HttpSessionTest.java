package org.cardinaldm.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cardinaldm.client.internal.SessionEngineTest.item;
import static org.cardinaldm.client.internal.SessionEngineTest.statusFor;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.spi.transport.DmTransport;
import org.cardinaldm.client.api.SessionOutcome;
import org.cardinaldm.client.api.SessionRequest;
import org.cardinaldm.client.api.SessionResult;
import org.cardinaldm.stacktest.DeviceRig;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.auth.HmacHeader;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.transport.http.internal.client.HttpClientTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** Whole sessions over real HTTP on loopback: the device's HTTP transport against a scripted DM server. */
class HttpSessionTest {
    @TempDir
    Path dir;

    private HttpServer http;
    private HttpClientTransport transport;
    private final FakeServer helper = new FakeServer();
    private final Deque<Function<HttpExchange, SyncMessage>> script = new ArrayDeque<>();
    private final List<SyncMessage> received = new ArrayList<>();
    private final List<Map<String, String>> headers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (http != null) {
            http.stop(0);
        }
        if (transport != null) {
            // package-private in its bundle, as DS wants it: stops the client's threads
            java.lang.reflect.Method m = HttpClientTransport.class.getDeclaredMethod("deactivate");
            m.setAccessible(true);
            m.invoke(transport);
        }
    }

    /** A script step: the server's answer, or null to drop the connection without answering. */
    private void then(Function<SyncMessage, SyncMessage> reply) {
        script.addLast(ex -> reply.apply(received.get(received.size() - 1)));
    }

    private void thenDrop() {
        script.addLast(ex -> null);
    }

    private DeviceRig start(Settings settings) throws Exception {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/dm", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            Map<String, String> h = new HashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(), v.get(0)));
            headers.add(h);
            try {
                received.add(SyncML.decode(body));
            } catch (Exception e) {
                ex.sendResponseHeaders(400, -1);
                ex.close();
                return;
            }
            Function<HttpExchange, SyncMessage> step = script.pollFirst();
            SyncMessage answer = step == null ? null : step.apply(ex);
            if (answer == null) {
                throw new IOException("dropping the connection"); // the HTTP server closes it unanswered
            }
            byte[] out;
            try {
                out = SyncML.wbxml().encode(answer);
            } catch (Exception e) {
                throw new IOException(e);
            }
            ex.getResponseHeaders().add("Content-Type", "application/vnd.syncml.dm+wbxml");
            ex.sendResponseHeaders(200, out.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(out);
            }
        });
        http.start();
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("connect.timeout.ms", 5000);
        transport = new HttpClientTransport(Converters.standardConverter().convert(cfg).to(HttpClientTransport.Config.class));
        DeviceRig d = DeviceRig.builder(dir).settings(settings).build();
        d.client().bindTransport(transport, Map.of(DmTransport.SCHEME_PROPERTY, new String[] {"http", "https"}));
        return d;
    }

    private String address() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/dm";
    }

    @Test
    void a_whole_session_runs_over_http_and_follows_the_resp_uri() throws Exception {
        DeviceRig d = start(Settings.DEFAULT);
        d.account(DeviceRig.SERVER, address(), new String[] {"BASIC", "device", "devpass"},
                new String[] {"BASIC", "server", "srvpass"});
        then(c -> {
            SyncMessage.Builder b = SyncMessage.builder(helper.header(c).respUri(address() + "/session?s=7").build());
            b.add(org.cardinaldm.syncml.api.model.Status.builder().cmdId(b.nextCmdId()).msgRef("1").answeringHeader()
                    .code(212).build());
            FakeServer.statuses(c, b, StatusCodes.OK);
            b.add(Add.of("9", item("./Http", "chr", "over the wire")));
            return b.build();
        });
        then(c -> FakeServer.done(c, helper));

        SessionResult r = d.client().startSession(SessionRequest.clientInitiated(DeviceRig.SERVER)).get(30, TimeUnit.SECONDS);

        assertThat(r.outcome()).as(r.toString()).isEqualTo(SessionOutcome.COMPLETED);
        assertThat(d.system().get(NodeUri.of("./Http")).asString()).isEqualTo("over the wire");
        assertThat(statusFor(received.get(1), "9").code()).isEqualTo(200);
        assertThat(headers.get(0)).containsEntry("content-type", "application/vnd.syncml.dm+wbxml");
        assertThat(headers.get(0).get("accept")).contains("application/vnd.syncml.dm+wbxml");
        assertThat(received).hasSize(2);
    }

    @Test
    void a_server_that_drops_the_connection_mid_package_gets_the_same_message_again() throws Exception {
        DeviceRig d = start(Settings.DEFAULT.withRetries(2, Duration.ZERO, Duration.ZERO));
        d.account(DeviceRig.SERVER, address(), new String[] {"BASIC", "device", "devpass"},
                new String[] {"BASIC", "server", "srvpass"});
        then(c -> {
            SyncMessage.Builder b = helper.reply(c, 212);
            FakeServer.statuses(c, b, StatusCodes.OK);
            b.add(Add.of("9", item("./Once", "chr", "1")));
            return b.build();
        });
        thenDrop();
        then(c -> FakeServer.done(c, helper));

        SessionResult r = d.run(DeviceRig.SERVER);

        assertThat(r.outcome()).as(r.toString()).isEqualTo(SessionOutcome.COMPLETED);
        assertThat(received).hasSize(3);
        assertThat(received.get(1).header().msgId()).isEqualTo("2");
        assertThat(received.get(2).header().msgId()).as("the same message again").isEqualTo("2");
        assertThat(d.system().get(NodeUri.of("./Once")).asString()).isEqualTo("1");
    }

    @Test
    void a_server_that_keeps_dropping_the_connection_ends_the_session_as_unreachable() throws Exception {
        DeviceRig d = start(Settings.DEFAULT.withRetries(1, Duration.ZERO, Duration.ZERO));
        d.account(DeviceRig.SERVER, address(), new String[] {"BASIC", "device", "devpass"},
                new String[] {"BASIC", "server", "srvpass"});
        thenDrop();
        thenDrop();

        SessionResult r = d.run(DeviceRig.SERVER);

        assertThat(r.outcome()).isEqualTo(SessionOutcome.UNREACHABLE);
        assertThat(r.detail()).contains("after 2 attempts");
    }

    @Test
    void hmac_travels_in_the_http_header() throws Exception {
        DeviceRig d = start(Settings.DEFAULT);
        d.account(DeviceRig.SERVER, address(), new String[] {"HMAC", "device", "devpass",
            java.util.Base64.getEncoder().encodeToString("n0".getBytes())}, new String[] {"BASIC", "server", "srvpass"});
        then(c -> FakeServer.done(c, helper));

        assertThat(d.run(DeviceRig.SERVER).outcome()).isEqualTo(SessionOutcome.COMPLETED);
        HmacHeader h = HmacHeader.parse(headers.get(0).get("x-syncml-hmac"));
        assertThat(h.username()).isEqualTo("device");
        assertThat(h.verify("devpass", "n0".getBytes(), SyncML.wbxml().encode(received.get(0)))).isTrue();
    }
}
