package org.cardinaldm.benchmarks.robustness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the probes share: the targets, the roles' source addresses, the genuine device, REST and shell access. */
final class Suite {
    final Robustness.Targets t;
    final PrintStream notes;
    final Dm dm;
    final RawHttp restHttp;
    /** Role source addresses (null: the default source). */
    final InetAddress stranger;
    final InetAddress genuineSource;
    final InetAddress flooder;
    final InetAddress slow;
    final InetAddress restBrute;
    final InetAddress restGood;
    final InetAddress restOther;
    /** The genuine device, created on first use. */
    private Device genuine;
    /** Tokens in answers to unauthenticated messages of the stranger. */
    final Set<String> strangerTokens = Collections.synchronizedSet(new LinkedHashSet<>());
    /** Every REST answer body seen (for rest.no-secrets). */
    final List<String> restBodies = Collections.synchronizedList(new ArrayList<>());
    /** Set when a probe may have locked the demo device out. */
    volatile boolean mayBeLocked;

    Suite(Robustness.Targets t, PrintStream notes) {
        this.t = t;
        this.notes = notes;
        String host = t.http != null ? t.http.getHost() : "127.0.0.1";
        int port = t.http != null ? (t.http.getPort() > 0 ? t.http.getPort() : 80) : 8181;
        RawHttp http = new RawHttp(host, port);
        this.dm = new Dm(http, t.dmPath);
        this.restHttp = http;
        this.stranger = Robustness.source(host, 2, notes);
        this.genuineSource = Robustness.source(host, 3, notes);
        this.flooder = Robustness.source(host, 4, notes);
        this.slow = Robustness.source(host, 5, notes);
        this.restBrute = Robustness.source(host, 6, notes);
        this.restGood = Robustness.source(host, 7, notes);
        this.restOther = Robustness.source(host, 8, notes);
    }

    void requireHttp() throws Robustness.Skip {
        if (t.http == null) {
            throw new Robustness.Skip("no --http target");
        }
    }

    boolean hasRest() {
        return t.http != null && t.restUser != null && t.restPassword != null;
    }

    void requireRest() throws Robustness.Skip {
        requireHttp();
        if (t.restUser == null || t.restPassword == null) {
            throw new Robustness.Skip("no --rest-user/--rest-password");
        }
    }

    void requireHome() throws Robustness.Skip {
        if (t.home == null) {
            throw new Robustness.Skip("no --home");
        }
    }

    /** @return the genuine device (demo DevId, demo credentials, its own source address) */
    synchronized Device genuine() {
        if (genuine == null) {
            genuine = new Device(dm, genuineSource, Expect.DEMO_DEVID, Expect.DEMO_CLIENT_USER, Expect.DEMO_CLIENT_PASSWORD);
        }
        return genuine;
    }

    /**
     * @return a genuine device that just completed a session (so it holds a fresh nonce)
     * @throws IOException when it could not authenticate: then dependent probes fail with that reason
     */
    Device freshGenuine() throws IOException {
        Device d = genuine();
        Device.Login l = d.session();
        if (!l.authenticated()) {
            throw new IOException("the genuine device could not authenticate (" + l + ")");
        }
        return d;
    }

    /** Records the token of an answer to an unauthenticated message. */
    void strangerSaw(Dm.Answer a) {
        if (a != null && a.token() != null) {
            strangerTokens.add(a.token());
        }
    }

    // ---- REST -----------------------------------------------------------------------------------------

    String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** One REST call with the right credentials (or other ones), recorded for the secrets check. */
    RawHttp.Response rest(InetAddress source, String method, String relPath, String contentType, String body,
            String authorization, String... extraHeaders) throws IOException {
        byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        RawHttp.Request r = new RawHttp.Request(method, t.restPath + relPath, new ArrayList<>(), b);
        if (contentType != null) {
            r = r.header("Content-Type", contentType);
        }
        if (authorization != null) {
            r = r.header("Authorization", authorization);
        }
        r = r.header("Accept", "application/json");
        for (int i = 0; i + 1 < extraHeaders.length; i += 2) {
            r = r.header(extraHeaders[i], extraHeaders[i + 1]);
        }
        RawHttp.Response resp = restHttp.send(source, r, Expect.HTTP_TIMEOUT_MILLIS);
        restBodies.add(resp.text());
        return resp;
    }

    RawHttp.Response restAsOperator(String method, String relPath, String contentType, String body) throws IOException {
        return rest(restGood, method, relPath, contentType, body, basic(t.restUser, t.restPassword));
    }

    static String enc(String pathSegment) {
        return java.net.URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static final Pattern LAST_CONTACT = Pattern.compile("\"lastContact\"\\s*:\\s*(\"[^\"]*\"|null)");

    /**
     * @return a snapshot of the demo device's last contact: the REST {@code lastContact}, else the
     *         {@code dms:devices} line through bin/client
     * @throws Robustness.Skip when neither REST credentials nor --home are given
     */
    String lastContact() throws Robustness.Skip, IOException {
        if (hasRest()) {
            RawHttp.Response r = null;
            for (int i = 0; i < 3; i++) { // a busy server has been seen to answer 200 with a broken body
                r = restAsOperator("GET", "/devices/" + enc(Expect.DEMO_DEVID), null, null);
                Matcher m = LAST_CONTACT.matcher(r.text());
                if (r.status() == 200 && m.find()) {
                    return "REST lastContact=" + m.group(1);
                }
                notes.println("robustness: note: GET /devices/" + Expect.DEMO_DEVID + " answered HTTP " + r.status()
                        + " without lastContact: '" + RawHttp.printable(r.text().trim(), 120) + "'");
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
            }
            throw new IOException("GET /devices/" + Expect.DEMO_DEVID + " answered HTTP " + r.status() + " without lastContact: '"
                    + RawHttp.printable(r.text().trim(), 80) + "'");
        }
        if (t.home != null) {
            String out = shell("dms:devices", 20);
            for (String line : out.split("\n")) {
                if (line.contains(Expect.DEMO_DEVID)) {
                    return "dms:devices '" + line.trim().replaceAll("\\s+", " ") + "'";
                }
            }
            throw new IOException("dms:devices does not list " + Expect.DEMO_DEVID + ": " + RawHttp.printable(out, 120));
        }
        throw new Robustness.Skip("needs --rest-user/--rest-password or --home to see the device's sessions");
    }

    /** Runs shell commands through {@code bin/client -b}, bounded. */
    String shell(String commands, int timeoutSeconds) throws IOException {
        Path client = t.home.resolve("bin/client");
        if (!Files.isExecutable(client)) {
            throw new IOException(client + " is not executable");
        }
        Process p = new ProcessBuilder(client.toString(), "-b").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write((commands + "\n").getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream is = p.getInputStream()) {
                is.transferTo(out);
            } catch (IOException e) {
                // ends with the process
            }
        }, "robustness-client-out");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("bin/client did not answer within " + timeoutSeconds + " s");
            }
            reader.join(2000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** After the last probe: end a lock-out of the demo device that a probe may have caused. */
    void cleanup() {
        if (!mayBeLocked) {
            return;
        }
        try {
            if (hasRest()) {
                RawHttp.Response r = restAsOperator("POST", "/devices/" + enc(Expect.DEMO_DEVID) + "/unlock",
                        "application/json", "{}");
                notes.println("robustness: note: unlocked " + Expect.DEMO_DEVID + " through REST (HTTP " + r.status() + ")");
                if (r.status() / 100 == 2) {
                    return;
                }
            }
            if (t.home != null) {
                String out = shell("dms:device-unlock " + Expect.DEMO_DEVID, 20);
                notes.println("robustness: note: dms:device-unlock " + Expect.DEMO_DEVID + ": "
                        + RawHttp.printable(out.trim(), 120));
                return;
            }
            notes.println("robustness: note: " + Expect.DEMO_DEVID + " may stay locked out (no REST credentials, no --home)");
        } catch (IOException e) {
            notes.println("robustness: note: could not unlock " + Expect.DEMO_DEVID + ": " + e.getMessage());
        }
    }
}
