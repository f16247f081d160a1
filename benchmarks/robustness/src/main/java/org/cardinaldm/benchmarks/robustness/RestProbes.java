package org.cardinaldm.benchmarks.robustness;

import static org.cardinaldm.benchmarks.robustness.CodecProbes.set;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Group 6: the REST API. State-changing probes try to register a throw-away device
 * ({@code urn:x-cardinaldm:robustness-<random>}); "nothing changed" means a GET of it is 404
 * afterwards. A device that was registered anyway is deleted again.
 */
final class RestProbes {
    private final Suite s;
    /** A password only this run knows, for the registration probes and the secrets check. */
    private final String probePassword = "robustness-probe-" + Dm.randomHex(8);

    RestProbes(Suite s) {
        this.s = s;
    }

    void register(List<Robustness.Probe> probes) {
        probes.add(new Robustness.Probe("rest.no-credentials",
                "GET /devices without credentials: HTTP " + set(Expect.REST_NO_CREDENTIALS_HTTP) + " with WWW-Authenticate",
                this::noCredentials));
        probes.add(new Robustness.Probe("rest.foreign-origin",
                "POST /devices with the right credentials and Origin " + Expect.FOREIGN_ORIGIN + ": HTTP "
                        + set(Expect.REST_FOREIGN_ORIGIN_HTTP) + ", device not created (GET " + set(Expect.REST_NOT_CREATED_HTTP) + ")",
                this::foreignOrigin));
        probes.add(new Robustness.Probe("rest.non-json-post",
                "POST /devices with the right credentials as application/x-www-form-urlencoded: HTTP "
                        + set(Expect.REST_NON_JSON_HTTP) + ", device not created",
                this::nonJson));
        probes.add(new Robustness.Probe("rest.viewer-cannot-write",
                "POST /devices as the viewer user: HTTP " + set(Expect.REST_VIEWER_WRITE_HTTP) + ", device not created",
                this::viewer));
        probes.add(new Robustness.Probe("rest.no-secrets",
                "no REST answer of this run (devices, a registration echo, errors) holds a demo secret, the probe's password, the operator's password or a non-empty password/secret/nonce/digest/token field",
                this::noSecrets));
        probes.add(new Robustness.Probe("rest.bruteforce-throttled",
                Expect.REST_WRONG_PASSWORDS + " wrong passwords for the REST user from one source: then HTTP "
                        + set(Expect.REST_THROTTLED_HTTP) + " with Retry-After",
                this::bruteforce));
        probes.add(new Robustness.Probe("rest.right-password-other-source",
                "after the brute force, the right password from another source: HTTP " + set(Expect.REST_OK_HTTP),
                this::rightPasswordElsewhere));
    }

    private String newDeviceJson(String devId) {
        return "{\"deviceId\":\"" + devId + "\",\"clientPassword\":\"" + probePassword + "\",\"serverPassword\":\""
                + probePassword + "-srv\"}";
    }

    /** @return the HTTP status of GET /devices/{id}, deleting the device if it exists */
    private String existsAfter(String devId) throws Exception {
        RawHttp.Response g = s.restAsOperator("GET", "/devices/" + Suite.enc(devId), null, null);
        if (g.status() == 200) {
            RawHttp.Response d = s.restAsOperator("DELETE", "/devices/" + Suite.enc(devId), null, null);
            return "GET " + g.status() + " (CREATED; deleted again: HTTP " + d.status() + ")";
        }
        return "GET " + g.status();
    }

    private Robustness.Result noCredentials() throws Exception {
        s.requireRest();
        RawHttp.Response r = s.rest(s.restOther, "GET", "/devices", null, null, null);
        boolean ok = Expect.REST_NO_CREDENTIALS_HTTP.contains(r.status()) && r.header("WWW-Authenticate") != null;
        return new Robustness.Result(ok, "HTTP " + r.status() + ", WWW-Authenticate: " + r.header("WWW-Authenticate"));
    }

    private Robustness.Result foreignOrigin() throws Exception {
        s.requireRest();
        String devId = "urn:x-cardinaldm:robustness-origin-" + Dm.randomHex(6);
        RawHttp.Response r = s.rest(s.restGood, "POST", "/devices", "application/json", newDeviceJson(devId),
                s.basic(s.t.restUser, s.t.restPassword), "Origin", Expect.FOREIGN_ORIGIN);
        String after = existsAfter(devId);
        boolean ok = Expect.REST_FOREIGN_ORIGIN_HTTP.contains(r.status()) && after.equals("GET 404");
        return new Robustness.Result(ok, "HTTP " + r.status() + "; " + after);
    }

    private Robustness.Result nonJson() throws Exception {
        s.requireRest();
        String devId = "urn:x-cardinaldm:robustness-form-" + Dm.randomHex(6);
        RawHttp.Response r = s.rest(s.restGood, "POST", "/devices", "application/x-www-form-urlencoded",
                newDeviceJson(devId), s.basic(s.t.restUser, s.t.restPassword));
        String after = existsAfter(devId);
        boolean ok = Expect.REST_NON_JSON_HTTP.contains(r.status()) && after.equals("GET 404");
        return new Robustness.Result(ok, "HTTP " + r.status() + "; " + after);
    }

    private Robustness.Result viewer() throws Exception {
        s.requireRest();
        if (s.t.viewerUser == null) {
            throw new Robustness.Skip("no --rest-viewer user:password");
        }
        String devId = "urn:x-cardinaldm:robustness-viewer-" + Dm.randomHex(6);
        RawHttp.Response read = s.rest(s.restGood, "GET", "/devices", null, null, s.basic(s.t.viewerUser, s.t.viewerPassword));
        RawHttp.Response r = s.rest(s.restGood, "POST", "/devices", "application/json", newDeviceJson(devId),
                s.basic(s.t.viewerUser, s.t.viewerPassword));
        String after = existsAfter(devId);
        boolean ok = Expect.REST_VIEWER_WRITE_HTTP.contains(r.status()) && after.equals("GET 404");
        return new Robustness.Result(ok, "viewer GET /devices HTTP " + read.status() + ", POST HTTP " + r.status() + "; " + after);
    }

    private Robustness.Result noSecrets() throws Exception {
        s.requireRest();
        // a legitimate registration and reads, so that echoes of what was sent are in the corpus
        String devId = "urn:x-cardinaldm:robustness-secrets-" + Dm.randomHex(6);
        RawHttp.Response created = s.restAsOperator("POST", "/devices", "application/json", newDeviceJson(devId));
        s.restAsOperator("GET", "/devices/" + Suite.enc(devId), null, null);
        s.restAsOperator("PUT", "/devices/" + Suite.enc(devId) + "/credentials", "application/json",
                "{\"clientPassword\":\"" + probePassword + "-2\",\"serverPassword\":\"" + probePassword + "-3\"}");
        s.restAsOperator("GET", "/devices", null, null);
        s.restAsOperator("GET", "/devices/" + Suite.enc(Expect.DEMO_DEVID) + "?alerts=10", null, null);
        s.restAsOperator("GET", "/sessions", null, null);
        s.restAsOperator("GET", "/devices/" + Suite.enc(Expect.DEMO_DEVID) + "/notifications", null, null);
        s.restAsOperator("POST", "/devices", "application/json", "{\"deviceId\":\"x\",\"clientPassword\":\"" + probePassword
                + "-4\",\"pasword\":\"" + probePassword + "-5\"}");
        RawHttp.Response deleted = s.restAsOperator("DELETE", "/devices/" + Suite.enc(devId), null, null);
        List<String> found = new ArrayList<>();
        Pattern field = Pattern.compile(Expect.SECRET_FIELD_PATTERN);
        List<String> bodies;
        synchronized (s.restBodies) {
            bodies = new ArrayList<>(s.restBodies);
        }
        for (String b : bodies) {
            for (String secret : new String[] {Expect.DEMO_CLIENT_PASSWORD, Expect.DEMO_SERVER_PASSWORD, probePassword,
                    s.t.restPassword}) {
                if (secret != null && b.contains(secret)) {
                    found.add("the literal " + (secret.equals(s.t.restPassword) ? "operator password" : secret.startsWith("robustness")
                            ? "probe password" : secret));
                }
            }
            Matcher m = field.matcher(b);
            while (m.find()) {
                found.add("field " + RawHttp.printable(m.group(), 40));
            }
        }
        boolean ok = found.isEmpty();
        return new Robustness.Result(ok, bodies.size() + " answers checked (registration HTTP " + created.status()
                + ", deletion HTTP " + deleted.status() + ")" + (ok ? ", none holds a secret" : ": " + String.join(", ", found.subList(0, Math.min(5, found.size())))));
    }

    private Robustness.Result bruteforce() throws Exception {
        s.requireRest();
        StringBuilder codes = new StringBuilder();
        RawHttp.Response throttled = null;
        for (int i = 0; i <= Expect.REST_WRONG_PASSWORDS; i++) { // the 10 wrong ones, then one more
            RawHttp.Response r = s.rest(s.restBrute, "GET", "/devices", null, null,
                    s.basic(s.t.restUser, "wrong-" + Dm.randomHex(6)));
            codes.append(i == 0 ? "" : ",").append(r.status());
            if (Expect.REST_THROTTLED_HTTP.contains(r.status()) && r.header("Retry-After") != null) {
                throttled = r;
            }
        }
        boolean ok = throttled != null;
        return new Robustness.Result(ok, "HTTP " + codes + (throttled == null ? ", never throttled with Retry-After"
                : ", Retry-After: " + throttled.header("Retry-After")));
    }

    private Robustness.Result rightPasswordElsewhere() throws Exception {
        s.requireRest();
        RawHttp.Response r = s.rest(s.restOther, "GET", "/devices", null, null, s.basic(s.t.restUser, s.t.restPassword));
        return new Robustness.Result(Expect.REST_OK_HTTP.contains(r.status()), "HTTP " + r.status());
    }
}
