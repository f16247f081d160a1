package org.cardinaldm.server.rest.internal;

import java.util.List;
import java.util.Map;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.cardinaldm.server.api.SessionMonitor;

/** {@code /sessions}: the management sessions open on this node ({@code dms:sessions}). */
@Path("sessions")
@Produces(MediaType.APPLICATION_JSON)
public final class SessionsResource {
    private final SessionMonitor sessions;

    SessionsResource(SessionMonitor sessions) {
        this.sessions = sessions;
    }

    /** @return the open sessions, oldest first */
    @GET
    public List<Map<String, Object>> list() {
        return sessions.sessions().stream().map(Views::session).toList();
    }
}
