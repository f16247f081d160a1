package org.cardinaldm.server.jdbc.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;

import org.cardinaldm.server.api.transport.InboundMessage;
import org.cardinaldm.server.api.transport.OutboundMessage;
import org.cardinaldm.server.api.transport.ServerEndpoint;
import org.cardinaldm.server.internal.ServerConfig;
import org.cardinaldm.server.internal.SessionEngine;
import org.cardinaldm.server.jdbc.internal.secrets.RegistryKey;
import org.cardinaldm.server.jdbc.internal.secrets.SecretCipher;
import org.cardinaldm.syncml.api.SyncML;
import org.h2.jdbcx.JdbcDataSource;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A DM server in a process of its own, for {@link KillNineDurabilityTest}: dm-server's session engine on this
 * module's registry (an H2 file, the key in a file), wired by hand as the load generator wires it, behind the
 * JDK's HTTP server on a free loopback port ({@code /dm}, the session token in the query as with the servlet).
 * Prints {@code listening <port>} when it answers, then serves until it is killed.
 */
public final class ForkedServer {
    private ForkedServer() {
    }

    /**
     * @param args the H2 JDBC URL and the registry key file
     * @throws Exception when it cannot start
     */
    public static void main(String[] args) throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(args[0]);
        ConnectionPool pool = ConnectionPool.of(ds, 4, 10_000, "forked-registry");
        JdbcServerStore store = JdbcServerStore.open(pool, new SecretCipher(RegistryKey.loadOrCreate(Path.of(args[1]))));
        SessionEngine engine = new SessionEngine(store, ServerConfig.DEFAULT, Clock.systemUTC(), new SecureRandom(),
                SyncML::forMediaType);
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        int port = http.getAddress().getPort();
        String url = "http://127.0.0.1:" + port + "/dm";
        http.createContext("/dm", exchange -> serve(engine, url, exchange));
        http.start();
        System.out.println("listening " + port);
        System.out.flush();
        Thread.currentThread().join(); // until killed
    }

    private static void serve(SessionEngine engine, String url, HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            OutboundMessage out = engine.process(new InboundMessage(body,
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("x-syncml-hmac"), token(exchange.getRequestURI().getRawQuery()),
                    url, "127.0.0.1"));
            byte[] answer = out.isMessage() ? out.body() : out.reason().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", out.isMessage() ? out.contentType() : "text/plain");
            exchange.sendResponseHeaders(out.isMessage() ? 200 : out.transportStatus(), answer.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(answer);
            }
        }
    }

    private static String token(String query) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith(ServerEndpoint.SESSION_PARAMETER + "=")) {
                return URLDecoder.decode(pair.substring(ServerEndpoint.SESSION_PARAMETER.length() + 1),
                        StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
