package org.cardinaldm.server.internal.session;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import org.cardinaldm.server.api.OperationKind;
import org.cardinaldm.server.api.ResultItem;
import org.cardinaldm.server.internal.session.JobLedger.Sent;
import org.cardinaldm.syncml.api.CodecError;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.AlertCodes;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.Location;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.Replace;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The large objects of one session (digest section 1.6, OMA-TS-DM_Protocol-V1_2 §6.9): an object the device
 * sends in chunks (Results or Replace items with MoreData) is buffered up to MaxObjSize, each chunk answered
 * 213, the whole checked against its declared Meta Size (424 when it differs, 413 when it is too large), and
 * dropped with Alert 1225 when another command interrupts it; an operation of the server's too large for the
 * device's MaxMsgSize is sent in chunks cut to fit the message and to UTF-8 boundaries, one per message, each
 * waiting for its 213. One per session.
 */
final class LargeObjects {
    private static final Logger LOG = LoggerFactory.getLogger(LargeObjects.class);
    private static final int MIN_CHUNK = 64;

    private final long maxObjectBytes;
    private final JobLedger jobs;
    private OutgoingObject outgoing;
    private IncomingObject incoming;

    LargeObjects(long maxObjectBytes, JobLedger jobs) {
        this.maxObjectBytes = maxObjectBytes;
        this.jobs = jobs;
    }

    /** Measures a message of the server: its size once encoded. */
    @FunctionalInterface
    interface Sizer {
        int encodedSize(Reply reply) throws CodecException;
    }

    /**
     * What an incoming chunk did.
     *
     * @param code 213 for a buffered chunk, 200 for a complete object, 413 or 424 for a refused one
     * @param items for 200: the items sent before the object, then the object
     */
    record Received(int code, List<ResultItem> items) {
    }

    /** A large object being sent to the device in chunks. */
    private static final class OutgoingObject {
        final PendingOp op;
        final byte[] data;
        final Meta meta;
        int offset;
        boolean acknowledged = true;

        OutgoingObject(PendingOp op, byte[] data, Meta meta) {
            this.op = op;
            this.data = data;
            this.meta = meta;
        }
    }

    /** A large object being received from the device in chunks. */
    private static final class IncomingObject {
        final String kind;
        final String key;
        final String uri;
        final Meta meta;
        final Long declaredSize;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<ResultItem> earlierItems = new ArrayList<>();
        boolean binary;

        IncomingObject(String kind, String key, String uri, Meta meta, Long declaredSize) {
            this.kind = kind;
            this.key = key;
            this.uri = uri;
            this.meta = meta;
            this.declaredSize = declaredSize;
        }
    }

    /** The session ended. */
    void clear() {
        outgoing = null;
        incoming = null;
    }

    // ------------------------------------------------------------------ from the device

    /** @return whether an object from the device waits for its next chunk */
    boolean receiving() {
        return incoming != null;
    }

    /** A command other than a Status arrived while an object was coming in: it is interrupted (1225). */
    void interruptIfNeeded(ServerSession s, Command c, Reply reply) {
        if (incoming != null && !(c instanceof Status)) {
            interrupt(s, reply);
        }
    }

    /** The object coming in, if any, is interrupted (1225) unless it is the {@code kind} command {@code key}. */
    void interruptUnless(String kind, String key, ServerSession s, Reply reply) {
        IncomingObject lo = incoming;
        if (lo != null && !(lo.kind.equals(kind) && Objects.equals(lo.key, key))) {
            interrupt(s, reply);
        }
    }

    /** A command arrived before the last chunk of a large object: drop it and tell the device (1225). */
    private void interrupt(ServerSession s, Reply reply) {
        IncomingObject lo = incoming;
        incoming = null;
        LOG.debug("Large object from {} interrupted before its last chunk", s.deviceId());
        Item item = lo.uri == null ? null : Item.builder().source(lo.uri).build();
        reply.command(item == null ? Alert.of(s.nextCmdId(), AlertCodes.NO_END_OF_DATA)
                : Alert.of(s.nextCmdId(), AlertCodes.NO_END_OF_DATA, item));
    }

    /** @return whether an object of {@code size} bytes (null: not told) is refused (413) */
    boolean tooLarge(Long size) {
        return size != null && size > maxObjectBytes;
    }

    /**
     * Starts receiving an object.
     *
     * @param kind the command (Results, Replace)
     * @param key what identifies it (MsgRef:CmdRef of Results, the URI of Replace)
     * @param uri the URI of the object
     * @param meta its Meta
     * @param size its declared size, or null
     * @param earlierItems the items of the command before the object
     */
    void start(String kind, String key, String uri, Meta meta, Long size, List<ResultItem> earlierItems) {
        incoming = new IncomingObject(kind, key, uri, meta, size);
        incoming.earlierItems.addAll(earlierItems);
    }

    /** Takes the next chunk of the object coming in; anything but 213 ends it. */
    Received append(Item chunk) {
        IncomingObject lo = incoming;
        int code = append(lo, chunk);
        if (code == StatusCodes.CHUNKED_ITEM_ACCEPTED) {
            return new Received(code, List.of());
        }
        incoming = null;
        if (code != StatusCodes.OK) {
            return new Received(code, List.of());
        }
        List<ResultItem> all = new ArrayList<>(lo.earlierItems);
        all.add(assembled(lo));
        return new Received(code, all);
    }

    /** @return 213 for a buffered chunk, 200 for a complete object, 413 or 424 for a refused one */
    private int append(IncomingObject lo, Item chunk) {
        if (chunk.data() != null) {
            if (chunk.data() instanceof Data.Binary) {
                lo.binary = true;
            }
            byte[] b = chunk.data().asBytes();
            if (lo.bytes.size() + (long) b.length > maxObjectBytes) {
                return StatusCodes.REQUEST_ENTITY_TOO_LARGE;
            }
            lo.bytes.write(b, 0, b.length);
        }
        if (chunk.moreData()) {
            return StatusCodes.CHUNKED_ITEM_ACCEPTED;
        }
        if (lo.declaredSize != null && lo.declaredSize != lo.bytes.size()) {
            return StatusCodes.SIZE_MISMATCH;
        }
        return StatusCodes.OK;
    }

    private static ResultItem assembled(IncomingObject lo) {
        byte[] b = lo.bytes.toByteArray();
        String format = lo.meta == null ? null : lo.meta.format();
        String type = lo.meta == null ? null : lo.meta.type();
        if (lo.binary) {
            return ItemValues.fromBytes(lo.uri, format, type, b);
        }
        return new ResultItem(lo.uri, format, type, new String(b, StandardCharsets.UTF_8), false);
    }

    /** @return the declared size of an object: the item's Meta Size, else the command's */
    static Long size(Meta itemMeta, Meta cmdMeta) {
        if (itemMeta != null && itemMeta.size() != null) {
            return itemMeta.size();
        }
        return cmdMeta == null ? null : cmdMeta.size();
    }

    /**
     * The device sent Alert 1225: the object it was sending is dropped, and the one it was receiving ends
     * with 215.
     */
    void onNoEndOfData(Instant now) {
        incoming = null;
        if (outgoing != null) {
            OutgoingObject o = outgoing;
            outgoing = null;
            jobs.forgetSent(o.op);
            jobs.answer(o.op.jobId(), o.op.index(), StatusCodes.NOT_EXECUTED, List.of(), now);
        }
    }

    // ------------------------------------------------------------------ to the device

    /** @return whether an object is being sent to the device */
    boolean sending() {
        return outgoing != null;
    }

    /** @return whether the device acknowledged the last chunk sent (213) */
    boolean acknowledged() {
        return outgoing.acknowledged;
    }

    /** Starts sending the data of {@code op} in chunks. */
    void send(PendingOp op, byte[] data, Meta meta) {
        outgoing = new OutgoingObject(op, data, meta);
    }

    /** The Status of a chunk: 213 asks for the next one, anything else ends the object and the operation. */
    void onChunkStatus(Sent sent, int code, List<ResultItem> items, Instant now) {
        OutgoingObject o = outgoing;
        if (o != null && code == StatusCodes.CHUNKED_ITEM_ACCEPTED) {
            o.acknowledged = true;
        } else if (o != null) {
            outgoing = null;
            jobs.answer(sent.jobId(), sent.index(), code, items, now);
        }
    }

    /** The operation {@code top} was answered: its object, if being sent, is done. */
    void answered(PendingOp top) {
        if (outgoing != null && outgoing.op == top) {
            outgoing = null;
        }
    }

    /** The object being sent is dropped if it belongs to one of {@code ops} (they are sent again). */
    void dropIfAny(Collection<PendingOp> ops) {
        if (outgoing != null && ops.contains(outgoing.op)) {
            outgoing = null;
        }
    }

    /** The last chunk sent got no status: the object is dropped. */
    void drop() {
        outgoing = null;
    }

    /**
     * Adds the next chunk to the message, as large as the device's MaxMsgSize allows.
     *
     * @param s the session
     * @param reply the message
     * @param sizer measures the message
     * @throws CodecException when MaxMsgSize leaves no room for a chunk
     */
    void addChunk(ServerSession s, Reply reply, Sizer sizer) throws CodecException {
        OutgoingObject o = outgoing;
        PendingOp op = o.op;
        String id = s.nextCmdId();
        // first guess: what is left of MaxMsgSize with an empty chunk; then shrink by the overflow
        Command empty = chunkCommand(o, id, o.offset, o.offset, true);
        reply.command(empty);
        int base = sizer.encodedSize(reply);
        reply.removeLastCommand();
        long room = s.clientMaxMsgSize() - base - 16;
        int chunk = (int) Math.max(MIN_CHUNK, Math.min(o.data.length - o.offset, room));
        while (true) {
            int end = boundary(o.data, o.offset, o.offset + chunk);
            boolean more = end < o.data.length;
            Command c = chunkCommand(o, id, o.offset, end, more);
            reply.command(c);
            int size = sizer.encodedSize(reply);
            if (size <= s.clientMaxMsgSize()) {
                Sent x = new Sent(op, op.jobId(), op.index(), reply.msgId(), false, more);
                jobs.registerChunk(reply.msgId() + ":" + id, x);
                o.offset = end;
                o.acknowledged = false;
                if (!more) {
                    outgoing = null;
                }
                reply.setFinal(false);
                return;
            }
            reply.removeLastCommand();
            if (chunk <= MIN_CHUNK) {
                throw new CodecException(CodecError.MESSAGE_TOO_LARGE,
                        "the device's MaxMsgSize leaves no room for a large-object chunk");
            }
            // escaping makes the encoded payload longer than the raw bytes: scale by what the last try showed
            long payload = Math.max(1, size - base);
            long budget = Math.max(0, room);
            int scaled = (int) Math.min((long) chunk - 1, chunk * budget / payload);
            chunk = Math.max(MIN_CHUNK, scaled);
        }
    }

    private static Command chunkCommand(OutgoingObject o, String id, int from, int to, boolean more) {
        Meta meta = o.meta == null ? Meta.EMPTY : o.meta;
        if (from == 0) {
            meta = meta.toBuilder().size((long) o.data.length).build();
        }
        Item item = new Item(Location.of(o.op.operation().target()), null, meta.isEmpty() ? null : meta,
                Data.text(new String(o.data, from, to - from, StandardCharsets.UTF_8)), more);
        return o.op.operation().kind() == OperationKind.ADD ? Add.of(id, item) : Replace.of(id, item);
    }

    /** @return the largest UTF-8 code point boundary not after {@code end} (and after {@code start}) */
    private static int boundary(byte[] data, int start, int end) {
        if (end >= data.length) {
            return data.length;
        }
        int e = end;
        while (e > start + 1 && (data[e] & 0xC0) == 0x80) {
            e--;
        }
        return e;
    }
}
