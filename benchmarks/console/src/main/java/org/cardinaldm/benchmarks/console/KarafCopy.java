package org.cardinaldm.benchmarks.console;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.cardinaldm.server.jdbc.internal.ConnectionPool;
import org.cardinaldm.server.jdbc.internal.JdbcServerStore;
import org.cardinaldm.server.jdbc.internal.secrets.RegistryKey;
import org.cardinaldm.server.jdbc.internal.secrets.SecretCipher;
import org.h2.jdbcx.JdbcDataSource;

/**
 * A fresh copy of the distribution for one benchmark variant: unpacked from its tar.gz, optionally with this build's
 * bundles laid over {@code system/}, its registry filled before the first start through dm-server-jdbc's store (the
 * H2 file and registry key the server then opens), an operator in {@code etc/users.properties}, the ssh console on
 * a free loopback port; {@code bin/start} and {@code bin/stop} with bounded waits. The HTTP ports stay 8181/8443: run
 * under {@code flock /tmp/cardinal-karaf.lock}.
 */
final class KarafCopy implements AutoCloseable {
    private final Path home;
    private ProcessHandle karaf;

    private KarafCopy(Path home) {
        this.home = home;
    }

    /**
     * @param tarball the distribution
     * @param dir an empty folder of its own
     * @return the unpacked copy
     */
    static KarafCopy unpack(Path tarball, Path dir) throws IOException, InterruptedException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        run(dir, "tar", "xzf", tarball.toString(), "-C", dir.toString());
        try (Stream<Path> s = Files.list(dir)) {
            Path home = s.filter(p -> Files.isRegularFile(p.resolve("bin/start"))).findFirst()
                    .orElseThrow(() -> new IOException("no bin/start in " + tarball));
            return new KarafCopy(home);
        }
    }

    Path home() {
        return home;
    }

    /**
     * @param jars jars whose file names the copy's {@code system/} holds
     * @return how many files were replaced
     */
    int overlay(List<Path> jars) throws IOException {
        int replaced = 0;
        for (Path jar : jars) {
            String name = jar.getFileName().toString();
            List<Path> copies;
            try (Stream<Path> s = Files.walk(home.resolve("system"))) {
                copies = s.filter(p -> p.getFileName().toString().equals(name)).toList();
            }
            for (Path copy : copies) {
                Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
                replaced++;
            }
        }
        return replaced;
    }

    /**
     * Fills the registry the server opens at its first start ({@code data/cardinal/server-registry}, encrypted with
     * {@code etc/cardinal-registry.key}, created here as the server would) through {@link JdbcServerStore#insertDevice}
     * from four threads.
     *
     * @param devices how many
     * @return seconds taken
     */
    double fill(int devices) throws Exception {
        Path base = home.resolve("data/cardinal/server-registry").toAbsolutePath();
        Files.createDirectories(base.getParent());
        SecretCipher cipher = new SecretCipher(RegistryKey.loadOrCreate(home.resolve("etc/cardinal-registry.key")));
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + base);
        ConnectionPool pool = new ConnectionPool(ds, 4, 60_000);
        long t0 = System.nanoTime();
        try {
            JdbcServerStore store = JdbcServerStore.open(pool, cipher);
            java.time.Instant now = java.time.Instant.now();
            AtomicInteger next = new AtomicInteger();
            ExecutorService threads = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> work = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    work.add(threads.submit(() -> {
                        for (int i = next.getAndIncrement(); i < devices; i = next.getAndIncrement()) {
                            store.insertDevice(FleetPageBenchmark.device(i, now));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : work) {
                    f.get();
                }
            } finally {
                threads.shutdown();
            }
        } finally {
            pool.close(); // the embedded database closes with its last connection: no lock left for Karaf
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * @param lines lines for etc/users.properties
     */
    void configure(List<String> lines) throws IOException {
        Path shell = home.resolve("etc/org.apache.karaf.shell.cfg");
        Files.writeString(shell, Files.readString(shell, StandardCharsets.UTF_8)
                .replaceAll("(?m)^sshPort\\s*=.*$", "sshPort=" + freePort()), StandardCharsets.UTF_8);
        Files.writeString(home.resolve("etc/users.properties"), "\n" + String.join("\n", lines) + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    void start() throws Exception {
        run(home, home.resolve("bin/start").toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (karaf == null && System.nanoTime() < deadline) {
            try {
                long pid = Long.parseLong(Files.readString(home.resolve("karaf.pid")).trim());
                karaf = ProcessHandle.of(pid).filter(ProcessHandle::isAlive).orElse(null);
            } catch (IOException | NumberFormatException e) {
                // not written yet
            }
            if (karaf == null) {
                Thread.sleep(200); // polling the pid file of a process we do not own
            }
        }
        if (karaf == null) {
            throw new IOException("Karaf wrote no pid within 120 s: " + home.resolve("data/log/karaf.log"));
        }
    }

    @Override
    public void close() {
        if (karaf == null) {
            return;
        }
        try {
            run(home, home.resolve("bin/stop").toString());
            karaf.onExit().get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            karaf.destroyForcibly();
        }
        karaf = null;
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("karaf-copy", ".out");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " ran longer than 120 s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ": "
                        + Files.readString(log));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
