package org.cardinaldm.fumo.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cardinaldm.server.api.transport.InboundMessage;
import org.cardinaldm.server.api.transport.OutboundMessage;
import org.cardinaldm.server.api.transport.ServerEndpoint;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.AlertCodes;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Exec;
import org.cardinaldm.syncml.api.model.Get;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.Location;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.Replace;
import org.cardinaldm.syncml.api.model.Results;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;

/**
 * A FUMO 1.0 device as the server sees it on the wire: real SyncML DM 1.2 messages (XML codec) sent to the
 * server's {@link ServerEndpoint}, basic authentication, Replace answered 200, the FUMO Exec answered 202 (its
 * Correlator kept), Get of {@code State} answered with the state the test set, and a later session that carries a
 * Generic Alert 1226 with any Correlator and result code the test chooses (the device's own or, for the attack,
 * another device's).
 */
final class FumoDeviceSim {
    static final String SERVER_URL = "http://dm.example/dm";
    static final String ALERT_TYPE = "org.openmobilealliance.dm.firmwareupdate.downloadandupdate";

    private final ServerEndpoint server;
    private final MessageCodec codec = SyncML.forMediaType(MediaTypes.DM_XML).orElseThrow();
    final String deviceId;
    private final String password;
    private int sessions;
    private int msgId;
    private String token;
    /** What the device answers to a Get, by URI (absent: 404). */
    final Map<String, String> tree = new LinkedHashMap<>();
    /** The Correlators of the Execs answered 202, by the executed URI. */
    final Map<String, String> correlators = new LinkedHashMap<>();
    /** The URIs the server replaced, in order. */
    final List<String> replaced = new ArrayList<>();

    FumoDeviceSim(ServerEndpoint server, String deviceId, String password) {
        this.server = server;
        this.deviceId = deviceId;
        this.password = password;
        tree.put("./DevInfo/DevId", deviceId);
        tree.put("./DevInfo/Man", "Cardinal");
        tree.put("./DevInfo/Mod", "GW-1");
        tree.put("./DevInfo/DmV", "1.2");
        tree.put("./DevInfo/Lang", "en");
        tree.put("./FUMO/Gateway/State", "10");
    }

    /** Runs a client-initiated session and answers every command until the server ends it. */
    void session() {
        run(null, null);
    }

    /**
     * Runs a session whose package 1 carries a Generic Alert 1226 of the FUMO instance.
     *
     * @param correlator the Correlator to send (the device's own, or not)
     * @param resultCode the FUMO result code
     * @return the status the server gave the alert
     */
    int report(String correlator, int resultCode) {
        return run(correlator, resultCode);
    }

    private int run(String correlator, Integer resultCode) {
        sessions++;
        msgId = 1;
        token = null;
        SyncMessage.Builder b = SyncMessage.builder(header(true));
        b.add(Alert.of(b.nextCmdId(), AlertCodes.CLIENT_INITIATED_MGMT));
        List<Item> info = new ArrayList<>();
        for (String k : List.of("./DevInfo/DevId", "./DevInfo/Man", "./DevInfo/Mod", "./DevInfo/DmV",
                "./DevInfo/Lang")) {
            info.add(new Item(null, Location.of(k), Meta.of("chr", "text/plain"), Data.text(tree.get(k)), false));
        }
        b.add(new Replace(b.nextCmdId(), false, null, null, info));
        String alertCmdId = null;
        if (resultCode != null) {
            alertCmdId = b.nextCmdId();
            b.add(new Alert(alertCmdId, false, null, AlertCodes.GENERIC_ALERT, correlator,
                    List.of(new Item(null, Location.of("./FUMO/Gateway"), Meta.builder().type(ALERT_TYPE)
                            .format("int").build(), Data.text(Integer.toString(resultCode)), false))));
        }
        SyncMessage r = send(b.build());
        int alertStatus = -1;
        for (int guard = 0; r != null && guard < 50; guard++) {
            for (Command c : r.commands()) {
                if (alertCmdId != null && c instanceof Status s && alertCmdId.equals(s.cmdRef())
                        && "1".equals(s.msgRef())) {
                    alertStatus = s.code();
                }
            }
            Status hdr = headerStatus(r);
            if (hdr != null && hdr.code() >= 400) {
                throw new AssertionError("the server refused " + deviceId + ": " + hdr.code());
            }
            boolean commands = r.commands().stream().anyMatch(c -> !(c instanceof Status));
            if (r.isFinal() && !commands) {
                break;
            }
            r = send(answer(r));
        }
        return alertStatus;
    }

    private SyncHeader header(boolean cred) {
        SyncHeader.Builder b = SyncHeader.builder().sessionId(Integer.toString(sessions))
                .msgId(Integer.toString(msgId++)).target(SERVER_URL).source(Location.of(deviceId, null))
                .meta(Meta.builder().maxMsgSize(65536L).build());
        if (cred) {
            b.cred(Credentials.basic(deviceId, password));
        }
        return b.build();
    }

    private static Status headerStatus(SyncMessage m) {
        for (Command c : m.commands()) {
            if (c instanceof Status s && "0".equals(s.cmdRef())) {
                return s;
            }
        }
        return null;
    }

    private SyncMessage answer(SyncMessage in) {
        SyncMessage.Builder b = SyncMessage.builder(header(false));
        String ref = in.header().msgId();
        b.add(Status.builder().cmdId(b.nextCmdId()).msgRef(ref).answeringHeader().code(200)
                .addTargetRef(in.header().target().locUri()).addSourceRef(in.header().source().locUri()).build());
        List<Command> results = new ArrayList<>();
        for (Command c : in.commands()) {
            if (c instanceof Status) {
                continue;
            }
            if (c instanceof Get g) {
                String uri = g.items().get(0).target().locUri();
                String v = tree.get(uri);
                b.add(Status.of(b.nextCmdId(), ref, g, v == null ? 404 : 200));
                if (v != null) {
                    results.add(Results.of(b.nextCmdId(), ref, g.cmdId(), new Item(null, Location.of(uri),
                            Meta.of("int", "text/plain"), Data.text(v), false)));
                }
            } else if (c instanceof Exec e) {
                String uri = e.item().target().locUri();
                correlators.put(uri, e.correlator());
                b.add(Status.of(b.nextCmdId(), ref, e, 202));
            } else if (c instanceof Replace rp) {
                for (Item i : rp.items()) {
                    replaced.add(i.target().locUri());
                    tree.put(i.target().locUri(), i.data() == null ? "" : i.data().asText());
                }
                b.add(Status.of(b.nextCmdId(), ref, rp, 200));
            } else {
                b.add(Status.of(b.nextCmdId(), ref, c, 200));
            }
        }
        results.forEach(b::add);
        return b.build();
    }

    private SyncMessage send(SyncMessage m) {
        try {
            OutboundMessage out = server.process(new InboundMessage(codec.encode(m), MediaTypes.DM_XML, null, token,
                    SERVER_URL, "test"));
            if (!out.isMessage()) {
                return null;
            }
            SyncMessage r = codec.decode(out.body());
            String u = r.header().respUri();
            token = u == null ? null : u.substring(u.indexOf("?s=") + 3);
            return r;
        } catch (CodecException e) {
            throw new AssertionError(e);
        }
    }

    /** @return the Correlator of the campaign's DownloadAndUpdate Exec */
    String correlator() {
        String c = correlators.get("./FUMO/Gateway/DownloadAndUpdate");
        if (c == null) {
            throw new AssertionError(deviceId + " received no DownloadAndUpdate Exec");
        }
        return c;
    }
}
