package org.cardinaldm.server.packages.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The servlet in a real Jetty 9.4 (the family of Karaf 4.4's pax-web), asked over raw sockets so that
 * nothing between the test and the server normalises the attacks' paths.
 */
class PackageServletTest {
    private static final String SECRET = "root:x:0:0:the secret next door";
    private static final byte[] JAR = "PK\u0003\u0004 a jar, as far as this test cares".getBytes(StandardCharsets.ISO_8859_1);

    @TempDir
    Path root;
    private Path packages;
    private DownloadLimits limits;
    private Server jetty;
    private int port;

    @BeforeEach
    void start() throws Exception {
        packages = Files.createDirectory(root.resolve("packages"));
        Files.write(packages.resolve("example-mo-1.0.0.jar"), JAR);
        Files.write(packages.resolve("example-mo-1.0.0.jar.manifest.p7"), new byte[] {0x30, 0x03, 0x02, 0x01, 0x01});
        Files.write(packages.resolve("gateway-1.1.0.kar"), new byte[300_000]);
        Files.writeString(packages.resolve(".hidden"), SECRET);
        Files.createDirectory(packages.resolve("sub"));
        Files.writeString(packages.resolve("sub").resolve("inner.jar"), SECRET);
        Files.writeString(root.resolve("passwd"), SECRET);
        Files.createSymbolicLink(packages.resolve("link.jar"), root.resolve("passwd"));

        limits = new DownloadLimits(3, 2);
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new PackageServlet(packages, limits)), "/packages/*");
        jetty.setHandler(context);
        jetty.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        jetty.stop();
    }

    @Test
    void a_package_is_served_with_its_length_and_media_type() throws IOException {
        Answer a = ask("GET", "/packages/example-mo-1.0.0.jar");
        assertThat(a.status).isEqualTo(200);
        assertThat(a.header("content-type")).isEqualTo("application/java-archive");
        assertThat(a.header("content-length")).isEqualTo(String.valueOf(JAR.length));
        assertThat(a.header("x-content-type-options")).isEqualTo("nosniff");
        assertThat(a.body).isEqualTo(JAR);
    }

    @Test
    void the_manifest_is_pkcs7_and_other_files_are_octet_streams() throws IOException {
        Answer manifest = ask("GET", "/packages/example-mo-1.0.0.jar.manifest.p7");
        assertThat(manifest.status).isEqualTo(200);
        assertThat(manifest.header("content-type")).isEqualTo("application/pkcs7-mime");
        assertThat(manifest.body).containsExactly(0x30, 0x03, 0x02, 0x01, 0x01);
        Answer kar = ask("GET", "/packages/gateway-1.1.0.kar");
        assertThat(kar.status).isEqualTo(200);
        assertThat(kar.header("content-type")).isEqualTo("application/octet-stream");
        assertThat(kar.body).hasSize(300_000);
    }

    private static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }

    private byte[] kar() throws IOException {
        return Files.readAllBytes(packages.resolve("gateway-1.1.0.kar"));
    }

    @Test
    void every_answer_offers_ranges_with_a_content_etag_and_last_modified() throws IOException {
        Answer a = ask("GET", "/packages/example-mo-1.0.0.jar");
        assertThat(a.header("accept-ranges")).isEqualTo("bytes");
        assertThat(a.header("etag")).matches("\"[0-9a-f]{32}\"");
        assertThat(a.header("last-modified")).endsWith("GMT");
        // the tag is the content's: a copy under another name has the same, another content another
        Files.write(packages.resolve("copy.jar"), JAR);
        assertThat(ask("HEAD", "/packages/copy.jar").header("etag")).isEqualTo(a.header("etag"));
        assertThat(ask("HEAD", "/packages/gateway-1.1.0.kar").header("etag")).isNotEqualTo(a.header("etag"));
    }

    @Test
    void one_range_is_answered_206_with_content_range() throws IOException {
        Files.write(packages.resolve("gateway-1.1.0.kar"), randomBytes(300_000));
        byte[] all = kar();
        Answer a = ask("GET", "/packages/gateway-1.1.0.kar", "Range: bytes=1000-1999");
        assertThat(a.status).isEqualTo(206);
        assertThat(a.header("content-range")).isEqualTo("bytes 1000-1999/300000");
        assertThat(a.header("content-length")).isEqualTo("1000");
        assertThat(a.body).isEqualTo(slice(all, 1000, 2000));
        Answer tail = ask("GET", "/packages/gateway-1.1.0.kar", "Range: bytes=299990-");
        assertThat(tail.status).isEqualTo(206);
        assertThat(tail.body).isEqualTo(slice(all, 299_990, 300_000));
        Answer suffix = ask("GET", "/packages/gateway-1.1.0.kar", "Range: bytes=-5");
        assertThat(suffix.header("content-range")).isEqualTo("bytes 299995-299999/300000");
        assertThat(suffix.body).isEqualTo(slice(all, 299_995, 300_000));
        Answer head = ask("HEAD", "/packages/gateway-1.1.0.kar", "Range: bytes=0-9");
        assertThat(head.status).isEqualTo(206);
        assertThat(head.header("content-length")).isEqualTo("10");
        assertThat(head.body).isEmpty();
    }

    @Test
    void a_download_cut_and_resumed_with_if_range_gives_the_file() throws IOException {
        Files.write(packages.resolve("gateway-1.1.0.kar"), randomBytes(300_000));
        byte[] all = kar();
        Answer first = ask("GET", "/packages/gateway-1.1.0.kar", "Range: bytes=0-123455");
        String etag = first.header("etag");
        Answer rest = ask("GET", "/packages/gateway-1.1.0.kar", "Range: bytes=123456-", "If-Range: " + etag);
        assertThat(rest.status).isEqualTo(206);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        joined.write(first.body);
        joined.write(rest.body);
        assertThat(joined.toByteArray()).isEqualTo(all);
        Answer byDate = ask("GET", "/packages/gateway-1.1.0.kar", "Range: bytes=123456-",
                "If-Range: " + first.header("last-modified"));
        assertThat(byDate.status).isEqualTo(206);
    }

    @Test
    void if_range_for_another_version_gives_the_whole_new_file() throws Exception {
        Answer old = ask("HEAD", "/packages/gateway-1.1.0.kar");
        byte[] replaced = randomBytes(300_000);
        Files.write(packages.resolve("gateway-1.1.0.kar"), replaced);
        Files.setLastModifiedTime(packages.resolve("gateway-1.1.0.kar"),
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 10_000));
        Answer a = ask("GET", "/packages/gateway-1.1.0.kar", "Range: bytes=100-", "If-Range: " + old.header("etag"));
        assertThat(a.status).isEqualTo(200);
        assertThat(a.body).isEqualTo(replaced);
        assertThat(a.header("etag")).isNotEqualTo(old.header("etag"));
        for (String stale : new String[] {"W/" + old.header("etag"), old.header("last-modified"), "not a date",
            "\"00000000000000000000000000000000\""}) {
            assertThat(ask("GET", "/packages/gateway-1.1.0.kar", "Range: bytes=100-", "If-Range: " + stale).status)
                    .as(stale).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=300000-", "bytes=9223372036854775807-", "bytes=99999999999999999999999-",
        "bytes=-0", "bytes=400000-500000"})
    void unsatisfiable_ranges_are_416_with_the_length(String range) throws IOException {
        Answer a = ask("GET", "/packages/gateway-1.1.0.kar", "Range: " + range);
        assertThat(a.status).as(range).isEqualTo(416);
        assertThat(a.header("content-range")).isEqualTo("bytes */300000");
        assertThat(a.body.length).isLessThan(100);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=-1-5", "bytes=5-1", "bytes=99999999999999999999999-1", "bytes=0-10,20-30", "pages=0-10", "bytes=0x00-0x10",
        "bytes=0-99999999999999999999999999999999"})
    void negative_reversed_multiple_and_foreign_ranges_are_the_whole_file_once(String range) throws IOException {
        Answer a = ask("GET", "/packages/gateway-1.1.0.kar", "Range: " + range);
        assertThat(a.status).as(range).isIn(200, 206);
        assertThat(a.body).hasSize(300_000);
        if (a.status == 206) {
            assertThat(a.header("content-range")).isEqualTo("bytes 0-299999/300000");
        }
    }

    @Test
    void thousands_of_ranges_cost_one_file_at_most_and_take_no_slot_afterwards() throws IOException {
        String many = "bytes=" + "0-0,".repeat(1500) + "0-0";
        Answer a = ask("GET", "/packages/gateway-1.1.0.kar", "Range: " + many);
        assertThat(a.status).isIn(200, 400, 413, 431);
        assertThat(a.body.length).isLessThanOrEqualTo(300_000);
        // the servlet gives its slot back after the last byte left, which the client may read first
        await().until(() -> limits.inFlight() == 0);
        assertThat(ask("GET", "/packages/gateway-1.1.0.kar", "Range: bytes=0-0").status).isEqualTo(206);
    }

    @Test
    void a_range_never_reaches_a_file_that_is_not_served() throws IOException {
        Answer a = ask("GET", "/packages/link.jar", "Range: bytes=0-4");
        assertThat(a.status).isEqualTo(404);
        assertThat(new String(a.body, StandardCharsets.ISO_8859_1)).doesNotContain("root");
        assertThat(ask("GET", "/packages/.hidden", "Range: bytes=-5").status).isEqualTo(404);
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new java.util.Random(n).nextBytes(b);
        return b;
    }

    @Test
    void head_gives_the_headers_without_the_body() throws IOException {
        Answer a = ask("HEAD", "/packages/example-mo-1.0.0.jar");
        assertThat(a.status).isEqualTo(200);
        assertThat(a.header("content-length")).isEqualTo(String.valueOf(JAR.length));
        assertThat(a.body).isEmpty();
    }

    @Test
    void a_query_is_ignored() throws IOException {
        Answer a = ask("GET", "/packages/example-mo-1.0.0.jar?token=abc");
        assertThat(a.status).isEqualTo(200);
        assertThat(a.body).isEqualTo(JAR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH"})
    void other_methods_are_refused(String method) throws IOException {
        Answer a = ask(method, "/packages/example-mo-1.0.0.jar");
        assertThat(a.status).isEqualTo(405);
        assertThat(new String(a.body, StandardCharsets.ISO_8859_1)).doesNotContain("PK");
        assertThat(Files.exists(packages.resolve("example-mo-1.0.0.jar"))).isTrue();
    }

    @Test
    void there_is_no_listing() throws IOException {
        assertThat(ask("GET", "/packages/").status).isEqualTo(404);
        assertThat(ask("GET", "/packages").status).isEqualTo(404);
        assertThat(ask("GET", "/packages/sub").status).isEqualTo(404);
        assertThat(ask("GET", "/packages/missing.jar").status).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/packages/../passwd", "/packages/..%2fpasswd", "/packages/..%2Fpasswd",
            "/packages/%2e%2e%2fpasswd", "/packages/%2e%2e/passwd", "/packages/.%2e/passwd", "/packages/..\\passwd",
            "/packages/..%5cpasswd", "/packages/sub/inner.jar", "/packages/sub%2finner.jar", "/packages/.hidden",
            "/packages/%2ehidden", "/packages/link.jar", "/packages/example-mo-1.0.0.jar%00.txt",
            "/packages/;x=1/../passwd", "/packages/example-mo-1.0.0.jar;x=1", "/packages//passwd",
            "/packages/%252e%252e%252fpasswd", "/packages/%65xample-mo-1.0.0.jar"})
    void traversal_hidden_files_links_and_encodings_are_not_served(String path) throws IOException {
        Answer a = ask("GET", path);
        assertThat(a.status).isNotEqualTo(200);
        assertThat(new String(a.body, StandardCharsets.ISO_8859_1)).doesNotContain("secret");
    }

    @Test
    void a_very_long_name_is_refused_without_harm() throws IOException {
        Answer a = ask("GET", "/packages/" + "a".repeat(4000) + ".jar");
        assertThat(a.status).isIn(404, 414, 431);
        assertThat(ask("GET", "/packages/example-mo-1.0.0.jar").status).isEqualTo(200);
    }

    @Test
    void one_source_beyond_its_share_gets_503_and_is_served_again_once_a_slot_is_free() throws IOException {
        assertThat(limits.tryAcquire("127.0.0.1")).isTrue();
        assertThat(limits.tryAcquire("127.0.0.1")).isTrue();
        Answer refused = ask("GET", "/packages/example-mo-1.0.0.jar");
        assertThat(refused.status).isEqualTo(503);
        assertThat(refused.header("retry-after")).isEqualTo(PackageServlet.RETRY_AFTER_SECONDS);
        assertThat(new String(refused.body, StandardCharsets.ISO_8859_1)).doesNotContain("PK");

        limits.release("127.0.0.1");
        assertThat(ask("GET", "/packages/example-mo-1.0.0.jar").status).isEqualTo(200);
        // the request gives its slot back once its response is complete
        await().until(() -> limits.inFlight() == 1);
    }

    @Test
    void all_sources_beyond_the_total_get_503() throws IOException {
        assertThat(limits.tryAcquire("192.0.2.1")).isTrue();
        assertThat(limits.tryAcquire("192.0.2.2")).isTrue();
        assertThat(limits.tryAcquire("192.0.2.3")).isTrue();
        assertThat(ask("GET", "/packages/example-mo-1.0.0.jar").status).isEqualTo(503);
        assertThat(ask("HEAD", "/packages/example-mo-1.0.0.jar").status).isEqualTo(503);
        limits.release("192.0.2.2");
        assertThat(ask("GET", "/packages/example-mo-1.0.0.jar").status).isEqualTo(200);
    }

    @Test
    void refused_requests_and_missing_files_take_no_slot() throws IOException {
        ask("GET", "/packages/../passwd");
        ask("GET", "/packages/missing.jar");
        ask("POST", "/packages/example-mo-1.0.0.jar");
        ask("GET", "/packages/sub");
        assertThat(limits.inFlight()).isZero();
        assertThat(limits.sources()).isZero();
    }

    @Test
    void a_client_that_goes_away_mid_download_gives_its_slot_back() throws Exception {
        Files.write(packages.resolve("big.kar"), new byte[8 * 1024 * 1024]);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.getOutputStream().write(("GET /packages/big.kar HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            // the answer has begun, then the client leaves
            assertThat(s.getInputStream().read()).isNotNegative();
        }
        // served again for this source, and the slot count returns to zero
        await().until(() -> limits.inFlight() == 0);
        assertThat(ask("GET", "/packages/example-mo-1.0.0.jar").status).isEqualTo(200);
    }

    /** A raw HTTP/1.1 exchange: the path and the extra header lines go out exactly as given. */
    private Answer ask(String method, String path, String... headerLines) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            StringBuilder extra = new StringBuilder();
            for (String h : headerLines) {
                extra.append(h).append("\r\n");
            }
            out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + extra + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return Answer.read(s.getInputStream(), method.equals("HEAD"));
        }
    }

    /** Status, headers and body of a response read to the end of the connection. */
    private static final class Answer {
        int status;
        String headers;
        byte[] body;

        static Answer read(InputStream in, boolean head) throws IOException {
            byte[] all = in.readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            Answer a = new Answer();
            a.headers = end < 0 ? text : text.substring(0, end);
            a.status = Integer.parseInt(a.headers.split(" ", 3)[1]);
            byte[] rest = end < 0 ? new byte[0] : java.util.Arrays.copyOfRange(all, end + 4, all.length);
            String encoding = a.header("transfer-encoding");
            a.body = head ? rest : "chunked".equalsIgnoreCase(encoding) ? dechunk(rest) : rest;
            return a;
        }

        String header(String name) {
            for (String line : headers.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        private static byte[] dechunk(byte[] chunked) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int i = 0;
            while (i < chunked.length) {
                int eol = indexOf(chunked, i);
                int size = Integer.parseInt(new String(chunked, i, eol - i, StandardCharsets.ISO_8859_1).split(";")[0].trim(), 16);
                if (size == 0) {
                    break;
                }
                out.write(chunked, eol + 2, size);
                i = eol + 2 + size + 2;
            }
            return out.toByteArray();
        }

        private static int indexOf(byte[] b, int from) {
            for (int i = from; i < b.length - 1; i++) {
                if (b[i] == '\r' && b[i + 1] == '\n') {
                    return i;
                }
            }
            return b.length;
        }
    }
}
