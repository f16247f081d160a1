package org.cardinaldm.tree.internal;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.cardinaldm.api.Acl;
import org.cardinaldm.api.AclCommand;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.StatusCode;

/**
 * ACL evaluation (digest 5.6): a node's effective ACL (its own, else the nearest ancestor's, the
 * root's never empty), whether a principal may run a command (the system always, the local admin
 * by configuration, a server by the ACL), and who may change an ACL. Inherited ACLs of stored nodes
 * are cached for reads of the committed state.
 */
final class AclEvaluator {
    /** Most inherited ACLs cached (the cache is emptied when it is full). */
    static final int MAX_CACHED_ACLS = 16_384;

    /**
     * Effective ACLs of stored interior nodes, from the committed state; replaced whole on every
     * change. Keyed by the URI's string form: {@code NodeUri.hashCode()} (the segment list's hash)
     * collides a lot for systematic names such as {@code G1/N23}, which turns map bins into trees.
     * Equal ACLs are shared: every lookup decodes its own copy from the store, and an ACL is about
     * a kilobyte of sets and maps.
     */
    private static final class AclCache {
        final Map<String, Acl> acls = new ConcurrentHashMap<>();
        final Map<Acl, Acl> canonical = new ConcurrentHashMap<>();

        void put(String key, Acl acl) {
            if (acls.size() >= MAX_CACHED_ACLS) {
                acls.clear();
                canonical.clear();
            }
            Acl shared = canonical.putIfAbsent(acl, acl);
            acls.put(key, shared != null ? shared : acl);
        }
    }

    private final UriResolver resolver;
    private final Supplier<Settings> settings;
    private volatile AclCache aclCache = new AclCache();

    AclEvaluator(UriResolver resolver, Supplier<Settings> settings) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Drops the cached inherited ACLs: after a committed write or any change of configuration or mounts. */
    void forgetCached() {
        aclCache = new AclCache();
    }

    /** The node's own ACL, else the nearest ancestor's; the root's is never empty. */
    Acl effectiveAcl(Op op, Node node) throws DmException {
        Acl own = node.info().acl();
        if (!own.isEmpty()) {
            return own;
        }
        return node.uri().isRoot() ? settings.get().rootAcl() : inheritedAcl(op, node.uri().parent());
    }

    /**
     * The effective ACL of the node at {@code start} (or of its nearest existing ancestor).
     *
     * <p>Reads of the committed state (no store transaction) use a cache, filled only from chains of
     * stored nodes (plugins report their ACLs themselves, and may change them at any time). The cache
     * instance is taken before the store is read and the whole cache is replaced after every
     * committed write, so an entry computed from a state older than the last commit never survives
     * it. Without the cache, every Get of a leaf read and decoded each ancestor up to the nearest
     * ACL: that was most of the cost of a Get (docs/performance.md).
     */
    private Acl inheritedAcl(Op op, NodeUri start) throws DmException {
        boolean cacheable = !op.hasTransaction();
        AclCache cache = aclCache;
        String key = cacheable ? start.toString() : null;
        if (cacheable) {
            Acl hit = cache.acls.get(key);
            if (hit != null) {
                return hit;
            }
        }
        boolean stored = true;
        Acl result;
        NodeUri u = start;
        while (true) {
            Optional<Node> n = resolver.resolve(op, u);
            if (n.isEmpty()) {
                stored = false;
            } else {
                Node.Kind kind = n.get().kind();
                if (kind != Node.Kind.STORED && kind != Node.Kind.ROOT) {
                    stored = false;
                }
                Acl acl = n.get().info().acl();
                if (!acl.isEmpty()) {
                    result = acl;
                    break;
                }
            }
            if (u.isRoot()) {
                result = settings.get().rootAcl();
                break;
            }
            u = u.parent();
        }
        if (cacheable && stored) {
            cache.put(key, result);
        }
        return result;
    }

    boolean permits(Op op, AclCommand command, Node node) throws DmException {
        Boolean fixed = rightsWithoutAcl(op.principal(), command);
        return fixed != null ? fixed : effectiveAcl(op, node).permits(command, op.principal().id());
    }

    /**
     * @param effective the node's effective ACL, already resolved (for walks down a subtree)
     * @return true when the principal may run the command on a node with that effective ACL
     */
    boolean permits(Op op, AclCommand command, Acl effective) {
        Boolean fixed = rightsWithoutAcl(op.principal(), command);
        return fixed != null ? fixed : effective.permits(command, op.principal().id());
    }

    /**
     * @return whether the system (always) or the local administrator (the configured rights) may run the
     *         command, which no ACL decides; null for a server, whose rights the node's ACL gives
     */
    private Boolean rightsWithoutAcl(Principal p, AclCommand command) {
        switch (p.kind()) {
            case SYSTEM:
                return Boolean.TRUE;
            case LOCAL_ADMIN:
                return settings.get().localAdminRights().contains(command);
            default:
                return null;
        }
    }

    /** @throws DmException 425 when the principal may not run the command on the node */
    void check(Op op, AclCommand command, Node node) throws DmException {
        if (!permits(op, command, node)) {
            throw new DmException(StatusCode.PERMISSION_DENIED,
                    op.principal() + " has no " + command + " right on " + node.uri());
        }
    }

    /**
     * @return true when the principal may replace the node's ACL: a server needs Replace on the root,
     *     on the interior node itself, or on the nearest existing parent; others need Replace on it
     */
    boolean mayChangeAcl(Op op, Node node) throws DmException {
        Principal p = op.principal();
        if (p.kind() != Principal.Kind.SERVER) {
            return permits(op, AclCommand.REPLACE, node);
        }
        if (node.uri().isRoot()) {
            return permits(op, AclCommand.REPLACE, node);
        }
        if (node.isInterior() && permits(op, AclCommand.REPLACE, node)) {
            return true;
        }
        return permits(op, AclCommand.REPLACE, resolver.nearestExisting(op, node.uri().parent()));
    }
}
