package org.cardinaldm.benchmarks.robustness;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.syncml.api.model.Cred;
import org.cardinaldm.syncml.api.model.SyncMessage;

/**
 * The genuine device as the probes play it: the demo DevId with its published md5 credentials, from a
 * source address of its own, keeping the nonce the server last gave it (as a real device keeps it in
 * CLCRED AAuthData). It accepts the server's header without checking it (it does not know the nonce
 * the real agent gave the server) and gives the server no new nonce, so the real agent's SRVCRED nonce
 * stays valid. Sessions are ended with Alert 1223 after the server's first package, before any job is
 * claimed.
 */
final class Device {
    final Dm dm;
    final InetAddress source;
    final String devId;
    final String user;
    final String password;
    /** The NextNonce (base64) the server gave this device last, or null before the first challenge. */
    String heldNonce;
    /** Every token the server issued to an authenticated session of this device. */
    final List<String> authenticatedTokens = new ArrayList<>();

    Device(Dm dm, InetAddress source, String devId, String user, String password) {
        this.dm = dm;
        this.source = source;
        this.devId = devId;
        this.user = user;
        this.password = password;
    }

    /** The outcome of one login: every SyncHdr status on the way, and the last answer. */
    static final class Login {
        final String sessionId;
        final List<Integer> headerCodes = new ArrayList<>();
        Dm.Answer last;
        int nextMsgId;
        byte[] acceptedPkg1;

        Login(String sessionId) {
            this.sessionId = sessionId;
        }

        boolean authenticated() {
            return last != null && (last.hdr() == 212 || last.hdr() == 200) && last.httpStatus() == 200;
        }

        int first() {
            return headerCodes.isEmpty() ? -1 : headerCodes.get(0);
        }

        @Override
        public String toString() {
            return "hdr " + headerCodes + (last == null ? "" : " last " + last.brief());
        }
    }

    private Cred cred() {
        return heldNonce == null ? null : Credentials.md5(user, password, Credentials.decodeNonce(heldNonce));
    }

    /**
     * Sends package 1 with credentials on the held nonce (without credentials when it holds none), and
     * answers up to {@code maxChallenges} challenges with package 1 again on the new nonce.
     */
    Login login(String sessionId, int maxChallenges) throws IOException {
        Login l = new Login(sessionId);
        int msgId = 1;
        String target = dm.path;
        for (int attempt = 0; attempt <= maxChallenges; attempt++) {
            SyncMessage m = dm.pkg1(devId, user, sessionId, msgId++, cred());
            byte[] bytes = dm.encode(m);
            Dm.Answer a = dm.postRaw(source, target, org.cardinaldm.syncml.api.MediaTypes.DM_XML, bytes);
            l.last = a;
            l.headerCodes.add(a.hdr());
            if (a.message() == null) {
                break;
            }
            String next = a.nextNonce();
            if (l.authenticated()) {
                l.acceptedPkg1 = bytes;
                if (a.token() != null) {
                    authenticatedTokens.add(a.token());
                }
                if (next != null) {
                    heldNonce = next;
                }
                break;
            }
            if ((a.hdr() == 401 || a.hdr() == 407) && next != null) {
                heldNonce = next;
                target = dm.pathOf(a.respUri());
                continue;
            }
            break;
        }
        l.nextMsgId = msgId;
        return l;
    }

    /** Answers the server's last message of an authenticated login (212, 404 to its commands), not ending the session. */
    Dm.Answer proceed(Login l) throws IOException {
        Dm.Answer a = dm.post(source, dm.pathOf(l.last.respUri()),
                dm.answer(l.last.message(), devId, l.sessionId, l.nextMsgId++, false));
        l.last = a;
        if (a.token() != null && a.httpStatus() == 200 && a.message() != null && a.hdr() < 300) {
            authenticatedTokens.add(a.token());
        }
        return a;
    }

    /** Ends an authenticated session with Alert 1223 (best effort; the answer is not needed). */
    void abort(Login l) {
        if (l == null || l.last == null || l.last.message() == null || l.last.respUri() == null) {
            return;
        }
        try {
            dm.post(source, dm.pathOf(l.last.respUri()), dm.answer(l.last.message(), devId, l.sessionId, l.nextMsgId++, true));
        } catch (IOException e) {
            // best effort
        }
    }

    /** Logs in (one challenge allowed) and ends the session at once: a whole genuine session. */
    Login session() throws IOException {
        Login l = login(Dm.sessionId(), 1);
        if (l.authenticated()) {
            abort(l);
        }
        return l;
    }
}
