package org.cardinaldm.benchmarks.robustness;

import static org.cardinaldm.benchmarks.robustness.CodecProbes.set;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.syncml.api.model.Cred;
import org.cardinaldm.syncml.api.model.Meta;

/**
 * Group 3: lock-out and what a stranger learns before login. Runs last: on a server that locks a device
 * after N failures whoever they come from, the demo device stays locked (the suite unlocks it afterwards
 * through REST or bin/client when it can).
 */
final class LockoutProbes {
    private final Suite s;
    private Scenario scenario;
    private Exception failure;

    LockoutProbes(Suite s) {
        this.s = s;
    }

    static final class Scenario {
        final List<Integer> strangerCodes = new ArrayList<>();
        Device.Login genuine;
    }

    void register(List<Robustness.Probe> probes) {
        probes.add(new Robustness.Probe("lockout.unknown-devid-indistinguishable",
                "before login, the demo DevId and an unknown DevId get the same answers to: no credentials, no credentials again, wrong md5, no credentials (HTTP and SyncHdr statuses, Chal type/format, nonce length, whether the nonce changed)",
                this::indistinguishable));
        probes.add(new Robustness.Probe("lockout.genuine-after-stranger-failures",
                Expect.LOCKOUT_STRANGER_FAILURES + " wrong-credential package 1s for the demo DevId from the stranger's source, then the genuine device from its own source ends with SyncHdr "
                        + set(Expect.GENUINE_AUTH_HDR) + " and never sees " + set(Expect.GENUINE_NEVER_HDR),
                this::genuineAfterFailures));
        probes.add(new Robustness.Probe("lockout.nonce-unchanged-by-stranger",
                "after the stranger's failures, the genuine device's first package 1 (md5 on the nonce it was last given) gets SyncHdr "
                        + set(Expect.FIRST_TRY_HDR),
                this::nonceUnchanged));
    }

    /** @return what a stranger sees for one DevId, as a comparable text */
    private String signature(String devId) throws IOException {
        List<Dm.Answer> as = new ArrayList<>();
        as.add(s.dm.post(s.stranger, s.dm.path, s.dm.pkg1(devId, Expect.DEMO_CLIENT_USER, Dm.sessionId(), 1, null)));
        as.add(s.dm.post(s.stranger, s.dm.path, s.dm.pkg1(devId, Expect.DEMO_CLIENT_USER, Dm.sessionId(), 1, null)));
        String n = as.get(1).nextNonce();
        byte[] nonce = n == null ? new byte[16] : Credentials.decodeNonce(n);
        Cred wrong = Credentials.md5(Expect.DEMO_CLIENT_USER, "wrong-" + Dm.randomHex(6), nonce);
        as.add(s.dm.post(s.stranger, s.dm.path, s.dm.pkg1(devId, Expect.DEMO_CLIENT_USER, Dm.sessionId(), 1, wrong)));
        as.add(s.dm.post(s.stranger, s.dm.path, s.dm.pkg1(devId, Expect.DEMO_CLIENT_USER, Dm.sessionId(), 1, null)));
        StringBuilder http = new StringBuilder();
        StringBuilder hdr = new StringBuilder();
        StringBuilder chal = new StringBuilder();
        StringBuilder nonces = new StringBuilder();
        String prev = null;
        for (Dm.Answer a : as) {
            s.strangerSaw(a);
            http.append(a.httpStatus()).append(' ');
            hdr.append(a.hdr()).append(' ');
            Meta m = a.chalMeta();
            chal.append(m == null ? "none" : m.type() + "/" + m.format()).append(' ');
            String nn = a.nextNonce();
            nonces.append(nn == null ? "none" : Credentials.decodeNonce(nn).length + "B"
                    + (prev == null ? "" : Objects.equals(prev, nn) ? "=" : "*")).append(' ');
            prev = nn;
        }
        return "HTTP " + http.toString().trim() + ", hdr " + hdr.toString().trim() + ", chal " + chal.toString().trim()
                + ", nonce " + nonces.toString().trim();
    }

    private Robustness.Result indistinguishable() throws Exception {
        s.requireHttp();
        s.mayBeLocked = true; // one counted failure for the demo device
        String registered = signature(Expect.DEMO_DEVID);
        String unknown = signature("urn:x-cardinaldm:robustness-unknown-" + Dm.randomHex(6));
        boolean ok = registered.equals(unknown);
        return new Robustness.Result(ok, ok ? "both: " + registered + " ('=' same nonce as before, '*' new)"
                : "registered: " + registered + " | unknown: " + unknown + " ('=' same nonce as before, '*' new)");
    }

    private synchronized Scenario scenario() throws Exception {
        s.requireHttp();
        if (failure != null) {
            throw failure;
        }
        if (scenario != null) {
            return scenario;
        }
        try {
            Scenario sc = new Scenario();
            Device d = s.freshGenuine();
            s.mayBeLocked = true;
            for (int i = 0; i < Expect.LOCKOUT_STRANGER_FAILURES; i++) {
                byte[] nonce = new byte[16];
                Dm.RANDOM.nextBytes(nonce);
                Cred wrong = Credentials.md5(Expect.DEMO_CLIENT_USER, "guess-" + Dm.randomHex(6), nonce);
                Dm.Answer a = s.dm.post(s.stranger, s.dm.path, s.dm.pkg1(Expect.DEMO_DEVID, Expect.DEMO_CLIENT_USER,
                        Dm.sessionId(), 1, wrong));
                s.strangerSaw(a);
                sc.strangerCodes.add(a.httpStatus() == 200 ? a.hdr() : -a.httpStatus());
            }
            sc.genuine = d.login(Dm.sessionId(), 1);
            if (sc.genuine.authenticated()) {
                d.abort(sc.genuine);
            }
            scenario = sc;
            return sc;
        } catch (Exception e) {
            failure = e;
            throw e;
        }
    }

    private Robustness.Result genuineAfterFailures() throws Exception {
        Scenario sc = scenario();
        boolean never = sc.genuine.headerCodes.stream().noneMatch(Expect.GENUINE_NEVER_HDR::contains);
        boolean ok = sc.genuine.authenticated() && Expect.GENUINE_AUTH_HDR.contains(sc.genuine.last.hdr()) && never;
        return new Robustness.Result(ok, "stranger hdr " + sc.strangerCodes + "; genuine " + sc.genuine);
    }

    private Robustness.Result nonceUnchanged() throws Exception {
        Scenario sc = scenario();
        boolean ok = Expect.FIRST_TRY_HDR.contains(sc.genuine.first());
        return new Robustness.Result(ok, "genuine's first package 1: hdr " + sc.genuine.first() + " (all: " + sc.genuine.headerCodes + ")");
    }
}
