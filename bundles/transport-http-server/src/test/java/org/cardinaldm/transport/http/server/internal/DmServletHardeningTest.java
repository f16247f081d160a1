package org.cardinaldm.transport.http.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.servlet.DispatcherType;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;

import org.cardinaldm.server.api.transport.InboundMessage;
import org.cardinaldm.server.api.transport.OutboundMessage;
import org.cardinaldm.server.api.transport.ServerEndpoint;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The endpoint against hostile clients, in a real Jetty 9.4 with a deliberately small thread pool: slow and
 * stalled bodies, oversized headers, spoofed forwarding headers.
 */
class DmServletHardeningTest {
    private static final String WBXML = "application/vnd.syncml.dm+wbxml";
    /** Jetty's pool in these tests: one acceptor, one selector, so at most eight threads run requests. */
    private static final int THREADS = 10;

    private final AtomicReference<InboundMessage> seen = new AtomicReference<>();
    private final AtomicInteger processed = new AtomicInteger();
    private final AtomicInteger entered = new AtomicInteger();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Socket> sockets = new ArrayList<>();
    private Server jetty;
    private int port;

    private final ServerEndpoint endpoint = new ServerEndpoint() {
        @Override
        public OutboundMessage process(InboundMessage message) {
            seen.set(message);
            processed.incrementAndGet();
            return OutboundMessage.message(new byte[] {2, 0, 0}, WBXML, null);
        }

        @Override
        public int maxMessageBytes() {
            return 4096;
        }
    };

    private void start(EndpointSettings settings) throws Exception {
        jetty = new Server(new QueuedThreadPool(THREADS, 2));
        ServerConnector connector = new ServerConnector(jetty, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        // far beyond the test: only the servlet's own mechanism may rescue the pool
        connector.setIdleTimeout(120_000);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        ServletHolder holder = new ServletHolder(new DmServlet(() -> endpoint, settings));
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/dm");
        FilterHolder counter = new FilterHolder(new Filter() {
            @Override
            public void init(javax.servlet.FilterConfig config) {
                // nothing to set up
            }

            @Override
            public void destroy() {
                // nothing held
            }

            @Override
            public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
                    throws IOException, ServletException {
                entered.incrementAndGet();
                chain.doFilter(req, resp);
            }
        });
        counter.setAsyncSupported(true);
        context.addFilter(counter, "/dm", EnumSet.of(DispatcherType.REQUEST));
        jetty.setHandler(context);
        jetty.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        if (jetty != null) {
            jetty.stop();
        }
    }

    /** Sends the headers of a POST announcing {@code length} bytes and the first {@code sent} of them. */
    private Socket slowClient(int length, int sent, String extraHeaders) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        sockets.add(s);
        OutputStream out = s.getOutputStream();
        out.write(("POST /dm HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + WBXML + "\r\nContent-Length: " + length
                + "\r\n" + extraHeaders + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[sent]);
        out.flush();
        return s;
    }

    private static String statusLine(Socket s) throws IOException {
        s.setSoTimeout(30_000);
        InputStream in = s.getInputStream();
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\r') {
            line.append((char) c);
        }
        return line.toString();
    }

    private HttpResponse<byte[]> post(String query, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/dm" + query))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", WBXML)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equals("Content-Type")) {
                b.setHeader(headers[i], headers[i + 1]);
            } else {
                b.header(headers[i], headers[i + 1]);
            }
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void many_stalled_bodies_do_not_keep_a_normal_message_from_being_answered() throws Exception {
        start(EndpointSettings.of(0, null));
        int slow = 4 * THREADS;
        for (int i = 0; i < slow; i++) {
            slowClient(1000, 10, "");
        }
        // every stalled request has reached the servlet, and none holds a thread: with blocking reads at
        // most THREADS - 2 of them ever get this far
        await().atMost(Duration.ofSeconds(30)).until(() -> entered.get() >= slow);

        HttpResponse<byte[]> r = post("", new byte[] {2, 1});

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).containsExactly(2, 0, 0);
        assertThat(processed).hasValue(1);
    }

    @Test
    void bodies_in_flight_are_bounded_per_source_and_another_source_is_still_served() throws Exception {
        // every test connection comes from 127.0.0.1: a trusted proxy's header names the sources instead
        start(EndpointSettings.of(0, null).withSources(SourceAddress.of(List.of("127.0.0.0/8"), "X-Forwarded-For"))
                .withPendingBytes(64 * 1024, 2000));
        Socket first = slowClient(3000, 1500, "X-Forwarded-For: 192.0.2.1\r\n");
        await().atMost(Duration.ofSeconds(30)).until(() -> entered.get() >= 1);
        Socket second = slowClient(3000, 1000, "X-Forwarded-For: 192.0.2.1\r\n");

        // the second body would take 192.0.2.1 past its 2000 bytes: refused, nothing processed
        assertThat(statusLine(second)).isEqualTo("HTTP/1.1 503 Service Unavailable");
        assertThat(processed).hasValue(0);
        // another source is served meanwhile
        assertThat(post("", new byte[1000], "X-Forwarded-For", "192.0.2.2").statusCode()).isEqualTo(200);

        // the stalled body's bytes come back when its client goes: the source is served again
        first.close();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                post("", new byte[1800], "X-Forwarded-For", "192.0.2.1").statusCode()).isEqualTo(200));
    }

    @Test
    void a_body_not_complete_within_the_body_timeout_gets_408_and_reaches_nobody() throws Exception {
        start(EndpointSettings.of(0, null).withBodyTimeout(Duration.ofMillis(200)));
        Socket s = slowClient(1000, 10, "");

        assertThat(statusLine(s)).isEqualTo("HTTP/1.1 408 Request Timeout");
        assertThat(processed).hasValue(0);
    }

    @Test
    void a_streamed_body_over_the_limit_gets_413_while_reading() throws Exception {
        start(EndpointSettings.of(0, null));
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        sockets.add(s);
        OutputStream out = s.getOutputStream();
        out.write(("POST /dm HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + WBXML
                + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 5; i++) {
            out.write("400\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[0x400]);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();

        assertThat(statusLine(s)).isEqualTo("HTTP/1.1 413 Payload Too Large");
        assertThat(processed).hasValue(0);
    }

    @Test
    void oversized_hmac_header_query_and_content_type_are_refused_before_reading() throws Exception {
        start(EndpointSettings.of(0, null));
        assertThat(post("", new byte[] {1}, "x-syncml-hmac", "m".repeat(DmServlet.MAX_HMAC_HEADER_CHARS + 1))
                .statusCode()).isEqualTo(431);
        assertThat(post("?s=" + "t".repeat(DmServlet.MAX_QUERY_CHARS), new byte[] {1}).statusCode()).isEqualTo(414);
        assertThat(post("", new byte[] {1}, "Content-Type", WBXML + ";x=" + "y".repeat(300)).statusCode())
                .isEqualTo(415);
        assertThat(processed).hasValue(0);
        assertThat(post("", new byte[] {1}, "x-syncml-hmac", "algorithm=MD5, username=\"d\", mac=x").statusCode())
                .isEqualTo(200);
    }

    @Test
    void a_spoofed_x_forwarded_for_from_an_untrusted_peer_is_ignored() throws Exception {
        start(EndpointSettings.of(0, null).withSources(SourceAddress.of(List.of("192.0.2.0/24"), "X-Forwarded-For")));

        assertThat(post("", new byte[] {1}, "X-Forwarded-For", "203.0.113.9").statusCode()).isEqualTo(200);

        assertThat(seen.get().remoteAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void x_forwarded_for_from_a_trusted_proxy_names_the_source() throws Exception {
        start(EndpointSettings.of(0, null).withSources(SourceAddress.of(List.of("127.0.0.0/8"), "X-Forwarded-For")));

        post("", new byte[] {1}, "X-Forwarded-For", "1.1.1.1, 203.0.113.9");
        assertThat(seen.get().remoteAddress()).isEqualTo("203.0.113.9");

        post("", new byte[] {1}, "X-Forwarded-For", "203.0.113.9, not-an-address");
        assertThat(seen.get().remoteAddress()).isEqualTo("127.0.0.1");

        post("", new byte[] {1}, "Forwarded", "for=203.0.113.7");
        assertThat(seen.get().remoteAddress()).as("only the configured header counts").isEqualTo("127.0.0.1");
    }

    @Test
    void forwarded_from_a_trusted_proxy_names_the_source() throws Exception {
        start(EndpointSettings.of(0, null).withSources(SourceAddress.of(List.of("127.0.0.1"), "Forwarded")));

        post("", new byte[] {1}, "Forwarded", "for=1.1.1.1", "Forwarded", "for=\"[2001:db8::7]:9\";proto=https");

        assertThat(seen.get().remoteAddress()).isEqualTo("2001:db8:0:0:0:0:0:7");
    }
}
