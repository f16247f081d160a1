package org.cardinaldm.tree.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.store.StoredNode;

/**
 * Resolves a URI to the {@link Node} the engine sees: the root, a node owned by a mounted MO plugin,
 * a stored node, or a virtual one (a parent of a mount point, a permanent described MO root, the
 * Inbox), with overrides and described permanence applied; and lists a node's children from the
 * same sources, and reads a leaf's value. The reserved segment of the override records resolves to nothing.
 */
final class UriResolver {
    private final Mounts mounts;
    private final Supplier<Settings> settings;
    private final OverrideRecords overrides;
    private final DescriptionRules descriptions;
    private final Inbox inbox;

    UriResolver(Mounts mounts, Supplier<Settings> settings, OverrideRecords overrides, DescriptionRules descriptions,
            Inbox inbox) {
        this.mounts = Objects.requireNonNull(mounts, "mounts");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.overrides = Objects.requireNonNull(overrides, "overrides");
        this.descriptions = Objects.requireNonNull(descriptions, "descriptions");
        this.inbox = Objects.requireNonNull(inbox, "inbox");
    }

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
        if (inbox.isInbox(uri)) {
            return uri.depth() == 1 ? Optional.of(virtual(op, uri, Inbox.INBOX_MO_ID)) : Optional.empty();
        }
        PluginEntry plugin = mounts.owner(uri);
        if (plugin != null) {
            Optional<NodeInfo> described = PluginCalls.call(plugin, "describe", uri,
                    () -> plugin.plugin().describe(uri, op.context()));
            if (described == null) {
                throw PluginCalls.contractViolation(plugin, "describe", uri, "returned null");
            }
            if (described.isPresent()) {
                NodeInfo info = described.get();
                if (!info.uri().equals(uri)) {
                    throw PluginCalls.contractViolation(plugin, "describe", uri, "described another node");
                }
                info = overrides.of(op, uri).applyTo(withDescribedPermanence(info));
                return Optional.of(new Node(info, Node.Kind.PLUGIN, plugin, null));
            }
            return mounts.isVirtual(uri) ? Optional.of(virtual(op, uri, "")) : Optional.empty();
        }
        Optional<StoredNode> stored = op.read(uri);
        if (stored.isPresent()) {
            NodeInfo info = stored.get().info();
            if (!info.uri().equals(uri)) {
                info = Node.rebuild(info, uri, info.format()).build();
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

    /** @return the node at {@code uri}, else its nearest existing ancestor (the root always exists) */
    Node nearestExisting(Op op, NodeUri uri) throws DmException {
        NodeUri u = uri;
        while (true) {
            Optional<Node> n = resolve(op, u);
            if (n.isPresent()) {
                return n.get();
            }
            u = u.parent();
        }
    }

    private Node root(Op op) throws DmException {
        Optional<StoredNode> stored = op.read(NodeUri.root());
        NodeInfo info = stored.map(StoredNode::info).orElse(NodeInfo.interior(NodeUri.root()).build());
        NodeInfo.Builder b = Node.rebuild(info, NodeUri.root(), Format.NODE).permanent(true);
        if (info.acl().isEmpty()) {
            b.acl(settings.get().rootAcl());
        }
        return new Node(b.build(), Node.Kind.ROOT, null, NodeValue.interior());
    }

    private Node virtual(Op op, NodeUri uri, String type) throws DmException {
        NodeInfo info = NodeInfo.interior(uri).type(type).permanent(true).build();
        return new Node(overrides.of(op, uri).applyTo(info), Node.Kind.VIRTUAL, null, null);
    }

    private NodeInfo withDescribedPermanence(NodeInfo info) {
        if (info.isPermanent()) {
            return info;
        }
        DescMatch m = descriptions.match(info.uri());
        return m.state() == DescMatch.State.DESCRIBED && m.node().isPermanent()
                ? info.toBuilder().permanent(true).build() : info;
    }

    /** @return true for the reserved node of the override records and everything below it */
    static boolean isReserved(NodeUri uri) {
        return !uri.isRoot() && uri.segments().get(0).equals(Overrides.RESERVED_SEGMENT);
    }

    /**
     * @param m the node's description match
     * @return a leaf's value, or 405 when it is write-only for this principal
     */
    NodeValue leafValue(Op op, Node node, DescMatch m) throws DmException {
        if (!descriptions.valueReadable(op, node, m)) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, node.uri() + " is write-only");
        }
        if (node.kind() == Node.Kind.PLUGIN) {
            return PluginCalls.get(op, node.plugin(), node.uri());
        }
        return node.value();
    }

    /**
     * @return a leaf's current value without any ACL or access-type check (for the engine's own
     *     comparisons, never handed to a caller)
     */
    NodeValue rawValue(Op op, Node node) throws DmException {
        return node.kind() == Node.Kind.PLUGIN ? PluginCalls.get(op, node.plugin(), node.uri()) : node.value();
    }

    /** @return the names of a node's children: the plugin's or the store's, plus virtual ones */
    List<String> childNames(Op op, Node node) throws DmException {
        NodeUri uri = node.uri();
        Set<String> names = new LinkedHashSet<>();
        if (node.kind() == Node.Kind.PLUGIN) {
            names.addAll(PluginCalls.children(op, node.plugin(), uri));
        } else {
            boolean inboxEnabled = settings.get().inboxEnabled();
            for (String name : op.children(uri)) {
                if (uri.isRoot() && (name.equals(Overrides.RESERVED_SEGMENT)
                        || inboxEnabled && name.equals(Inbox.INBOX.name()))) {
                    continue;
                }
                names.add(name);
            }
        }
        names.addAll(mounts.virtualChildren(uri));
        if (uri.isRoot() && settings.get().inboxEnabled()) {
            names.add(Inbox.INBOX.name());
        }
        return List.copyOf(names);
    }
}
