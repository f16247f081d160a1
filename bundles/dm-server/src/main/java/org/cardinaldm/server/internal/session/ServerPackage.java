package org.cardinaldm.server.internal.session;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationKind;
import org.cardinaldm.server.api.UserAlert;
import org.cardinaldm.server.api.spi.DeviceRecord;
import org.cardinaldm.server.api.transport.OutboundMessage;
import org.cardinaldm.server.internal.ServerConfig;
import org.cardinaldm.server.internal.session.JobLedger.Sent;
import org.cardinaldm.server.internal.session.JobLedger.SentRef;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.Atomic;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.Copy;
import org.cardinaldm.syncml.api.model.Cred;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Delete;
import org.cardinaldm.syncml.api.model.Exec;
import org.cardinaldm.syncml.api.model.Get;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.Location;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.Replace;
import org.cardinaldm.syncml.api.model.Sequence;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the server's package (digest sections 1.2, 1.3 and 1.6): turns the claimed jobs' operations into
 * commands (Get, Add, Replace, Delete, Copy, Exec, Atomic, Sequence, user-interaction Alert), puts as many in a message as the device's
 * MaxMsgSize allows and the rest in the next messages (Final only on the last), refuses an operation larger
 * than the device's MaxObjSize or one that fits no message (413; an Atomic or a Sequence is one command, sent
 * whole or refused with 215 for its children), hands an Add or Replace too large for a
 * message to {@link LargeObjects}, and encodes each message with the server's header (RespURI, MaxMsgSize,
 * MaxObjSize, the server's credentials) after the message's answers are recorded. One per engine.
 */
public final class ServerPackage {
    private static final Logger LOG = LoggerFactory.getLogger(ServerPackage.class);

    private final ServerConfig config;
    private final DeviceAuthenticator authenticator;
    private final FirstContact firstContact;

    /**
     * @param config the settings (the server's MaxMsgSize and MaxObjSize)
     * @param authenticator the server's credentials towards the device
     * @param firstContact the card-id read sent before the jobs
     */
    public ServerPackage(ServerConfig config, DeviceAuthenticator authenticator, FirstContact firstContact) {
        this.config = config;
        this.authenticator = authenticator;
        this.firstContact = firstContact;
    }

    /**
     * @param s the session
     * @return whether the server has more to send: operations queued or a large object under way
     */
    public boolean open(ServerSession s) {
        return s.jobs().hasQueued() || s.objects().sending();
    }

    /**
     * Adds the server's commands to the answer: the next chunk of a large object, else the card-id read,
     * else as many queued operations as fit, claiming the device's jobs first when none are queued.
     *
     * @param s the session
     * @param reply the answer
     * @param now the time
     * @throws CodecException when a message cannot be encoded
     */
    public void fill(ServerSession s, Reply reply, Instant now) throws CodecException {
        JobLedger jobs = s.jobs();
        LargeObjects objects = s.objects();
        if (objects.sending()) {
            if (objects.acknowledged()) {
                objects.addChunk(s, reply, r -> encodedSize(s, r));
            }
            reply.setFinal(false);
            return;
        }
        if (jobs.awaitingStatuses()) {
            // statuses of the previous package are still due: send nothing new
            reply.setFinal(!jobs.hasQueued());
            return;
        }
        PendingOp probe = firstContact.due(s);
        if (probe != null) {
            List<SentRef> sent = new ArrayList<>();
            reply.command(toCommand(s, probe, probe, reply.msgId(), sent));
            jobs.register(sent);
            reply.setFinal(true);
            return;
        }
        if (!jobs.hasQueued()) {
            jobs.claim(now);
        }
        addEstimated(s, reply, jobs);
        while (jobs.hasQueued()) {
            PendingOp op = jobs.peek();
            long objectSize = dataBytes(op.operation()).length;
            if (s.clientMaxObjSize() != null && objectSize > s.clientMaxObjSize()) {
                jobs.poll();
                LOG.debug("Operation {} of job {} exceeds the device's MaxObjSize", op.index(), op.jobId());
                jobs.failUnsent(op, StatusCodes.REQUEST_ENTITY_TOO_LARGE, now);
                continue;
            }
            List<SentRef> sent = new ArrayList<>();
            long savedCmdId = s.cmdIdMark();
            Command c = toCommand(s, op, op, reply.msgId(), sent);
            reply.command(c);
            if (fits(s, reply)) {
                jobs.poll();
                jobs.register(sent);
                continue;
            }
            reply.removeLastCommand();
            s.rewindCmdIds(savedCmdId);
            if (reply.hasCommands()) {
                break;
            }
            OperationKind kind = op.operation().kind();
            if ((kind == OperationKind.ADD || kind == OperationKind.REPLACE) && op.operation().data() != null) {
                jobs.poll();
                objects.send(op, dataBytes(op.operation()), itemMeta(op.operation()));
                objects.addChunk(s, reply, r -> encodedSize(s, r));
                break;
            }
            jobs.poll();
            LOG.debug("Operation {} of job {} does not fit in the device's MaxMsgSize", op.index(), op.jobId());
            jobs.failUnsent(op, StatusCodes.REQUEST_ENTITY_TOO_LARGE, now);
        }
        reply.setFinal(!jobs.hasQueued() && !objects.sending());
    }

    /**
     * Adds, in one step, the queued operations that fit by a generous estimate of their encoded size
     * ({@link #estimate}): the message is encoded once to check it (and that encoding is kept for {@link #encode})
     * instead of once per operation. When the estimate is wrong and the message does not fit, nothing is added and
     * {@link #fill} goes on one operation at a time, encoding after each.
     */
    private void addEstimated(ServerSession s, Reply reply, JobLedger jobs) throws CodecException {
        List<PendingOp> take = new ArrayList<>();
        long room = -1;
        long estimated = 0;
        for (PendingOp op : jobs.queued()) {
            Operation o = op.operation();
            long objectSize = dataBytes(o).length;
            if (s.clientMaxObjSize() != null && objectSize > s.clientMaxObjSize()) {
                break; // refused one by one below
            }
            if (room < 0) {
                room = s.clientMaxMsgSize() - encodedSize(s, reply);
            }
            long e = estimate(o);
            if (estimated + e > room) {
                break;
            }
            estimated += e;
            take.add(op);
        }
        if (take.size() < 2) {
            return; // nothing to save
        }
        long mark = s.cmdIdMark();
        List<SentRef> sent = new ArrayList<>();
        for (PendingOp op : take) {
            reply.command(toCommand(s, op, op, reply.msgId(), sent));
        }
        SyncMessage m = message(s, reply);
        byte[] bytes = s.codec().encode(m);
        if (bytes.length > s.clientMaxMsgSize()) {
            for (int i = 0; i < take.size(); i++) {
                reply.removeLastCommand();
            }
            s.rewindCmdIds(mark);
            LOG.debug("Estimated {} operations for {} at {} bytes, encoded {}: added one by one", take.size(),
                    s.deviceId(), estimated, bytes.length);
            return;
        }
        for (int i = 0; i < take.size(); i++) {
            jobs.poll();
        }
        jobs.register(sent);
        reply.encoded(m, bytes);
    }

    /**
     * @return more bytes than the operation's command takes in XML or WBXML: room for its elements, and ten bytes for
     *         each byte of its texts (an XML character reference is at most ten characters)
     */
    private static long estimate(Operation o) {
        long n = 512 + 10L * (utf8(o.target()) + utf8(o.source()) + utf8(o.data()) + utf8(o.format())
                + utf8(o.type()) + utf8(o.correlator()));
        if (o.kind() == OperationKind.ALERT) {
            UserAlert a = o.userAlert().orElseThrow();
            n += 10L * utf8(a.options()) + 64;
            for (String t : a.itemTexts()) {
                n += 64 + 10L * utf8(t);
            }
        }
        for (Operation c : o.children()) {
            n += estimate(c);
        }
        return n;
    }

    private static long utf8(String v) {
        return v == null ? 0 : 3L * v.length();
    }

    private Command toCommand(ServerSession s, PendingOp top, PendingOp op, String msgId, List<SentRef> sent) {
        String id = s.nextCmdId();
        Operation o = op.operation();
        sent.add(new SentRef(msgId, id,
                new Sent(top, op.jobId(), op.index(), msgId, o.kind() == OperationKind.GET, false)));
        return switch (o.kind()) {
            case GET -> Get.of(id, Item.target(o.target()));
            case ADD -> Add.of(id, item(o, dataOf(o)));
            case REPLACE -> Replace.of(id, item(o, dataOf(o)));
            case DELETE -> Delete.of(id, Item.target(o.target()));
            case COPY -> Copy.of(id, new Item(Location.of(o.target()), Location.of(o.source()), null, null, false));
            case EXEC -> new Exec(id, false, null, null,
                    s.alerts().correlator(op.jobId(), op.index(), o.correlator()),
                    item(o, dataOf(o)));
            case ATOMIC -> {
                List<Command> children = new ArrayList<>();
                for (PendingOp c : op.children()) {
                    children.add(toCommand(s, top, c, msgId, sent));
                }
                yield new Atomic(id, false, null, children);
            }
            case SEQUENCE -> {
                List<Command> children = new ArrayList<>();
                for (PendingOp c : op.children()) {
                    children.add(toCommand(s, top, c, msgId, sent));
                }
                yield new Sequence(id, false, null, children);
            }
            case ALERT -> alert(id, o.userAlert().orElseThrow());
        };
    }

    /** A user-interaction alert: Data = code, Item 1 = options (empty Item when none), Item 2 = text, then the choices. */
    private static Alert alert(String id, UserAlert a) {
        List<Item> items = new ArrayList<>();
        String options = a.options();
        items.add(new Item(null, null, null, options.isEmpty() ? null : Data.text(options), false));
        for (String t : a.itemTexts()) {
            items.add(Item.data(Data.text(t)));
        }
        return new Alert(id, false, null, a.code(), null, items);
    }

    private static Data dataOf(Operation o) {
        return o.data() == null ? null : Data.text(o.data());
    }

    private static Item item(Operation o, Data data) {
        return new Item(Location.of(o.target()), null, itemMeta(o), data, false);
    }

    private static Meta itemMeta(Operation o) {
        return o.format() == null && o.type() == null ? null : Meta.of(o.format(), o.type());
    }

    private static byte[] dataBytes(Operation o) {
        return o.data() == null ? new byte[0] : o.data().getBytes(StandardCharsets.UTF_8);
    }

    private boolean fits(ServerSession s, Reply reply) throws CodecException {
        return encodedSize(s, reply) <= s.clientMaxMsgSize();
    }

    private int encodedSize(ServerSession s, Reply reply) throws CodecException {
        return s.codec().encode(message(s, reply)).length;
    }

    private SyncMessage message(ServerSession s, Reply reply) {
        DeviceRecord d = s.auth().device();
        Cred cred = authenticator.serverCred(s);
        Location source = cred != null && d != null ? Location.of(s.serverUri(), d.serverUser())
                : Location.of(s.serverUri());
        SyncHeader header = SyncHeader.builder().sessionId(s.sessionId()).msgId(reply.msgId())
                .target(Location.of(s.deviceId())).source(source).respUri(s.respUri()).cred(cred)
                .meta(Meta.builder().maxMsgSize((long) config.maxMessageBytes())
                        .maxObjSize((long) config.maxObjectBytes()).build())
                .build();
        return new SyncMessage(header, reply.all(), reply.isFinal());
    }

    /**
     * Records the message's answers first: the device is never told of an answer the registry lacks.
     *
     * @param s the session
     * @param reply the answer
     * @param now the time
     * @return the encoded answer
     * @throws CodecException when it cannot be encoded
     */
    public OutboundMessage encode(ServerSession s, Reply reply, Instant now) throws CodecException {
        s.jobs().record(now);
        byte[] bytes = reply.encoding(message(s, reply));
        if (bytes == null) {
            bytes = s.codec().encode(message(s, reply));
        }
        s.sent(reply.msgId());
        return OutboundMessage.message(bytes, s.mediaType(), authenticator.serverHmac(s, bytes));
    }

    /**
     * A message of one Status for the header of a message that belongs to no session (digest section 1.3).
     *
     * @param codec the codec of the message
     * @param media its media type
     * @param h its header
     * @param code the Status
     * @return the answer
     */
    public static OutboundMessage standalone(MessageCodec codec, String media, SyncHeader h, int code) {
        return standalone(codec, media, h, code, Integer.MAX_VALUE);
    }

    /**
     * A message of one Status for the header of a message that belongs to no session, echoing at most
     * {@code maxChars} characters of each header value (an over-long value is not sent back whole).
     *
     * @param codec the codec of the message
     * @param media its media type
     * @param h its header
     * @param code the Status
     * @param maxChars the most characters echoed of each value
     * @return the answer
     */
    public static OutboundMessage standalone(MessageCodec codec, String media, SyncHeader h, int code, int maxChars) {
        String device = cut(h.source().locUri(), maxChars);
        String server = cut(h.target().locUri(), maxChars);
        Status st = Status.builder().cmdId("1").msgRef(cut(h.msgId(), maxChars)).answeringHeader()
                .addTargetRef(server).addSourceRef(device).code(code).build();
        SyncHeader header = SyncHeader.builder().sessionId(cut(h.sessionId(), maxChars)).msgId("1")
                .target(Location.of(device)).source(Location.of(server)).build();
        try {
            return OutboundMessage.message(codec.encode(new SyncMessage(header, List.of(st), true)), media, null);
        } catch (CodecException e) {
            return OutboundMessage.refusal(400, "status " + code);
        }
    }

    private static String cut(String value, int maxChars) {
        return value == null || value.length() <= maxChars ? value : value.substring(0, maxChars);
    }
}
