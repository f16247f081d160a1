package org.cardinaldm.benchmarks.robustness;

import static org.cardinaldm.benchmarks.robustness.CodecProbes.refusal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.AlertCodes;
import org.cardinaldm.syncml.api.model.Location;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;

/** Group 4: what an anonymous peer can make the server hold or spend. */
final class CostProbes {
    private final Suite s;

    CostProbes(Suite s) {
        this.s = s;
    }

    void register(List<Robustness.Probe> probes) {
        probes.add(new Robustness.Probe("cost.huge-devid",
                "package 1 with a " + Expect.HUGE_LOCURI_CHARS + "-char DevId and Target LocURI: "
                        + refusal(Expect.HUGE_DEVID_HTTP, Expect.HUGE_DEVID_HDR)
                        + "; not kept (its token, if any, is refused; no such session listed); a genuine session then authenticates",
                this::hugeDevId));
        probes.add(new Robustness.Probe("cost.anonymous-sessions-bounded",
                "at most " + Expect.ANONYMOUS_SESSIONS_MAX + " anonymous package 1s from one source (+8 in flight) before "
                        + refusal(Expect.ANONYMOUS_REFUSAL_HTTP, Expect.ANONYMOUS_REFUSAL_HDR)
                        + " or a challenge without a session (no RespURI)"
                        + "; a genuine session from another source then authenticates",
                this::anonymousBounded));
        probes.add(new Robustness.Probe("cost.slow-bodies",
                Expect.SLOW_CONNECTIONS + " connections sending their bodies at 1 byte/s: a genuine package 1 from another source answered (HTTP 200, SyncML) within "
                        + Expect.SLOW_NORMAL_MAX_MILLIS + " ms",
                this::slowBodies));
    }

    private Robustness.Result hugeDevId() throws Exception {
        s.requireHttp();
        String prefix = "urn:x-cardinaldm:robustness-huge-" + Dm.randomHex(4) + "-";
        String devId = prefix + "a".repeat(Expect.HUGE_LOCURI_CHARS - prefix.length());
        String target = s.dm.serverUri + "/" + "b".repeat(Expect.HUGE_LOCURI_CHARS);
        SyncMessage m = s.dm.pkg1(devId, null, target, Dm.sessionId(), 1, null);
        Dm.Answer a = s.dm.post(s.stranger, s.dm.path, m);
        s.strangerSaw(a);
        StringBuilder obs = new StringBuilder(a.brief());
        boolean refused = a.refusedAs(Expect.HUGE_DEVID_HTTP, Expect.HUGE_DEVID_HDR);
        boolean kept = false;
        if (a.token() != null) {
            SyncMessage.Builder b = SyncMessage.builder(SyncHeader.builder().sessionId(m.header().sessionId()).msgId("2")
                    .target(s.dm.serverUri).source(Location.of(devId)).build());
            b.add(Status.builder().cmdId(b.nextCmdId()).msgRef("1").answeringHeader().code(200)
                    .addTargetRef(devId).addSourceRef(s.dm.serverUri).build());
            b.add(Alert.of(b.nextCmdId(), AlertCodes.NEXT_MESSAGE));
            Dm.Answer follow = s.dm.post(s.stranger, s.dm.pathOf(a.respUri()), b.build());
            kept = !follow.refusedAs(Expect.UNKNOWN_TOKEN_HTTP, Expect.UNKNOWN_TOKEN_HDR);
            obs.append("; its token then: ").append(follow.brief()).append(kept ? " (SESSION KEPT)" : "");
        }
        if (s.hasRest()) {
            RawHttp.Response r = s.restAsOperator("GET", "/sessions", null, null);
            boolean listed = r.text().contains(prefix);
            kept |= listed;
            obs.append("; REST /sessions HTTP ").append(r.status()).append(listed ? " LISTS IT" : " does not list it");
        }
        Device.Login l = s.genuine().session();
        obs.append("; genuine ").append(l);
        return new Robustness.Result(refused && !kept && l.authenticated(), obs.toString());
    }

    private Robustness.Result anonymousBounded() throws Exception {
        s.requireHttp();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger refusedAt = new AtomicInteger(-1);
        AtomicBoolean stop = new AtomicBoolean();
        Map<String, Integer> kinds = new TreeMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "robustness-anon");
            t.setDaemon(true);
            return t;
        });
        long deadline = System.nanoTime() + 18_000_000_000L;
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                fs.add(pool.submit(() -> {
                    while (!stop.get() && System.nanoTime() < deadline) {
                        int n = sent.incrementAndGet();
                        if (n > Expect.ANONYMOUS_SESSIONS_MAX + Expect.ANONYMOUS_SESSIONS_MARGIN) {
                            return;
                        }
                        String kind;
                        try {
                            Dm.Answer a = s.dm.post(s.flooder, s.dm.path, s.dm.pkg1("urn:x-cardinaldm:robustness-anon-"
                                    + Dm.randomHex(8), null, Dm.sessionId(), 1, null));
                            // past its budget the server still challenges, but keeps nothing: no RespURI token
                            boolean untracked = a.httpStatus() == 200
                                    && Expect.ANONYMOUS_UNTRACKED_HDR.contains(a.hdr()) && a.token() == null;
                            kind = (a.httpStatus() == 200 ? "hdr " + a.hdr() : "HTTP " + a.httpStatus())
                                    + (untracked ? " without session" : "");
                            if (untracked || a.refusedAs(Expect.ANONYMOUS_REFUSAL_HTTP, Expect.ANONYMOUS_REFUSAL_HDR)) {
                                refusedAt.compareAndSet(-1, n);
                                stop.set(true);
                            }
                        } catch (IOException e) {
                            kind = e.getClass().getSimpleName();
                        }
                        synchronized (kinds) {
                            kinds.merge(kind, 1, Integer::sum);
                        }
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        Device.Login l = s.genuine().session();
        // eight senders at once: up to seven requests may be in flight when the budget's edge is reached
        boolean ok = refusedAt.get() > 0 && refusedAt.get() <= Expect.ANONYMOUS_SESSIONS_MAX + 8 && l.authenticated();
        return new Robustness.Result(ok, "answers " + kinds + (refusedAt.get() > 0 ? ", first refusal at #" + refusedAt.get()
                : ", NO refusal in " + Math.min(sent.get(), Expect.ANONYMOUS_SESSIONS_MAX + Expect.ANONYMOUS_SESSIONS_MARGIN))
                + "; genuine from another source " + l);
    }

    private Robustness.Result slowBodies() throws Exception {
        s.requireHttp();
        List<Socket> slow = new ArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        int opened = 0;
        String openError = null;
        Thread trickle = null;
        try {
            byte[] head = RawHttp.Request.post(s.dm.path, MediaTypes.DM_XML, new byte[4096])
                    .head(s.dm.http.host() + ":" + s.dm.http.port());
            for (int i = 0; i < Expect.SLOW_CONNECTIONS; i++) {
                try {
                    Socket k = s.dm.http.connect(s.slow, 3000);
                    k.getOutputStream().write(head);
                    k.getOutputStream().write('<');
                    k.getOutputStream().flush();
                    slow.add(k);
                    opened++;
                } catch (IOException e) {
                    openError = e.getClass().getSimpleName() + ": " + e.getMessage();
                }
            }
            trickle = new Thread(() -> {
                while (!done.get()) {
                    for (Socket k : slow) {
                        try {
                            OutputStream o = k.getOutputStream();
                            o.write(' ');
                            o.flush();
                        } catch (IOException e) {
                            // closed by the server: fine
                        }
                    }
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "robustness-trickle");
            trickle.setDaemon(true);
            trickle.start();
            Thread.sleep(2000);
            long t0 = System.nanoTime();
            String normal;
            boolean answered;
            try {
                Dm.Answer a = s.dm.postRaw(s.genuineSource, s.dm.path, MediaTypes.DM_XML,
                        s.dm.encode(s.dm.pkg1("urn:x-cardinaldm:robustness-normal-" + Dm.randomHex(4), null, Dm.sessionId(), 1, null)),
                        (int) Expect.SLOW_NORMAL_MAX_MILLIS + 10_000);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                answered = a.httpStatus() == 200 && a.message() != null && ms <= Expect.SLOW_NORMAL_MAX_MILLIS;
                normal = a.brief() + " after " + ms + " ms";
            } catch (IOException e) {
                long ms = (System.nanoTime() - t0) / 1_000_000;
                answered = false;
                normal = "no answer after " + ms + " ms (" + Robustness.describe(e) + ")";
            }
            return new Robustness.Result(answered, opened + " slow connections opened"
                    + (openError == null ? "" : " (last refusal: " + openError + ")") + "; normal request: " + normal);
        } finally {
            done.set(true);
            if (trickle != null) {
                trickle.interrupt();
            }
            for (Socket k : slow) {
                try {
                    k.close();
                } catch (IOException e) {
                    // closing
                }
            }
        }
    }
}
