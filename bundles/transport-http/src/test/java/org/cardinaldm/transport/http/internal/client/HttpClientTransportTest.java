package org.cardinaldm.transport.http.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.cardinaldm.api.spi.transport.TransportException;
import org.cardinaldm.api.spi.transport.TransportException.Reason;
import org.cardinaldm.api.spi.transport.TransportRequest;
import org.cardinaldm.api.spi.transport.TransportResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

class HttpClientTransportTest {
    private static final String WBXML = "application/vnd.syncml.dm+wbxml";
    private static final String XML = "application/vnd.syncml.dm+xml";

    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private HttpClientTransport transport;

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
        if (transport != null) {
            transport.deactivate();
        }
    }

    private URI serve(String path, com.sun.net.httpserver.HttpHandler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(path, handler);
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private HttpClientTransport transport() throws Exception {
        transport = new HttpClientTransport(ClientSettings.DEFAULT.withConnectTimeout(Duration.ofSeconds(5)));
        return transport;
    }

    private static TransportRequest.Builder request(URI uri, byte[] body) {
        return TransportRequest.builder(uri, WBXML, body).accept(WBXML, XML).timeout(Duration.ofSeconds(10));
    }

    private static void answer(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getRequestBody().readAllBytes();
        if (type != null) {
            ex.getResponseHeaders().add("Content-Type", type);
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Test
    void posts_the_message_with_the_dm_headers_and_returns_the_answer() throws Exception {
        URI uri = serve("/dm", ex -> {
            seen.put("method", ex.getRequestMethod());
            seen.put("content-type", ex.getRequestHeaders().getFirst("Content-Type"));
            seen.put("accept", ex.getRequestHeaders().getFirst("Accept"));
            seen.put("accept-charset", ex.getRequestHeaders().getFirst("Accept-Charset"));
            seen.put("cache-control", ex.getRequestHeaders().getFirst("Cache-Control"));
            seen.put("user-agent", ex.getRequestHeaders().getFirst("User-Agent"));
            seen.put("hmac", ex.getRequestHeaders().getFirst("x-syncml-hmac"));
            seen.put("body", new String(ex.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1));
            ex.getResponseHeaders().add("x-syncml-hmac", "algorithm=MD5, username=\"srv\", mac=abc");
            answer(ex, 200, XML + "; charset=utf-8", "<SyncML/>".getBytes(StandardCharsets.UTF_8));
        });

        TransportResponse r = transport().exchange(request(uri, new byte[] {2, 0, 0, 0x6A})
                .header("x-syncml-hmac", "algorithm=MD5, username=\"dev\", mac=xyz").build());

        assertThat(seen).containsEntry("method", "POST").containsEntry("content-type", WBXML)
                .containsEntry("accept", WBXML + ", " + XML).containsEntry("accept-charset", "utf-8")
                .containsEntry("cache-control", "private").containsEntry("hmac", "algorithm=MD5, username=\"dev\", mac=xyz")
                .containsEntry("body", new String(new byte[] {2, 0, 0, 0x6A}, StandardCharsets.ISO_8859_1));
        assertThat(seen.get("user-agent")).startsWith("Cardinal-DM-Client");
        assertThat(r.mediaType()).isEqualTo(XML + "; charset=utf-8");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("<SyncML/>");
        assertThat(r.header("X-SyncML-HMAC")).contains("algorithm=MD5, username=\"srv\", mac=abc");
    }

    @Test
    void a_server_error_status_is_a_retryable_peer_status() throws Exception {
        URI uri = serve("/dm", ex -> answer(ex, 503, "text/plain", "busy".getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(() -> transport().exchange(request(uri, new byte[] {1}).build()))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.PEER_STATUS);
                    assertThat(e.peerStatus()).isEqualTo(503);
                    assertThat(e.isRetryable()).isTrue();
                });
    }

    @Test
    void a_client_error_status_is_not_retryable_but_404_is_and_redirects_are_not_followed() throws Exception {
        URI uri = serve("/dm", ex -> {
            if (ex.getRequestURI().getPath().equals("/dm/moved")) {
                ex.getResponseHeaders().add("Location", "/dm/elsewhere");
                answer(ex, 307, null, new byte[0]);
            } else if (ex.getRequestURI().getPath().equals("/dm/gone")) {
                answer(ex, 403, "text/plain", "no".getBytes(StandardCharsets.UTF_8));
            } else {
                answer(ex, 404, "text/plain", "no".getBytes(StandardCharsets.UTF_8));
            }
        });

        // 404: a server still starting answers it for /dm; the session layer retries it, bounded
        assertThatThrownBy(() -> transport().exchange(request(uri, new byte[] {1}).build()))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.peerStatus()).isEqualTo(404);
                    assertThat(e.isRetryable()).isTrue();
                });
        assertThatThrownBy(() -> transport.exchange(request(uri.resolve("/dm/gone"), new byte[] {1}).build()))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.peerStatus()).isEqualTo(403);
                    assertThat(e.isRetryable()).isFalse();
                });
        assertThatThrownBy(() -> transport.exchange(request(uri.resolve("/dm/moved"), new byte[] {1}).build()))
                .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.peerStatus()).isEqualTo(307));
    }

    @Test
    void a_closed_port_is_unreachable_and_retryable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        URI uri = URI.create("http://127.0.0.1:" + port + "/dm");

        assertThatThrownBy(() -> transport().exchange(request(uri, new byte[] {1}).build()))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
                    assertThat(e.isRetryable()).isTrue();
                });
    }

    @Test
    void a_server_that_never_answers_times_out() throws Exception {
        URI uri = serve("/dm", ex -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(ex, 200, XML, new byte[] {1});
        });

        assertThatThrownBy(() -> transport().exchange(request(uri, new byte[] {1}).timeout(Duration.ofMillis(300)).build()))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
                    assertThat(e.isRetryable()).isTrue();
                });
    }

    @Test
    void a_server_that_stalls_in_the_middle_of_the_body_times_out() throws Exception {
        URI uri = serve("/dm", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().add("Content-Type", XML);
            ex.sendResponseHeaders(200, 1000);
            OutputStream out = ex.getResponseBody();
            out.write(new byte[10]);
            out.flush();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        assertThatThrownBy(() -> transport().exchange(request(uri, new byte[] {1}).timeout(Duration.ofMillis(400)).build()))
                .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TIMEOUT));
    }

    @Test
    void an_announced_oversized_answer_is_refused_before_it_is_read() throws Exception {
        URI uri = serve("/dm", ex -> answer(ex, 200, XML, new byte[5000]));

        assertThatThrownBy(() -> transport().exchange(request(uri, new byte[] {1}).maxResponseBytes(4096).build()))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.RESPONSE_TOO_LARGE);
                    assertThat(e.isRetryable()).isFalse();
                });
    }

    @Test
    void a_chunked_oversized_answer_is_cut_off_at_the_limit() throws Exception {
        URI uri = serve("/dm", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().add("Content-Type", XML);
            ex.sendResponseHeaders(200, 0); // chunked: the length is not announced
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 64; i++) {
                    out.write(new byte[1024]);
                }
            } catch (IOException e) {
                // the client hung up, as it should
            }
        });

        assertThatThrownBy(() -> transport().exchange(request(uri, new byte[] {1}).maxResponseBytes(8192).build()))
                .isInstanceOfSatisfying(TransportException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.RESPONSE_TOO_LARGE));
    }

    @Test
    void an_empty_answer_is_a_bad_response() throws Exception {
        URI uri = serve("/dm", ex -> answer(ex, 200, XML, new byte[0]));

        assertThatThrownBy(() -> transport().exchange(request(uri, new byte[] {1}).build()))
                .isInstanceOfSatisfying(TransportException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.BAD_RESPONSE));
    }

    @Test
    void a_server_that_drops_the_connection_mid_answer_is_unreachable_and_retryable() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = ss.accept()) {
                    readRequest(s.getInputStream());
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + XML + "\r\nContent-Length: 500\r\n\r\n<SyncML>")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    // test server
                }
            });
            t.start();
            URI uri = URI.create("http://127.0.0.1:" + ss.getLocalPort() + "/dm");

            assertThatThrownBy(() -> transport().exchange(request(uri, new byte[] {1}).build()))
                    .isInstanceOfSatisfying(TransportException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
                        assertThat(e.isRetryable()).isTrue();
                    });
            t.join(10_000);
        }
    }

    private static void readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int contentLength = 0;
        while (true) {
            int c = in.read();
            if (c < 0) {
                return;
            }
            head.write(c);
            String s = head.toString(StandardCharsets.US_ASCII);
            if (s.endsWith("\r\n\r\n")) {
                for (String line : s.split("\r\n")) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        contentLength = Integer.parseInt(line.substring(15).trim());
                    }
                }
                in.readNBytes(contentLength);
                return;
            }
        }
    }

    @Test
    void a_uri_that_is_not_http_is_unsupported() throws Exception {
        assertThatThrownBy(() -> transport().exchange(request(URI.create("ftp://127.0.0.1/dm"), new byte[] {1}).build()))
                .isInstanceOfSatisfying(TransportException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED));
        assertThatThrownBy(() -> transport.exchange(request(URI.create("mailto:dm@example.com"), new byte[] {1}).build()))
                .isInstanceOfSatisfying(TransportException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED));
    }

    @Test
    void https_to_an_untrusted_server_fails_closed_and_succeeds_with_the_configured_trust_store(@TempDir Path dir)
            throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        assumeTrue(Files.isExecutable(keytool), "keytool of the JDK is needed to make a test certificate");
        Path keys = dir.resolve("server.p12");
        Path cert = dir.resolve("server.crt");
        Path trust = dir.resolve("trust.p12");
        run(keytool.toString(), "-genkeypair", "-alias", "srv", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keys.toString(), "-storepass", "changeit", "-keypass", "changeit");
        run(keytool.toString(), "-exportcert", "-alias", "srv", "-keystore", keys.toString(), "-storepass", "changeit",
                "-file", cert.toString());
        run(keytool.toString(), "-importcert", "-noprompt", "-alias", "srv", "-file", cert.toString(), "-storetype",
                "PKCS12", "-keystore", trust.toString(), "-storepass", "trustpw");

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keys)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext serverCtx = SSLContext.getInstance("TLS");
        serverCtx.init(kmf.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverCtx));
        https.createContext("/dm", ex -> answer(ex, 200, XML, "<SyncML/>".getBytes(StandardCharsets.UTF_8)));
        https.start();
        server = https;
        URI uri = URI.create("https://127.0.0.1:" + https.getAddress().getPort() + "/dm");

        assertThatThrownBy(() -> transport().exchange(request(uri, new byte[] {1}).build()))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.SECURITY);
                    assertThat(e.isRetryable()).isFalse();
                });

        HttpClientTransport trusting = new HttpClientTransport(
                ClientSettings.DEFAULT.withTrustStore(trust.toString(), "PKCS12", "trustpw"));
        try {
            TransportResponse r = trusting.exchange(request(uri, new byte[] {1}).build());
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("<SyncML/>");
        } finally {
            trusting.deactivate();
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
    }

    @Test
    void settings_never_print_the_trust_store_password() {
        String s = ClientSettings.DEFAULT.withTrustStore("/etc/trust.p12", "PKCS12", "s3cr3t").toString();
        assertThat(s).contains("/etc/trust.p12").doesNotContain("s3cr3t");
    }
}
