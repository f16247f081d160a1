package org.cardinaldm.client.internal.alerts;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.cardinaldm.client.api.GenericAlert;
import org.cardinaldm.client.api.GenericAlertQueue;
import org.cardinaldm.client.api.QueuedAlert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Generic Alert queue, kept in one file that is rewritten atomically (temporary file, fsync,
 * rename) after every change, so that queued alerts survive a restart or a power cut. A file that
 * cannot be read is moved aside ({@code .corrupt}) and the queue starts empty. Bounded in entries.
 */
public final class FileAlertQueue implements GenericAlertQueue {
    /** How a delivery attempt ended for one alert. */
    public enum Settlement {
        /** 200 or 202: delivered. */
        DELIVERED,
        /** An error that resending cannot fix (400, 412, 415...): dropped. */
        REFUSED,
        /** No answer, or an error that may go away (500, 503, 401...): kept, one attempt more. */
        RETRY
    }

    private static final Logger LOG = LoggerFactory.getLogger(FileAlertQueue.class);
    private static final int MAGIC = 0x43444741; // "CDGA"
    private static final int VERSION = 1;
    private static final int MAX_STRING_BYTES = 256 * 1024;

    private final Path file;
    private final int maxEntries;
    private final int maxAttempts;
    private final Clock clock;
    private final Map<String, QueuedAlert> entries = new LinkedHashMap<>();

    /**
     * @param file the queue file (its directory is created when missing)
     * @param maxEntries the most alerts kept
     * @param maxAttempts how many sessions may try one alert before it is dropped
     * @param clock the clock for queue times
     */
    public FileAlertQueue(Path file, int maxEntries, int maxAttempts, Clock clock) {
        this.file = Objects.requireNonNull(file, "file");
        this.maxEntries = maxEntries;
        this.maxAttempts = maxAttempts;
        this.clock = Objects.requireNonNull(clock, "clock");
        load();
    }

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException("not a Generic Alert queue file of version " + VERSION);
            }
            int count = in.readInt();
            if (count < 0 || count > maxEntries * 4 + 1024) {
                throw new IOException("implausible entry count " + count);
            }
            for (int i = 0; i < count; i++) {
                String id = str(in);
                Instant queued = Instant.ofEpochMilli(in.readLong());
                int attempts = in.readInt();
                GenericAlert.Builder b = GenericAlert.builder(str(in), str(in)).format(str(in)).mark(opt(in))
                        .data(str(in)).source(opt(in)).target(opt(in)).correlator(opt(in));
                entries.put(id, new QueuedAlert(id, b.build(), queued, Math.max(0, attempts)));
            }
            LOG.info("Generic Alert queue {}: {} alert(s) pending", file, entries.size());
        } catch (IOException | RuntimeException e) {
            entries.clear();
            Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
            LOG.warn("Generic Alert queue {} is unreadable ({}); moved to {}, starting empty", file, e.toString(), aside);
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                LOG.warn("Cannot move {} aside: {}", file, moveFailed.toString());
            }
        }
    }

    private static String str(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_STRING_BYTES) {
            throw new IOException("implausible string length " + n);
        }
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    private static String opt(DataInputStream in) throws IOException {
        return in.readBoolean() ? str(in) : null;
    }

    private static void str(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static void opt(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            str(out, s);
        }
    }

    private void save() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(MAGIC);
                out.writeInt(VERSION);
                out.writeInt(entries.size());
                for (QueuedAlert q : entries.values()) {
                    GenericAlert a = q.alert();
                    str(out, q.id());
                    out.writeLong(q.queued().toEpochMilli());
                    out.writeInt(q.attempts());
                    str(out, a.serverId());
                    str(out, a.type());
                    str(out, a.format());
                    opt(out, a.mark().orElse(null));
                    str(out, a.data());
                    opt(out, a.source().orElse(null));
                    opt(out, a.target().orElse(null));
                    opt(out, a.correlator().orElse(null));
                }
            }
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
                out.write(bytes.toByteArray());
                out.getFD().sync();
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the Generic Alert queue " + file, e);
        }
    }

    @Override
    public synchronized String enqueue(GenericAlert alert) {
        Objects.requireNonNull(alert, "alert");
        if (entries.size() >= maxEntries) {
            throw new IllegalStateException("The Generic Alert queue is full (" + maxEntries + " alerts)");
        }
        String id = UUID.randomUUID().toString();
        entries.put(id, new QueuedAlert(id, alert, clock.instant(), 0));
        try {
            save();
        } catch (UncheckedIOException e) {
            entries.remove(id);
            throw new IllegalStateException(e.getMessage(), e);
        }
        LOG.info("Queued {} as {}", alert, id);
        return id;
    }

    @Override
    public synchronized List<QueuedAlert> pending() {
        return List.copyOf(entries.values());
    }

    @Override
    public synchronized List<QueuedAlert> pending(String serverId) {
        List<QueuedAlert> out = new ArrayList<>();
        for (QueuedAlert q : entries.values()) {
            if (q.alert().serverId().equals(serverId)) {
                out.add(q);
            }
        }
        return out;
    }

    @Override
    public synchronized boolean remove(String id) {
        if (entries.remove(id) == null) {
            return false;
        }
        saveQuietly();
        return true;
    }

    /**
     * Records how a session's delivery attempts ended.
     *
     * @param outcomes queue id to settlement
     * @return how many alerts were delivered
     */
    public synchronized int settle(Map<String, Settlement> outcomes) {
        int delivered = 0;
        for (Map.Entry<String, Settlement> e : outcomes.entrySet()) {
            QueuedAlert q = entries.get(e.getKey());
            if (q == null) {
                continue;
            }
            switch (e.getValue()) {
                case DELIVERED:
                    entries.remove(q.id());
                    delivered++;
                    break;
                case REFUSED:
                    entries.remove(q.id());
                    LOG.warn("Server refused {}; dropped", q.alert());
                    break;
                default:
                    if (q.attempts() + 1 >= maxAttempts) {
                        entries.remove(q.id());
                        LOG.warn("{} was not delivered in {} sessions; dropped", q.alert(), maxAttempts);
                    } else {
                        entries.put(q.id(), new QueuedAlert(q.id(), q.alert(), q.queued(), q.attempts() + 1));
                    }
            }
        }
        if (!outcomes.isEmpty()) {
            saveQuietly();
        }
        return delivered;
    }

    private void saveQuietly() {
        try {
            save();
        } catch (UncheckedIOException e) {
            LOG.warn("{}", e.getMessage());
        }
    }
}
