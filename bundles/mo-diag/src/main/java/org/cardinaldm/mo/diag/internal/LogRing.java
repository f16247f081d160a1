package org.cardinaldm.mo.diag.internal;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A bounded, thread-safe ring of {@link LogLine}s: the oldest entry goes when a new one arrives
 * and the ring is full. Each entry gets the next sequence number, never reused (not even after
 * {@link #clear()}), so that an entry's node name stays the same as long as it is held.
 */
final class LogRing {
    /** The largest capacity accepted: 100 000 entries of 512 characters is about 100 MB at worst. */
    static final int MAX_CAPACITY = 100_000;

    private final ArrayDeque<LogLine> lines = new ArrayDeque<>();
    private int capacity;
    private long nextSeq = 1;

    /** @param capacity the number of entries held, 1..{@link #MAX_CAPACITY} */
    LogRing(int capacity) {
        this.capacity = check(capacity);
    }

    private static int check(int capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity " + capacity + " is outside 1.." + MAX_CAPACITY);
        }
        return capacity;
    }

    /**
     * Appends an entry, dropping the oldest when full.
     *
     * @return the entry as stored, with its sequence number
     */
    synchronized LogLine add(Instant time, String level, String source, String message) {
        LogLine line = new LogLine(nextSeq++, time, level, source, message);
        lines.addLast(line);
        while (lines.size() > capacity) {
            lines.removeFirst();
        }
        return line;
    }

    /** Changes the capacity; shrinking drops the oldest entries. */
    synchronized void resize(int newCapacity) {
        capacity = check(newCapacity);
        while (lines.size() > capacity) {
            lines.removeFirst();
        }
    }

    /** Drops every entry; sequence numbers go on. */
    synchronized void clear() {
        lines.clear();
    }

    /** @return the entries, oldest first */
    synchronized List<LogLine> snapshot() {
        return new ArrayList<>(lines);
    }

    /** @return the entry with this sequence number, if still held */
    synchronized Optional<LogLine> find(long seq) {
        // sequence numbers are contiguous in the ring: only the head is ever dropped
        LogLine first = lines.peekFirst();
        if (first == null || seq < first.seq() || seq > lines.peekLast().seq()) {
            return Optional.empty();
        }
        long skip = seq - first.seq();
        return lines.stream().skip(skip).findFirst();
    }

    /** @return the number of entries held */
    synchronized int size() {
        return lines.size();
    }

    /** @return the capacity */
    synchronized int capacity() {
        return capacity;
    }
}
