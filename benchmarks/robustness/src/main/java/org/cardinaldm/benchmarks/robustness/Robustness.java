package org.cardinaldm.benchmarks.robustness;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The robustness suite: black-box probes of a running Cardinal install, each an attack a stranger
 * without credentials can mount (plus the genuine device's view where needed). Prints one line per
 * probe, {@code PASS|FAIL|SKIP <probe-id> expected: <...> observed: <...>}, then
 * {@code robustness: N passed, N failed, N skipped}; exits 1 when a probe failed, 2 on bad usage.
 * Notes (what was cleaned up, why a source address could not be bound) go to standard error.
 */
public final class Robustness {
    private Robustness() {
    }

    /** Where the install is. Every target is optional. */
    static final class Targets {
        URI http;
        URI https;
        String pushHost;
        int pushPort;
        String restUser;
        String restPassword;
        String viewerUser;
        String viewerPassword;
        Path home;
        String dmPath = "/dm";
        String restPath = "/cardinal/api/v1";
        String only;
    }

    /** A probe: its id, what it requires (one explicit text built from {@link Expect}), and its body. */
    record Probe(String id, String expected, Body body) {
    }

    /** The body of a probe: returns the verdict and what was observed, or throws {@link Skip}. */
    interface Body {
        Result run() throws Exception;
    }

    /** What a probe saw. */
    record Result(boolean pass, String observed) {
    }

    /** Thrown by a probe whose target or prerequisite is missing. */
    static final class Skip extends Exception {
        private static final long serialVersionUID = 1L;

        Skip(String reason) {
            super(reason);
        }
    }

    static final String USAGE = String.join("\n",
            "usage: java -jar robustness.jar [--http http://127.0.0.1:8181] [--https https://127.0.0.1:8443]",
            "         [--push udp:127.0.0.1:2948] [--rest-user U --rest-password P] [--rest-viewer U:P]",
            "         [--home /path/to/cardinal] [--dm-path /dm] [--rest-path /cardinal/api/v1] [--only id-prefix,...]",
            "Every target is optional; the probes of a missing target are SKIP.",
            "ROBUSTNESS_REST_PASSWORD in the environment stands for --rest-password.");

    public static void main(String[] args) {
        Targets t;
        try {
            t = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("robustness: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        int failed = run(t, System.out, System.err);
        System.exit(failed > 0 ? 1 : 0);
    }

    static Targets parse(String[] args) {
        Targets t = new Targets();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ("--help".equals(a) || "-h".equals(a)) {
                throw new IllegalArgumentException("help");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + a);
            }
            String v = args[++i];
            switch (a) {
                case "--http" -> t.http = uri(v, "http");
                case "--https" -> t.https = uri(v, "https");
                case "--push" -> {
                    String s = v.startsWith("udp://") ? v.substring(6) : v.startsWith("udp:") ? v.substring(4) : null;
                    if (s == null) {
                        throw new IllegalArgumentException("--push wants udp:host[:port], not " + v);
                    }
                    int c = s.lastIndexOf(':');
                    t.pushHost = c > 0 ? s.substring(0, c) : s;
                    t.pushPort = c > 0 ? Integer.parseInt(s.substring(c + 1)) : 2948;
                }
                case "--rest-user" -> t.restUser = v;
                case "--rest-password" -> t.restPassword = v;
                case "--rest-viewer" -> {
                    int c = v.indexOf(':');
                    if (c <= 0) {
                        throw new IllegalArgumentException("--rest-viewer wants user:password");
                    }
                    t.viewerUser = v.substring(0, c);
                    t.viewerPassword = v.substring(c + 1);
                }
                case "--home" -> {
                    t.home = Path.of(v).toAbsolutePath().normalize();
                    if (!Files.isDirectory(t.home)) {
                        throw new IllegalArgumentException("--home " + v + " is not a directory");
                    }
                }
                case "--dm-path" -> t.dmPath = v;
                case "--rest-path" -> t.restPath = v;
                case "--only" -> t.only = v;
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        // passwords may come from the environment instead of the command line (ps shows arguments)
        if (t.restPassword == null && System.getenv("ROBUSTNESS_REST_PASSWORD") != null) {
            t.restPassword = System.getenv("ROBUSTNESS_REST_PASSWORD");
        }
        return t;
    }

    private static URI uri(String v, String scheme) {
        URI u = URI.create(v);
        if (!scheme.equals(u.getScheme()) || u.getHost() == null) {
            throw new IllegalArgumentException("not an " + scheme + " URL: " + v);
        }
        return u;
    }

    /**
     * Runs every probe in order.
     *
     * @return how many failed
     */
    static int run(Targets t, PrintStream out, PrintStream notes) {
        Suite suite = new Suite(t, notes);
        List<Probe> probes = new ArrayList<>();
        new CodecProbes(suite).register(probes);
        new SessionProbes(suite).register(probes);
        new CostProbes(suite).register(probes);
        new PushProbes(suite).register(probes);
        new RestProbes(suite).register(probes);
        new HttpsProbes(suite).register(probes);
        new AtRestProbes(suite).register(probes);
        // last: a lock-out today locks the demo device for 15 minutes; unlocked afterwards when possible
        new LockoutProbes(suite).register(probes);

        Map<Outcome.Verdict, Integer> counts = new LinkedHashMap<>();
        for (Outcome.Verdict v : Outcome.Verdict.values()) {
            counts.put(v, 0);
        }
        for (Probe p : probes) {
            if (!selected(t.only, p.id())) {
                continue;
            }
            Outcome o = runOne(p);
            out.println(o.line());
            out.flush();
            counts.merge(o.verdict(), 1, Integer::sum);
        }
        suite.cleanup();
        out.println("robustness: " + counts.get(Outcome.Verdict.PASS) + " passed, " + counts.get(Outcome.Verdict.FAIL)
                + " failed, " + counts.get(Outcome.Verdict.SKIP) + " skipped");
        out.flush();
        return counts.get(Outcome.Verdict.FAIL);
    }

    private static boolean selected(String only, String id) {
        if (only == null || only.isBlank()) {
            return true;
        }
        for (String p : only.split(",")) {
            if (!p.isBlank() && id.startsWith(p.trim())) {
                return true;
            }
        }
        return false;
    }

    static Outcome runOne(Probe p) {
        FutureTask<Result> task = new FutureTask<>(() -> p.body().run());
        Thread th = new Thread(task, "probe-" + p.id());
        th.setDaemon(true);
        th.start();
        try {
            Result r = task.get(Expect.PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return Outcome.of(r.pass(), p.id(), p.expected(), r.observed());
        } catch (TimeoutException e) {
            task.cancel(true);
            return Outcome.of(false, p.id(), p.expected(), "timed out after " + Expect.PROBE_TIMEOUT_SECONDS + " s");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof Skip s) {
                return Outcome.skip(p.id(), p.expected(), s.getMessage());
            }
            return Outcome.of(false, p.id(), p.expected(), "error: " + describe(c));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.of(false, p.id(), p.expected(), "interrupted");
        }
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + RawHttp.printable(m, 160));
    }

    /**
     * Local source addresses on loopback: 127.0.0.N is a valid local address on Linux, so probes can act
     * as different hosts. Toward a target that is not on loopback, every role uses the default source.
     */
    static InetAddress source(String host, int n, PrintStream notes) {
        try {
            InetAddress target = InetAddress.getByName(host);
            if (!target.isLoopbackAddress() || !(target instanceof java.net.Inet4Address)) {
                return null;
            }
            InetAddress a = InetAddress.getByName("127.0.0." + n);
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress(a, 0));
            }
            return a;
        } catch (IOException e) {
            notes.println("robustness: note: cannot bind 127.0.0." + n + " (" + e.getMessage()
                    + "); this role uses the default source address");
            return null;
        }
    }
}
