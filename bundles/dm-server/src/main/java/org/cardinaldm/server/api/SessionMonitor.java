package org.cardinaldm.server.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** The sessions this server node is running. */
@ProviderType
public interface SessionMonitor {
    /** @return the open sessions, oldest first */
    List<SessionInfo> sessions();

    /**
     * The server nodes sharing this node's registry: every incarnation the registry keeps, alive, stopped or
     * declared dead (see {@link ServerNode}).
     *
     * @return the nodes by node id and start; empty when the registry keeps no node registry
     * @since 3.2
     */
    default List<ServerNode> nodes() {
        return List.of();
    }
}
