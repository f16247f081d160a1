package org.cardinaldm.tree.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.cardinaldm.api.Acl;
import org.cardinaldm.api.AclCommand;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.ddf.AccessType;
import org.cardinaldm.api.spi.ddf.NodeDescription;
import org.cardinaldm.api.spi.mo.MoContext;
import org.cardinaldm.api.spi.store.StoredNode;
import org.cardinaldm.api.spi.store.TreeStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DM 1.2 tree semantics (OMA-TS-DM_TND-V1_2, OMA-TS-DM_Protocol-V1_2; digest 1.5 and 5.6),
 * independent of OSGi: runs the commands (Get, Add, Replace, Delete, Exec, Copy) inside an
 * {@link Op}, which the caller commits or rolls back. The rules it applies live in its
 * collaborators: {@link UriResolver} (URI to node), {@link DevDetailLimits} (URI limits),
 * {@link AclEvaluator} (ACLs and their cache), {@link DescriptionRules} (MO descriptions),
 * {@link NodeProperties} (properties and rename), {@link OverrideRecords}, {@link Inbox},
 * {@link Stamps}, {@link DeletedServers} and {@link PluginCalls}.
 *
 * <p>Thread-safe: the only mutable state is the settings here and the caches of the collaborators
 * (URI limits, inherited ACLs, override records, Inbox placements), none of which is held while a
 * plugin or the store is called.
 */
final class TreeEngine {
    private static final Logger LOG = LoggerFactory.getLogger(TreeEngine.class);

    /** Most nodes a plugin subtree snapshot (for undoing a Delete inside an Atomic) may hold. */
    static final int MAX_SNAPSHOT_NODES = 10_000;

    /** A body of work run inside an {@link Op}. */
    @FunctionalInterface
    interface Body<T> {
        T run(Op op) throws DmException;
    }

    private final TreeStore store;
    private final Mounts mounts;
    private volatile Settings settings;
    private final DevDetailLimits limits;
    private final OverrideRecords overrides;
    private final DescriptionRules descriptions;
    private final Inbox inbox;
    private final UriResolver resolver;
    private final AclEvaluator acls;
    private final Stamps stamps;
    private final NodeProperties properties;
    private final DeletedServers deletedServers;

    TreeEngine(TreeStore store, Mounts mounts, Settings settings, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.mounts = Objects.requireNonNull(mounts, "mounts");
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        Supplier<Settings> current = this::settings;
        this.limits = new DevDetailLimits(store, mounts, clock, current);
        this.overrides = new OverrideRecords(store);
        this.descriptions = new DescriptionRules(mounts, overrides);
        this.inbox = new Inbox(mounts, current);
        this.resolver = new UriResolver(mounts, current, overrides, descriptions, inbox);
        this.acls = new AclEvaluator(resolver, current);
        this.stamps = new Stamps(mounts, clock);
        this.properties = new NodeProperties(mounts, resolver, acls, descriptions, overrides, limits, inbox, stamps);
        this.deletedServers = new DeletedServers(overrides);
    }

    /** @param value new settings, applied to the next command */
    void configure(Settings value) {
        settings = Objects.requireNonNull(value, "settings");
        invalidateLimits();
    }

    /** @return the settings in force */
    Settings settings() {
        return settings;
    }

    /** @return the store */
    TreeStore store() {
        return store;
    }

    /** @return how URIs resolve to nodes */
    UriResolver resolver() {
        return resolver;
    }

    /** @return the ACL rules */
    AclEvaluator acls() {
        return acls;
    }

    /** @return the MO description rules */
    DescriptionRules descriptions() {
        return descriptions;
    }

    /** @return the node properties */
    NodeProperties properties() {
        return properties;
    }

    /** @return the Inbox */
    Inbox inbox() {
        return inbox;
    }

    /** @return the URI limits in force */
    UriLimits limits() {
        return limits.current();
    }

    /**
     * Drops the cached URI limits and the cached inherited ACLs: after a configuration change, a
     * plugin or description coming or going, and a committed write.
     */
    void invalidateLimits() {
        limits.invalidate();
        acls.forgetCached();
    }

    /**
     * To be called after a unit of work committed: drops the cached inherited ACLs if it wrote
     * anything, and the override cache if it wrote records.
     */
    void committed(Op op) {
        if (op.wasTransacted()) {
            acls.forgetCached();
        }
        overrides.committed(op);
    }

    // ------------------------------------------------------------------------------------------
    // Running commands

    /**
     * Runs one command in its own unit of work: committed when it succeeds, rolled back (store and
     * plugin changes) when it fails.
     */
    <T> T runSingle(Principal principal, String command, NodeUri uri, boolean write, Body<T> body)
            throws DmException {
        return runSingle(principal, command, uri, write, false, body);
    }

    /**
     * Runs one command in its own unit of work; with {@code compensated}, plugin changes are
     * recorded for undo as in an Atomic (a TNDS Add or Replace is all or nothing), and a rollback
     * that cannot undo them answers 516.
     */
    <T> T runSingle(Principal principal, String command, NodeUri uri, boolean write, boolean compensated,
            Body<T> body) throws DmException {
        Op op = new Op(store, principal, compensated);
        try {
            if (write) {
                op.begin();
            }
            T result = body.run(op);
            op.commit();
            committed(op);
            LOG.debug("{} {} {} -> 200", principal, command, uri);
            return result;
        } catch (DmException e) {
            if (!op.rollback()) {
                LOG.warn("{} {} {} failed ({}) and a plugin change could not be undone", principal, command, uri,
                        e.status());
                if (compensated) {
                    throw new DmException(StatusCode.ATOMIC_ROLL_BACK_FAILED, command + " " + uri + " failed ("
                            + e.status() + ") and a plugin change could not be undone", e);
                }
            }
            LOG.debug("{} {} {} -> {}", principal, command, uri, e.status());
            throw e;
        } catch (RuntimeException | LinkageError e) {
            op.rollback();
            LOG.warn("Internal error in the DM tree on {} {}", command, uri, e);
            throw new DmException(StatusCode.COMMAND_FAILED, "Internal error of the DM tree", e);
        } finally {
            NodeUri limitsUri = DevDetailLimits.DEVDETAIL_URI;
            if (write && (uri.startsWith(limitsUri) || compensated && limitsUri.startsWith(uri))) {
                invalidateLimits();
            }
        }
    }

    /** Runs one command inside an Atomic's unit of work; the caller marks the Atomic failed on error. */
    <T> T runIn(Op op, String command, NodeUri uri, boolean write, Body<T> body) throws DmException {
        try {
            if (write) {
                op.begin();
            }
            T result = body.run(op);
            LOG.debug("{} {} {} (atomic) -> 200", op.principal(), command, uri);
            return result;
        } catch (DmException e) {
            LOG.debug("{} {} {} (atomic) -> {}", op.principal(), command, uri, e.status());
            throw e;
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("Internal error in the DM tree on {} {}", command, uri, e);
            throw new DmException(StatusCode.COMMAND_FAILED, "Internal error of the DM tree", e);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Reads

    boolean exists(Op op, NodeUri uri) throws DmException {
        return resolver.resolve(op, uri).isPresent();
    }

    NodeInfo describe(Op op, NodeUri uri) throws DmException {
        limits.check(uri);
        Node node = resolver.require(op, uri);
        acls.check(op, AclCommand.GET, node);
        NodeInfo info = node.info();
        if (!info.isInterior() && info.size() >= 0
                && !descriptions.valueReadable(op, node, descriptions.match(uri))) {
            info = info.toBuilder().size(-1).build();
        }
        return info;
    }

    NodeValue get(Op op, NodeUri uri) throws DmException {
        limits.check(uri);
        inbox.refuse(uri, "Get");
        Node node = resolver.require(op, uri);
        acls.check(op, AclCommand.GET, node);
        DescMatch m = descriptions.match(uri);
        DescriptionRules.checkAccess(op, m, AccessType.GET, uri);
        if (node.isInterior()) {
            return NodeValue.ofChildren(resolver.childNames(op, node));
        }
        return resolver.leafValue(op, node, m);
    }

    List<String> children(Op op, NodeUri uri) throws DmException {
        limits.check(uri);
        inbox.refuse(uri, "Get");
        Node node = resolver.require(op, uri);
        acls.check(op, AclCommand.GET, node);
        DescriptionRules.checkAccess(op, descriptions.match(uri), AccessType.GET, uri);
        if (!node.isInterior()) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, uri + " is a leaf and has no children");
        }
        return resolver.childNames(op, node);
    }

    // ------------------------------------------------------------------------------------------
    // Add and Inbox

    void add(Op op, NodeUri requested, NodeValue value) throws DmException {
        Objects.requireNonNull(value, "value");
        limits.check(requested);
        if (requested.isRoot()) {
            throw new DmException(StatusCode.ALREADY_EXISTS, "The root always exists");
        }
        if (UriResolver.isReserved(requested)) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "The name " + Overrides.RESERVED_SEGMENT + " is reserved");
        }
        NodeUri uri = requested;
        boolean inboxRoot = false;
        if (inbox.isInbox(requested)) {
            if (requested.depth() == 1) {
                throw new DmException(StatusCode.ALREADY_EXISTS, "./Inbox exists");
            }
            acls.check(op, AclCommand.ADD, resolver.require(op, Inbox.INBOX));
            uri = inbox.target(op, requested, value);
            inboxRoot = requested.depth() == 2;
            limits.check(uri);
        }
        Deque<NodeUri> missing = new ArrayDeque<>();
        NodeUri a = uri.parent();
        Node ancestor;
        while (true) {
            Optional<Node> n = resolver.resolve(op, a);
            if (n.isPresent()) {
                ancestor = n.get();
                break;
            }
            missing.addFirst(a);
            a = a.parent();
        }
        if (!ancestor.isInterior()) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "Cannot add below the leaf " + ancestor.uri());
        }
        acls.check(op, AclCommand.ADD, ancestor);
        if (missing.isEmpty() && resolver.resolve(op, uri).isPresent()) {
            throw new DmException(StatusCode.ALREADY_EXISTS, "A node " + uri + " exists");
        }
        for (NodeUri m : missing) {
            descriptions.checkWrite(op, descriptions.match(m), m, NodeValue.interior(), AccessType.ADD);
        }
        DescMatch target = descriptions.match(uri);
        descriptions.checkWrite(op, target, uri, value, AccessType.ADD);
        descriptions.checkOccurrence(op, target, uri, resolver);

        Acl grant = Acl.empty();
        Principal p = op.principal();
        Acl inherited = acls.effectiveAcl(op, ancestor);
        if (p.kind() == Principal.Kind.SERVER && !inherited.permits(AclCommand.REPLACE, p.id())) {
            // the creator gains Add, Delete and Replace; everybody keeps what they inherited
            grant = inherited;
            for (AclCommand c : new AclCommand[] {AclCommand.ADD, AclCommand.DELETE, AclCommand.REPLACE}) {
                if (!grant.permits(c, p.id())) {
                    grant = grant.with(c, p.id());
                }
            }
        }
        List<NodeUri> chain = new ArrayList<>(missing);
        chain.add(uri);
        boolean first = true;
        for (NodeUri c : chain) {
            NodeValue v = c.equals(uri) ? value : NodeValue.interior();
            Acl acl = first && v.isInterior() ? grant : Acl.empty();
            createOne(op, c, v, acl, first);
            first = false;
        }
        stamps.touch(op, ancestor.uri());
        if (inboxRoot) {
            inbox.remember(p, requested.name(), uri);
        }
    }

    private void createOne(Op op, NodeUri uri, NodeValue value, Acl acl, boolean first) throws DmException {
        DescMatch m = descriptions.match(uri);
        NodeDescription d = m.state() == DescMatch.State.DESCRIBED ? m.node() : null;
        PluginEntry plugin = mounts.owner(uri);
        if (plugin != null) {
            MoContext context = op.context();
            PluginCalls.call(plugin, "add", uri, () -> {
                plugin.plugin().add(uri, value, context);
                return null;
            });
            op.onRollback("Add " + uri + " in " + plugin.label(), () -> plugin.plugin().delete(uri, context));
            if (!acl.isEmpty()) {
                overrides.put(op, uri, overrides.of(op, uri).withAcl(acl));
            }
            return;
        }
        if (first) {
            materialize(op, uri.parent());
        }
        String type = value.type().isEmpty() && d != null ? d.mimeType() : value.type();
        boolean permanent = d != null && d.isPermanent();
        Instant now = stamps.now();
        NodeInfo.Builder b = value.isInterior() ? NodeInfo.interior(uri) : NodeInfo.leaf(uri, value.format());
        b.type(type).acl(acl).timestamp(now).version(0).permanent(permanent);
        if (!value.isInterior()) {
            b.size(value.size());
        }
        op.put(StoredNode.of(b.build(), value.isInterior() ? NodeValue.interior() : value));
        if (d != null && !value.isInterior() && !d.allows(AccessType.GET)) {
            overrides.put(op, uri, overrides.of(op, uri).withWriteOnly());
        }
    }

    /** Stores a virtual node (and its virtual ancestors) so that store nodes can be added below it. */
    private void materialize(Op op, NodeUri uri) throws DmException {
        if (uri.isRoot() || op.read(uri).isPresent()) {
            return;
        }
        materialize(op, uri.parent());
        Overrides o = overrides.of(op, uri);
        DescriptionEntry d = mounts.descriptionOwner(uri);
        String type = uri.equals(Inbox.INBOX) ? Inbox.INBOX_MO_ID
                : d != null && d.root().equals(uri) ? d.description().mimeType() : "";
        NodeInfo.Builder b = NodeInfo.interior(uri).type(type).permanent(true).timestamp(stamps.now()).version(0);
        if (o.acl() != null) {
            b.acl(o.acl());
        }
        if (o.title() != null) {
            b.title(o.title());
        }
        op.put(StoredNode.of(b.build(), NodeValue.interior()));
        if (!o.isEmpty()) {
            overrides.put(op, uri, Overrides.NONE);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Replace, Delete, Exec, Copy

    void replace(Op op, NodeUri uri, NodeValue value) throws DmException {
        Objects.requireNonNull(value, "value");
        limits.check(uri);
        inbox.refuse(uri, "Replace");
        Node node = resolver.require(op, uri);
        acls.check(op, AclCommand.REPLACE, node);
        if (node.isInterior()) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "Cannot replace the interior node " + uri);
        }
        if (value.isInterior()) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "The leaf " + uri + " cannot become interior");
        }
        DescMatch m = descriptions.match(uri);
        descriptions.checkWrite(op, m, uri, value, AccessType.REPLACE);
        NodeInfo info = node.info();
        if (info.isPermanent() && !op.isSystem() && (value.format() != info.format()
                || !value.type().isEmpty() && !value.type().equals(info.type()))) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED,
                    "The Format and Type of the permanent node " + uri + " cannot change");
        }
        if (node.kind() == Node.Kind.PLUGIN) {
            PluginEntry plugin = node.plugin();
            MoContext context = op.context();
            if (op.isAtomic()) {
                try {
                    NodeValue old = PluginCalls.get(op, plugin, uri);
                    op.onRollback("Replace " + uri + " in " + plugin.label(),
                            () -> plugin.plugin().replace(uri, old, context));
                } catch (DmException e) {
                    op.cannotUndo("Replace of " + uri + " in " + plugin.label() + " (old value unreadable)");
                }
            }
            PluginCalls.call(plugin, "replace", uri, () -> {
                plugin.plugin().replace(uri, value, context);
                return null;
            });
            return;
        }
        StoredNode raw = op.read(uri).orElseThrow(() -> new DmException(StatusCode.NOT_FOUND, "No node " + uri));
        NodeInfo old = raw.info();
        NodeInfo.Builder b = Node.rebuild(old, uri, value.format())
                .type(value.type().isEmpty() ? old.type() : value.type())
                .size(value.size()).timestamp(stamps.now()).version(Stamps.nextVersion(old.version()));
        op.put(StoredNode.of(b.build(), value));
        if (m.state() == DescMatch.State.DESCRIBED && !m.node().allows(AccessType.GET)
                && !overrides.of(op, uri).writeOnly()) {
            overrides.put(op, uri, overrides.of(op, uri).withWriteOnly());
        }
    }

    void delete(Op op, NodeUri uri) throws DmException {
        limits.check(uri);
        if (uri.isRoot()) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "The root cannot be deleted");
        }
        inbox.refuse(uri, "Delete");
        Node node = resolver.require(op, uri);
        acls.check(op, AclCommand.DELETE, node);
        DescriptionRules.checkAccess(op, descriptions.match(uri), AccessType.DELETE, uri);
        if (node.kind() == Node.Kind.VIRTUAL || mounts.pluginAt(uri) != null || mounts.hasMountBelow(uri)) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, uri + " is the mount point of an MO");
        }
        if (node.info().isPermanent() && !op.isSystem()) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, uri + " is permanent");
        }
        if (node.kind() == Node.Kind.PLUGIN) {
            PluginEntry plugin = node.plugin();
            MoContext context = op.context();
            if (op.isAtomic()) {
                rememberSubtree(op, plugin, node);
            }
            PluginCalls.call(plugin, "delete", uri, () -> {
                plugin.plugin().delete(uri, context);
                return null;
            });
        } else {
            Optional<String> serverId = deletedServers.accountServerId(op, node);
            op.deleteSubtree(uri);
            if (serverId.isPresent() && !deletedServers.anotherAccountHas(op, uri.parent(), serverId.get())) {
                deletedServers.forgetServer(op, serverId.get());
            }
        }
        overrides.deleteBelow(op, uri);
        stamps.touch(op, uri.parent());
    }

    /** Snapshots a plugin subtree before an atomic Delete, so that a rollback can add it back. */
    private void rememberSubtree(Op op, PluginEntry plugin, Node node) {
        List<Map.Entry<NodeUri, NodeValue>> snapshot = new ArrayList<>();
        try {
            snapshot(op, plugin, node.uri(), node.info(), snapshot);
        } catch (DmException e) {
            op.cannotUndo("Delete of " + node.uri() + " in " + plugin.label() + " (subtree unreadable)");
            return;
        }
        MoContext context = op.context();
        op.onRollback("Delete " + node.uri() + " in " + plugin.label(), () -> {
            for (Map.Entry<NodeUri, NodeValue> e : snapshot) {
                plugin.plugin().add(e.getKey(), e.getValue(), context);
            }
        });
    }

    private void snapshot(Op op, PluginEntry plugin, NodeUri uri, NodeInfo info,
            List<Map.Entry<NodeUri, NodeValue>> out) throws DmException {
        if (out.size() >= MAX_SNAPSHOT_NODES) {
            throw new DmException(StatusCode.COMMAND_FAILED, "Subtree too large to snapshot");
        }
        if (!info.isInterior()) {
            out.add(Map.entry(uri, PluginCalls.get(op, plugin, uri)));
            return;
        }
        out.add(Map.entry(uri, NodeValue.of(Format.NODE, info.type(), new byte[0])));
        for (String child : PluginCalls.children(op, plugin, uri)) {
            NodeUri c = uri.child(child);
            Optional<NodeInfo> ci = PluginCalls.call(plugin, "describe", c,
                    () -> plugin.plugin().describe(c, op.context()));
            if (ci != null && ci.isPresent()) {
                snapshot(op, plugin, c, ci.get(), out);
            }
        }
    }

    StatusCode exec(Op op, NodeUri uri, NodeValue data, String correlator) throws DmException {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(correlator, "correlator");
        if (op.isAtomic()) {
            throw new DmException(StatusCode.COMMAND_FAILED, "Exec is not allowed inside an Atomic");
        }
        limits.check(uri);
        inbox.refuse(uri, "Exec");
        Node node = resolver.require(op, uri);
        acls.check(op, AclCommand.EXEC, node);
        DescriptionRules.checkAccess(op, descriptions.match(uri), AccessType.EXEC, uri);
        if (node.kind() != Node.Kind.PLUGIN) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, uri + " is not executable");
        }
        PluginEntry plugin = node.plugin();
        StatusCode status = PluginCalls.call(plugin, "exec", uri,
                () -> plugin.plugin().exec(uri, data, correlator, op.context()));
        if (status == null) {
            throw PluginCalls.contractViolation(plugin, "exec", uri, "returned no status");
        }
        if (!status.isSuccess()) {
            throw new DmException(status, "Exec of " + uri + " failed");
        }
        return status;
    }

    void copy(Op op, NodeUri source, NodeUri target) throws DmException {
        limits.check(source);
        limits.check(target);
        inbox.refuse(source, "Copy");
        inbox.refuse(target, "Copy");
        Node from = resolver.require(op, source);
        acls.check(op, AclCommand.GET, from);
        if (from.isInterior()) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "Copy needs a leaf as its source");
        }
        DescMatch m = descriptions.match(source);
        DescriptionRules.checkAccess(op, m, AccessType.GET, source);
        NodeValue value = resolver.leafValue(op, from, m);
        Optional<Node> to = resolver.resolve(op, target);
        if (to.isEmpty()) {
            add(op, target, value);
            return;
        }
        if (to.get().isInterior()) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "Copy needs a leaf as its target");
        }
        try {
            replace(op, target, value);
        } catch (DmException e) {
            if (e.status() == StatusCode.COMMAND_NOT_ALLOWED) {
                throw new DmException(StatusCode.FORBIDDEN, "Copy cannot overwrite " + target + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }
}
