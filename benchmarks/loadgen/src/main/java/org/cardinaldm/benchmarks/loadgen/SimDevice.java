package org.cardinaldm.benchmarks.loadgen;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.AlertCodes;
import org.cardinaldm.syncml.api.model.Chal;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.Cred;
import org.cardinaldm.syncml.api.model.Data;
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

/**
 * One simulated DM 1.2 device: a small tree of DevInfo/DevDetail values, md5 client credentials with
 * the nonce the server last gave it, and the server's credentials it checks (giving the server a new
 * nonce each session). A session is a {@link Run}: package 1 (Alert 1201 + DevInfo, md5 Cred), then
 * Status/Results answers to whatever the server sends until the server's message is final and carries
 * no command. Not thread-safe: one session of a device at a time.
 */
final class SimDevice {
    static final String SERVER_USER = "cardinal";
    static final String REPLACE_URI = "./DevDetail/Ext/LoadGen/Value";
    /** {@code ./DevInfo/Man} of every simulated device. */
    static final String MANUFACTURER = "Cardinal";
    /** {@code ./DevInfo/Mod} is this prefix and the device's index modulo {@link #MODELS}. */
    static final String MODEL_PREFIX = "LoadGen-";
    static final int MODELS = 7;
    private static final long MAX_MSG_SIZE = 16 * 1024;
    private static final int MAX_MESSAGES = 40;

    final String deviceId;
    final String password;
    final String serverPassword;
    /** The nonce the server gave this device for its next credentials (base64). */
    String clientNonce;
    /** The nonce this device gave the server (base64). */
    String serverNonce;
    private final Map<String, String> tree = new LinkedHashMap<>();
    private int sessions;
    /** The FUMO Exec this device accepted (202) and has not reported yet, or null. */
    FumoExec pendingFumo;

    /**
     * A FUMO {@code DownloadAndUpdate} (or {@code Download}, {@code Update}) Exec the device answered 202.
     *
     * @param instance the FUMO instance, e.g. {@code ./FUMO/FW}
     * @param node the executed node's name ({@code DownloadAndUpdate})
     * @param correlator the Exec's Correlator, or null
     * @param pkgUrl the {@code PkgURL} the server replaced before the Exec, or null
     */
    record FumoExec(String instance, String node, String correlator, String pkgUrl) {
        /** @return the Generic Alert's Meta Type for this Exec */
        String alertType() {
            return "org.openmobilealliance.dm.firmwareupdate." + node.toLowerCase(java.util.Locale.ROOT);
        }
    }

    SimDevice(int index, String clientNonce, String serverNonce) {
        this.deviceId = String.format("IMEI:35%013d", index);
        this.password = "pw-" + index;
        this.serverPassword = "srv-" + index;
        this.clientNonce = clientNonce;
        this.serverNonce = serverNonce;
        tree.put("./DevInfo/DevId", deviceId);
        tree.put("./DevInfo/Man", MANUFACTURER);
        tree.put("./DevInfo/Mod", MODEL_PREFIX + (index % MODELS));
        tree.put("./DevInfo/DmV", "1.2");
        tree.put("./DevInfo/Lang", "en-US");
        tree.put("./DevDetail/DevTyp", "gateway");
        tree.put("./DevDetail/OEM", "Cardinal OEM");
        tree.put("./DevDetail/FwV", "1.0." + (index % 13));
        tree.put("./DevDetail/SwV", "0.1.0");
        tree.put("./DevDetail/HwV", "rev-b");
        tree.put(REPLACE_URI, "initial");
    }

    /** @return how many sessions this device started */
    int sessionCount() {
        return sessions;
    }

    /** @return the tree value at a URI, or null */
    String value(String uri) {
        return tree.get(uri);
    }

    /** A protocol or transport failure of one session, with a short kind for counting. */
    static final class SessionFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final String kind;

        SessionFailure(String kind, String message) {
            super(message);
            this.kind = kind;
        }
    }

    /** The wire: one HTTP POST per message. */
    static final class Wire {
        final HttpClient http;
        final MessageCodec codec;
        final String contentType;
        final String serverUrl;

        Wire(HttpClient http, MessageCodec codec, String contentType, String serverUrl) {
            this.http = http;
            this.codec = codec;
            this.contentType = contentType;
            this.serverUrl = serverUrl;
        }
    }

    /**
     * @param wire the wire
     * @return a new session, not yet started
     */
    Run session(Wire wire) {
        sessions++;
        return new Run(wire, Integer.toHexString(sessions & 0xFFFF).toUpperCase(), null);
    }

    /**
     * @param wire the wire
     * @param report the Generic Alert 1226 package 1 carries (FUMO's result), or null
     * @return a new session, not yet started
     */
    Run session(Wire wire, Alert report) {
        sessions++;
        return new Run(wire, Integer.toHexString(sessions & 0xFFFF).toUpperCase(), report);
    }

    /**
     * @param exec the Exec being reported
     * @param resultCode the FUMO result code (200 success, 402 corrupted package, 503 download failed ...)
     * @return the Generic Alert 1226 reporting it (its CmdID is set when the package is built)
     */
    static Alert fumoReport(FumoExec exec, int resultCode) {
        Item item = Item.builder().source(exec.instance()).meta(Meta.builder().type(exec.alertType()).format("chr")
                .build()).data(Data.text(Integer.toString(resultCode))).build();
        return new Alert("0", false, null, AlertCodes.GENERIC_ALERT, exec.correlator(), List.of(item));
    }

    /** One management session. */
    final class Run {
        private final Wire wire;
        private final String sessionId;
        private String url;
        private int nextMsgId = 1;
        private boolean serverAccepted;
        /** How many HTTP exchanges this session took. */
        int messages;
        /** How many server commands were executed. */
        int commands;
        private byte[] pendingBytes;
        private byte[] lastBody;
        private final Alert report;

        Run(Wire wire, String sessionId, Alert report) {
            this.wire = wire;
            this.sessionId = sessionId;
            this.url = wire.serverUrl;
            this.report = report;
        }

        /**
         * Sends package 1 (again after one challenge) and stops at the server's first answer that
         * carries management commands, so that the session is open and authenticated on the server.
         *
         * @return whether the session is open (false: the server ended it at once)
         * @throws SessionFailure when the server refused
         */
        boolean open() throws SessionFailure {
            SyncMessage r = send(pkg1());
            Status hdr = headerStatus(r);
            if (hdr != null && (hdr.code() == 401 || hdr.code() == 407) && hdr.chal() != null) {
                r = send(pkg1());
                hdr = headerStatus(r);
            }
            if (hdr == null || (hdr.code() != 200 && hdr.code() != 212)) {
                throw new SessionFailure("auth " + (hdr == null ? "none" : hdr.code()),
                        "package 1 of " + deviceId + " answered " + (hdr == null ? "without header status" : hdr.code()));
            }
            boolean open = !(r.isFinal() && managementCommands(r).isEmpty());
            pendingBytes = open ? lastBody : null;
            return open;
        }

        /**
         * Answers the server until it ends the session.
         *
         * @throws SessionFailure when the server refused or the session did not end
         */
        void finish() throws SessionFailure {
            if (pendingBytes == null) {
                return;
            }
            SyncMessage r;
            try {
                r = wire.codec.decode(pendingBytes);
            } catch (CodecException e) {
                throw new SessionFailure("decode", e.getMessage());
            }
            while (!(r.isFinal() && managementCommands(r).isEmpty())) {
                if (messages >= MAX_MESSAGES) {
                    throw new SessionFailure("no end", "session of " + deviceId + " did not end after " + messages);
                }
                r = send(answer(r));
                Status hdr = headerStatus(r);
                if (hdr != null && hdr.code() >= 300) {
                    throw new SessionFailure("header " + hdr.code(), "server answered " + hdr.code());
                }
            }
            pendingBytes = null;
        }

        /** @return about how many bytes this open session holds on the device side */
        long heldBytes() {
            return 200 + (pendingBytes == null ? 0 : 16 + pendingBytes.length) + 2L * url.length();
        }

        /**
         * @return an encoded package 1 of this session (not sent)
         * @throws CodecException when it cannot be encoded
         */
        byte[] package1Bytes() throws CodecException {
            return wire.codec.encode(pkg1());
        }

        private SyncHeader.Builder header(boolean withCred) {
            SyncHeader.Builder b = SyncHeader.builder().sessionId(sessionId).msgId(Integer.toString(nextMsgId++))
                    .target(wire.serverUrl).source(Location.of(deviceId, deviceId))
                    .meta(Meta.builder().maxMsgSize(MAX_MSG_SIZE).build());
            if (withCred) {
                b.cred(Credentials.md5(deviceId, password, Credentials.decodeNonce(clientNonce)));
            }
            return b;
        }

        private SyncMessage pkg1() {
            SyncMessage.Builder b = SyncMessage.builder(header(true).build());
            b.add(Alert.of(b.nextCmdId(), AlertCodes.CLIENT_INITIATED_MGMT));
            List<Item> items = new ArrayList<>();
            for (String k : List.of("./DevInfo/DevId", "./DevInfo/Man", "./DevInfo/Mod", "./DevInfo/DmV",
                    "./DevInfo/Lang")) {
                items.add(new Item(null, Location.of(k), Meta.of("chr", "text/plain"), Data.text(tree.get(k)), false));
            }
            b.add(new Replace(b.nextCmdId(), false, null, null, items));
            if (report != null) {
                b.add(new Alert(b.nextCmdId(), false, null, report.code(), report.correlator(), report.items()));
            }
            return b.build();
        }

        private SyncMessage answer(SyncMessage in) throws SessionFailure {
            SyncMessage.Builder b = SyncMessage.builder(header(false).build());
            String msgRef = in.header().msgId();
            int hdrCode = 200;
            Chal chal = null;
            if (!serverAccepted) {
                Cred c = in.header().cred();
                if (c == null || !Credentials.verify(c, SERVER_USER, serverPassword,
                        Credentials.decodeNonce(serverNonce))) {
                    throw new SessionFailure("server cred", "the server's credentials did not verify");
                }
                serverAccepted = true;
                hdrCode = 212;
                serverNonce = Base64.getEncoder().encodeToString(
                        (deviceId + "/" + sessionId + "/" + System.nanoTime()).getBytes(StandardCharsets.US_ASCII));
                chal = new Chal(Meta.builder().type("syncml:auth-md5").format("b64").nextNonce(serverNonce).build());
            }
            b.add(Status.builder().cmdId(b.nextCmdId()).msgRef(msgRef).answeringHeader().code(hdrCode).chal(chal)
                    .addTargetRef(in.header().target().locUri()).addSourceRef(in.header().source().locUri()).build());
            List<Command> results = new ArrayList<>();
            for (Command c : in.commands()) {
                if (c instanceof Status) {
                    continue;
                }
                commands++;
                if (c instanceof Get g) {
                    String uri = g.items().get(0).target().locUri();
                    String v = tree.get(uri);
                    if (v == null) {
                        b.add(Status.of(b.nextCmdId(), msgRef, g, 404));
                        continue;
                    }
                    b.add(Status.of(b.nextCmdId(), msgRef, g, 200));
                    results.add(Results.of(b.nextCmdId(), msgRef, g.cmdId(),
                            new Item(null, Location.of(uri), Meta.of("chr", "text/plain"), Data.text(v), false)));
                } else if (c instanceof Exec e) {
                    b.add(Status.of(b.nextCmdId(), msgRef, c, exec(e)));
                } else if (c instanceof Replace || c instanceof Add) {
                    for (Item item : ((ItemCommand) c).items()) {
                        tree.put(item.target().locUri(), item.data() == null ? "" : item.data().asText());
                    }
                    b.add(Status.of(b.nextCmdId(), msgRef, c, 200));
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

        /**
         * FUMO 1.0: an Exec of {@code ./FUMO/<x>/DownloadAndUpdate}, {@code Download} or {@code Update} is accepted
         * (202) and remembered with its Correlator, and the instance's {@code State} becomes 30 (Download
         * Progressing) for a Get that follows; the campaign downloads {@code <node>/PkgURL} after the session and
         * reports in a Generic Alert 1226. Anything else is 406.
         */
        private int exec(Exec e) {
            String target = e.item() == null || e.item().target() == null ? "" : e.item().target().locUri();
            String[] parts = target.split("/");
            if (parts.length == 4 && parts[0].equals(".") && parts[1].equals("FUMO") && !parts[2].isEmpty()
                    && List.of("DownloadAndUpdate", "Download", "Update").contains(parts[3])) {
                pendingFumo = new FumoExec("./FUMO/" + parts[2], parts[3], e.correlator(), tree.get(target + "/PkgURL"));
                tree.put("./FUMO/" + parts[2] + "/State", "30"); // Download Progressing, for a Get that follows
                return 202;
            }
            return 406;
        }

        private SyncMessage send(SyncMessage m) throws SessionFailure {
            byte[] body;
            try {
                body = wire.codec.encode(m);
            } catch (CodecException e) {
                throw new SessionFailure("encode", e.getMessage());
            }
            HttpResponse<byte[]> resp;
            try {
                resp = wire.http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                        .header("Content-Type", wire.contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                throw new SessionFailure("io " + e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SessionFailure("interrupted", "interrupted");
            }
            messages++;
            if (resp.statusCode() != 200) {
                throw new SessionFailure("http " + resp.statusCode(), new String(resp.body(), StandardCharsets.UTF_8));
            }
            SyncMessage r;
            lastBody = resp.body();
            try {
                r = wire.codec.decode(resp.body());
            } catch (CodecException e) {
                throw new SessionFailure("decode", e.getMessage());
            }
            if (r.header().respUri() != null) {
                url = r.header().respUri();
            }
            Status hdr = headerStatus(r);
            if (hdr != null && hdr.chal() != null && hdr.chal().meta() != null
                    && hdr.chal().meta().nextNonce() != null) {
                clientNonce = hdr.chal().meta().nextNonce();
            }
            return r;
        }
    }

    static Status headerStatus(SyncMessage m) {
        for (Command c : m.commands()) {
            if (c instanceof Status s && "0".equals(s.cmdRef())) {
                return s;
            }
        }
        return null;
    }

    static List<Command> managementCommands(SyncMessage m) {
        List<Command> out = new ArrayList<>();
        for (Command c : m.commands()) {
            if (!(c instanceof Status)) {
                out.add(c);
            }
        }
        return out;
    }
}
