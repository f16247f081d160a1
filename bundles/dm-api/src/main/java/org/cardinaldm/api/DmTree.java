package org.cardinaldm.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The device's DM tree: the one service through which servers (via the DM client), the shell, the
 * REST API and Cardinal's own components read and change management data.
 *
 * <p>Every operation runs on behalf of a {@link Principal}; the tree enforces ACLs, URI limits and
 * node rules for that principal and routes each node to the MO plugin or store that owns it.
 * <pre>{@code
 * TreeAccess server = tree.as(Principal.server("dms.example.com"));
 * NodeValue mod = server.get(NodeUri.of("./DevInfo/Mod"));
 * }</pre>
 */
@ProviderType
public interface DmTree {
    /**
     * @param principal the caller
     * @return a view of the tree that acts on behalf of that principal; cheap, not thread-bound
     */
    TreeAccess as(Principal principal);
}
