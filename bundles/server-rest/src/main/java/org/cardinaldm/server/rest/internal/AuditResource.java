package org.cardinaldm.server.rest.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;

import org.cardinaldm.server.api.audit.AuditEntry;
import org.cardinaldm.server.api.audit.AuditLog;

/**
 * {@code GET /audit}: the operators' audit log, newest first, in pages (administrators and viewers). The log is
 * the registry's, so every server node answers the same.
 */
@Path("audit")
@Produces(MediaType.APPLICATION_JSON)
public final class AuditResource {
    private final AuditLog audit;

    AuditResource(AuditLog audit) {
        this.audit = audit;
    }

    /**
     * @param after 0 for the newest entries, else the {@code next} of the previous page
     * @param limit the page size, 1 to {@value AuditLog#MAX_LIST}
     * @return {@code items} ({@code id}, {@code time}, {@code user}, {@code channel}, {@code action},
     *         {@code target}, {@code outcome}, {@code origin}) and {@code next} (the {@code after} of the next
     *         page, or null when this page is not full)
     */
    @GET
    public Map<String, Object> list(@QueryParam("after") @DefaultValue("0") long after,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        if (limit < 1 || limit > AuditLog.MAX_LIST) {
            throw ApiError.badRequest("limit must be 1 to " + AuditLog.MAX_LIST);
        }
        if (after < 0) {
            throw ApiError.badRequest("after must be 0 or an entry's id");
        }
        List<AuditEntry> page = audit.list(after, limit);
        boolean more = page.size() == limit; // a full page may be followed by an empty one
        List<Map<String, Object>> items = new ArrayList<>();
        for (AuditEntry e : page) {
            items.add(view(e));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", items);
        m.put("next", more ? items.get(items.size() - 1).get("id") : null);
        return m;
    }

    static Map<String, Object> view(AuditEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("time", e.time().toString());
        m.put("user", e.user());
        m.put("channel", e.channel().name().toLowerCase(java.util.Locale.ROOT));
        m.put("action", e.action());
        m.put("target", e.target());
        m.put("outcome", e.outcome());
        m.put("origin", e.origin());
        return m;
    }
}
