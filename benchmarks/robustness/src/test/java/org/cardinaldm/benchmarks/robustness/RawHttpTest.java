package org.cardinaldm.benchmarks.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class RawHttpTest {
    private static InputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void reads_a_content_length_answer_with_lower_case_headers() throws IOException {
        RawHttp.Response r = RawHttp.read(in("HTTP/1.1 415 Unsupported Media Type\r\nAccept: a/b\r\nContent-Length: 5\r\n\r\nhelloEXTRA"), "POST");
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.header("accept")).isEqualTo("a/b");
        assertThat(r.text()).isEqualTo("hello");
    }

    @Test
    void reads_a_chunked_answer_with_extensions_and_trailers() throws IOException {
        RawHttp.Response r = RawHttp.read(in("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4;x=y\r\nWiki\r\n5\r\npedia\r\n0\r\nT: 1\r\n\r\n"), "POST");
        assertThat(r.text()).isEqualTo("Wikipedia");
    }

    @Test
    void reads_to_the_end_without_length_and_keeps_a_truncated_body() throws IOException {
        assertThat(RawHttp.read(in("HTTP/1.0 400 Bad\nX: y\n\nrest of it"), "GET").text()).isEqualTo("rest of it");
        assertThat(RawHttp.read(in("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"), "GET").text()).isEqualTo("abc");
    }

    @Test
    void refuses_what_is_not_an_http_answer() {
        assertThatThrownBy(() -> RawHttp.read(in(""), "GET")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> RawHttp.read(in("\u0015\u0003\u0003\u0000\u0002"), "GET")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> RawHttp.read(in("HTTP/1.1 abc\r\n\r\n"), "GET")).isInstanceOf(IOException.class);
    }

    @Test
    void sends_from_a_chosen_loopback_source_and_reads_the_answer() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            String[] seen = new String[2];
            Thread t = new Thread(() -> {
                try (Socket c = server.accept()) {
                    seen[0] = c.getInetAddress().getHostAddress();
                    InputStream is = c.getInputStream();
                    StringBuilder head = new StringBuilder();
                    while (!head.toString().endsWith("\r\n\r\n")) {
                        head.append((char) is.read());
                    }
                    byte[] body = is.readNBytes(3);
                    seen[1] = head + new String(body, StandardCharsets.ISO_8859_1);
                    OutputStream os = c.getOutputStream();
                    os.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    seen[1] = e.toString();
                }
            });
            t.start();
            RawHttp http = new RawHttp("127.0.0.1", server.getLocalPort());
            RawHttp.Response r = http.send(InetAddress.getByName("127.0.0.2"),
                    RawHttp.Request.post("/dm?s=x", "text/plain", "abc".getBytes(StandardCharsets.US_ASCII)), 5000);
            t.join(5000);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("ok");
            assertThat(seen[0]).isEqualTo("127.0.0.2");
            assertThat(seen[1]).startsWith("POST /dm?s=x HTTP/1.1\r\n").contains("Content-Type: text/plain\r\n")
                    .contains("Content-Length: 3\r\n").contains("Connection: close\r\n").endsWith("\r\n\r\nabc");
        }
    }
}
