package org.cardinaldm.multinode.tests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/**
 * HAProxy running the shipped {@code docs/examples/multinode/haproxy.cfg}, with the example's addresses replaced by
 * the nodes' loopback ports, the frontend and the status page on free loopback ports, and health checks every
 * 500 ms instead of 2 s (so the test waits less for a killed node to be seen down). In the foreground
 * ({@code -db}), stopped by {@link #close()}.
 */
final class Balancer implements AutoCloseable {
    final int port;
    private final int statsPort;
    private final Process process;

    private Balancer(int port, int statsPort, Process process) {
        this.port = port;
        this.statsPort = statsPort;
        this.process = process;
    }

    /**
     * @param haproxy the haproxy program
     * @param example the shipped configuration
     * @param dir where to write the configuration and the log
     * @param port the frontend's port
     * @param node1 the first node
     * @param node2 the second node
     * @return the running balancer
     */
    static Balancer start(Path haproxy, Path example, Path dir, int port, ServerNode node1, ServerNode node2)
            throws IOException {
        int stats = ServerNode.freePort();
        String cfg = Files.readString(example, StandardCharsets.UTF_8);
        cfg = replace(cfg, "bind :80", "bind 127.0.0.1:" + port);
        cfg = replace(cfg, "bind 127.0.0.1:8404", "bind 127.0.0.1:" + stats);
        cfg = replace(cfg, "10.0.0.11:8181", "127.0.0.1:" + node1.httpPort);
        cfg = replace(cfg, "10.0.0.12:8181", "127.0.0.1:" + node2.httpPort);
        cfg = replace(cfg, "inter 2s fall 2 rise 2", "inter 500ms fall 2 rise 1");
        Files.createDirectories(dir);
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, cfg, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(haproxy.toString(), "-db", "-f", file.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.out").toFile()).start();
        return new Balancer(port, stats, p);
    }

    private static String replace(String text, String what, String by) {
        if (!text.contains(what)) {
            throw new IllegalStateException("the shipped haproxy.cfg no longer contains '" + what + "'");
        }
        return text.replace(what, by);
    }

    /** @return the balancer's base URL */
    String url() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * @param http a client
     * @return the status (UP, DOWN, ...) of each server of the dm backend, "node:STATUS"
     */
    List<String> dmServers(HttpClient http) throws IOException, InterruptedException {
        String csv = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv"))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        return csv.lines().filter(l -> l.startsWith("dm,") && !l.startsWith("dm,BACKEND") && !l.startsWith("dm,FRONTEND"))
                .map(l -> l.split(",")).map(f -> f[1] + ":" + f[17]).sorted().toList();
    }

    /** Waits (bounded) until the balancer sees the dm backend's servers as given, e.g. "node1:UP". */
    void await(HttpClient http, String... expected) {
        Awaitility.await("haproxy sees " + String.join(", ", expected)).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> dmServers(http).equals(List.of(expected)));
    }

    /** @return whether haproxy still runs */
    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
