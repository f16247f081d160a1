package org.cardinaldm.fumo.core.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.cardinaldm.fumo.api.FumoHistoryEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The finished operations, newest last on disk ({@code history.log}, one line per entry, fields URL-encoded
 * and separated by tabs) and newest first for callers. At most {@value #MAX} entries are kept: the file is
 * rewritten without the oldest ones when it has twice as many. A damaged line is skipped. Thread-safe.
 */
final class History {
    /** Entries kept. */
    static final int MAX = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(History.class);

    private final Path file;
    private final Deque<FumoHistoryEntry> entries = new ArrayDeque<>();
    private int lines;

    /** @param file the log file (created on first write) */
    History(Path file) {
        this.file = file;
        if (Files.exists(file)) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    lines++;
                    FumoHistoryEntry e = decode(line);
                    if (e != null) {
                        add(e);
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                LOG.warn("FUMO history {} cannot be read ({}); starting a new one", file, e.toString());
            }
        }
    }

    private void add(FumoHistoryEntry e) {
        entries.addFirst(e);
        while (entries.size() > MAX) {
            entries.removeLast();
        }
    }

    /** @param e a finished operation, appended to the file */
    synchronized void record(FumoHistoryEntry e) {
        add(e);
        try {
            Files.createDirectories(file.getParent());
            if (lines >= 2 * MAX) {
                List<String> keep = new ArrayList<>();
                entries.descendingIterator().forEachRemaining(x -> keep.add(encode(x)));
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                Files.write(tmp, keep, StandardCharsets.UTF_8);
                Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                lines = keep.size();
            } else {
                Files.writeString(file, encode(e) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
                lines++;
            }
        } catch (IOException ex) {
            LOG.warn("FUMO history entry not written to {} ({})", file, ex.toString());
        }
    }

    /**
     * @param max the most entries
     * @return the newest entries first
     */
    synchronized List<FumoHistoryEntry> newest(int max) {
        List<FumoHistoryEntry> out = new ArrayList<>(Math.min(max, entries.size()));
        for (FumoHistoryEntry e : entries) {
            if (out.size() == max) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    private static String encode(FumoHistoryEntry e) {
        return String.join("\t", enc(e.instance()), enc(e.operation()), enc(e.serverId()), enc(e.pkgName()),
                enc(e.fromVersion()), enc(e.toVersion()), String.valueOf(e.result()), enc(e.detail()),
                e.started().toString(), e.finished().toString());
    }

    private static FumoHistoryEntry decode(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != 10) {
            return null;
        }
        try {
            return new FumoHistoryEntry(dec(f[0]), dec(f[1]), dec(f[2]), dec(f[3]), dec(f[4]), dec(f[5]),
                    Integer.parseInt(f[6]), dec(f[7]), Instant.parse(f[8]), Instant.parse(f[9]));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String dec(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
