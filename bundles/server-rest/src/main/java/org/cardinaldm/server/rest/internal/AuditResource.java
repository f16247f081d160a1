package org.cardinaldm.server.rest.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;

import org.cardinaldm.server.api.audit.AuditEntry;
import org.cardinaldm.server.api.audit.AuditLog;
import org.cardinaldm.server.api.audit.AuditQuery;

/**
 * {@code GET /audit}: the operators' audit log, newest first, in keyset pages (administrators and viewers), with
 * filters by actor, action, target and time range. The log is the registry's, so every server node answers the
 * same. Every parameter is checked (bounded, printable, ordered times, page size 1 to {@value AuditLog#MAX_LIST});
 * a bad one is a 400 whose message names the parameter, never its value.
 */
@Path("audit")
@Produces(MediaType.APPLICATION_JSON)
public final class AuditResource {
    /** The page size when none is given. */
    static final int DEFAULT_LIMIT = 50;
    /** The longest time parameter read. */
    private static final int MAX_TIME_TEXT = 40;

    private final AuditLog audit;

    AuditResource(AuditLog audit) {
        this.audit = audit;
    }

    /**
     * @param after 0 or absent for the newest entries, else the {@code next} of the previous page
     * @param limit the page size, 1 to {@value AuditLog#MAX_LIST} (default {@value #DEFAULT_LIMIT})
     * @param actor only this user's entries (exactly)
     * @param action only entries whose action contains this text (ignoring case)
     * @param target only entries about this target (exactly: a DevId, a job or campaign id)
     * @param since only entries recorded at or after this time: ISO-8601 with an offset
     *        ({@code 2026-12-07T10:00:00Z}, {@code 2026-12-07T11:00+01:00}) or a date ({@code 2026-12-07}, its
     *        start in UTC)
     * @param until only entries recorded before this time (same forms)
     * @return {@code items} ({@code id}, {@code time}, {@code user}, {@code channel}, {@code action},
     *         {@code target}, {@code outcome}, {@code origin}) and {@code next} (the {@code after} of the next
     *         page, or null when this page is not full)
     */
    @GET
    public Map<String, Object> list(@QueryParam("after") String after, @QueryParam("limit") String limit,
            @QueryParam("actor") String actor, @QueryParam("action") String action,
            @QueryParam("target") String target, @QueryParam("since") String since,
            @QueryParam("until") String until) {
        AuditQuery query;
        try {
            query = new AuditQuery(actor, action, target, time("since", since), time("until", until),
                    number("after", after, 0), (int) number("limit", limit, DEFAULT_LIMIT));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        List<AuditEntry> page = audit.list(query);
        boolean more = page.size() == query.limit(); // a full page may be followed by an empty one
        List<Map<String, Object>> items = new ArrayList<>();
        for (AuditEntry e : page) {
            items.add(view(e));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", items);
        m.put("next", more ? items.get(items.size() - 1).get("id") : null);
        return m;
    }

    /**
     * @param after the {@code after} of a page
     * @param limit its size
     * @return that page, unfiltered (for callers in this bundle and tests)
     */
    Map<String, Object> list(long after, int limit) {
        return list(String.valueOf(after), String.valueOf(limit), null, null, null, null, null);
    }

    private static long number(String name, String text, long absent) {
        if (text == null || text.isBlank()) {
            return absent;
        }
        String t = text.strip();
        if (t.length() > 18 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(name + " must be a whole number"
                    + (name.equals("limit") ? " from 1 to " + AuditLog.MAX_LIST : " (0 or an entry's id)"));
        }
        long value = Long.parseLong(t);
        if (name.equals("limit") && value > AuditLog.MAX_LIST) {
            throw new IllegalArgumentException("limit must be 1 to " + AuditLog.MAX_LIST);
        }
        return value;
    }

    /**
     * @param name the parameter
     * @param text its value, or null
     * @return the instant it names, or null when absent
     * @throws IllegalArgumentException when it is not an ISO-8601 time with an offset or a date
     */
    static Instant time(String name, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.strip();
        if (t.length() <= MAX_TIME_TEXT) {
            try {
                if (t.length() == 10) {
                    return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
                }
                return OffsetDateTime.parse(t.toUpperCase(Locale.ROOT)).toInstant();
            } catch (DateTimeParseException e) {
                // refused below
            }
        }
        throw new IllegalArgumentException(name + " must be an ISO-8601 time with its offset, e.g. "
                + "2026-12-07T10:00:00Z, or a date, e.g. 2026-12-07 (UTC)");
    }

    static Map<String, Object> view(AuditEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("time", e.time().toString());
        m.put("user", e.user());
        m.put("channel", e.channel().name().toLowerCase(Locale.ROOT));
        m.put("action", e.action());
        m.put("target", e.target());
        m.put("outcome", e.outcome());
        m.put("origin", e.origin());
        return m;
    }
}
