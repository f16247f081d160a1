package org.cardinaldm.server.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.cxf.jaxrs.servlet.CXFNonSpringJaxrsServlet;
import org.cardinaldm.testing.MutableClock;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The application as Karaf runs it, over real HTTP: CXF's JAX-RS servlet in Jetty 9.4 on loopback,
 * the registry over the in-memory store. Requests are written by hand on a socket so that every header
 * (Origin, Content-Type) and the source address are the test's choice.
 */
class HttpApiTest {
    private static final String ADMIN = basic("admin", "adm1n-secret");
    private static final String VIEWER = basic("watcher", "w-pw");
    private static final String DEVICE = "IMEI:356938035643809";

    private final Fixture f = new Fixture();
    private final MutableClock clock = new MutableClock(Fixture.NOW);
    private final Authenticator users = (user, password) -> switch (user + "/" + new String(password)) {
        case "admin/adm1n-secret" -> Optional.of(Set.of("admin", "viewer"));
        case "watcher/w-pw" -> Optional.of(Set.of("viewer"));
        default -> Optional.empty();
    };
    private Server jetty;
    private int port;

    @BeforeEach
    void start() throws Exception {
        RestApplication app = new RestApplication(f.registry, f.registry, f.helpDesk, f.notifier, () -> f.sessions,
                Configs.config("throttle_free_failures", 2, "allowed_origins", new String[] {"https://console.example.org"}),
                users, clock);
        jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new CXFNonSpringJaxrsServlet(app)), "/cardinal/api/v1/*");
        jetty.setHandler(context);
        jetty.start();
        port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
        f.register(DEVICE, "");
        f.store.updateDevice(DEVICE, r -> r.toBuilder().authFailures(5).lockedUntil(Fixture.NOW.plusSeconds(600)).build());
    }

    @AfterEach
    void stop() throws Exception {
        jetty.stop();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** An answer: status, headers (lower-case names), body. */
    private record Answer(int status, Map<String, String> headers, String body) {
    }

    private Answer call(String method, String path, String body, String... headers) throws IOException {
        return callFrom("127.0.0.1", method, path, body, headers);
    }

    private Answer callFrom(String source, String method, String path, String body, String... headers)
            throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(source, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port));
            StringBuilder req = new StringBuilder(method + " /cardinal/api/v1" + path + " HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\nConnection: close\r\n")
                    .append("Accept: application/json\r\n");
            for (String h : headers) {
                req.append(h).append("\r\n");
            }
            byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (body != null) {
                req.append("Content-Length: ").append(b.length).append("\r\n");
            }
            req.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.write(b);
            out.flush();
            InputStream in = s.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, end).split("\r\n");
            Map<String, String> h = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                h.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            String rest = text.substring(end + 4);
            if ("chunked".equalsIgnoreCase(h.get("transfer-encoding"))) {
                rest = dechunk(rest);
            }
            return new Answer(Integer.parseInt(lines[0].split(" ")[1]), h, rest);
        }
    }

    private static String dechunk(String s) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (true) {
            int nl = s.indexOf("\r\n", i);
            int n = Integer.parseInt(s.substring(i, nl).trim(), 16);
            if (n == 0) {
                return b.toString();
            }
            b.append(s, nl + 2, nl + 2 + n);
            i = nl + 2 + n + 2;
        }
    }

    private boolean locked() {
        return f.store.device(DEVICE).orElseThrow().lockedUntil() != null;
    }

    private boolean enabled() {
        return f.registry.device(DEVICE).orElseThrow().enabled();
    }

    @Test
    void unlock_from_a_foreign_origin_is_403_and_leaves_the_device_locked() throws Exception {
        Answer a = call("POST", "/devices/" + DEVICE + "/unlock", "", "Authorization: " + ADMIN,
                "Content-Type: application/json", "Origin: https://evil.example.net");
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.headers().get("content-type")).startsWith("application/json");
        assertThat(a.body()).contains("cross-site request refused");
        assertThat(locked()).isTrue();
        Answer viaReferer = call("POST", "/devices/" + DEVICE + "/unlock", "{}", "Authorization: " + ADMIN,
                "Content-Type: application/json", "Referer: https://evil.example.net/attack.html");
        assertThat(viaReferer.status()).isEqualTo(403);
        assertThat(locked()).isTrue();
    }

    @Test
    void a_form_like_post_without_the_json_content_type_is_415_and_changes_nothing() throws Exception {
        for (String type : new String[] {null, "text/plain", "application/x-www-form-urlencoded"}) {
            Answer a = type == null ? call("POST", "/devices/" + DEVICE + "/disable", "", "Authorization: " + ADMIN)
                    : call("POST", "/devices/" + DEVICE + "/disable", "", "Authorization: " + ADMIN,
                            "Content-Type: " + type);
            assertThat(a.status()).as(String.valueOf(type)).isEqualTo(415);
            assertThat(a.body()).contains("application/json");
        }
        assertThat(enabled()).isTrue();
    }

    @Test
    void unlock_from_the_own_origin_an_allowed_one_or_curl_with_the_json_content_type_works() throws Exception {
        assertThat(call("POST", "/devices/" + DEVICE + "/unlock", "", "Authorization: " + ADMIN,
                "Content-Type: application/json").status()).isEqualTo(200);
        assertThat(locked()).isFalse();
        assertThat(call("POST", "/devices/" + DEVICE + "/disable", "{}", "Authorization: " + ADMIN,
                "Content-Type: application/json", "Origin: http://127.0.0.1:" + port).status()).isEqualTo(200);
        assertThat(call("POST", "/devices/" + DEVICE + "/enable", "", "Authorization: " + ADMIN,
                "Content-Type: application/json; charset=utf-8", "Origin: https://console.example.org").status())
                .isEqualTo(200);
        assertThat(enabled()).isTrue();
    }

    @Test
    void only_an_administrator_may_ask_for_a_help_desk_install() throws Exception {
        String body = "{\"name\":\"hello\",\"packageUrl\":\"https://apps.example.org/hello.jar\"}";
        String json = "Content-Type: application/json";
        Answer viewer = call("POST", "/devices/" + DEVICE + "/helpdesk/install", body, "Authorization: " + VIEWER, json);
        assertThat(viewer.status()).isEqualTo(403);
        assertThat(viewer.body()).contains("may only read");
        assertThat(call("POST", "/devices/" + DEVICE + "/helpdesk/install", body, json).status()).isEqualTo(401);
        assertThat(call("POST", "/devices/" + DEVICE + "/helpdesk/install", body, "Authorization: " + ADMIN, json,
                "Origin: https://evil.example.net").status()).isEqualTo(403);
        assertThat(f.registry.jobs(DEVICE, 10)).isEmpty();
        Answer admin = call("POST", "/devices/" + DEVICE + "/helpdesk/install", body, "Authorization: " + ADMIN, json);
        assertThat(admin.status()).isEqualTo(201);
        assertThat(admin.headers().get("location")).contains("/jobs/");
        assertThat(admin.body()).contains("\"kind\" : \"sequence\"").contains("\"code\" : 1101");
        assertThat(f.registry.jobs(DEVICE, 10)).singleElement()
                .satisfies(j -> assertThat(j.description()).isEqualTo("help desk: install hello"));
    }

    @Test
    void a_viewer_reads_every_resource_but_its_writes_are_403_and_change_nothing() throws Exception {
        for (String path : List.of("/devices", "/devices/" + DEVICE, "/devices/" + DEVICE + "/alerts",
                "/devices/" + DEVICE + "/jobs", "/devices/" + DEVICE + "/notifications", "/jobs", "/sessions")) {
            assertThat(call("GET", path, null, "Authorization: " + VIEWER).status()).as(path).isEqualTo(200);
        }
        long job = f.registry.submit(DEVICE, "read", List.of(org.cardinaldm.server.api.Operation.get("./DevInfo/Mod")))
                .id();
        assertThat(call("GET", "/jobs/" + job, null, "Authorization: " + VIEWER).status()).isEqualTo(200);
        String json = "Content-Type: application/json";
        Answer unlock = call("POST", "/devices/" + DEVICE + "/unlock", "", "Authorization: " + VIEWER, json);
        assertThat(unlock.status()).isEqualTo(403);
        assertThat(unlock.body()).contains("\"status\" : 403").contains("may only read");
        assertThat(call("POST", "/devices/" + DEVICE + "/disable", "", "Authorization: " + VIEWER, json).status())
                .isEqualTo(403);
        assertThat(call("DELETE", "/jobs/" + job, null, "Authorization: " + VIEWER).status()).isEqualTo(403);
        assertThat(call("DELETE", "/devices/" + DEVICE, null, "Authorization: " + VIEWER).status()).isEqualTo(403);
        assertThat(call("PUT", "/devices/" + DEVICE + "/credentials", "{\"clientPassword\":\"a\",\"serverPassword\":\"b\"}",
                "Authorization: " + VIEWER, json).status()).isEqualTo(403);
        // a method override is not honoured: the GET stays a GET, the POST stays a POST
        assertThat(call("GET", "/devices/" + DEVICE + "?_method=DELETE", null, "Authorization: " + VIEWER,
                "X-HTTP-Method-Override: DELETE").status()).isEqualTo(200);
        assertThat(call("POST", "/devices/" + DEVICE + "/unlock", "", "Authorization: " + VIEWER, json,
                "X-HTTP-Method-Override: GET").status()).isEqualTo(403);
        assertThat(locked()).isTrue();
        assertThat(enabled()).isTrue();
        assertThat(f.registry.job(job).orElseThrow().state().isSettled()).isFalse();
    }

    @Test
    void wrong_passwords_from_one_address_get_429_while_the_administrator_still_gets_in_from_another()
            throws Exception {
        String wrong = "Authorization: " + basic("admin", "guess");
        assertThat(callFrom("127.0.0.2", "GET", "/devices", null, wrong).status()).isEqualTo(401);
        assertThat(callFrom("127.0.0.2", "GET", "/devices", null, wrong).status()).isEqualTo(401);
        assertThat(callFrom("127.0.0.2", "GET", "/devices", null, wrong).status()).isEqualTo(401);
        Answer throttled = callFrom("127.0.0.2", "GET", "/devices", null, "Authorization: " + ADMIN);
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.headers()).containsEntry("retry-after", "1");
        assertThat(throttled.body()).contains("\"status\" : 429").doesNotContain("adm1n-secret");
        assertThat(callFrom("127.0.0.1", "GET", "/devices", null, "Authorization: " + ADMIN).status()).isEqualTo(200);
    }
}
