package org.cardinaldm.multinode.tests;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.AlertCodes;
import org.cardinaldm.syncml.api.model.Chal;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.Cred;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Delete;
import org.cardinaldm.syncml.api.model.Exec;
import org.cardinaldm.syncml.api.model.Get;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.ItemCommand;
import org.cardinaldm.syncml.api.model.Location;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.Replace;
import org.cardinaldm.syncml.api.model.Results;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.syncml.api.notification.Notification;
import org.cardinaldm.syncml.api.notification.WspPush;

/**
 * A simulated DM 1.2 device on the HTTP binding, written for this test on Cardinal's codec: md5 credentials both
 * ways (the nonces chained as the server gives them), a small tree, every command it executes counted, the node
 * that served each message read off the RespURI token ({@code <node>.<random>}), and package 0 received on a UDP
 * port of its own. A session can stop after executing the server's commands without sending its answer, as a
 * device whose answer is in flight when a node dies. One session of a device at a time.
 */
final class SimDevice implements AutoCloseable {
    /** The ServerID of the nodes (docs/examples/multinode/org.cardinaldm.server.cfg). */
    static final String SERVER_ID = "cardinal-dms";
    private static final MessageCodec CODEC = SyncML.forMediaType(MediaTypes.DM_XML).orElseThrow();

    final String deviceId;
    final String password;
    final String serverPassword;
    final long maxMsgSize;
    private volatile String clientNonce;
    private volatile String serverNonce;
    private final Map<String, String> tree = new ConcurrentHashMap<>();
    /** How many times each command ran on the device: "exec ./Reboot", "add ./X" ... */
    final Map<String, AtomicInteger> executed = new ConcurrentHashMap<>();
    /** The nodes (RespURI token prefixes) that served this device's messages. */
    final Set<String> nodes = ConcurrentHashMap.newKeySet();
    /** Every package 0 received. */
    final List<byte[]> notifications = new CopyOnWriteArrayList<>();
    private final DatagramSocket udp;
    /**
     * Every nonce this device gave the server, the first included: with two sessions of one device at once, a
     * session's server credentials may be computed from a nonce an answer of the other session has replaced since;
     * and the answer carrying a new nonce may be lost with its node. The server's credentials are checked against
     * all of them (a lenient device; the test is about jobs, not about nonces).
     */
    private final List<String> offered = new CopyOnWriteArrayList<>();
    private int sessions;

    /**
     * @param deviceId the DevId
     * @param maxMsgSize the MaxMsgSize it announces
     * @param listen whether it listens for package 0 on a UDP port of its own
     */
    SimDevice(String deviceId, long maxMsgSize, boolean listen) throws IOException {
        this.deviceId = deviceId;
        this.password = "pw-" + deviceId;
        this.serverPassword = "srv-" + deviceId;
        this.maxMsgSize = maxMsgSize;
        this.clientNonce = b64(deviceId + "/client/0");
        this.serverNonce = b64(deviceId + "/server/0");
        offered.add(serverNonce);
        tree.put("./DevInfo/DevId", deviceId);
        tree.put("./DevInfo/Man", "Cardinal");
        tree.put("./DevInfo/Mod", "MultiNodeSim");
        tree.put("./DevInfo/DmV", "1.2");
        tree.put("./DevInfo/Lang", "en");
        if (listen) {
            udp = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::receive, "sim-udp-" + deviceId);
            t.setDaemon(true);
            t.start();
        } else {
            udp = null;
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    String clientNonce() {
        return clientNonce;
    }

    String serverNonce() {
        return serverNonce;
    }

    private byte[][] serverNonces() {
        List<byte[]> out = new ArrayList<>();
        out.add(Credentials.decodeNonce(serverNonce));
        for (String n : offered) {
            out.add(Credentials.decodeNonce(n));
        }
        return out.toArray(new byte[0][]);
    }

    /** @return its push address, or null when it does not listen */
    String pushAddress() {
        return udp == null ? null : "udp:127.0.0.1:" + udp.getLocalPort();
    }

    /** @return how many times a command ran on the device, e.g. {@code count("exec", "./Reboot")} */
    int count(String kind, String uri) {
        AtomicInteger n = executed.get(kind + " " + uri);
        return n == null ? 0 : n.get();
    }

    /** @return the value of a node of its tree, or null */
    String value(String uri) {
        return tree.get(uri);
    }

    private void receive() {
        byte[] buf = new byte[2048];
        while (!udp.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(p);
                notifications.add(Arrays.copyOf(p.getData(), p.getLength()));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /**
     * @param index which package 0
     * @return the SessionID (hex) it asks for
     */
    String notifiedSessionId(int index) throws CodecException {
        byte[] datagram = notifications.get(index);
        return Notification.parse(WspPush.unwrap(datagram).orElse(datagram)).notification().sessionIdHex();
    }

    @Override
    public void close() {
        if (udp != null) {
            udp.close();
        }
    }

    /** A protocol or transport failure of a session. */
    static final class SessionFailure extends Exception {
        private static final long serialVersionUID = 1L;

        SessionFailure(String message) {
            super(message);
        }
    }

    /**
     * @param http the client
     * @param serverUrl where package 1 goes (the balancer's /dm)
     * @return a new client-initiated session, not started
     */
    synchronized Session session(HttpClient http, String serverUrl) {
        return new Session(http, serverUrl, Integer.toHexString(++sessions).toUpperCase(), AlertCodes.CLIENT_INITIATED_MGMT);
    }

    /**
     * @param http the client
     * @param serverUrl where package 1 goes
     * @param sessionId the SessionID a package 0 asked for
     * @return a new server-initiated session (Alert 1200), not started
     */
    synchronized Session answering(HttpClient http, String serverUrl, String sessionId) {
        ++sessions;
        return new Session(http, serverUrl, sessionId, AlertCodes.SERVER_INITIATED_MGMT);
    }

    /** One management session. */
    final class Session {
        private final HttpClient http;
        private final String sessionId;
        private final int alertCode;
        private String url;
        private int nextMsgId = 1;
        private boolean serverAccepted;
        private SyncMessage current;
        private SyncMessage pendingAnswer;
        private String nonceOffered;
        /** Large objects being received, by URI. */
        private final Map<String, StringBuilder> chunks = new java.util.HashMap<>();
        /** The node that holds the session (the token prefix of its last RespURI), or null. */
        String node;

        Session(HttpClient http, String serverUrl, String sessionId, int alertCode) {
            this.http = http;
            this.url = serverUrl;
            this.sessionId = sessionId;
            this.alertCode = alertCode;
        }

        /**
         * Sends package 1 (again after a challenge) and executes the commands of the server's first answer, without
         * answering yet.
         *
         * @return whether the server sent commands (false: the session is over)
         */
        boolean start() throws SessionFailure {
            current = send(pkg1());
            Status hdr = headerStatus(current);
            if (hdr != null && (hdr.code() == 401 || hdr.code() == 407)) {
                current = send(pkg1());
                hdr = headerStatus(current);
            }
            if (hdr == null || (hdr.code() != 200 && hdr.code() != 212)) {
                throw new SessionFailure(deviceId + ": package 1 answered " + (hdr == null ? "without status" : hdr.code()));
            }
            if (done(current)) {
                return false;
            }
            pendingAnswer = answer(current);
            return true;
        }

        /** Sends the answer to the server's last message and executes what comes back; false once over. */
        boolean step() throws SessionFailure {
            current = send(pendingAnswer);
            if (nonceOffered != null) {
                serverNonce = nonceOffered; // the server got the new nonce with this answer
                nonceOffered = null;
            }
            Status hdr = headerStatus(current);
            if (hdr != null && hdr.code() >= 300) {
                throw new SessionFailure(deviceId + ": the server answered " + hdr.code() + " to the header");
            }
            if (done(current)) {
                pendingAnswer = null;
                return false;
            }
            pendingAnswer = answer(current);
            return true;
        }

        /** Runs the session to its end. */
        void finish() throws SessionFailure {
            int guard = 0;
            while (pendingAnswer != null) {
                if (++guard > 50) {
                    throw new SessionFailure(deviceId + ": the session did not end after 50 messages");
                }
                step();
            }
        }

        /** Starts and finishes the session. */
        void run() throws SessionFailure {
            if (start()) {
                finish();
            }
        }

        private SyncHeader.Builder header(boolean cred) {
            SyncHeader.Builder b = SyncHeader.builder().sessionId(sessionId).msgId(Integer.toString(nextMsgId++))
                    .target(url.contains("?") ? url.substring(0, url.indexOf('?')) : url)
                    .source(Location.of(deviceId, deviceId)).meta(Meta.builder().maxMsgSize(maxMsgSize).build());
            if (cred) {
                b.cred(Credentials.md5(deviceId, password, Credentials.decodeNonce(clientNonce)));
            }
            return b;
        }

        private SyncMessage pkg1() {
            SyncMessage.Builder b = SyncMessage.builder(header(true).build());
            b.add(Alert.of(b.nextCmdId(), alertCode));
            List<Item> items = new ArrayList<>();
            for (String k : List.of("./DevInfo/DevId", "./DevInfo/Man", "./DevInfo/Mod", "./DevInfo/DmV",
                    "./DevInfo/Lang")) {
                items.add(new Item(null, Location.of(k), Meta.of("chr", "text/plain"), Data.text(tree.get(k)), false));
            }
            b.add(new Replace(b.nextCmdId(), false, null, null, items));
            return b.build();
        }

        /** Executes the server's commands and builds the answer (the device runs them before it answers). */
        private SyncMessage answer(SyncMessage in) throws SessionFailure {
            SyncMessage.Builder b = SyncMessage.builder(header(false).build());
            String msgRef = in.header().msgId();
            int hdrCode = 200;
            Chal chal = null;
            if (!serverAccepted) {
                Cred c = in.header().cred();
                if (c == null || !Credentials.verify(c, SERVER_ID, serverPassword, serverNonces())) {
                    throw new SessionFailure(deviceId + ": the server's credentials did not verify");
                }
                serverAccepted = true;
                hdrCode = 212;
                nonceOffered = b64(deviceId + "/server/" + sessionId + "/" + System.nanoTime());
                offered.add(nonceOffered);
                chal = new Chal(Meta.builder().type("syncml:auth-md5").format("b64").nextNonce(nonceOffered).build());
            }
            b.add(Status.builder().cmdId(b.nextCmdId()).msgRef(msgRef).answeringHeader().code(hdrCode).chal(chal)
                    .addTargetRef(in.header().target().locUri()).addSourceRef(in.header().source().locUri()).build());
            List<Command> results = new ArrayList<>();
            for (Command c : in.commands()) {
                if (c instanceof Status) {
                    continue;
                }
                if (c instanceof Get g) {
                    String uri = g.items().get(0).target().locUri();
                    count("get", uri, 1);
                    String v = tree.get(uri);
                    if (v == null) {
                        b.add(Status.of(b.nextCmdId(), msgRef, g, 404));
                        continue;
                    }
                    b.add(Status.of(b.nextCmdId(), msgRef, g, 200));
                    results.add(Results.of(b.nextCmdId(), msgRef, g.cmdId(),
                            new Item(null, Location.of(uri), Meta.of("chr", "text/plain"), Data.text(v), false)));
                } else if (c instanceof Exec e) {
                    count("exec", e.item().target().locUri(), 1);
                    b.add(Status.of(b.nextCmdId(), msgRef, c, 200));
                } else if (c instanceof Add a) {
                    Item item = a.items().get(0);
                    String uri = item.target().locUri();
                    if (item.moreData() || chunks.containsKey(uri)) { // a large object, in chunks (213 until the last)
                        chunks.computeIfAbsent(uri, k -> new StringBuilder()).append(text(item));
                        if (item.moreData()) {
                            b.add(Status.of(b.nextCmdId(), msgRef, c, 213));
                            continue;
                        }
                        item = new Item(item.target(), null, null, Data.text(chunks.remove(uri).toString()), false);
                    }
                    count("add", uri, 1);
                    boolean exists = tree.putIfAbsent(uri, text(item)) != null;
                    b.add(Status.of(b.nextCmdId(), msgRef, c, exists ? 418 : 200));
                } else if (c instanceof Replace r) {
                    for (Item item : r.items()) {
                        count("replace", item.target().locUri(), 1);
                        tree.put(item.target().locUri(), text(item));
                    }
                    b.add(Status.of(b.nextCmdId(), msgRef, c, 200));
                } else if (c instanceof Delete d) {
                    String uri = ((ItemCommand) d).items().get(0).target().locUri();
                    count("delete", uri, 1);
                    b.add(Status.of(b.nextCmdId(), msgRef, c, tree.remove(uri) != null ? 200 : 404));
                } else {
                    b.add(Status.of(b.nextCmdId(), msgRef, c, c instanceof Alert ? 200 : 406));
                }
            }
            results.forEach(b::add);
            if (!in.isFinal()) {
                b.add(Alert.of(b.nextCmdId(), AlertCodes.NEXT_MESSAGE));
            }
            return b.build();
        }

        private SyncMessage send(SyncMessage m) throws SessionFailure {
            byte[] body;
            try {
                body = CODEC.encode(m);
            } catch (CodecException e) {
                throw new SessionFailure(deviceId + ": cannot encode: " + e.getMessage());
            }
            HttpResponse<byte[]> resp;
            try {
                resp = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", MediaTypes.DM_XML).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                throw new SessionFailure(deviceId + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SessionFailure(deviceId + ": interrupted");
            }
            if (resp.statusCode() != 200) {
                throw new SessionFailure(deviceId + ": HTTP " + resp.statusCode() + " "
                        + new String(resp.body(), StandardCharsets.UTF_8).strip());
            }
            SyncMessage r;
            try {
                r = CODEC.decode(resp.body());
            } catch (CodecException e) {
                throw new SessionFailure(deviceId + ": cannot decode: " + e.getMessage());
            }
            String respUri = r.header().respUri();
            if (respUri != null) {
                url = respUri;
                int s = respUri.indexOf("s=");
                int dot = s < 0 ? -1 : respUri.indexOf('.', s);
                if (dot > 0) {
                    node = respUri.substring(s + 2, dot);
                    nodes.add(node);
                }
            }
            Status hdr = headerStatus(r);
            if (hdr != null && hdr.chal() != null && hdr.chal().meta() != null && hdr.chal().meta().nextNonce() != null) {
                clientNonce = hdr.chal().meta().nextNonce();
            }
            return r;
        }
    }

    private void count(String kind, String uri, int n) {
        executed.computeIfAbsent(kind + " " + uri, k -> new AtomicInteger()).addAndGet(n);
    }

    private static String text(Item item) {
        return item.data() == null ? "" : item.data().asText();
    }

    private static boolean done(SyncMessage m) {
        if (!m.isFinal()) {
            return false;
        }
        for (Command c : m.commands()) {
            if (!(c instanceof Status)) {
                return false;
            }
        }
        return true;
    }

    static Status headerStatus(SyncMessage m) {
        for (Command c : m.commands()) {
            if (c instanceof Status s && "0".equals(s.cmdRef())) {
                return s;
            }
        }
        return null;
    }
}
