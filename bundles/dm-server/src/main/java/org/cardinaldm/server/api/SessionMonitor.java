package org.cardinaldm.server.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** The sessions this server node is running. */
@ProviderType
public interface SessionMonitor {
    /** @return the open sessions, oldest first */
    List<SessionInfo> sessions();
}
