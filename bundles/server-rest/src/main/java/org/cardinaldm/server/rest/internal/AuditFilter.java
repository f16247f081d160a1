package org.cardinaldm.server.rest.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.core.Response;

import org.cardinaldm.server.api.audit.AuditEntry;
import org.cardinaldm.server.api.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every write (any method but GET, HEAD and OPTIONS) of an operator the {@link AuthFilter} identified in
 * the {@link AuditLog}, once its answer is known, refused ones included (a viewer's 403, a missing CSRF token):
 * the user, the channel ({@code CONSOLE} for the console's session, else {@code REST}), the method and path, the
 * object the path names (a DevId, a job or campaign id; for a registration the DevId of the answer), the status,
 * the peer address. Nothing of the request's body or query is recorded, so
 * neither passwords nor the values of a job reach the log. Requests of nobody identified (a wrong password) are
 * not operator actions and are left to the login throttle and its log lines. A failing audit store does not
 * change the answer; it is logged.
 */
final class AuditFilter implements ContainerResponseFilter {
    private static final Logger LOG = LoggerFactory.getLogger(AuditFilter.class);
    /** Request property: the operator's name, set by {@link AuthFilter}. */
    static final String USER = "org.cardinaldm.audit.user";
    /** Request property: {@link AuditEntry.Channel#CONSOLE} for a console session, set by {@link AuthFilter}. */
    static final String CHANNEL = "org.cardinaldm.audit.channel";
    /** Request property: the peer address, set by {@link AuthFilter}. */
    static final String ORIGIN = "org.cardinaldm.audit.origin";
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private final AuditLog audit;

    AuditFilter(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String method = request.getMethod() == null ? "" : request.getMethod().toUpperCase(Locale.ROOT);
        Object user = request.getProperty(USER);
        if (READS.contains(method) || !(user instanceof String name)) {
            return;
        }
        String path = request.getUriInfo() == null ? "" : request.getUriInfo().getPath(false);
        path = path == null ? "" : path.startsWith("/") ? path.substring(1) : path;
        AuditEntry.Channel channel = request.getProperty(CHANNEL) == AuditEntry.Channel.CONSOLE
                ? AuditEntry.Channel.CONSOLE : AuditEntry.Channel.REST;
        Object origin = request.getProperty(ORIGIN);
        try {
            String target = target(path);
            if (target == null && path.equals("devices") && response.getEntity() instanceof java.util.Map<?, ?> created
                    && created.get("deviceId") instanceof String id) {
                target = id; // a registration names its DevId in the body, which is never read; the answer has it
            }
            audit.record(name, channel, method + " /" + path, target, outcome(response.getStatus()),
                    origin instanceof String o ? o : null);
        } catch (RuntimeException e) {
            LOG.warn("Audit entry of {} {} not stored: {}", method, AuthFilter.printable(path), e.getMessage());
        }
    }

    /**
     * @return the object a path names, decoded: the DevId of {@code devices/<id>...} and {@code device-tags/<id>},
     *         the id of {@code jobs/<id>} and {@code campaigns/<id>/...} (as the shell records them), or null
     */
    static String target(String rawPath) {
        String rest = null;
        for (String prefix : new String[] {"devices/", "device-tags/", "jobs/", "campaigns/"}) {
            if (rawPath.startsWith(prefix)) {
                rest = rawPath.substring(prefix.length());
                break;
            }
        }
        if (rest == null) {
            return null;
        }
        int slash = rest.indexOf('/');
        String segment = slash < 0 ? rest : rest.substring(0, slash);
        if (segment.isEmpty()) {
            return null;
        }
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment;
        }
    }

    private static String outcome(int status) {
        Response.Status.Family family = Response.Status.Family.familyOf(status);
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String reason = type == null ? "" : " " + type.getReasonPhrase();
        return status + reason + (family == Response.Status.Family.SUCCESSFUL ? "" : " (refused or failed)");
    }
}
