package org.cardinaldm.tree.internal;

import java.util.Objects;
import java.util.Optional;

import org.cardinaldm.api.Acl;
import org.cardinaldm.api.AclCommand;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.spi.store.StoredNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What DM 1.2 asks when a DM account is deleted: its ServerID leaves every ACL the engine keeps
 * (stored nodes and overrides) unless another account still names that server; a root command left
 * without servers becomes {@code *}. ACLs that plugins report themselves are theirs to maintain.
 */
final class DeletedServers {
    private static final Logger LOG = LoggerFactory.getLogger(DeletedServers.class);

    /** The Type of a DM 1.2 account node; deleting one removes its ServerID from all ACLs. */
    static final String DMACC_MO_ID = "urn:oma:mo:oma-dm-dmacc:1.0";

    private final OverrideRecords overrides;

    DeletedServers(OverrideRecords overrides) {
        this.overrides = Objects.requireNonNull(overrides, "overrides");
    }

    /** @return the ServerID of a stored DM account node (Type {@link #DMACC_MO_ID}), if it is one */
    Optional<String> accountServerId(Op op, Node node) throws DmException {
        if (!node.isInterior() || !DMACC_MO_ID.equals(node.info().type())) {
            return Optional.empty();
        }
        return op.read(node.uri().child("ServerID")).filter(n -> !n.info().isInterior())
                .map(n -> n.value().asString()).filter(id -> !id.isEmpty());
    }

    /** @return true when another stored account below {@code accounts} has that ServerID */
    boolean anotherAccountHas(Op op, NodeUri accounts, String serverId) throws DmException {
        for (String name : op.children(accounts)) {
            Optional<StoredNode> n = op.read(accounts.child(name));
            if (n.isPresent()) {
                Node sibling = new Node(n.get().info(), Node.Kind.STORED, null, n.get().value());
                if (accountServerId(op, sibling).filter(serverId::equals).isPresent()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Removes a deleted server from every ACL the engine keeps (stored nodes and overrides), as DM
     * 1.2 requires; a root command left without servers becomes {@code *}. ACLs that plugins report
     * themselves are theirs to maintain.
     */
    void forgetServer(Op op, String serverId) throws DmException {
        int changed = forgetServer(op, NodeUri.root(), serverId);
        for (NodeUri node : overrides.below(op, NodeUri.root())) {
            Overrides o = overrides.of(op, node);
            if (o.acl() != null && mentions(o.acl(), serverId)) {
                overrides.put(op, node, o.withAcl(o.acl().withoutServer(serverId)));
                changed++;
            }
        }
        LOG.debug("Removed a deleted server from {} ACLs", changed);
    }

    private int forgetServer(Op op, NodeUri uri, String serverId) throws DmException {
        int changed = 0;
        Optional<StoredNode> n = op.read(uri);
        if (n.isPresent()) {
            Acl acl = n.get().info().acl();
            if (mentions(acl, serverId)) {
                Acl reduced = acl.withoutServer(serverId);
                if (uri.isRoot()) {
                    for (AclCommand c : AclCommand.values()) {
                        if (!acl.serversFor(c).isEmpty() && reduced.serversFor(c).isEmpty()) {
                            reduced = reduced.with(c, Acl.ANY);
                        }
                    }
                }
                op.put(StoredNode.of(n.get().info().toBuilder().acl(reduced).build(), n.get().value()));
                changed++;
            }
        }
        if (uri.isRoot() || n.isPresent() && n.get().info().isInterior()) {
            for (String child : op.children(uri)) {
                if (!(uri.isRoot() && child.equals(Overrides.RESERVED_SEGMENT))) {
                    changed += forgetServer(op, uri.child(child), serverId);
                }
            }
        }
        return changed;
    }

    private static boolean mentions(Acl acl, String serverId) {
        for (AclCommand c : AclCommand.values()) {
            if (acl.serversFor(c).contains(serverId)) {
                return true;
            }
        }
        return false;
    }
}
