package org.cardinaldm.smartcard.bootstrap.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cardinaldm.client.api.spi.StateFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link NotificationBudget} of every card, kept across restarts in one small text file (owner-only where
 * the file system has POSIX permissions, rewritten atomically after every change): per card its failures in a
 * row, those of strangers, and its proven senders. At most {@value #MAX_CARDS} cards, the least recently used
 * forgotten first. A file that cannot be read is moved aside ({@code .corrupt}) with a WARN and every budget
 * starts full. Without a file the budgets live in memory only.
 */
final class NotificationBudgets {
    /** The most cards remembered. */
    static final int MAX_CARDS = 64;

    private static final Logger LOG = LoggerFactory.getLogger(NotificationBudgets.class);
    private static final String HEADER = "cardinal-card-notification-budgets 1";
    private static final long MAX_FILE_BYTES = 64 * 1024;

    private final StateFile file;
    private final int limit;
    private final Map<String, NotificationBudget> budgets = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * @param file the file, or null for memory only
     * @param limit failed checks a card absorbs in a row
     */
    NotificationBudgets(Path file, int limit) {
        this.file = file == null ? null : StateFile.of(file);
        this.limit = limit;
        load();
    }

    /** @return the budget of that card (created full) */
    synchronized NotificationBudget of(String cardId) {
        NotificationBudget b = budgets.computeIfAbsent(cardId, id -> new NotificationBudget(limit, this::save));
        while (budgets.size() > MAX_CARDS) {
            budgets.remove(budgets.keySet().iterator().next());
        }
        return b;
    }

    private void load() {
        if (file == null) {
            return;
        }
        file.load(MAX_FILE_BYTES, HEADER, this::parse).ifPresent(e -> {
            budgets.clear();
            LOG.warn("Card notification budgets {} are unreadable ({}); moved to {}, every budget starts full",
                    file.path(), e.getClass().getSimpleName() + ": " + e.getMessage(), file.aside());
        });
    }

    private void parse(String[] lines) throws IOException {
        for (int i = 1; i < lines.length && budgets.size() < MAX_CARDS; i++) {
            if (lines[i].isEmpty()) {
                continue;
            }
            String[] f = lines[i].split(" ", -1);
            if (f.length != 4) {
                throw new IOException("unreadable line " + i);
            }
            List<String> proven = new ArrayList<>();
            for (String p : f[3].isEmpty() ? new String[0] : f[3].split(",")) {
                proven.add(text(p));
            }
            NotificationBudget b = new NotificationBudget(limit, this::save);
            b.restore(Integer.parseInt(f[1]), Integer.parseInt(f[2]), proven);
            budgets.put(text(f[0]), b);
        }
    }

    private static String text(String b64) {
        return new String(Base64.getUrlDecoder().decode(b64), StandardCharsets.UTF_8);
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private synchronized void save() {
        if (file == null) {
            return;
        }
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        budgets.forEach((card, b) -> {
            List<String> proven = new ArrayList<>();
            b.proven().forEach(p -> proven.add(b64(p)));
            out.append(b64(card)).append(' ').append(b.failures()).append(' ').append(b.strangerFailures()).append(' ')
                    .append(String.join(",", proven)).append('\n');
        });
        try {
            file.write(out.toString());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot save the card notification budgets {}: {}", file.path(), e.toString());
        }
    }
}
