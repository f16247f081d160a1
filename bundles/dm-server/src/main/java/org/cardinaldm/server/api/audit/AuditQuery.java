package org.cardinaldm.server.api.audit;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * Which audit entries to list, and which page: every filter that is set must match (they are combined with AND),
 * the entries come newest first (by id), and the next page starts after the last id of the previous one. The
 * filters are operators' input (a read-only user may send them), so they are checked here: texts are bounded and
 * printable, the time range is ordered, the page size is bounded.
 *
 * <ul>
 * <li>{@code actor}: the user, exactly (case-sensitive, as Karaf's user names are).</li>
 * <li>{@code action}: a text the action contains, ignoring case ({@code jobs}, {@code dms:device-unlock},
 * {@code DELETE}); {@code %}, {@code _} and {@code \} are plain characters.</li>
 * <li>{@code target}: the object acted upon, exactly (a DevId, a job or campaign id).</li>
 * <li>{@code since} (included) and {@code until} (excluded): the entry's time.</li>
 * </ul>
 *
 * @param actor the user, or null for any
 * @param action a text the action contains (case-insensitive), or null for any
 * @param target the target, or null for any
 * @param since the earliest time (included), or null
 * @param until the time before which entries are (excluded), or null
 * @param after 0 for the newest entries, else only entries with an id below it (the last id of the previous page)
 * @param limit the most entries, 1 to {@link AuditLog#MAX_LIST}
 * @since 1.1
 */
public record AuditQuery(String actor, String action, String target, Instant since, Instant until, long after,
        int limit) {

    /** The page size of {@link #newest()}. */
    public static final int DEFAULT_LIMIT = 50;

    /**
     * Checks the filters; texts are stripped of leading and trailing blanks, and blank ones mean "any" (null).
     *
     * @throws IllegalArgumentException with a message fit for the operator, when a filter is too long or holds
     *         control characters, {@code since} is not before {@code until}, {@code after} is negative or
     *         {@code limit} is out of bounds
     */
    public AuditQuery {
        actor = text("actor", actor, AuditEntry.MAX_USER);
        action = text("action", action, AuditEntry.MAX_ACTION);
        target = text("target", target, AuditEntry.MAX_TARGET);
        if (since != null && until != null && !since.isBefore(until)) {
            throw new IllegalArgumentException("since must be before until");
        }
        if (after < 0) {
            throw new IllegalArgumentException("after must be 0 or an entry's id");
        }
        if (limit < 1 || limit > AuditLog.MAX_LIST) {
            throw new IllegalArgumentException("limit must be 1 to " + AuditLog.MAX_LIST);
        }
    }

    /** @return the newest {@value #DEFAULT_LIMIT} entries, unfiltered */
    public static AuditQuery newest() {
        return new AuditQuery(null, null, null, null, null, 0, DEFAULT_LIMIT);
    }

    /**
     * @param actor the user, or null/blank for any
     * @return this query with that actor filter
     */
    public AuditQuery withActor(String actor) {
        return new AuditQuery(actor, action, target, since, until, after, limit);
    }

    /**
     * @param action a text the action contains (case-insensitive), or null/blank for any
     * @return this query with that action filter
     */
    public AuditQuery withAction(String action) {
        return new AuditQuery(actor, action, target, since, until, after, limit);
    }

    /**
     * @param target the target, or null/blank for any
     * @return this query with that target filter
     */
    public AuditQuery withTarget(String target) {
        return new AuditQuery(actor, action, target, since, until, after, limit);
    }

    /**
     * @param since the earliest time (included), or null
     * @param until the time before which entries are (excluded), or null
     * @return this query with that time range
     */
    public AuditQuery between(Instant since, Instant until) {
        return new AuditQuery(actor, action, target, since, until, after, limit);
    }

    /**
     * @param after 0 for the newest entries, else the last id of the previous page
     * @param limit the most entries, 1 to {@link AuditLog#MAX_LIST}
     * @return this query for that page
     */
    public AuditQuery page(long after, int limit) {
        return new AuditQuery(actor, action, target, since, until, after, limit);
    }

    /** @return true when no filter is set (the page may still start after an id) */
    public boolean unfiltered() {
        return actor == null && action == null && target == null && since == null && until == null;
    }

    /**
     * The meaning of the filters, which a store answering in its own query language must reproduce. The page
     * ({@code after}, {@code limit}) is not tested here.
     *
     * @param entry an entry
     * @return true when every filter that is set matches it
     */
    public boolean matches(AuditEntry entry) {
        Objects.requireNonNull(entry, "entry");
        return (actor == null || actor.equals(entry.user()))
                && (action == null || lower(entry.action()).contains(lower(action)))
                && (target == null || target.equals(entry.target()))
                && (since == null || !entry.time().isBefore(since))
                && (until == null || entry.time().isBefore(until));
    }

    /**
     * @param text a text
     * @return it in lower case as the stores compare actions ({@link Locale#ROOT})
     */
    public static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    private static String text(String name, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        value = value.strip();
        if (value.length() > max) {
            throw new IllegalArgumentException(name + " must be at most " + max + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                throw new IllegalArgumentException(name + " must not contain control characters");
            }
        }
        return value;
    }
}
