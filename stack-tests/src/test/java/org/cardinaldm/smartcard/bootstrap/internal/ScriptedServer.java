package org.cardinaldm.smartcard.bootstrap.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.auth.HmacHeader;
import org.cardinaldm.syncml.api.model.Chal;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.Cred;
import org.cardinaldm.syncml.api.model.Location;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.Results;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;

import com.sun.net.httpserver.HttpServer;

/**
 * A DM server on loopback HTTP that follows a script: it decodes every client message (a message that does not
 * decode fails the exchange), records it with its headers and body, and answers with the next step. A step may
 * sign its answer with an {@code x-syncml-hmac} header. The server knows the secrets, as a real one does, so
 * the tests check the card's digests with the syncml library's own formulas.
 */
final class ScriptedServer implements AutoCloseable {
    /** The answer of a step: the message, and the HMAC key to sign it with (null: unsigned). */
    record Reply(SyncMessage message, String hmacUser, String hmacSecret, byte[] hmacNonce) {
        static Reply of(SyncMessage m) {
            return new Reply(m, null, null, null);
        }
    }

    /** What the client sent. */
    record Received(SyncMessage message, byte[] body, Map<String, String> headers) {
    }

    private final HttpServer http;
    private final Deque<Function<Received, Reply>> script = new ArrayDeque<>();
    final List<Received> received = new CopyOnWriteArrayList<>();
    private int nextMsgId = 1;
    /** The nonce the client last gave this server (its header Status Chal), as a real server keeps it. */
    private volatile byte[] nonce = new byte[0];

    ScriptedServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/dm", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            Map<String, String> h = new HashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(), v.get(0)));
            SyncMessage m;
            try {
                m = SyncML.decode(body);
            } catch (Exception e) {
                ex.sendResponseHeaders(400, -1);
                ex.close();
                return;
            }
            Received r = new Received(m, body, h);
            for (Command c : m.commands()) {
                if (c instanceof Status st && "0".equals(st.cmdRef()) && st.chal() != null && st.chal().meta() != null
                        && st.chal().meta().nextNonce() != null) {
                    nonce = java.util.Base64.getDecoder().decode(st.chal().meta().nextNonce());
                }
            }
            received.add(r);
            Function<Received, Reply> step;
            synchronized (script) {
                step = script.pollFirst();
            }
            Reply reply = step == null ? null : step.apply(r);
            if (reply == null) {
                ex.sendResponseHeaders(500, -1);
                ex.close();
                return;
            }
            byte[] out;
            try {
                out = SyncML.wbxml().encode(reply.message());
            } catch (Exception e) {
                throw new IOException(e);
            }
            ex.getResponseHeaders().add("Content-Type", "application/vnd.syncml.dm+wbxml");
            if (reply.hmacUser() != null) {
                ex.getResponseHeaders().add(HmacHeader.HEADER, new HmacHeader(HmacHeader.MD5, reply.hmacUser(),
                        HmacHeader.mac(reply.hmacUser(), reply.hmacSecret(), reply.hmacNonce(), out)).toHeaderValue());
            }
            ex.sendResponseHeaders(200, out.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(out);
            }
        });
        http.start();
    }

    /**
     * @return the nonce for this server's next credential: the NextNonce of the client's last Chal (a Cardinal
     *         card's own challenge), or empty before the client gave one
     */
    byte[] nonce() {
        return nonce.clone();
    }

    String address() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/dm";
    }

    ScriptedServer then(Function<Received, Reply> step) {
        synchronized (script) {
            script.addLast(step);
        }
        return this;
    }

    int pending() {
        synchronized (script) {
            return script.size();
        }
    }

    /** @return a server header answering the client's message, with a Cred (or none) */
    synchronized SyncHeader.Builder header(SyncMessage client, Cred cred) {
        SyncHeader h = client.header();
        return SyncHeader.builder().sessionId(h.sessionId()).msgId(Integer.toString(nextMsgId++))
                .target(Location.of(h.source().locUri())).source(Location.of(h.target().locUri())).cred(cred);
    }

    /** @return an answer: the header Status (with a Chal, or none) and a Status for every client command */
    SyncMessage.Builder reply(SyncMessage client, Cred cred, int headerCode, Chal chal, int commandCode) {
        SyncMessage.Builder b = SyncMessage.builder(header(client, cred).build());
        b.add(Status.builder().cmdId(b.nextCmdId()).msgRef(client.header().msgId()).answeringHeader().code(headerCode)
                .chal(chal).build());
        for (Command c : client.commands()) {
            if (!(c instanceof Status) && !(c instanceof Results)) {
                b.add(Status.builder().cmdId(b.nextCmdId()).msgRef(client.header().msgId()).answering(c)
                        .code(commandCode).build());
            }
        }
        return b;
    }

    /** @return a final answer with statuses only: the session ends */
    SyncMessage done(SyncMessage client, Cred cred) {
        return reply(client, cred, StatusCodes.OK, null, StatusCodes.OK).build();
    }

    static Chal md5Chal(byte[] nonce) {
        return new Chal(Meta.builder().type("syncml:auth-md5").format("b64")
                .nextNonce(java.util.Base64.getEncoder().encodeToString(nonce)).build());
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
