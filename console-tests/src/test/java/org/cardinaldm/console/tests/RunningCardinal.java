package org.cardinaldm.console.tests;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.Awaitility;

/**
 * The distribution's tar.gz unpacked and run as an operator runs it: {@code bin/start}, commands on the
 * standard input of {@code bin/client -b}, {@code bin/stop}. Its ssh console gets a free loopback port;
 * the HTTP ports stay the distribution's (8181, 8443), which the demo card's DM account names, so the
 * tests run under {@code flock /tmp/cardinal-karaf.lock}. Every wait is bounded; {@link #close()} stops
 * whatever still runs.
 */
final class RunningCardinal implements AutoCloseable {
    /** How long one script may run. */
    private static final Duration SCRIPT = Duration.ofSeconds(90);

    private final Path home;
    private ProcessHandle karaf;
    private int calls;

    private RunningCardinal(Path home) {
        this.home = home;
    }

    /**
     * @param tarball the distribution
     * @param parent where to unpack it
     * @param users lines for etc/users.properties ({@code name = password,group})
     * @return the unpacked, configured, not yet started copy
     */
    static RunningCardinal unpack(Path tarball, Path parent, List<String> users) throws IOException, InterruptedException {
        Files.createDirectories(parent);
        Path dir = Files.createTempDirectory(parent, "cardinal-");
        run(new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", dir.toString()), null, dir.resolve("untar.out"));
        Path home;
        try (Stream<Path> s = Files.list(dir)) {
            home = s.filter(p -> Files.isRegularFile(p.resolve("bin/start"))).findFirst()
                    .orElseThrow(() -> new IOException("no bin/start in " + tarball));
        }
        Path shell = home.resolve("etc/org.apache.karaf.shell.cfg");
        String cfg = Files.readString(shell, StandardCharsets.UTF_8).replaceAll("(?m)^sshPort\\s*=.*$",
                "sshPort=" + freePort());
        Files.writeString(shell, cfg, StandardCharsets.UTF_8);
        Files.writeString(home.resolve("etc/users.properties"), "\n" + String.join("\n", users) + "\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        return new RunningCardinal(home);
    }

    /**
     * Replaces the distribution's copies of bundles (in {@code system/}, Maven's layout) by jars of the same file
     * name, before the first start: this build's bundles in a distribution built before them. In a full build the
     * distribution already holds the same jars, and nothing changes.
     *
     * @param jars the jars, e.g. {@code .../dm-server-0.1.0-SNAPSHOT.jar}
     * @return the file names replaced
     */
    List<String> overlay(List<Path> jars) throws IOException {
        Path system = home.resolve("system");
        List<String> replaced = new java.util.ArrayList<>();
        for (Path jar : jars) {
            String name = jar.getFileName().toString();
            List<Path> copies;
            try (Stream<Path> s = Files.walk(system)) {
                copies = s.filter(p -> p.getFileName().toString().equals(name)).toList();
            }
            for (Path copy : copies) {
                Files.copy(jar, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                replaced.add(system.relativize(copy).toString());
            }
        }
        Files.writeString(home.resolve("overlay.out"), String.join("\n", replaced) + "\n", StandardCharsets.UTF_8);
        return replaced;
    }

    /** @return KARAF_HOME */
    Path home() {
        return home;
    }

    /** Runs bin/start and waits (bounded) for the Karaf JVM's pid. */
    void start() throws IOException, InterruptedException {
        Result r = run(new ProcessBuilder(home.resolve("bin/start").toString()), null, home.resolve("start.out"));
        if (r.exit() != 0) {
            throw new IOException("bin/start exited with " + r.exit() + ": " + r.output());
        }
        Awaitility.await("Karaf writes its pid").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> pid().flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive).isPresent());
        karaf = ProcessHandle.of(pid().orElseThrow()).orElseThrow();
    }

    /**
     * @param commands shell commands, one a line
     * @return what bin/client -b printed
     */
    String client(String... commands) throws IOException, InterruptedException {
        return run(new ProcessBuilder(home.resolve("bin/client").toString(), "-b"), String.join("\n", commands) + "\n",
                home.resolve("client-" + (++calls) + ".out")).output();
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

    private static Result run(ProcessBuilder pb, String input, Path log) throws IOException, InterruptedException {
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

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
