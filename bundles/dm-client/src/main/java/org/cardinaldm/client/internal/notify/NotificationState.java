package org.cardinaldm.client.internal.notify;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.cardinaldm.client.api.spi.StateFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the notification check remembers across restarts, in one small text file (owner-only where the file
 * system has POSIX permissions, rewritten atomically after every change): the notifications accepted within
 * the replay window (so a replay is refused without a credential check), and for every other notification how
 * many nonces it has been checked with already (so a datagram sent again is never checked twice with the same
 * nonce, and a restart gives no one new tries). Keys are hashes; no digest, nonce or secret is stored. Each
 * map keeps at most {@code maxEntries}, the oldest go first; entries older than the window are dropped. A file
 * that cannot be read is moved aside ({@code .corrupt}) with a WARN, and the state starts empty.
 */
final class NotificationState {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationState.class);
    private static final String HEADER = "cardinal-notification-state 1";
    private static final long MAX_FILE_BYTES = 256 * 1024;

    /** How often a notification was checked, and when first. */
    private record Tries(int count, Instant first) {
    }

    private final StateFile file;
    private final Clock clock;
    private final Duration window;
    private final int maxEntries;
    private final Map<String, Instant> accepted = new LinkedHashMap<>();
    private final Map<String, Tries> tried = new LinkedHashMap<>();

    /**
     * @param file the state file, or null to keep the state in memory only
     * @param clock the clock
     * @param window how long entries are kept
     * @param maxEntries the most entries of each kind
     */
    NotificationState(Path file, Clock clock, Duration window, int maxEntries) {
        this.file = file == null ? null : StateFile.of(file);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.window = Objects.requireNonNull(window, "window");
        this.maxEntries = Math.max(1, maxEntries);
        load();
    }

    /** @return whether a notification with that key was accepted within the window */
    synchronized boolean wasAccepted(String key) {
        expire();
        return accepted.containsKey(key);
    }

    /** @return false when it was accepted already (a replay that raced the first check) */
    synchronized boolean accept(String key) {
        expire();
        if (accepted.containsKey(key)) {
            return false;
        }
        accepted.put(key, clock.instant());
        trim(accepted);
        save();
        return true;
    }

    /** @return how many nonces the notification with that key was checked with */
    synchronized int tries(String key) {
        expire();
        Tries t = tried.get(key);
        return t == null ? 0 : t.count();
    }

    /** Counts one more check of the notification with that key, before it is made. */
    synchronized void tried(String key) {
        expire();
        Tries t = tried.remove(key);
        tried.put(key, new Tries(t == null ? 1 : t.count() + 1, t == null ? clock.instant() : t.first()));
        trim(tried);
        save();
    }

    /** Takes back the last {@link #tried}: the check could not be made. */
    synchronized void untried(String key) {
        Tries t = tried.get(key);
        if (t != null) {
            if (t.count() <= 1) {
                tried.remove(key);
            } else {
                tried.put(key, new Tries(t.count() - 1, t.first()));
            }
            save();
        }
    }

    /** @return the entries kept, both kinds (for tests) */
    synchronized int size() {
        return accepted.size() + tried.size();
    }

    private void trim(Map<String, ?> m) {
        Iterator<String> it = m.keySet().iterator();
        while (m.size() > maxEntries && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    private void expire() {
        Instant oldest = clock.instant().minus(window);
        accepted.values().removeIf(t -> t.isBefore(oldest));
        tried.values().removeIf(t -> t.first().isBefore(oldest));
    }

    private void load() {
        if (file == null) {
            return;
        }
        file.load(MAX_FILE_BYTES, HEADER, this::parse).ifPresent(e -> {
            accepted.clear();
            tried.clear();
            LOG.warn("Notification state {} is unreadable ({}); moved to {}, starting empty", file.path(),
                    e.getClass().getSimpleName() + ": " + e.getMessage(), file.aside());
        });
    }

    private void parse(String[] lines) throws IOException {
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(" ");
            if (f.length == 3 && f[0].equals("A") && key(f[1])) {
                accepted.put(f[1], Instant.ofEpochSecond(Long.parseLong(f[2])));
            } else if (f.length == 4 && f[0].equals("T") && key(f[1]) && Integer.parseInt(f[2]) > 0) {
                tried.put(f[1], new Tries(Integer.parseInt(f[2]), Instant.ofEpochSecond(Long.parseLong(f[3]))));
            } else if (!lines[i].isEmpty()) {
                throw new IOException("unreadable line " + i);
            }
        }
        trim(accepted);
        trim(tried);
        expire();
    }

    private static boolean key(String s) {
        return s.length() == 32 && s.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f');
    }

    private void save() {
        if (file == null) {
            return;
        }
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        accepted.forEach((k, t) -> b.append("A ").append(k).append(' ').append(t.getEpochSecond()).append('\n'));
        tried.forEach((k, t) -> b.append("T ").append(k).append(' ').append(t.count()).append(' ')
                .append(t.first().getEpochSecond()).append('\n'));
        try {
            file.write(b.toString());
        } catch (IOException | RuntimeException e) {
            // the check goes on from memory; a restart then forgets what was not saved
            LOG.warn("Cannot save the notification state {}: {}", file.path(), e.toString());
        }
    }
}
