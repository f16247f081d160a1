package org.cardinaldm.client.internal.session;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.Results;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;

/**
 * What the client still has to send, packed into messages that respect the server's MaxMsgSize
 * (digest 1.6, 1.7): whole commands while they fit, a large Results item cut into chunks with
 * MoreData (Size in the first chunk only), one chunk per message and nothing after it.
 */
final class Outbox {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Outbox.class);

    /** What a sent command was, so that the server's Status for it can be understood. */
    enum Kind {
        /** Alert 1200/1201 of package 1. */
        SESSION_ALERT,
        /** The Replace of DevInfo in package 1. */
        DEVINFO,
        /** A Generic Alert from the queue ({@link Sent#ref()} is its queue id). */
        GENERIC_ALERT,
        /** A chunk of a large Results item. */
        CHUNK,
        /** Anything else (statuses, results, 1222, 1225). */
        OTHER
    }

    /** A command of a sent message. */
    record Sent(Kind kind, String ref, Chunked chunk) {
    }

    /** An entry waiting to be sent. */
    interface Entry {
    }

    /** A command built once its CmdID is known. */
    record Simple(Function<String, Command> factory, Kind kind, String ref) implements Entry {
        static Simple of(Function<String, Command> factory) {
            return new Simple(factory, Kind.OTHER, null);
        }
    }

    /** A Results item that may have to travel in chunks. */
    static final class Chunked implements Entry {
        final String msgRef;
        final String cmdRef;
        final String source;
        final String format;
        final String type;
        final boolean binary;
        final byte[] bytes;
        final String text;
        int offset;
        boolean aborted;

        Chunked(String msgRef, String cmdRef, String source, String format, String type, Data data) {
            this.msgRef = msgRef;
            this.cmdRef = cmdRef;
            this.source = source;
            this.format = format;
            this.type = type;
            this.binary = data instanceof Data.Binary;
            this.bytes = binary ? data.asBytes() : null;
            this.text = binary ? null : data.asText();
        }

        int total() {
            return binary ? bytes.length : text.length();
        }

        /** @return the Size announced in the first chunk: bytes as they travel */
        long size() {
            return binary ? bytes.length : text.getBytes(StandardCharsets.UTF_8).length;
        }

        boolean done() {
            return offset >= total();
        }

        Results chunk(String cmdId, int length) {
            int end = (int) Math.min(total(), (long) offset + length);
            Data data = binary ? Data.bytes(Arrays.copyOfRange(bytes, offset, end)) : Data.text(text.substring(offset, end));
            boolean more = end < total();
            Meta.Builder meta = Meta.builder().format(format).type(type);
            if (offset == 0 && more) {
                meta.size(size());
            }
            Item item = Item.builder().source(source).meta(meta.build()).data(data).moreData(more).build();
            return new Results(cmdId, msgRef, cmdRef, null, null, null, List.of(item));
        }
    }

    /** A packed message. */
    record Packed(SyncMessage message, byte[] bytes, Map<String, Sent> sent, boolean drained) {
    }

    private static final int MARGIN = 24;
    private static final int MIN_CHUNK = 32;

    private final Deque<Entry> queue = new ArrayDeque<>();

    void add(Entry e) {
        queue.addLast(e);
    }

    void addFirst(Entry e) {
        queue.addFirst(e);
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int size() {
        return queue.size();
    }

    void clear() {
        queue.clear();
    }

    /** @return the statuses waiting, built with throw-away CmdIDs (for callers that send nothing) */
    List<org.cardinaldm.syncml.api.model.Status> statuses() {
        List<org.cardinaldm.syncml.api.model.Status> out = new ArrayList<>();
        for (Entry e : queue) {
            if (e instanceof Simple s && s.factory().apply("1") instanceof org.cardinaldm.syncml.api.model.Status st) {
                out.add(st);
            }
        }
        return out;
    }

    /** Drops the rest of a chunked item (the server refused a chunk or sent Alert 1225). */
    void abortChunks() {
        queue.removeIf(e -> e instanceof Chunked);
    }

    /**
     * Takes as many entries as fit into one message.
     *
     * @param header the SyncHdr
     * @param finalIfDrained whether the message ends the package when everything fits
     * @param limit the largest message the server accepts (Long.MAX_VALUE for no limit)
     * @param codec the codec that will send it
     * @return the message and its encoding
     * @throws CodecException when a command cannot be encoded
     */
    Packed pack(SyncHeader header, boolean finalIfDrained, long limit, MessageCodec codec) throws CodecException {
        long budget = limit == Long.MAX_VALUE ? limit : limit - MARGIN;
        List<Command> commands = new ArrayList<>();
        Map<String, Sent> sent = new HashMap<>();
        int next = 1;
        // Fast path: everything fits
        if (queue.stream().noneMatch(e -> e instanceof Chunked) || budget == Long.MAX_VALUE) {
            List<Command> all = new ArrayList<>();
            Map<String, Sent> allSent = new HashMap<>();
            int id = 1;
            for (Entry e : queue) {
                String cmdId = Integer.toString(id++);
                all.add(build(e, cmdId, Integer.MAX_VALUE, allSent));
            }
            SyncMessage m = new SyncMessage(header, all, finalIfDrained);
            byte[] bytes = codec.encode(m);
            if (bytes.length <= budget) {
                queue.clear();
                return new Packed(m, bytes, allSent, true);
            }
        }
        while (!queue.isEmpty()) {
            Entry e = queue.peekFirst();
            String cmdId = Integer.toString(next);
            if (e instanceof Chunked c) {
                commands.add(c.chunk(cmdId, 0));
                SyncMessage probe = new SyncMessage(header, commands, false);
                long overhead = codec.encode(probe).length;
                commands.remove(commands.size() - 1);
                long avail = budget - overhead;
                int remaining = c.total() - c.offset;
                if (avail < MIN_CHUNK && !commands.isEmpty()) {
                    break;
                }
                int length = (int) Math.min(remaining, Math.max(MIN_CHUNK, avail));
                if (!c.binary) {
                    length = textFit(c, length, avail);
                }
                Map<String, Sent> s = new HashMap<>();
                commands.add(build(c, cmdId, length, s));
                sent.putAll(s);
                next++;
                if (!c.done()) {
                    break; // nothing may follow a chunk with MoreData in its message
                }
                queue.pollFirst();
                continue;
            }
            Map<String, Sent> s = new HashMap<>();
            commands.add(build(e, cmdId, Integer.MAX_VALUE, s));
            SyncMessage probe = new SyncMessage(header, commands, false);
            byte[] bytes = codec.encode(probe);
            if (bytes.length > budget && commands.size() > 1) {
                Command last = commands.get(commands.size() - 1);
                long alone = codec.encode(new SyncMessage(header, List.of(commands.get(0), last), false)).length;
                if (alone <= budget) {
                    commands.remove(commands.size() - 1);
                    break; // it fits in the next message
                }
                // it will never fit: send it now, over the limit, rather than never
                LOG.warn("A {} of {} bytes exceeds the server's MaxMsgSize {} and cannot be split; sent anyway",
                        last.elementName(), alone, limit);
            }
            sent.putAll(s);
            queue.pollFirst();
            next++;
        }
        boolean drained = queue.isEmpty();
        SyncMessage m = new SyncMessage(header, commands, finalIfDrained && drained);
        return new Packed(m, codec.encode(m), sent, drained);
    }

    /** Keeps a text chunk within the byte budget (its characters may take several UTF-8 bytes). */
    private static int textFit(Chunked c, int length, long avail) {
        int n = length;
        while (n > MIN_CHUNK && c.text.substring(c.offset, c.offset + n).getBytes(StandardCharsets.UTF_8).length > avail) {
            n = n * 9 / 10;
        }
        // never split a surrogate pair
        if (c.offset + n < c.text.length() && Character.isHighSurrogate(c.text.charAt(c.offset + n - 1))) {
            n--;
        }
        return Math.max(1, n);
    }

    private static Command build(Entry e, String cmdId, int chunkLength, Map<String, Sent> sent) {
        if (e instanceof Simple s) {
            sent.put(cmdId, new Sent(s.kind(), s.ref(), null));
            return s.factory().apply(cmdId);
        }
        Chunked c = (Chunked) e;
        Results r = c.chunk(cmdId, chunkLength);
        if (chunkLength > 0) {
            c.offset = (int) Math.min(c.total(), (long) c.offset + chunkLength);
        }
        sent.put(cmdId, new Sent(Kind.CHUNK, null, c));
        return r;
    }
}
