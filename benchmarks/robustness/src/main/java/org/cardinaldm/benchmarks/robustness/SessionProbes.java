package org.cardinaldm.benchmarks.robustness;

import static org.cardinaldm.benchmarks.robustness.CodecProbes.refusal;
import static org.cardinaldm.benchmarks.robustness.CodecProbes.set;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.AlertCodes;
import org.cardinaldm.syncml.api.model.Location;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;

/**
 * Group 2: session fixation and hijack. One scenario, run once, judged by four probes:
 * <ol>
 * <li>the stranger (127.0.0.2) sends package 1 for the demo DevId with SessionID S and no credentials,
 * and keeps the token T0 of the challenge;</li>
 * <li>the genuine device (127.0.0.3) authenticates in session S (token T1);</li>
 * <li>the stranger posts a continuation (Status of the header, Alert 1222) to T0;</li>
 * <li>the stranger sends an unauthenticated package 1 (Alert 1201, MsgID 1) for S;</li>
 * <li>the genuine device answers the server's commands on its own token.</li>
 * </ol>
 */
final class SessionProbes {
    private final Suite s;
    private Scenario scenario;
    private Exception failure;

    SessionProbes(Suite s) {
        this.s = s;
    }

    static final class Scenario {
        String sessionId;
        Dm.Answer strangerPkg1;
        Device.Login genuine;
        /** The answer that authenticated the device in S, and its token T1. */
        String genuineBrief;
        String t1;
        Dm.Answer staleToken;
        Dm.Answer strangerSecondPkg1;
        Dm.Answer genuineContinues;
    }

    void register(List<Robustness.Probe> probes) {
        probes.add(new Robustness.Probe("session.token-rotated",
                "the token of the device's authenticated session S differs from the token T0 the stranger got for S",
                this::tokenRotated));
        probes.add(new Robustness.Probe("session.stale-token-refused",
                "the stranger's message on T0 after the device authenticated: " + refusal(Expect.STALE_TOKEN_HTTP, Expect.STALE_TOKEN_HDR)
                        + ", no server command",
                this::staleToken));
        probes.add(new Robustness.Probe("session.pkg1-keeps-session",
                "after the stranger's unauthenticated package 1 for the live S, the device's next message on its own token: HTTP "
                        + set(Expect.CONTINUE_HTTP) + " with SyncHdr status " + set(Expect.CONTINUE_HDR),
                this::keepsSession));
        probes.add(new Robustness.Probe("session.no-token-leak",
                "no answer to the stranger's unauthenticated messages names a token of an authenticated session or carries a server command",
                this::noLeak));
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
            scenario = run();
            return scenario;
        } catch (Exception e) {
            failure = e;
            throw e;
        }
    }

    private Scenario run() throws IOException {
        Scenario sc = new Scenario();
        Device d = s.genuine();
        sc.sessionId = Dm.sessionId();
        sc.strangerPkg1 = s.dm.post(s.stranger, s.dm.path, s.dm.pkg1(Expect.DEMO_DEVID, Expect.DEMO_CLIENT_USER,
                sc.sessionId, 1, null));
        s.strangerSaw(sc.strangerPkg1);

        sc.genuine = d.login(sc.sessionId, 1);
        if (!sc.genuine.authenticated()) {
            throw new IOException("the genuine device could not authenticate in S (" + sc.genuine + ")");
        }
        sc.genuineBrief = sc.genuine.toString();
        sc.t1 = sc.genuine.last.token();

        // the stranger continues on T0 as if it owned the session: "header accepted, send the next message"
        SyncMessage.Builder b = SyncMessage.builder(SyncHeader.builder().sessionId(sc.sessionId).msgId("2")
                .target(s.dm.serverUri).source(Location.of(Expect.DEMO_DEVID)).build());
        String msgRef = sc.strangerPkg1.message() == null ? "1" : sc.strangerPkg1.message().header().msgId();
        b.add(Status.builder().cmdId(b.nextCmdId()).msgRef(msgRef).answeringHeader().code(212)
                .addTargetRef(Expect.DEMO_DEVID).addSourceRef(s.dm.serverUri).build());
        b.add(Alert.of(b.nextCmdId(), AlertCodes.NEXT_MESSAGE));
        sc.staleToken = s.dm.post(s.stranger, s.dm.pathOf(sc.strangerPkg1.respUri()), b.build());
        s.strangerSaw(sc.staleToken);

        sc.strangerSecondPkg1 = s.dm.post(s.stranger, s.dm.path, s.dm.pkg1(Expect.DEMO_DEVID, Expect.DEMO_CLIENT_USER,
                sc.sessionId, 1, null));
        s.strangerSaw(sc.strangerSecondPkg1);

        sc.genuineContinues = d.proceed(sc.genuine);
        d.abort(sc.genuine);
        return sc;
    }

    private Robustness.Result tokenRotated() throws Exception {
        Scenario sc = scenario();
        String t0 = sc.strangerPkg1.token();
        String t1 = sc.t1;
        boolean ok = t1 != null && !t1.equals(t0);
        return new Robustness.Result(ok, "stranger " + sc.strangerPkg1.brief() + (t0 == null ? " no token" : " T0")
                + "; device " + sc.genuineBrief + (t1 == null ? " no token" : t1.equals(t0) ? " token = T0" : " token T1 != T0"));
    }

    private Robustness.Result staleToken() throws Exception {
        Scenario sc = scenario();
        if (sc.strangerPkg1.token() == null) {
            return new Robustness.Result(true, "the stranger's package 1 got no token (" + sc.strangerPkg1.brief() + ")");
        }
        Dm.Answer a = sc.staleToken;
        boolean leak = !a.management().isEmpty() || s.genuine().authenticatedTokens.contains(a.token());
        boolean ok = a.refusedAs(Expect.STALE_TOKEN_HTTP, Expect.STALE_TOKEN_HDR) && !leak;
        return new Robustness.Result(ok, "on T0: " + a.brief() + (leak ? " SERVER COMMANDS OR SESSION TOKEN DELIVERED" : ""));
    }

    private Robustness.Result keepsSession() throws Exception {
        Scenario sc = scenario();
        Dm.Answer a = sc.genuineContinues;
        boolean ok = Expect.CONTINUE_HTTP.contains(a.httpStatus()) && a.message() != null && Expect.CONTINUE_HDR.contains(a.hdr());
        return new Robustness.Result(ok, "stranger's package 1: " + sc.strangerSecondPkg1.brief() + "; device then: " + a.brief());
    }

    private Robustness.Result noLeak() throws Exception {
        Scenario sc = scenario();
        Set<String> leaked = new LinkedHashSet<>(s.strangerTokens);
        leaked.retainAll(s.genuine().authenticatedTokens);
        int commands = sc.strangerPkg1.management().size() + sc.staleToken.management().size()
                + sc.strangerSecondPkg1.management().size();
        boolean ok = leaked.isEmpty() && commands == 0;
        return new Robustness.Result(ok, s.strangerTokens.size() + " tokens seen by the stranger, " + leaked.size()
                + " of them authenticated; " + commands + " server commands in its answers");
    }
}
