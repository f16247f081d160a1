package org.cardinaldm.server.rest.internal;

import java.util.List;
import java.util.Map;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.cardinaldm.server.api.SessionMonitor;

/**
 * {@code /nodes}: the server nodes sharing the registry, alive, stopped or declared dead ({@code dms:nodes},
 * {@link SessionMonitor#nodes()}).
 */
@Path("nodes")
@Produces(MediaType.APPLICATION_JSON)
public final class NodesResource {
    private final SessionMonitor sessions;

    NodesResource(SessionMonitor sessions) {
        this.sessions = sessions;
    }

    /** @return every node incarnation the registry keeps, by node id and start */
    @GET
    public List<Map<String, Object>> list() {
        return sessions.nodes().stream().map(Views::node).toList();
    }
}
