package org.cardinaldm.server.internal.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.cardinaldm.server.api.DeviceAlert;
import org.cardinaldm.server.api.ResultItem;
import org.cardinaldm.server.api.spi.DeviceRecord;
import org.cardinaldm.server.api.spi.ServerStore;
import org.cardinaldm.server.internal.async.AsyncExecs;
import org.cardinaldm.server.internal.session.JobLedger.Sent;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.AlertCodes;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.CommandContainer;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Exec;
import org.cardinaldm.syncml.api.model.ExtensionCommand;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.ItemCommand;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.Replace;
import org.cardinaldm.syncml.api.model.Results;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles what the device sends (digest sections 1.3 to 1.5 and 1.10): its Statuses and Results, matched to
 * the server's commands and handed to the {@link JobLedger}; its Alerts (1200/1201 package 1, 1222 next
 * message, 1223 abort, 1225 end of data, 1226 Generic Alert and 1224 client event, recorded in the registry
 * up to a limit per session; a 1226 with the Correlator of an Exec this device answered 202 also completes
 * that Exec, {@link AsyncExecs}); its Replace of DevInfo values in package 1, merged into the device's record
 * with the server nonce it sent; a 406 or 405 for any other command; and the resending of the server's
 * commands in a message where the device refused the server's credentials. One per engine; the per-session
 * part is {@link Alerts}.
 */
public final class ClientCommands {
    private static final Logger LOG = LoggerFactory.getLogger(ClientCommands.class);
    private static final int MAX_DEVINFO_ENTRIES = 256;
    private static final int MAX_DEVINFO_VALUE = 4096;
    private static final int MAX_ALERTS_PER_SESSION = 1000;

    private final ServerStore store;
    private final DeviceAuthenticator authenticator;
    private final FirstContact firstContact;
    private final AsyncExecs async;

    /**
     * @param store the registry (alerts, DevInfo, nonces)
     * @param authenticator what the device answers to the server's credentials
     * @param firstContact the answers to the card-id read
     */
    public ClientCommands(ServerStore store, DeviceAuthenticator authenticator, FirstContact firstContact) {
        this.store = store;
        this.authenticator = authenticator;
        this.firstContact = firstContact;
        this.async = new AsyncExecs(store);
    }

    /** @return the link between Execs answered 202 and their Generic Alerts (timeouts, sweeper) */
    public AsyncExecs asyncExecs() {
        return async;
    }

    /** The alerts of one session, and the Correlators of the Execs it sent. */
    static final class Alerts {
        private int recorded;
        private boolean announced;
        /** Correlators sent, by job id and operation index (resending the same Exec sends the same one). */
        private final Map<List<Long>, String> correlators = new HashMap<>();

        /**
         * @param jobId the job
         * @param index the Exec's index
         * @param given the operator's Correlator, or null for one chosen by the server
         * @return the Correlator to send with the Exec
         */
        String correlator(long jobId, int index, String given) {
            return correlators.computeIfAbsent(List.of(jobId, (long) index),
                    k -> given != null ? given : AsyncExecs.newCorrelator(jobId, index));
        }

        /** @return the Correlator sent with that Exec, or null */
        String sentCorrelator(long jobId, int index) {
            return correlators.get(List.of(jobId, (long) index));
        }
    }

    /**
     * Answers every command with {@code code} (the device is not authenticated), except Status, Results and
     * commands with NoResp.
     *
     * @param s the session
     * @param msg the message
     * @param reply the answer
     * @param code the Status
     */
    public void refuseAll(ServerSession s, SyncMessage msg, Reply reply, int code) {
        for (Command c : msg.commands()) {
            if (!(c instanceof Status) && !(c instanceof Results) && !noResp(c)) {
                reply.status(status(s, msg.header().msgId(), c, code));
            }
        }
    }

    /**
     * @param s the session
     * @param msg an authenticated message
     * @return true once per session, when the device opened it with Alert 1200 (in answer to a notification)
     */
    public boolean announces(ServerSession s, SyncMessage msg) {
        Alerts a = s.alerts();
        if (!a.announced) {
            for (Command c : msg.commands()) {
                if (c instanceof Alert alert && alert.code() == AlertCodes.SERVER_INITIATED_MGMT) {
                    a.announced = true;
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Processes the commands of an authenticated message: the Status for the server's credentials first,
     * then every command in order; stores the reported DevInfo and nonce, and queues again the commands of
     * messages the device refused.
     *
     * @param s the session
     * @param msg the message
     * @param reply the answer
     * @param now the time
     * @return what the message said beside its answers
     */
    public Inbound process(ServerSession s, SyncMessage msg, Reply reply, Instant now) {
        Inbound inbound = new Inbound(msg);
        for (Command c : msg.commands()) {
            if (c instanceof Status st && "0".equals(st.cmdRef().trim())) {
                authenticator.onServerAuthStatus(s, st, inbound);
            }
        }
        for (Command c : msg.commands()) {
            dispatch(s, c, reply, inbound, now);
        }
        persistReports(s, inbound);
        requeueRefused(s, inbound);
        return inbound;
    }

    private void dispatch(ServerSession s, Command c, Reply reply, Inbound inbound, Instant now) {
        String msgRef = inbound.msg.header().msgId();
        LargeObjects objects = s.objects();
        if (c instanceof Status st) {
            objects.interruptIfNeeded(s, c, reply);
            onStatus(s, st, inbound, now);
        } else if (c instanceof Results r) {
            onResults(s, r, reply, inbound, now);
        } else if (c instanceof Alert a) {
            onAlert(s, a, reply, inbound, now);
        } else if (c instanceof Replace r) {
            onReplace(s, r, reply, inbound);
        } else if (c instanceof ExtensionCommand) {
            objects.interruptIfNeeded(s, c, reply);
            if (!c.cmdId().isEmpty()) {
                reply.status(status(s, msgRef, c, StatusCodes.COMMAND_NOT_IMPLEMENTED));
            }
        } else {
            // Add, Get, Delete, Copy, Exec, Atomic, Sequence: a client never sends them to a server
            objects.interruptIfNeeded(s, c, reply);
            if (!noResp(c)) {
                reply.status(status(s, msgRef, c, StatusCodes.COMMAND_NOT_ALLOWED));
            }
        }
    }

    private void onStatus(ServerSession s, Status st, Inbound inbound, Instant now) {
        String msgRef = st.msgRef().trim();
        if ("0".equals(st.cmdRef().trim())) {
            return;
        }
        if (inbound.refusedMessages.contains(msgRef)) {
            // the device refused the whole message: its commands are sent again (requeueRefused)
            return;
        }
        String key = msgRef + ":" + st.cmdRef().trim();
        Sent sent = s.jobs().takeAwaiting(key);
        if (sent == null) {
            LOG.debug("Status {} for unknown command {} from {}", st.code(), key, s.deviceId());
            return;
        }
        if (sent.jobId() == JobLedger.PROBE) {
            firstContact.onStatus(s, key, st.code());
            return;
        }
        if (sent.chunk()) {
            s.objects().onChunkStatus(sent, st.code(), items(st.items(), null), now);
            return;
        }
        s.objects().answered(sent.top());
        s.jobs().statusOf(sent, key, st.code(), items(st.items(), null), now);
        if (st.code() == StatusCodes.ACCEPTED) {
            PendingOp op = find(sent.top(), sent.index());
            if (op != null && op.operation().kind() == org.cardinaldm.server.api.OperationKind.EXEC) {
                async.accepted(s.deviceId(), sent.jobId(), sent.index(), op.operation().target(),
                        s.alerts().sentCorrelator(sent.jobId(), sent.index()), now);
            }
        }
    }

    private static PendingOp find(PendingOp op, int index) {
        if (op.index() == index) {
            return op;
        }
        for (PendingOp c : op.children()) {
            PendingOp found = find(c, index);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private void onResults(ServerSession s, Results r, Reply reply, Inbound inbound, Instant now) {
        JobLedger jobs = s.jobs();
        LargeObjects objects = s.objects();
        String msgRef = r.msgRef() == null || r.msgRef().isBlank() ? s.lastServerMsgId() : r.msgRef().trim();
        String key = msgRef + ":" + r.cmdRef().trim();
        Sent sent = jobs.expectedResults(key);
        List<Item> items = r.items();
        Item last = items.get(items.size() - 1);
        objects.interruptUnless("Results", key, s, reply);
        if (!objects.receiving() && !last.moreData()) {
            if (sent != null) {
                jobs.dropExpectedResults(key);
                deliverResults(s, sent, items(items, r.meta()), now);
            } else {
                LOG.debug("Results for unknown command {} from {}", key, s.deviceId());
            }
            return;
        }
        String uri = last.source() != null ? last.source().locUri() : null;
        if (!objects.receiving()) {
            Long size = LargeObjects.size(last.meta(), r.meta());
            if (objects.tooLarge(size)) {
                reply.status(status(s, inbound.msg.header().msgId(), r, StatusCodes.REQUEST_ENTITY_TOO_LARGE));
                if (sent != null) {
                    jobs.dropExpectedResults(key);
                    jobs.resultsFailed(sent, StatusCodes.REQUEST_ENTITY_TOO_LARGE, now);
                }
                return;
            }
            objects.start("Results", key, uri, last.meta() != null ? last.meta() : r.meta(), size,
                    items(items.subList(0, items.size() - 1), r.meta()));
        }
        LargeObjects.Received received = objects.append(last);
        int code = received.code();
        if (code == StatusCodes.CHUNKED_ITEM_ACCEPTED) {
            reply.status(status(s, inbound.msg.header().msgId(), r, code));
            return;
        }
        if (code != StatusCodes.OK) {
            reply.status(status(s, inbound.msg.header().msgId(), r, code));
            if (sent != null) {
                jobs.dropExpectedResults(key);
                jobs.resultsFailed(sent, code, now);
            }
            return;
        }
        if (sent != null) {
            jobs.dropExpectedResults(key);
            deliverResults(s, sent, received.items(), now);
        }
    }

    private void deliverResults(ServerSession s, Sent sent, List<ResultItem> items, Instant now) {
        if (sent.jobId() == JobLedger.PROBE) {
            firstContact.onResults(s, items, now);
            return;
        }
        s.jobs().deliverResults(sent, items, now);
    }

    private void onAlert(ServerSession s, Alert a, Reply reply, Inbound inbound, Instant now) {
        String msgRef = inbound.msg.header().msgId();
        int code = a.code();
        if (code != AlertCodes.NEXT_MESSAGE && code != AlertCodes.NO_END_OF_DATA) {
            s.objects().interruptIfNeeded(s, a, reply);
        }
        int answer = StatusCodes.OK;
        switch (code) {
            case AlertCodes.CLIENT_INITIATED_MGMT, AlertCodes.SERVER_INITIATED_MGMT -> {
                // package 1
            }
            case AlertCodes.NEXT_MESSAGE -> inbound.wantsMore = true;
            case AlertCodes.SESSION_ABORT -> inbound.abort = true;
            case AlertCodes.NO_END_OF_DATA -> s.objects().onNoEndOfData(now);
            case AlertCodes.GENERIC_ALERT, AlertCodes.CLIENT_EVENT -> {
                Alerts alerts = s.alerts();
                boolean first = true;
                for (Item item : a.items()) {
                    if (alerts.recorded >= MAX_ALERTS_PER_SESSION) {
                        answer = StatusCodes.REQUEST_ENTITY_TOO_LARGE;
                        break;
                    }
                    alerts.recorded++;
                    Meta m = item.meta();
                    String type = m == null ? null : normaliseType(m.type());
                    String data = item.data() == null ? null : text(item.data());
                    String source = item.source() == null ? null : item.source().locUri();
                    store.recordAlert(new DeviceAlert(s.deviceId(), now, s.sessionId(), code, type,
                            m == null ? null : m.format(), m == null ? null : m.mark(), source, a.correlator(), data));
                    if (first && code == AlertCodes.GENERIC_ALERT && a.correlator() != null) {
                        // the first Item answers the Exec; only this authenticated device's Execs are looked at
                        async.report(s.deviceId(), a.correlator().trim(), type, data, source,
                                item.target() == null ? null : item.target().locUri(), m == null ? null : m.mark(),
                                now);
                    }
                    first = false;
                }
                LOG.debug("Device {} sent alert {} with {} items", s.deviceId(), code, a.items().size());
            }
            default -> answer = StatusCodes.OPTIONAL_FEATURE_NOT_SUPPORTED;
        }
        if (!a.noResp()) {
            reply.status(status(s, msgRef, a, answer));
        }
    }

    /** Strips an optional {@code Reversed-Domain-Name:} prefix and white space (digest section 1.10). */
    static String normaliseType(String type) {
        if (type == null) {
            return null;
        }
        String t = type.trim();
        String prefix = "reversed-domain-name:";
        if (t.toLowerCase(Locale.ROOT).startsWith(prefix)) {
            t = t.substring(prefix.length()).trim();
        }
        return t;
    }

    private void onReplace(ServerSession s, Replace r, Reply reply, Inbound inbound) {
        LargeObjects objects = s.objects();
        String msgRef = inbound.msg.header().msgId();
        List<Item> items = r.items();
        Item last = items.get(items.size() - 1);
        String lastUri = uri(last);
        objects.interruptUnless("Replace", lastUri, s, reply);
        int code = StatusCodes.OK;
        if (objects.receiving() || last.moreData()) {
            boolean receiving = objects.receiving();
            if (!receiving) {
                Long size = LargeObjects.size(last.meta(), r.meta());
                if (objects.tooLarge(size)) {
                    code = StatusCodes.REQUEST_ENTITY_TOO_LARGE;
                } else {
                    objects.start("Replace", lastUri, lastUri, last.meta(), size, List.of());
                    receiving = true;
                }
            }
            if (receiving) {
                for (Item i : items.subList(0, items.size() - 1)) {
                    code = report(inbound, i, code);
                }
                LargeObjects.Received received = objects.append(last);
                int c = received.code();
                if (c == StatusCodes.OK) {
                    ResultItem a = received.items().get(received.items().size() - 1);
                    code = report(inbound, lastUri, a.value(), code);
                } else {
                    code = c;
                }
            }
        } else {
            for (Item i : items) {
                code = report(inbound, i, code);
            }
        }
        if (!r.noResp()) {
            reply.status(status(s, msgRef, r, code));
        }
    }

    private int report(Inbound inbound, Item i, int code) {
        return report(inbound, uri(i), i.data() == null ? "" : text(i.data()), code);
    }

    private int report(Inbound inbound, String uri, String value, int code) {
        if (uri == null) {
            return StatusCodes.INCOMPLETE_COMMAND;
        }
        if (value.length() > MAX_DEVINFO_VALUE || inbound.devInfo.size() >= MAX_DEVINFO_ENTRIES) {
            inbound.devInfoRejected = true;
            return StatusCodes.REQUEST_ENTITY_TOO_LARGE;
        }
        inbound.devInfo.put(uri, value);
        return code;
    }

    private static String uri(Item i) {
        if (i.source() != null) {
            return i.source().locUri();
        }
        return i.target() == null ? null : i.target().locUri();
    }

    /**
     * Writes, in one update of the device's record, what the message changed in it: the accepted credentials' new
     * nonce and contact times ({@link DeviceAuthenticator}), the reported DevInfo values and the nonce the device
     * gave the server.
     */
    private void persistReports(ServerSession s, Inbound inbound) {
        String nonce = inbound.newServerNonce;
        java.util.function.UnaryOperator<DeviceRecord> auth = s.auth().takePending();
        if (inbound.devInfo.isEmpty() && nonce == null && auth == null) {
            return;
        }
        Map<String, String> delta = inbound.devInfo;
        store.updateDevice(s.deviceId(), stored -> {
            DeviceRecord r = auth == null ? stored : auth.apply(stored);
            DeviceRecord.Builder b = r.toBuilder();
            if (!delta.isEmpty()) {
                Map<String, String> merged = new HashMap<>(r.devInfo());
                merged.putAll(delta);
                if (merged.size() > MAX_DEVINFO_ENTRIES) {
                    return b.serverNonce(nonce == null ? r.serverNonce() : nonce).build();
                }
                b.devInfo(merged);
            }
            if (nonce != null) {
                b.serverNonce(nonce);
            }
            return b.build();
        }).ifPresent(r -> s.auth().refresh(r));
    }

    private void requeueRefused(ServerSession s, Inbound inbound) {
        if (inbound.refusedMessages.isEmpty()) {
            return;
        }
        List<PendingOp> again = s.jobs().requeue(inbound.refusedMessages);
        s.objects().dropIfAny(again);
        s.jobs().resend(again);
    }

    /**
     * The device closed its package: commands sent earlier without a status will get none.
     *
     * @param s the session
     * @param now the time
     */
    public void packageClosed(ServerSession s, Instant now) {
        JobLedger.Unanswered left = s.jobs().settleUnanswered(now);
        if (left.probe()) {
            firstContact.unanswered(s);
        }
        if (left.chunk()) {
            s.objects().drop();
        }
    }

    private static boolean noResp(Command c) {
        if (c instanceof ItemCommand ic) {
            return ic.noResp();
        }
        if (c instanceof Alert a) {
            return a.noResp();
        }
        if (c instanceof Exec e) {
            return e.noResp();
        }
        if (c instanceof CommandContainer cc) {
            return cc.noResp();
        }
        return false;
    }

    private static Status status(ServerSession s, String msgRef, Command c, int code) {
        return Status.of(s.nextCmdId(), msgRef, c, code);
    }

    private static List<ResultItem> items(List<Item> items, Meta cmdMeta) {
        List<ResultItem> out = new ArrayList<>(items.size());
        for (Item i : items) {
            Meta m = i.meta() != null ? i.meta() : cmdMeta;
            String format = m == null ? null : m.format();
            String type = m == null ? null : m.type();
            String uri = uri(i);
            Data d = i.data();
            if (d instanceof Data.Binary b) {
                out.add(ItemValues.fromBytes(uri, format, type, b.asBytes()));
            } else {
                out.add(new ResultItem(uri, format, type, d == null ? null : text(d), false));
            }
        }
        return out;
    }

    private static String text(Data d) {
        if (d instanceof Data.Xml x) {
            StringBuilder sb = new StringBuilder();
            for (var e : x.elements()) {
                XmlWriter.write(e, sb, null);
            }
            return sb.toString();
        }
        return d.asText();
    }
}
