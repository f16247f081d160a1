package org.cardinaldm.multinode.tests;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.Awaitility;

/**
 * One Cardinal server node: a copy of the built distribution, unpacked and configured as the operator guide's
 * "Several server nodes" says (the shipped {@code docs/examples/multinode} files with this node's values), on ports
 * of its own that collide neither with the other node nor with Karaf's defaults (8101, 8181, 8443), started with
 * {@code bin/start} and stopped with {@code bin/stop} or killed with {@code kill -9}. Every wait is bounded.
 */
final class ServerNode implements AutoCloseable {
    /** How long one script may run. */
    private static final Duration SCRIPT = Duration.ofSeconds(90);
    /** The role "server node on PostgreSQL": Karaf's base, the DM server (dms: commands, REST) on the PostgreSQL driver. */
    static final List<String> FEATURES = List.of("feature", "jaas", "shell", "ssh", "bundle", "config", "log",
            "package", "service", "system", "scr", "cardinal-server-jdbc-postgresql", "cardinal-server");

    final String id;
    final Path home;
    final int httpPort;
    private final int httpsPort;
    private final int sshPort;
    private ProcessHandle karaf;
    private int calls;

    private ServerNode(String id, Path home, int httpPort, int httpsPort, int sshPort) {
        this.id = id;
        this.home = home;
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
        this.sshPort = sshPort;
    }

    /**
     * @param tarball the distribution
     * @param parent where to unpack it
     * @param id the node id
     * @return the unpacked copy on free ports, not configured yet
     */
    static ServerNode unpack(Path tarball, Path parent, String id) throws IOException, InterruptedException {
        Path dir = parent.resolve(id);
        Files.createDirectories(dir);
        run(new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", dir.toString()), null, dir.resolve("untar.out"));
        Path home;
        try (Stream<Path> s = Files.list(dir)) {
            home = s.filter(p -> Files.isRegularFile(p.resolve("bin/start"))).findFirst()
                    .orElseThrow(() -> new IOException("no bin/start in " + tarball));
        }
        return new ServerNode(id, home, freePort(), freePort(), freePort());
    }

    /** @return the node's own HTTP base, bypassing the balancer */
    String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    /**
     * Configures the node: the shipped examples with this node's values, its ports, the boot features, the
     * registry key shared by the nodes, the REST API's token.
     *
     * @param examples {@code docs/examples/multinode}
     * @param values overrides of the example files' keys, by file name
     * @param registryKey the base64 AES key every node shares
     * @param restToken the REST API's bearer token
     */
    void configure(Path examples, Map<String, Map<String, String>> values, String registryKey, String restToken)
            throws IOException {
        Path etc = home.resolve("etc");
        for (Map.Entry<String, Map<String, String>> e : values.entrySet()) {
            Path example = examples.resolve(e.getKey());
            String text = Files.exists(example) ? Files.readString(example, StandardCharsets.UTF_8) : "";
            Files.writeString(etc.resolve(e.getKey()), Config.override(text, e.getValue()), StandardCharsets.UTF_8);
        }
        edit(etc.resolve("org.ops4j.pax.web.cfg"), Map.of("org.osgi.service.http.port", Integer.toString(httpPort),
                "org.osgi.service.http.port.secure", Integer.toString(httpsPort),
                "org.ops4j.pax.web.listening.addresses", "127.0.0.1"));
        edit(etc.resolve("org.apache.karaf.shell.cfg"), Map.of("sshPort", Integer.toString(sshPort)));
        edit(etc.resolve("org.cardinaldm.server.rest.cfg"), Map.of("auth", "token", ".token", restToken));
        String features = Files.readString(etc.resolve("org.apache.karaf.features.cfg"), StandardCharsets.UTF_8)
                .replaceAll("(?ms)^featuresBoot\\s*=.*?(?=\\n\\s*\\n)", "featuresBoot = " + String.join(", ", FEATURES));
        Files.writeString(etc.resolve("org.apache.karaf.features.cfg"), features, StandardCharsets.UTF_8);
        // the all-in-one's demo device and card belong to the all-in-one role
        Files.deleteIfExists(etc.resolve("org.cardinaldm.server.device-demo.cfg"));
        Path key = etc.resolve("cardinal-registry.key");
        Files.writeString(key, "# Cardinal DM server registry key, shared by the nodes of one registry\n" + registryKey
                + "\n", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    }

    private static void edit(Path file, Map<String, String> values) throws IOException {
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        Files.writeString(file, Config.override(text, new LinkedHashMap<>(values)), StandardCharsets.UTF_8);
    }

    /** Runs bin/start and waits (bounded) for the Karaf JVM's pid. */
    void start() throws IOException, InterruptedException {
        Result r = run(new ProcessBuilder(home.resolve("bin/start").toString()), null, home.resolve("start.out"));
        if (r.exit() != 0) {
            throw new IOException("bin/start of " + id + " exited with " + r.exit() + ": " + r.output());
        }
        Awaitility.await(id + " writes its pid").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> pid().flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive).isPresent());
        karaf = ProcessHandle.of(pid().orElseThrow()).orElseThrow();
    }

    /** Waits (bounded) until the node's DM endpoint answers (GET /dm: 405) and its REST API is up. */
    void awaitServing(HttpClient http, Duration atMost) {
        Awaitility.await(id + " serves /dm and the REST API").atMost(atMost).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> status(http, "/dm") == 405
                        && status(http, "/cardinal/api/v1/devices") == 401);
    }

    private int status(HttpClient http, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** @return whether its JVM runs */
    boolean alive() {
        return karaf != null && karaf.isAlive();
    }

    /** Kills the Karaf JVM with SIGKILL (kill -9) and waits (bounded) until it is gone. */
    void kill9() throws Exception {
        long pid = karaf.pid();
        Process p = new ProcessBuilder("kill", "-9", Long.toString(pid)).redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("kill -9 " + pid + " failed");
        }
        karaf.onExit().get(30, TimeUnit.SECONDS);
        karaf = null;
    }

    /**
     * @param commands shell commands, one a line
     * @return what bin/client -b printed
     */
    String client(String... commands) throws IOException, InterruptedException {
        return run(new ProcessBuilder(home.resolve("bin/client").toString(), "-b"), String.join("\n", commands) + "\n",
                home.resolve("client-" + (++calls) + ".out")).output();
    }

    /** @return the last lines of the node's karaf.log, for a failure message */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(home.resolve("data/log/karaf.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no karaf.log: " + e.getMessage() + ")";
        }
    }

    private Optional<Long> pid() {
        try {
            return Optional.of(Long.parseLong(Files.readString(home.resolve("karaf.pid")).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        if (karaf == null) {
            return;
        }
        try {
            run(new ProcessBuilder(home.resolve("bin/stop").toString()), null, home.resolve("stop.out"));
            karaf.onExit().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            karaf.destroyForcibly();
        }
        karaf = null;
    }

    record Result(int exit, String output) {
    }

    static Result run(ProcessBuilder pb, String input, Path log) throws IOException, InterruptedException {
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        if (input == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process p = pb.start();
        if (input != null) {
            try (var in = p.getOutputStream()) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(SCRIPT.toSeconds(), TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new IOException(pb.command() + " ran longer than " + SCRIPT.toSeconds() + " s");
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
