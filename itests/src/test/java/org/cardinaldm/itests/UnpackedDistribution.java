package org.cardinaldm.itests;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.awaitility.Awaitility;

/**
 * The Cardinal tar.gz unpacked into a folder and driven the way an operator drives it: {@code bin/start},
 * commands through {@code bin/client -b} with the commands on standard input, {@code bin/stop}.
 * Every wait is bounded; {@link #close()} stops whatever still runs (bin/stop, then the JVM by its
 * pid), so a failed test never leaves a Karaf behind.
 *
 * <p>The ssh console gets a free loopback port of its own, so the client can only ever reach this
 * copy: not the Pax Exam container (8199), nor a Cardinal an engineer runs (8101).
 */
final class UnpackedDistribution implements AutoCloseable {
    /** How long a script (bin/start, bin/stop, one bin/client call) may run. */
    static final Duration SCRIPT_BOUND = Duration.ofSeconds(60);
    /** How long a boot or a shutdown may take on a loaded two-core machine. */
    static final Duration BOOT_BOUND = Duration.ofSeconds(120);
    private static final Pattern SSH_PORT = Pattern.compile("(?m)^sshPort\\s*=.*$");

    private final Path home;
    private final int sshPort;
    private ProcessHandle karaf;
    private int scripts;

    private UnpackedDistribution(Path home, int sshPort) {
        this.home = home;
        this.sshPort = sshPort;
    }

    /**
     * @param tarball the distribution's tar.gz
     * @param parent the folder to unpack into (created)
     * @return the unpacked copy, with a free ssh port configured
     */
    static UnpackedDistribution unpack(Path tarball, Path parent) throws IOException, InterruptedException {
        Files.createDirectories(parent);
        Path dir = Files.createTempDirectory(parent, "cardinal-");
        Result untar = runBounded(new ProcessBuilder("tar", "xzf", tarball.toAbsolutePath().toString(), "-C", dir.toString()),
                null, dir.resolve("untar.out"));
        if (untar.exit() != 0) {
            throw new IOException("tar xzf " + tarball + " failed: " + untar.output());
        }
        Path home;
        try (Stream<Path> children = Files.list(dir)) {
            home = children.filter(p -> Files.isRegularFile(p.resolve("bin/start"))).findFirst()
                    .orElseThrow(() -> new IOException("no bin/start in " + tarball)).toRealPath();
        }
        int port = freeLoopbackPort();
        Path shellCfg = home.resolve("etc/org.apache.karaf.shell.cfg");
        String cfg = Files.readString(shellCfg, StandardCharsets.UTF_8);
        if (!SSH_PORT.matcher(cfg).find()) {
            throw new IOException("no sshPort in " + shellCfg);
        }
        Files.writeString(shellCfg, SSH_PORT.matcher(cfg).replaceAll("sshPort=" + port), StandardCharsets.UTF_8);
        return new UnpackedDistribution(home, port);
    }

    /** @return the distribution's folder (KARAF_HOME) */
    Path home() {
        return home;
    }

    /** @return the ssh port this copy listens on */
    int sshPort() {
        return sshPort;
    }

    /** @return Karaf's log file */
    Path log() {
        return home.resolve("data/log/karaf.log");
    }

    /**
     * Runs {@code bin/start} and waits (bounded) until the new Karaf JVM has written its pid. The
     * console answers later: poll with {@link #client}.
     */
    void start() throws IOException, InterruptedException {
        if (running()) {
            throw new IllegalStateException("Karaf already runs with pid " + karaf.pid());
        }
        long previous = pidFile().orElse(-1L);
        Result start = script("start");
        if (start.exit() != 0) {
            throw new IOException("bin/start exited with " + start.exit() + ": " + start.output());
        }
        Awaitility.await("the Karaf JVM writes " + home.resolve("karaf.pid")).atMost(BOOT_BOUND).pollInterval(Duration.ofMillis(100))
                .until(() -> pidFile().filter(pid -> pid != previous).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive).isPresent());
        karaf = ProcessHandle.of(pidFile().orElseThrow()).orElseThrow();
    }

    /**
     * Runs {@code bin/stop} and waits (bounded) until the Karaf JVM has exited, so that the next
     * start finds the store closed.
     */
    void stop() throws IOException, InterruptedException {
        if (!running()) {
            return;
        }
        Result stop = script("stop");
        if (stop.exit() != 0) {
            throw new IOException("bin/stop exited with " + stop.exit() + ": " + stop.output());
        }
        ProcessHandle jvm = karaf;
        Awaitility.await("Karaf (pid " + jvm.pid() + ") exits after bin/stop").atMost(BOOT_BOUND).pollInterval(Duration.ofMillis(100))
                .until(() -> !jvm.isAlive());
        karaf = null;
    }

    /** @return whether the Karaf JVM this object started still runs */
    boolean running() {
        return karaf != null && karaf.isAlive();
    }

    /**
     * {@code printf 'cmd1\ncmd2\n' | bin/client -b}, bounded by {@link #SCRIPT_BOUND}.
     *
     * @param commands shell command lines
     * @return the client's exit status (1 when a command was refused, or no session) and output
     */
    Result client(String... commands) throws IOException, InterruptedException {
        String input = Stream.of(commands).map(c -> c + "\n").collect(Collectors.joining());
        return runBounded(environment(new ProcessBuilder(home.resolve("bin/client").toString(), "-b")), input,
                home.resolve("client-" + (++scripts) + ".out"));
    }

    /** Stops Karaf whatever state it is in: bin/stop first, then its JVM by pid. Never throws. */
    @Override
    public void close() {
        if (karaf == null) {
            return;
        }
        ProcessHandle jvm = karaf;
        try {
            if (jvm.isAlive()) {
                script("stop");
                jvm.onExit().get(BOOT_BOUND.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            // bin/stop did not get it down in time: the pid below does
        } finally {
            if (jvm.isAlive()) {
                // the bin/karaf shell loop first, so that it does not start the JVM again; only
                // that script of this copy, never whatever else the JVM's parent may be
                jvm.parent().filter(this::isOurKarafScript).ifPresent(ProcessHandle::destroyForcibly);
                jvm.destroyForcibly();
            }
            karaf = null;
        }
    }

    /** Deletes the unpacked copy (call when Karaf is stopped and the folder is no longer needed). */
    void delete() throws IOException {
        Path dir = home.getParent();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        }
    }

    private boolean isOurKarafScript(ProcessHandle process) {
        String script = home.resolve("bin/karaf").toString();
        return process.info().commandLine().map(c -> c.contains(script)).orElse(false);
    }

    private Result script(String name) throws IOException, InterruptedException {
        return runBounded(environment(new ProcessBuilder(home.resolve("bin/" + name).toString())), null,
                home.resolve(name + "-" + (++scripts) + ".out"));
    }

    /** Karaf's scripts with this test's JDK, and Karaf's console output in a file of the copy. */
    private ProcessBuilder environment(ProcessBuilder pb) {
        pb.directory(home.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("JAVA");
        pb.environment().remove("KARAF_HOME");
        pb.environment().remove("KARAF_BASE");
        pb.environment().remove("KARAF_DATA");
        pb.environment().remove("KARAF_ETC");
        pb.environment().put("KARAF_REDIRECT", home.resolve("console.out").toString());
        return pb;
    }

    private Optional<Long> pidFile() {
        try {
            return Optional.of(Long.parseLong(Files.readString(home.resolve("karaf.pid"), StandardCharsets.US_ASCII).trim()));
        } catch (IOException | NumberFormatException notYet) {
            return Optional.empty();
        }
    }

    /**
     * Runs a process with its output in a file (so a full pipe can never block it, nor a child
     * that keeps the pipe open, such as the JVM bin/start leaves running) and waits at most
     * {@link #SCRIPT_BOUND}; past that, the process and its children are killed.
     */
    private static Result runBounded(ProcessBuilder pb, String input, Path output) throws IOException, InterruptedException {
        pb.redirectErrorStream(true).redirectOutput(output.toFile());
        if (input == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        Process p = pb.start();
        if (input != null) {
            try (OutputStream in = p.getOutputStream()) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(SCRIPT_BOUND.toSeconds(), TimeUnit.SECONDS)) {
            List<ProcessHandle> children = p.descendants().collect(Collectors.toList());
            children.forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new IOException(String.join(" ", pb.command()) + " did not finish within " + SCRIPT_BOUND.toSeconds()
                    + " s; output so far: " + Files.readString(output, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private static int freeLoopbackPort() throws IOException {
        for (int attempt = 0; attempt < 10; attempt++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = s.getLocalPort();
                if (port != 8101 && port != 8199) {
                    return port;
                }
            }
        }
        throw new IOException("no free loopback port");
    }

    /**
     * What a script printed (standard output and error) and its exit status.
     *
     * @param exit the exit status
     * @param output everything it printed
     */
    record Result(int exit, String output) {
    }
}
