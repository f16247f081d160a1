package org.cardinaldm.server.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.transport.InboundMessage;
import org.cardinaldm.server.api.transport.OutboundMessage;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.syncml.api.auth.HmacHeader;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.AlertCodes;
import org.cardinaldm.syncml.api.model.Atomic;
import org.cardinaldm.syncml.api.model.Chal;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.Copy;
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
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;

/**
 * A scripted DM client for tests: builds real SyncML messages with the codec, authenticates with
 * basic, md5 or HMAC, executes the server's commands on a map and answers with Status and Results,
 * chunking large results and reassembling large objects.
 */
final class DeviceSim {
    static final String SERVER_URL = "http://dm.example/dm";

    final SessionEngine engine;
    final MessageCodec codec;
    final String contentType;
    final String deviceId;
    String user;
    String password;
    AuthScheme scheme = AuthScheme.MD5;
    /** The nonce the server gave this device (for its next credentials). */
    String clientNonce = "AAAAAA==";
    /** The server's credentials this device checks, and the nonce it gave the server. */
    String serverUser = "cardinal";
    String serverPassword;
    String serverNonce = "AAAAAA==";
    boolean checkServer = true;
    boolean serverAccepted;
    int serverRejectionsToSend;
    String sessionId = "1";
    int alertCode = AlertCodes.CLIENT_INITIATED_MGMT;
    long maxMsgSize = 16384;
    int resultChunk = 0;
    int nextMsgId = 1;
    String token;
    /** The peer address the transport reports for this device. */
    String source = "test";
    /** Whether every message carries Cred (clients that ignore RespURI re-authenticate each message). */
    boolean credInEveryMessage;
    final Map<String, String> tree = new LinkedHashMap<>();
    final Map<String, Integer> failures = new HashMap<>();
    final List<SyncMessage> received = new ArrayList<>();
    final List<byte[]> sentBytes = new ArrayList<>();
    OutboundMessage lastOut;
    final Map<String, StringBuilder> assembling = new HashMap<>();
    final List<String> execs = new ArrayList<>();
    int serverCommandsSeen;
    /** Told the URI of every Add this device executes. */
    java.util.function.Consumer<String> onAdd = uri -> {
    };

    DeviceSim(SessionEngine engine, boolean wbxml, String deviceId, String password, String serverPassword) {
        this(engine, wbxml ? MediaTypes.DM_WBXML : MediaTypes.DM_XML, deviceId, password, serverPassword);
    }

    DeviceSim(SessionEngine engine, String contentType, String deviceId, String password, String serverPassword) {
        this.engine = engine;
        this.contentType = contentType;
        this.codec = SyncML.forMediaType(contentType).orElseThrow();
        this.deviceId = deviceId;
        this.user = deviceId;
        this.password = password;
        this.serverPassword = serverPassword;
        tree.put("./DevInfo/DevId", deviceId);
        tree.put("./DevInfo/Man", "Cardinal");
        tree.put("./DevInfo/Mod", "Sim");
        tree.put("./DevInfo/DmV", "1.2");
        tree.put("./DevInfo/Lang", "en");
    }

    SyncHeader.Builder header(boolean withCred) {
        SyncHeader.Builder b = SyncHeader.builder().sessionId(sessionId).msgId(Integer.toString(nextMsgId++))
                .target(SERVER_URL).source(Location.of(deviceId, scheme == AuthScheme.BASIC ? null : user))
                .meta(Meta.builder().maxMsgSize(maxMsgSize).build());
        if (withCred && scheme != AuthScheme.HMAC) {
            b.cred(cred());
        }
        return b;
    }

    Cred cred() {
        if (scheme == AuthScheme.BASIC) {
            return Credentials.basic(user, password);
        }
        return Credentials.md5(user, password, Credentials.decodeNonce(clientNonce));
    }

    /** Package 1: Alert 1201 and DevInfo. */
    SyncMessage pkg1(boolean withCred) {
        SyncMessage.Builder b = SyncMessage.builder(header(withCred).build());
        b.add(Alert.of(b.nextCmdId(), alertCode));
        List<Item> items = new ArrayList<>();
        for (String k : List.of("./DevInfo/DevId", "./DevInfo/Man", "./DevInfo/Mod", "./DevInfo/DmV",
                "./DevInfo/Lang")) {
            items.add(new Item(null, Location.of(k), Meta.of("chr", "text/plain"), Data.text(tree.get(k)), false));
        }
        b.add(new Replace(b.nextCmdId(), false, null, null, items));
        return b.build();
    }

    /** Sends a message and decodes the answer (null when the server refused at transport level). */
    SyncMessage send(SyncMessage m) {
        try {
            byte[] bytes = codec.encode(m);
            return sendBytes(bytes);
        } catch (CodecException e) {
            throw new AssertionError(e);
        }
    }

    SyncMessage sendBytes(byte[] bytes) {
        sentBytes.add(bytes);
        String hmac = null;
        if (scheme == AuthScheme.HMAC) {
            hmac = HmacHeader.compute(user, password, Credentials.decodeNonce(clientNonce), bytes).toHeaderValue();
        }
        lastOut = engine.process(new InboundMessage(bytes, contentType, hmac, token, SERVER_URL, source));
        if (!lastOut.isMessage()) {
            return null;
        }
        try {
            SyncMessage r = codec.decode(lastOut.body());
            received.add(r);
            if (r.header().respUri() != null) {
                String u = r.header().respUri();
                token = u.substring(u.indexOf("?s=") + 3);
            } else {
                token = null;
            }
            Status hdr = headerStatus(r);
            if (hdr != null && hdr.chal() != null && hdr.chal().meta().nextNonce() != null) {
                clientNonce = hdr.chal().meta().nextNonce();
            }
            return r;
        } catch (CodecException e) {
            throw new AssertionError(e);
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

    /**
     * Runs a whole session from package 1 until the server ends it.
     *
     * @return the messages the server sent
     */
    List<SyncMessage> runSession() {
        int start = received.size();
        SyncMessage r = send(pkg1(true));
        int guard = 0;
        while (r != null && guard++ < 2000) {
            Status hdr = headerStatus(r);
            if (hdr != null && (hdr.code() == 401 || hdr.code() == 407) && hdr.chal() != null) {
                r = send(pkg1(true));
                continue;
            }
            if (hdr != null && (hdr.code() == 401 || hdr.code() == 407 || hdr.code() == 417 || hdr.code() == 403)) {
                break;
            }
            if (r.isFinal() && managementCommands(r).isEmpty()) {
                break;
            }
            if (managementCommands(r).stream().anyMatch(c -> c instanceof Alert a && a.code() == 1223)) {
                break;
            }
            r = send(answer(r));
        }
        return received.subList(start, received.size());
    }

    /** Builds the answer to a server message: statuses for its header and commands, results of Gets. */
    SyncMessage answer(SyncMessage in) {
        SyncMessage.Builder b = SyncMessage.builder(header(scheme == AuthScheme.HMAC || credInEveryMessage).build());
        String msgRef = in.header().msgId();
        int hdrCode = StatusCodes.OK;
        Chal chal = null;
        boolean refuse = false;
        if (checkServer && !serverAccepted && scheme != AuthScheme.HMAC) {
            Cred c = in.header().cred();
            boolean ok = c != null && serverRejectionsToSend == 0 && Credentials.verify(c, serverUser,
                    serverPassword, Credentials.decodeNonce(serverNonce));
            if (serverRejectionsToSend > 0) {
                serverRejectionsToSend--;
            }
            serverNonce = Base64.getEncoder().encodeToString(("n" + nextMsgId).getBytes(StandardCharsets.UTF_8));
            chal = new Chal(Meta.builder().type("syncml:auth-md5").format("b64").nextNonce(serverNonce).build());
            if (ok) {
                hdrCode = StatusCodes.AUTHENTICATION_ACCEPTED;
                serverAccepted = true;
            } else {
                hdrCode = c == null ? 407 : 401;
                refuse = true;
            }
        }
        b.add(Status.builder().cmdId(b.nextCmdId()).msgRef(msgRef).answeringHeader().code(hdrCode).chal(chal)
                .addTargetRef(in.header().target().locUri()).addSourceRef(in.header().source().locUri()).build());
        List<Command> results = new ArrayList<>();
        boolean wasChunking = chunking != null;
        boolean wantMore = !in.isFinal() && !wasChunking;
        for (Command c : in.commands()) {
            if (c instanceof Status) {
                continue;
            }
            serverCommandsSeen++;
            if (refuse) {
                b.add(Status.of(b.nextCmdId(), msgRef, c, hdrCode));
                continue;
            }
            if (c instanceof Alert a) {
                b.add(Status.of(b.nextCmdId(), msgRef, a, StatusCodes.OK));
                continue;
            }
            int code = execute(c, b, msgRef, results);
            if (code > 0) {
                b.add(Status.of(b.nextCmdId(), msgRef, c, code));
            }
        }
        for (Command r : results) {
            b.add(r);
        }
        if (chunking != null) {
            nextChunk(b);
        } else if (wantMore) {
            b.add(Alert.of(b.nextCmdId(), AlertCodes.NEXT_MESSAGE));
        }
        return b.build();
    }

    /** @return the status code to send, or 0 when the status was added already */
    private int execute(Command c, SyncMessage.Builder b, String msgRef, List<Command> results) {
        if (c instanceof Atomic a) {
            Map<String, String> backup = new LinkedHashMap<>(tree);
            List<Integer> codes = new ArrayList<>();
            boolean ok = true;
            for (Command child : a.commands()) {
                int code = apply(child);
                codes.add(code);
                ok &= StatusCodes.isSuccess(code);
            }
            if (!ok) {
                tree.clear();
                tree.putAll(backup);
            }
            b.add(Status.of(b.nextCmdId(), msgRef, a, ok ? 200 : StatusCodes.ATOMIC_FAILED));
            for (int i = 0; i < a.commands().size(); i++) {
                int code = codes.get(i);
                b.add(Status.of(b.nextCmdId(), msgRef, a.commands().get(i),
                        ok ? code : StatusCodes.isSuccess(code) ? StatusCodes.ATOMIC_ROLL_BACK_OK : code));
            }
            return 0;
        }
        if (c instanceof Get g) {
            String uri = g.items().get(0).target().locUri();
            String value = tree.get(uri);
            if (value == null) {
                return 404;
            }
            b.add(Status.of(b.nextCmdId(), msgRef, g, 200));
            if (resultChunk > 0 && value.length() > resultChunk) {
                chunking = new String[] {msgRef, g.cmdId(), uri, value};
                chunkOff = 0;
                return 0;
            }
            results.add(Results.of(b.nextCmdId(), msgRef, g.cmdId(),
                    new Item(null, Location.of(uri), resultFormat == null ? null : Meta.of(resultFormat, "text/plain"),
                            value(value), false)));
            return 0;
        }
        return apply(c);
    }

    /** The Meta Format of Results items, or null for none (which means chr). */
    String resultFormat = "chr";
    /** Results carry their values as bytes (WBXML OPAQUE), as some clients send text. */
    boolean opaqueResults;

    private Data value(String v) {
        return opaqueResults ? Data.bytes(v.getBytes(java.nio.charset.StandardCharsets.UTF_8)) : Data.text(v);
    }

    String[] chunking;
    int chunkOff;
    boolean chunkSizeRight = true;

    private void nextChunk(SyncMessage.Builder b) {
        String[] r = chunking;
        String value = r[3];
        int end = Math.min(value.length(), chunkOff + resultChunk);
        boolean more = end < value.length();
        Meta meta = chunkOff == 0 ? Meta.builder().format("chr").type("text/plain")
                .size((long) (value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + (chunkSizeRight ? 0 : 5))).build()
                : Meta.of("chr", "text/plain");
        b.add(new Results(b.nextCmdId(), r[0], r[1], null, null, null,
                List.of(new Item(null, Location.of(r[2]), meta, value(value.substring(chunkOff, end)), more))));
        chunkOff = end;
        if (more) {
            b.isFinal(false);
        } else {
            chunking = null;
        }
    }

    private int apply(Command c) {
        if (c instanceof Exec e) {
            execs.add(e.item().target().locUri() + "|" + e.correlator());
            return failures.getOrDefault(e.item().target().locUri(), 200);
        }
        if (!(c instanceof ItemCommand ic)) {
            return 406;
        }
        Item item = ic.items().get(0);
        String uri = item.target().locUri();
        Integer forced = failures.get(uri);
        if (forced != null) {
            return forced;
        }
        if (c instanceof Add || c instanceof Replace) {
            if (item.moreData() || assembling.containsKey(uri)) {
                assembling.computeIfAbsent(uri, k -> new StringBuilder()).append(item.data().asText());
                if (item.moreData()) {
                    return StatusCodes.CHUNKED_ITEM_ACCEPTED;
                }
                String v = assembling.remove(uri).toString();
                tree.put(uri, v);
                return 200;
            }
            if (c instanceof Add && tree.containsKey(uri)) {
                return 418;
            }
            if (c instanceof Add) {
                onAdd.accept(uri);
            }
            if (c instanceof Replace && !tree.containsKey(uri)) {
                return 404;
            }
            tree.put(uri, item.data() == null ? "" : item.data().asText());
            return 200;
        }
        if (c instanceof Delete) {
            return tree.remove(uri) != null ? 200 : 404;
        }
        if (c instanceof Copy) {
            String v = tree.get(item.source().locUri());
            if (v == null) {
                return 404;
            }
            tree.put(uri, v);
            return 200;
        }
        return 406;
    }
}
