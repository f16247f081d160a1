package org.cardinaldm.tree.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.cardinaldm.api.Acl;
import org.cardinaldm.api.AclCommand;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.Property;
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
 * independent of OSGi: resolution of a URI to a stored, plugin-owned or virtual node, ACL
 * inheritance and enforcement, MO descriptions, URI limits, properties, and the commands. Every
 * command runs inside an {@link Op}; the caller commits or rolls it back.
 *
 * <p>Thread-safe: the only mutable state is the settings, the URI-limit cache and the Inbox aliases,
 * none of which is held while a plugin or the store is called.
 */
final class TreeEngine {
    private static final Logger LOG = LoggerFactory.getLogger(TreeEngine.class);

    /** {@code ./Inbox}. */
    static final NodeUri INBOX = NodeUri.of("./Inbox");
    /** The Type of a DM 1.2 account node; deleting one removes its ServerID from all ACLs. */
    static final String DMACC_MO_ID = "urn:oma:mo:oma-dm-dmacc:1.0";
    /** The Type of {@code ./Inbox}. */
    static final String INBOX_MO_ID = "urn:oma:mo:oma-dm-inbox:1.0";
    /** Where the URI limits are read. */
    static final NodeUri DEVDETAIL_URI = NodeUri.of("./DevDetail/URI");
    /** How long URI limits read from DevDetail are reused. */
    static final Duration LIMITS_TTL = Duration.ofSeconds(1);
    /** The longest Title in bytes. */
    static final int MAX_TITLE_BYTES = 255;
    /** Most nodes a plugin subtree snapshot (for undoing a Delete inside an Atomic) may hold. */
    static final int MAX_SNAPSHOT_NODES = 10_000;
    /** Most Inbox placements remembered. */
    static final int MAX_INBOX_ALIASES = 64;
    /** Most inherited ACLs cached (the cache is emptied when it is full). */
    static final int MAX_CACHED_ACLS = 16_384;

    private static final MoContext SYSTEM_CONTEXT = new PluginContext(Principal.system());

    /** A body of work run inside an {@link Op}. */
    @FunctionalInterface
    interface Body<T> {
        T run(Op op) throws DmException;
    }

    @FunctionalInterface
    private interface PluginCall<T> {
        T call() throws DmException;
    }

    private record CachedLimits(UriLimits limits, Instant until, long generation) {
    }

    private record InboxKey(Principal principal, String name) {
    }

    private record OverrideCache(Map<NodeUri, Overrides> records, long generation) {
    }

    /**
     * Effective ACLs of stored interior nodes, from the committed state; replaced whole on every
     * change. Keyed by the URI's string form: {@code NodeUri.hashCode()} (the segment list's hash)
     * collides a lot for systematic names such as {@code G1/N23}, which turns map bins into trees.
     * Equal ACLs are shared: every lookup decodes its own copy from the store, and an ACL is about
     * a kilobyte of sets and maps.
     */
    private static final class AclCache {
        final Map<String, Acl> acls = new java.util.concurrent.ConcurrentHashMap<>();
        final Map<Acl, Acl> canonical = new java.util.concurrent.ConcurrentHashMap<>();

        void put(String key, Acl acl) {
            if (acls.size() >= MAX_CACHED_ACLS) {
                acls.clear();
                canonical.clear();
            }
            Acl shared = canonical.putIfAbsent(acl, acl);
            acls.put(key, shared != null ? shared : acl);
        }
    }

    private final TreeStore store;
    private final Mounts mounts;
    private final Clock clock;
    private volatile Settings settings;
    private volatile CachedLimits cachedLimits;
    private volatile long limitsGeneration;
    private volatile OverrideCache overrideCache;
    private volatile long overrideGeneration;
    private volatile AclCache aclCache = new AclCache();
    private final Map<InboxKey, NodeUri> inboxAliases = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<InboxKey, NodeUri> eldest) {
            return size() > MAX_INBOX_ALIASES;
        }
    };

    TreeEngine(TreeStore store, Mounts mounts, Settings settings, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.mounts = Objects.requireNonNull(mounts, "mounts");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
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
            if (write && (uri.startsWith(DEVDETAIL_URI) || compensated && DEVDETAIL_URI.startsWith(uri))) {
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
    // Resolution

    /**
     * @param op the unit of work
     * @param uri a node
     * @return the node as the engine sees it, or empty
     */
    Optional<Node> resolve(Op op, NodeUri uri) throws DmException {
        if (uri.isRoot()) {
            return Optional.of(root(op));
        }
        if (isReserved(uri)) {
            return Optional.empty();
        }
        if (settings.inboxEnabled() && uri.startsWith(INBOX)) {
            return uri.depth() == 1 ? Optional.of(virtual(op, uri, INBOX_MO_ID)) : Optional.empty();
        }
        PluginEntry plugin = mounts.owner(uri);
        if (plugin != null) {
            Optional<NodeInfo> described = call(plugin, "describe", uri,
                    () -> plugin.plugin().describe(uri, op.context()));
            if (described == null) {
                throw contractViolation(plugin, "describe", uri, "returned null");
            }
            if (described.isPresent()) {
                NodeInfo info = described.get();
                if (!info.uri().equals(uri)) {
                    throw contractViolation(plugin, "describe", uri, "described another node");
                }
                info = overrides(op, uri).applyTo(withDescribedPermanence(info));
                return Optional.of(new Node(info, Node.Kind.PLUGIN, plugin, null));
            }
            return mounts.isVirtual(uri) ? Optional.of(virtual(op, uri, "")) : Optional.empty();
        }
        Optional<StoredNode> stored = op.read(uri);
        if (stored.isPresent()) {
            NodeInfo info = stored.get().info();
            if (!info.uri().equals(uri)) {
                info = rebuild(info, uri, info.format()).build();
            }
            return Optional.of(new Node(withDescribedPermanence(info), Node.Kind.STORED, null, stored.get().value()));
        }
        if (mounts.isVirtual(uri)) {
            DescriptionEntry d = mounts.descriptionOwner(uri);
            String type = d != null && d.root().equals(uri) ? d.description().mimeType() : "";
            return Optional.of(virtual(op, uri, type));
        }
        return Optional.empty();
    }

    /** @return the node, or 404 */
    Node require(Op op, NodeUri uri) throws DmException {
        return resolve(op, uri).orElseThrow(() -> new DmException(StatusCode.NOT_FOUND, "No node " + uri));
    }

    private Node root(Op op) throws DmException {
        Optional<StoredNode> stored = op.read(NodeUri.root());
        NodeInfo info = stored.map(StoredNode::info).orElse(NodeInfo.interior(NodeUri.root()).build());
        NodeInfo.Builder b = rebuild(info, NodeUri.root(), Format.NODE).permanent(true);
        if (info.acl().isEmpty()) {
            b.acl(settings.rootAcl());
        }
        return new Node(b.build(), Node.Kind.ROOT, null, NodeValue.interior());
    }

    private Node virtual(Op op, NodeUri uri, String type) throws DmException {
        NodeInfo info = NodeInfo.interior(uri).type(type).permanent(true).build();
        return new Node(overrides(op, uri).applyTo(info), Node.Kind.VIRTUAL, null, null);
    }

    private NodeInfo withDescribedPermanence(NodeInfo info) {
        if (info.isPermanent()) {
            return info;
        }
        DescMatch m = match(info.uri());
        return m.state() == DescMatch.State.DESCRIBED && m.node().isPermanent()
                ? info.toBuilder().permanent(true).build() : info;
    }

    static boolean isReserved(NodeUri uri) {
        return !uri.isRoot() && uri.segments().get(0).equals(Overrides.RESERVED_SEGMENT);
    }

    boolean isInbox(NodeUri uri) {
        return settings.inboxEnabled() && uri.startsWith(INBOX);
    }

    /**
     * The overrides of a node: through the unit of work's transaction when it has one (write
     * commands), else from a cache of the committed records (reloaded after every commit that
     * changed them).
     */
    Overrides overrides(Op op, NodeUri uri) throws DmException {
        if (op.hasTransaction()) {
            return op.read(Overrides.recordUri(uri)).map(Overrides::from).orElse(Overrides.NONE);
        }
        return committedOverrides().getOrDefault(uri, Overrides.NONE);
    }

    private Map<NodeUri, Overrides> committedOverrides() throws DmException {
        OverrideCache cache = overrideCache;
        long generation = overrideGeneration;
        if (cache != null && cache.generation() == generation) {
            return cache.records();
        }
        Op reader = new Op(store, Principal.system(), false);
        Map<NodeUri, Overrides> records = new HashMap<>();
        for (String name : reader.children(Overrides.ROOT)) {
            NodeUri node = Overrides.nodeOf(name);
            if (node != null) {
                Optional<StoredNode> record = reader.read(Overrides.ROOT.child(name));
                if (record.isPresent()) {
                    records.put(node, Overrides.from(record.get()));
                }
            }
        }
        Map<NodeUri, Overrides> frozen = Map.copyOf(records);
        overrideCache = new OverrideCache(frozen, generation);
        return frozen;
    }

    /**
     * To be called after a unit of work committed: drops the cached inherited ACLs if it wrote
     * anything, and the override cache if it wrote records.
     */
    void committed(Op op) {
        if (op.wasTransacted()) {
            aclCache = new AclCache();
        }
        if (op.overridesTouched()) {
            synchronized (this) {
                overrideGeneration++;
            }
            overrideCache = null;
        }
    }

    private void putOverrides(Op op, NodeUri uri, Overrides value) throws DmException {
        NodeUri record = Overrides.recordUri(uri);
        op.touchOverrides();
        if (value.isEmpty()) {
            op.deleteSubtree(record);
            return;
        }
        if (op.read(Overrides.ROOT).isEmpty()) {
            op.put(StoredNode.of(NodeInfo.interior(Overrides.ROOT).permanent(true).build(), NodeValue.interior()));
        }
        op.put(value.toRecord(uri));
    }

    private List<NodeUri> overriddenBelow(Op op, NodeUri uri) throws DmException {
        List<NodeUri> found = new ArrayList<>();
        if (op.hasTransaction()) {
            for (String name : op.children(Overrides.ROOT)) {
                NodeUri node = Overrides.nodeOf(name);
                if (node != null && node.startsWith(uri)) {
                    found.add(node);
                }
            }
        } else {
            for (NodeUri node : committedOverrides().keySet()) {
                if (node.startsWith(uri)) {
                    found.add(node);
                }
            }
        }
        return found;
    }

    private void deleteOverridesBelow(Op op, NodeUri uri) throws DmException {
        for (NodeUri node : overriddenBelow(op, uri)) {
            putOverrides(op, node, Overrides.NONE);
        }
    }

    private void moveOverrides(Op op, NodeUri from, NodeUri to) throws DmException {
        for (NodeUri node : overriddenBelow(op, from)) {
            Overrides o = overrides(op, node);
            putOverrides(op, node, Overrides.NONE);
            putOverrides(op, moved(node, from, to), o);
        }
    }

    // ------------------------------------------------------------------------------------------
    // ACLs

    /** The node's own ACL, else the nearest ancestor's; the root's is never empty. */
    Acl effectiveAcl(Op op, Node node) throws DmException {
        Acl own = node.info().acl();
        if (!own.isEmpty()) {
            return own;
        }
        return node.uri().isRoot() ? settings.rootAcl() : inheritedAcl(op, node.uri().parent());
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
            Optional<Node> n = resolve(op, u);
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
                result = settings.rootAcl();
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
        Principal p = op.principal();
        switch (p.kind()) {
            case SYSTEM:
                return true;
            case LOCAL_ADMIN:
                return settings.localAdminRights().contains(command);
            default:
                return effectiveAcl(op, node).permits(command, p.id());
        }
    }

    /**
     * @param effective the node's effective ACL, already resolved (for walks down a subtree)
     * @return true when the principal may run the command on a node with that effective ACL
     */
    boolean permits(Op op, AclCommand command, Acl effective) {
        Principal p = op.principal();
        switch (p.kind()) {
            case SYSTEM:
                return true;
            case LOCAL_ADMIN:
                return settings.localAdminRights().contains(command);
            default:
                return effective.permits(command, p.id());
        }
    }

    void checkAcl(Op op, AclCommand command, Node node) throws DmException {
        if (!permits(op, command, node)) {
            throw new DmException(StatusCode.PERMISSION_DENIED,
                    op.principal() + " has no " + command + " right on " + node.uri());
        }
    }

    private boolean mayChangeAcl(Op op, Node node) throws DmException {
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
        return permits(op, AclCommand.REPLACE, nearestExisting(op, node.uri().parent()));
    }

    private Node nearestExisting(Op op, NodeUri uri) throws DmException {
        NodeUri u = uri;
        while (true) {
            Optional<Node> n = resolve(op, u);
            if (n.isPresent()) {
                return n.get();
            }
            u = u.parent();
        }
    }

    // ------------------------------------------------------------------------------------------
    // MO descriptions

    /** Where a URI falls in the MO descriptions. */
    record DescMatch(State state, NodeDescription node, DescriptionEntry entry) {
        /** The kinds of match. */
        enum State {
            /** No description covers the node. */
            NONE,
            /** Below an open (free-form) described node. */
            OPEN,
            /** Covered by a description that does not define the node. */
            UNDESCRIBED,
            /** Defined by {@link DescMatch#node()}. */
            DESCRIBED
        }

        static final DescMatch NONE_MATCH = new DescMatch(State.NONE, null, null);
    }

    DescMatch match(NodeUri uri) {
        DescriptionEntry entry = mounts.descriptionOwner(uri);
        if (entry == null) {
            return DescMatch.NONE_MATCH;
        }
        NodeDescription d = entry.description();
        for (String segment : uri.segments().subList(entry.root().depth(), uri.depth())) {
            if (d.isOpen()) {
                return new DescMatch(DescMatch.State.OPEN, d, entry);
            }
            Optional<NodeDescription> child = d.child(segment);
            if (child.isEmpty()) {
                return new DescMatch(DescMatch.State.UNDESCRIBED, d, entry);
            }
            d = child.get();
        }
        return new DescMatch(DescMatch.State.DESCRIBED, d, entry);
    }

    static void checkAccess(Op op, DescMatch m, AccessType type, NodeUri uri) throws DmException {
        if (!op.isSystem() && m.state() == DescMatch.State.DESCRIBED && !m.node().allows(type)) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED,
                    "The MO description of " + uri + " does not allow " + type);
        }
    }

    private void checkWrite(Op op, DescMatch m, NodeUri uri, NodeValue value, AccessType type) throws DmException {
        switch (m.state()) {
            case NONE:
            case OPEN:
                return;
            case UNDESCRIBED:
                throw new DmException(StatusCode.COMMAND_NOT_ALLOWED,
                        "MO " + label(m.entry()) + " defines no node " + uri);
            default:
                break;
        }
        checkAccess(op, m, type, uri);
        if (!m.node().formats().contains(value.format())) {
            throw new DmException(StatusCode.UNSUPPORTED_MEDIA_TYPE,
                    uri + " does not accept format " + value.format() + " (expects " + m.node().formats() + ")");
        }
        DescriptionEntry entry = m.entry();
        try {
            entry.service().validate(uri, value, op.context());
        } catch (DmException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("MO description {} failed to validate {}: {}", entry.label(), uri, e.toString());
            LOG.debug("Stack trace of the failure in {}", entry.label(), e);
            throw new DmException(StatusCode.COMMAND_FAILED, "MO description of " + entry.root() + " failed");
        }
    }

    private static String label(DescriptionEntry entry) {
        return entry.moId().isEmpty() ? entry.root().toString() : entry.moId();
    }

    /** Refuses a second instance of a placeholder node whose occurrence allows only one. */
    private void checkOccurrence(Op op, DescMatch m, NodeUri uri) throws DmException {
        if (m.state() != DescMatch.State.DESCRIBED || !m.node().isPlaceholder() || m.node().occurrence().max() > 1) {
            return;
        }
        DescMatch parent = match(uri.parent());
        Optional<Node> parentNode = resolve(op, uri.parent());
        if (parent.state() != DescMatch.State.DESCRIBED || parentNode.isEmpty()) {
            return;
        }
        for (String sibling : childNames(op, parentNode.get())) {
            Optional<NodeDescription> d = parent.node().child(sibling);
            if (d.isPresent() && d.get().isPlaceholder()) {
                throw new DmException(StatusCode.COMMAND_NOT_ALLOWED,
                        "MO " + label(m.entry()) + " allows one node at " + uri.parent() + "/<X>, and "
                                + sibling + " exists");
            }
        }
    }

    /**
     * @return true for a leaf whose value nobody but the system may read (an MO description without
     *     Get, or the persisted write-only mark): such values are never serialised
     */
    boolean isWriteOnly(Op op, Node node, DescMatch m) throws DmException {
        if (node.isInterior()) {
            return false;
        }
        if (m.state() == DescMatch.State.DESCRIBED) {
            return !m.node().allows(AccessType.GET);
        }
        return node.kind() == Node.Kind.STORED && overrides(op, node.uri()).writeOnly();
    }

    private boolean valueReadable(Op op, Node node, DescMatch m) throws DmException {
        if (op.isSystem()) {
            return true;
        }
        if (m.state() == DescMatch.State.DESCRIBED) {
            return m.node().allows(AccessType.GET);
        }
        return node.kind() != Node.Kind.STORED || !overrides(op, node.uri()).writeOnly();
    }

    // ------------------------------------------------------------------------------------------
    // URI limits

    UriLimits limits() {
        CachedLimits c = cachedLimits;
        Instant now = clock.instant();
        long generation = limitsGeneration;
        if (c != null && c.generation() == generation && now.isBefore(c.until())) {
            return c.limits();
        }
        UriLimits fallback = settings.fallbackLimits();
        UriLimits read = new UriLimits(readLimit("MaxDepth", fallback.maxDepth()),
                readLimit("MaxTotLen", fallback.maxTotLen()), readLimit("MaxSegLen", fallback.maxSegLen()));
        cachedLimits = new CachedLimits(read, now.plus(LIMITS_TTL), generation);
        return read;
    }

    /**
     * Drops the cached URI limits and the cached inherited ACLs: after a configuration change, a
     * plugin or description coming or going, and a committed write.
     */
    void invalidateLimits() {
        synchronized (this) {
            limitsGeneration++;
        }
        cachedLimits = null;
        aclCache = new AclCache();
    }

    private int readLimit(String name, int fallback) {
        NodeUri uri = DEVDETAIL_URI.child(name);
        try {
            PluginEntry plugin = mounts.owner(uri);
            NodeValue value;
            if (plugin != null) {
                value = call(plugin, "get", uri, () -> plugin.plugin().get(uri, SYSTEM_CONTEXT));
            } else {
                Optional<StoredNode> stored = store.read(uri);
                if (stored.isEmpty() || stored.get().info().isInterior()) {
                    return fallback;
                }
                value = stored.get().value();
            }
            if (value == null) {
                return fallback;
            }
            long limit = Long.parseLong(value.asString().trim());
            if (limit < 0 || limit > 0xFFFF) {
                LOG.warn("{} = {} is outside 0..65535; using {}", uri, limit, fallback);
                return fallback;
            }
            return (int) limit;
        } catch (DmException | RuntimeException e) {
            LOG.debug("Cannot read {} ({}); using {}", uri, e.toString(), fallback);
            return fallback;
        }
    }

    void checkLimits(NodeUri uri) throws DmException {
        limits().check(uri);
    }

    // ------------------------------------------------------------------------------------------
    // Plugins

    private <T> T call(PluginEntry plugin, String operation, NodeUri uri, PluginCall<T> body) throws DmException {
        try {
            return body.call();
        } catch (DmException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("MO plugin {} failed on {} {}: {}", plugin.label(), operation, uri, e.toString());
            LOG.debug("Stack trace of the failure in {}", plugin.label(), e);
            throw new DmException(StatusCode.COMMAND_FAILED, "MO plugin " + plugin.bundle() + " failed on " + operation);
        }
    }

    private static DmException contractViolation(PluginEntry plugin, String operation, NodeUri uri, String what) {
        LOG.warn("MO plugin {} broke its contract on {} {}: it {}", plugin.label(), operation, uri, what);
        return new DmException(StatusCode.COMMAND_FAILED, "MO plugin " + plugin.bundle() + " failed on " + operation);
    }

    private NodeValue pluginGet(Op op, PluginEntry plugin, NodeUri uri) throws DmException {
        NodeValue value = call(plugin, "get", uri, () -> plugin.plugin().get(uri, op.context()));
        if (value == null) {
            throw contractViolation(plugin, "get", uri, "returned null");
        }
        return value;
    }

    private List<String> pluginChildren(Op op, PluginEntry plugin, NodeUri uri) throws DmException {
        List<String> names = call(plugin, "children", uri, () -> plugin.plugin().children(uri, op.context()));
        if (names == null) {
            throw contractViolation(plugin, "children", uri, "returned null");
        }
        return names;
    }

    // ------------------------------------------------------------------------------------------
    // Reads

    boolean exists(Op op, NodeUri uri) throws DmException {
        return resolve(op, uri).isPresent();
    }

    NodeInfo describe(Op op, NodeUri uri) throws DmException {
        checkLimits(uri);
        Node node = require(op, uri);
        checkAcl(op, AclCommand.GET, node);
        NodeInfo info = node.info();
        if (!info.isInterior() && info.size() >= 0 && !valueReadable(op, node, match(uri))) {
            info = info.toBuilder().size(-1).build();
        }
        return info;
    }

    NodeValue get(Op op, NodeUri uri) throws DmException {
        checkLimits(uri);
        refuseInbox(uri, "Get");
        Node node = require(op, uri);
        checkAcl(op, AclCommand.GET, node);
        DescMatch m = match(uri);
        checkAccess(op, m, AccessType.GET, uri);
        if (node.isInterior()) {
            return NodeValue.ofChildren(childNames(op, node));
        }
        return leafValue(op, node, m);
    }

    NodeValue leafValue(Op op, Node node, DescMatch m) throws DmException {
        if (!valueReadable(op, node, m)) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, node.uri() + " is write-only");
        }
        if (node.kind() == Node.Kind.PLUGIN) {
            return pluginGet(op, node.plugin(), node.uri());
        }
        return node.value();
    }

    /**
     * @return a leaf's current value without any ACL or access-type check (for the engine's own
     *     comparisons, never handed to a caller)
     */
    NodeValue rawValue(Op op, Node node) throws DmException {
        return node.kind() == Node.Kind.PLUGIN ? pluginGet(op, node.plugin(), node.uri()) : node.value();
    }

    List<String> children(Op op, NodeUri uri) throws DmException {
        checkLimits(uri);
        refuseInbox(uri, "Get");
        Node node = require(op, uri);
        checkAcl(op, AclCommand.GET, node);
        checkAccess(op, match(uri), AccessType.GET, uri);
        if (!node.isInterior()) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, uri + " is a leaf and has no children");
        }
        return childNames(op, node);
    }

    List<String> childNames(Op op, Node node) throws DmException {
        NodeUri uri = node.uri();
        Set<String> names = new LinkedHashSet<>();
        if (node.kind() == Node.Kind.PLUGIN) {
            names.addAll(pluginChildren(op, node.plugin(), uri));
        } else {
            boolean inbox = settings.inboxEnabled();
            for (String name : op.children(uri)) {
                if (uri.isRoot() && (name.equals(Overrides.RESERVED_SEGMENT) || inbox && name.equals(INBOX.name()))) {
                    continue;
                }
                names.add(name);
            }
        }
        names.addAll(mounts.virtualChildren(uri));
        if (uri.isRoot() && settings.inboxEnabled()) {
            names.add(INBOX.name());
        }
        return List.copyOf(names);
    }

    String getProperty(Op op, NodeUri uri, Property property) throws DmException {
        checkLimits(uri);
        Node node = require(op, uri);
        checkAcl(op, AclCommand.GET, node);
        NodeInfo info = node.info();
        switch (property) {
            case ACL:
                return info.acl().toString();
            case FORMAT:
                return info.format().token();
            case NAME:
                return uri.name();
            case SIZE: {
                if (info.isInterior()) {
                    throw new DmException(StatusCode.OPTIONAL_FEATURE_NOT_SUPPORTED, "Interior nodes have no Size");
                }
                DescMatch m = match(uri);
                if (!valueReadable(op, node, m)) {
                    throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, uri + " is write-only");
                }
                long size = info.size() >= 0 ? info.size() : leafValue(op, node, m).size();
                return Long.toString(size);
            }
            case TITLE:
                return info.title();
            case TSTAMP: {
                String stamp = info.timestampProperty();
                if (stamp.isEmpty()) {
                    throw new DmException(StatusCode.OPTIONAL_FEATURE_NOT_SUPPORTED, uri + " has no TStamp");
                }
                return stamp;
            }
            case TYPE:
                return info.type();
            case VERNO:
                if (info.version() < 0) {
                    throw new DmException(StatusCode.OPTIONAL_FEATURE_NOT_SUPPORTED, uri + " has no VerNo");
                }
                return Integer.toString(info.version());
            default:
                throw new DmException(StatusCode.OPTIONAL_FEATURE_NOT_SUPPORTED, "Unknown property " + property);
        }
    }

    void refuseInbox(NodeUri uri, String command) throws DmException {
        if (isInbox(uri)) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, command + " is not allowed on ./Inbox");
        }
    }

    // ------------------------------------------------------------------------------------------
    // Properties

    void setProperty(Op op, NodeUri uri, Property property, String value) throws DmException {
        Objects.requireNonNull(value, "value");
        checkLimits(uri);
        if (!property.isReplaceable()) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "The " + property + " property cannot be replaced");
        }
        Node node = require(op, uri);
        switch (property) {
            case ACL:
                setAcl(op, node, value);
                break;
            case TITLE:
                setTitle(op, node, value);
                break;
            default:
                rename(op, node, value);
                break;
        }
    }

    private void setAcl(Op op, Node node, String text) throws DmException {
        Acl acl = Acl.parse(text);
        if (!mayChangeAcl(op, node)) {
            throw new DmException(StatusCode.PERMISSION_DENIED, op.principal() + " may not change the ACL of "
                    + node.uri() + " (needs Replace on " + (node.isInterior() ? "it or " : "") + "its parent)");
        }
        if (node.uri().isRoot() && acl.isEmpty()) {
            throw new DmException(StatusCode.BAD_REQUEST, "The root ACL must have a value");
        }
        updateInfo(op, node, b -> b.acl(acl), o -> o.withAcl(acl));
    }

    private void setTitle(Op op, Node node, String title) throws DmException {
        checkAcl(op, AclCommand.REPLACE, node);
        if (title.getBytes(StandardCharsets.UTF_8).length > MAX_TITLE_BYTES) {
            throw new DmException(StatusCode.REQUEST_ENTITY_TOO_LARGE, "A Title has at most 255 bytes");
        }
        updateInfo(op, node, b -> b.title(title), o -> o.withTitle(title));
    }

    @FunctionalInterface
    private interface InfoChange {
        void apply(NodeInfo.Builder builder);
    }

    @FunctionalInterface
    private interface OverrideChange {
        Overrides apply(Overrides current);
    }

    private void updateInfo(Op op, Node node, InfoChange change, OverrideChange override) throws DmException {
        NodeUri uri = node.uri();
        switch (node.kind()) {
            case ROOT:
            case STORED: {
                Optional<StoredNode> raw = op.read(uri);
                StoredNode current = raw.orElseGet(
                        () -> StoredNode.of(NodeInfo.interior(uri).build(), NodeValue.interior()));
                NodeInfo.Builder b = current.info().toBuilder();
                change.apply(b);
                op.put(StoredNode.of(b.build(), current.value()));
                break;
            }
            default:
                putOverrides(op, uri, override.apply(overrides(op, uri)));
                break;
        }
    }

    private void rename(Op op, Node node, String newName) throws DmException {
        NodeUri uri = node.uri();
        checkAcl(op, AclCommand.REPLACE, node);
        if (uri.isRoot() || node.kind() != Node.Kind.STORED || node.info().isPermanent()) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, uri + " is permanent and cannot be renamed");
        }
        DescMatch m = match(uri);
        if (m.state() == DescMatch.State.DESCRIBED && !m.node().isPlaceholder()) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "The MO fixes the name of " + uri);
        }
        NodeUri target;
        try {
            target = uri.parent().child(newName);
        } catch (IllegalArgumentException e) {
            throw new DmException(StatusCode.BAD_REQUEST, "Not a valid node name: " + e.getMessage());
        }
        if (target.equals(uri)) {
            return;
        }
        if (mounts.hasMountBelow(uri)) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "An MO is mounted below " + uri);
        }
        DescMatch tm = match(target);
        if (tm.state() == DescMatch.State.UNDESCRIBED
                || tm.state() == DescMatch.State.DESCRIBED && !tm.node().isPlaceholder()) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "The MO does not allow the name " + newName);
        }
        if (isReserved(target) || isInbox(target) || mounts.owner(target) != null || resolve(op, target).isPresent()) {
            throw new DmException(StatusCode.ALREADY_EXISTS, "A node " + target + " exists");
        }
        List<StoredNode> subtree = new ArrayList<>();
        collectStored(op, uri, subtree);
        UriLimits l = limits();
        for (StoredNode n : subtree) {
            l.check(moved(n.info().uri(), uri, target));
        }
        Instant now = now();
        for (StoredNode n : subtree) {
            NodeUri to = moved(n.info().uri(), uri, target);
            NodeInfo.Builder b = rebuild(n.info(), to, n.info().format());
            if (to.equals(target)) {
                b.timestamp(now).version(nextVersion(n.info().version()));
            }
            op.put(StoredNode.of(b.build(), n.value()));
        }
        op.deleteSubtree(uri);
        moveOverrides(op, uri, target);
        touch(op, uri.parent());
    }

    private static NodeUri moved(NodeUri node, NodeUri from, NodeUri to) {
        return node.equals(from) ? to : to.resolve(node.relativeTo(from));
    }

    private void collectStored(Op op, NodeUri uri, List<StoredNode> out) throws DmException {
        Optional<StoredNode> n = op.read(uri);
        if (n.isEmpty()) {
            return;
        }
        out.add(n.get());
        if (n.get().info().isInterior()) {
            for (String child : op.children(uri)) {
                collectStored(op, uri.child(child), out);
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Add

    void add(Op op, NodeUri requested, NodeValue value) throws DmException {
        Objects.requireNonNull(value, "value");
        checkLimits(requested);
        if (requested.isRoot()) {
            throw new DmException(StatusCode.ALREADY_EXISTS, "The root always exists");
        }
        if (isReserved(requested)) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "The name " + Overrides.RESERVED_SEGMENT + " is reserved");
        }
        NodeUri uri = requested;
        boolean inboxRoot = false;
        if (isInbox(requested)) {
            if (requested.depth() == 1) {
                throw new DmException(StatusCode.ALREADY_EXISTS, "./Inbox exists");
            }
            uri = inboxTarget(op, requested, value);
            inboxRoot = requested.depth() == 2;
            checkLimits(uri);
        }
        Deque<NodeUri> missing = new ArrayDeque<>();
        NodeUri a = uri.parent();
        Node ancestor;
        while (true) {
            Optional<Node> n = resolve(op, a);
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
        checkAcl(op, AclCommand.ADD, ancestor);
        if (missing.isEmpty() && resolve(op, uri).isPresent()) {
            throw new DmException(StatusCode.ALREADY_EXISTS, "A node " + uri + " exists");
        }
        for (NodeUri m : missing) {
            checkWrite(op, match(m), m, NodeValue.interior(), AccessType.ADD);
        }
        DescMatch target = match(uri);
        checkWrite(op, target, uri, value, AccessType.ADD);
        checkOccurrence(op, target, uri);

        Acl grant = Acl.empty();
        Principal p = op.principal();
        Acl inherited = effectiveAcl(op, ancestor);
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
        touch(op, ancestor.uri());
        if (inboxRoot) {
            synchronized (inboxAliases) {
                inboxAliases.put(new InboxKey(p, requested.name()), uri);
            }
        }
    }

    private void createOne(Op op, NodeUri uri, NodeValue value, Acl acl, boolean first) throws DmException {
        DescMatch m = match(uri);
        NodeDescription d = m.state() == DescMatch.State.DESCRIBED ? m.node() : null;
        PluginEntry plugin = mounts.owner(uri);
        if (plugin != null) {
            MoContext context = op.context();
            call(plugin, "add", uri, () -> {
                plugin.plugin().add(uri, value, context);
                return null;
            });
            op.onRollback("Add " + uri + " in " + plugin.label(), () -> plugin.plugin().delete(uri, context));
            if (!acl.isEmpty()) {
                putOverrides(op, uri, overrides(op, uri).withAcl(acl));
            }
            return;
        }
        if (first) {
            materialize(op, uri.parent());
        }
        String type = value.type().isEmpty() && d != null ? d.mimeType() : value.type();
        boolean permanent = d != null && d.isPermanent();
        Instant now = now();
        NodeInfo.Builder b = value.isInterior() ? NodeInfo.interior(uri) : NodeInfo.leaf(uri, value.format());
        b.type(type).acl(acl).timestamp(now).version(0).permanent(permanent);
        if (!value.isInterior()) {
            b.size(value.size());
        }
        op.put(StoredNode.of(b.build(), value.isInterior() ? NodeValue.interior() : value));
        if (d != null && !value.isInterior() && !d.allows(AccessType.GET)) {
            putOverrides(op, uri, overrides(op, uri).withWriteOnly());
        }
    }

    /** Stores a virtual node (and its virtual ancestors) so that store nodes can be added below it. */
    private void materialize(Op op, NodeUri uri) throws DmException {
        if (uri.isRoot() || op.read(uri).isPresent()) {
            return;
        }
        materialize(op, uri.parent());
        Overrides o = overrides(op, uri);
        DescriptionEntry d = mounts.descriptionOwner(uri);
        String type = uri.equals(INBOX) ? INBOX_MO_ID
                : d != null && d.root().equals(uri) ? d.description().mimeType() : "";
        NodeInfo.Builder b = NodeInfo.interior(uri).type(type).permanent(true).timestamp(now()).version(0);
        if (o.acl() != null) {
            b.acl(o.acl());
        }
        if (o.title() != null) {
            b.title(o.title());
        }
        op.put(StoredNode.of(b.build(), NodeValue.interior()));
        if (!o.isEmpty()) {
            putOverrides(op, uri, Overrides.NONE);
        }
    }

    /** Records a change of a stored node's children: TStamp now, VerNo + 1. */
    private void touch(Op op, NodeUri uri) throws DmException {
        if (mounts.owner(uri) != null) {
            return;
        }
        Optional<StoredNode> n = op.read(uri);
        if (n.isPresent()) {
            NodeInfo info = n.get().info().toBuilder().timestamp(now()).version(nextVersion(n.get().info().version()))
                    .build();
            op.put(StoredNode.of(info, n.get().value()));
        }
    }

    /**
     * @param uri a URI as a command named it
     * @return where an earlier Add of this principal placed it when it lies below {@code ./Inbox/<N>},
     *     else the URI itself
     */
    NodeUri placed(Op op, NodeUri uri) {
        if (!isInbox(uri) || uri.depth() < 2) {
            return uri;
        }
        String name = uri.segments().get(1);
        NodeUri at;
        synchronized (inboxAliases) {
            at = inboxAliases.get(new InboxKey(op.principal(), name));
        }
        if (at == null) {
            return uri;
        }
        return uri.depth() == 2 ? at : at.resolve(uri.relativeTo(INBOX.child(name)));
    }

    private NodeUri inboxTarget(Op op, NodeUri uri, NodeValue value) throws DmException {
        checkAcl(op, AclCommand.ADD, require(op, INBOX));
        String name = uri.segments().get(1);
        InboxKey key = new InboxKey(op.principal(), name);
        if (uri.depth() > 2) {
            NodeUri placed;
            synchronized (inboxAliases) {
                placed = inboxAliases.get(key);
            }
            if (placed == null) {
                throw new DmException(StatusCode.NOT_FOUND, "./Inbox/" + name + " was not added");
            }
            return placed.resolve(uri.relativeTo(INBOX.child(name)));
        }
        if (!value.isInterior()) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "Only the root of an MO can be added to ./Inbox");
        }
        String moId = value.type();
        if (moId.isEmpty()) {
            throw new DmException(StatusCode.UNSUPPORTED_MEDIA_TYPE,
                    "An object added to ./Inbox needs its MO identifier as its Type");
        }
        Optional<DescriptionEntry> d = mounts.descriptionById(moId);
        if (d.isPresent()) {
            boolean multiple = d.get().description().children().stream().anyMatch(NodeDescription::isPlaceholder);
            return multiple ? d.get().root().child(name) : d.get().root();
        }
        Optional<PluginEntry> plugin = mounts.pluginById(moId);
        if (plugin.isPresent()) {
            return plugin.get().root().child(name);
        }
        throw new DmException(StatusCode.UNSUPPORTED_MEDIA_TYPE, "This device has no MO " + moId + " for ./Inbox");
    }

    // ------------------------------------------------------------------------------------------
    // Replace, Delete, Exec, Copy

    void replace(Op op, NodeUri uri, NodeValue value) throws DmException {
        Objects.requireNonNull(value, "value");
        checkLimits(uri);
        refuseInbox(uri, "Replace");
        Node node = require(op, uri);
        checkAcl(op, AclCommand.REPLACE, node);
        if (node.isInterior()) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "Cannot replace the interior node " + uri);
        }
        if (value.isInterior()) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "The leaf " + uri + " cannot become interior");
        }
        DescMatch m = match(uri);
        checkWrite(op, m, uri, value, AccessType.REPLACE);
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
                    NodeValue old = pluginGet(op, plugin, uri);
                    op.onRollback("Replace " + uri + " in " + plugin.label(),
                            () -> plugin.plugin().replace(uri, old, context));
                } catch (DmException e) {
                    op.cannotUndo("Replace of " + uri + " in " + plugin.label() + " (old value unreadable)");
                }
            }
            call(plugin, "replace", uri, () -> {
                plugin.plugin().replace(uri, value, context);
                return null;
            });
            return;
        }
        StoredNode raw = op.read(uri).orElseThrow(() -> new DmException(StatusCode.NOT_FOUND, "No node " + uri));
        NodeInfo old = raw.info();
        NodeInfo.Builder b = rebuild(old, uri, value.format())
                .type(value.type().isEmpty() ? old.type() : value.type())
                .size(value.size()).timestamp(now()).version(nextVersion(old.version()));
        op.put(StoredNode.of(b.build(), value));
        if (m.state() == DescMatch.State.DESCRIBED && !m.node().allows(AccessType.GET)
                && !overrides(op, uri).writeOnly()) {
            putOverrides(op, uri, overrides(op, uri).withWriteOnly());
        }
    }

    void delete(Op op, NodeUri uri) throws DmException {
        checkLimits(uri);
        if (uri.isRoot()) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "The root cannot be deleted");
        }
        refuseInbox(uri, "Delete");
        Node node = require(op, uri);
        checkAcl(op, AclCommand.DELETE, node);
        checkAccess(op, match(uri), AccessType.DELETE, uri);
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
            call(plugin, "delete", uri, () -> {
                plugin.plugin().delete(uri, context);
                return null;
            });
        } else {
            Optional<String> serverId = accountServerId(op, node);
            op.deleteSubtree(uri);
            if (serverId.isPresent() && !anotherAccountHas(op, uri.parent(), serverId.get())) {
                forgetServer(op, serverId.get());
            }
        }
        deleteOverridesBelow(op, uri);
        touch(op, uri.parent());
    }

    /** @return the ServerID of a stored DM account node (Type {@link #DMACC_MO_ID}), if it is one */
    private Optional<String> accountServerId(Op op, Node node) throws DmException {
        if (!node.isInterior() || !DMACC_MO_ID.equals(node.info().type())) {
            return Optional.empty();
        }
        return op.read(node.uri().child("ServerID")).filter(n -> !n.info().isInterior())
                .map(n -> n.value().asString()).filter(id -> !id.isEmpty());
    }

    private boolean anotherAccountHas(Op op, NodeUri accounts, String serverId) throws DmException {
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
    private void forgetServer(Op op, String serverId) throws DmException {
        int changed = forgetServer(op, NodeUri.root(), serverId);
        for (NodeUri node : overriddenBelow(op, NodeUri.root())) {
            Overrides o = overrides(op, node);
            if (o.acl() != null && mentions(o.acl(), serverId)) {
                putOverrides(op, node, o.withAcl(o.acl().withoutServer(serverId)));
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
            out.add(Map.entry(uri, pluginGet(op, plugin, uri)));
            return;
        }
        out.add(Map.entry(uri, NodeValue.of(Format.NODE, info.type(), new byte[0])));
        for (String child : pluginChildren(op, plugin, uri)) {
            NodeUri c = uri.child(child);
            Optional<NodeInfo> ci = call(plugin, "describe", c, () -> plugin.plugin().describe(c, op.context()));
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
        checkLimits(uri);
        refuseInbox(uri, "Exec");
        Node node = require(op, uri);
        checkAcl(op, AclCommand.EXEC, node);
        checkAccess(op, match(uri), AccessType.EXEC, uri);
        if (node.kind() != Node.Kind.PLUGIN) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, uri + " is not executable");
        }
        PluginEntry plugin = node.plugin();
        StatusCode status = call(plugin, "exec", uri, () -> plugin.plugin().exec(uri, data, correlator, op.context()));
        if (status == null) {
            throw contractViolation(plugin, "exec", uri, "returned no status");
        }
        if (!status.isSuccess()) {
            throw new DmException(status, "Exec of " + uri + " failed");
        }
        return status;
    }

    void copy(Op op, NodeUri source, NodeUri target) throws DmException {
        checkLimits(source);
        checkLimits(target);
        refuseInbox(source, "Copy");
        refuseInbox(target, "Copy");
        Node from = require(op, source);
        checkAcl(op, AclCommand.GET, from);
        if (from.isInterior()) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "Copy needs a leaf as its source");
        }
        DescMatch m = match(source);
        checkAccess(op, m, AccessType.GET, source);
        NodeValue value = leafValue(op, from, m);
        Optional<Node> to = resolve(op, target);
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

    // ------------------------------------------------------------------------------------------
    // Helpers

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    static int nextVersion(int version) {
        return version < 0 ? 0 : (version + 1) & 0xFFFF;
    }

    static NodeInfo.Builder rebuild(NodeInfo info, NodeUri uri, Format format) {
        NodeInfo.Builder b = format == Format.NODE ? NodeInfo.interior(uri) : NodeInfo.leaf(uri, format);
        return b.type(info.type()).acl(info.acl()).title(info.title()).timestamp(info.timestamp().orElse(null))
                .version(info.version()).size(info.size()).permanent(info.isPermanent());
    }

}
