package org.cardinaldm.tree.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.cardinaldm.api.Acl;
import org.cardinaldm.api.AclCommand;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Property;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.store.StoredNode;

/**
 * Node properties (digest 5.6): {@code Get ?prop=} of ACL, Format, Name, Size, Title, TStamp, Type
 * and VerNo, and Replace of the three replaceable ones: ACL, Title (kept in the node when stored,
 * else as an override) and Name (a rename of a stored subtree).
 */
final class NodeProperties {
    /** The longest Title in bytes. */
    static final int MAX_TITLE_BYTES = 255;

    @FunctionalInterface
    private interface InfoChange {
        void apply(NodeInfo.Builder builder);
    }

    @FunctionalInterface
    private interface OverrideChange {
        Overrides apply(Overrides current);
    }

    private final Mounts mounts;
    private final UriResolver resolver;
    private final AclEvaluator acls;
    private final DescriptionRules descriptions;
    private final OverrideRecords overrides;
    private final DevDetailLimits limits;
    private final Inbox inbox;
    private final Stamps stamps;

    NodeProperties(Mounts mounts, UriResolver resolver, AclEvaluator acls, DescriptionRules descriptions,
            OverrideRecords overrides, DevDetailLimits limits, Inbox inbox, Stamps stamps) {
        this.mounts = Objects.requireNonNull(mounts, "mounts");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.acls = Objects.requireNonNull(acls, "acls");
        this.descriptions = Objects.requireNonNull(descriptions, "descriptions");
        this.overrides = Objects.requireNonNull(overrides, "overrides");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.inbox = Objects.requireNonNull(inbox, "inbox");
        this.stamps = Objects.requireNonNull(stamps, "stamps");
    }

    String get(Op op, NodeUri uri, Property property) throws DmException {
        limits.check(uri);
        Node node = resolver.require(op, uri);
        acls.check(op, AclCommand.GET, node);
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
                DescMatch m = descriptions.match(uri);
                if (!descriptions.valueReadable(op, node, m)) {
                    throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, uri + " is write-only");
                }
                long size = info.size() >= 0 ? info.size() : resolver.leafValue(op, node, m).size();
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

    void set(Op op, NodeUri uri, Property property, String value) throws DmException {
        Objects.requireNonNull(value, "value");
        limits.check(uri);
        if (!property.isReplaceable()) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "The " + property + " property cannot be replaced");
        }
        Node node = resolver.require(op, uri);
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
        if (!acls.mayChangeAcl(op, node)) {
            throw new DmException(StatusCode.PERMISSION_DENIED, op.principal() + " may not change the ACL of "
                    + node.uri() + " (needs Replace on " + (node.isInterior() ? "it or " : "") + "its parent)");
        }
        if (node.uri().isRoot() && acl.isEmpty()) {
            throw new DmException(StatusCode.BAD_REQUEST, "The root ACL must have a value");
        }
        updateInfo(op, node, b -> b.acl(acl), o -> o.withAcl(acl));
    }

    private void setTitle(Op op, Node node, String title) throws DmException {
        acls.check(op, AclCommand.REPLACE, node);
        if (title.getBytes(StandardCharsets.UTF_8).length > MAX_TITLE_BYTES) {
            throw new DmException(StatusCode.REQUEST_ENTITY_TOO_LARGE, "A Title has at most 255 bytes");
        }
        updateInfo(op, node, b -> b.title(title), o -> o.withTitle(title));
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
                overrides.put(op, uri, override.apply(overrides.of(op, uri)));
                break;
        }
    }

    private void rename(Op op, Node node, String newName) throws DmException {
        NodeUri uri = node.uri();
        acls.check(op, AclCommand.REPLACE, node);
        if (uri.isRoot() || node.kind() != Node.Kind.STORED || node.info().isPermanent()) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, uri + " is permanent and cannot be renamed");
        }
        DescMatch m = descriptions.match(uri);
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
        DescMatch tm = descriptions.match(target);
        if (tm.state() == DescMatch.State.UNDESCRIBED
                || tm.state() == DescMatch.State.DESCRIBED && !tm.node().isPlaceholder()) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "The MO does not allow the name " + newName);
        }
        if (UriResolver.isReserved(target) || inbox.isInbox(target) || mounts.owner(target) != null
                || resolver.resolve(op, target).isPresent()) {
            throw new DmException(StatusCode.ALREADY_EXISTS, "A node " + target + " exists");
        }
        List<StoredNode> subtree = new ArrayList<>();
        collectStored(op, uri, subtree);
        UriLimits l = limits.current();
        for (StoredNode n : subtree) {
            l.check(Node.moved(n.info().uri(), uri, target));
        }
        Instant now = stamps.now();
        for (StoredNode n : subtree) {
            NodeUri to = Node.moved(n.info().uri(), uri, target);
            NodeInfo.Builder b = Node.rebuild(n.info(), to, n.info().format());
            if (to.equals(target)) {
                b.timestamp(now).version(Stamps.nextVersion(n.info().version()));
            }
            op.put(StoredNode.of(b.build(), n.value()));
        }
        op.deleteSubtree(uri);
        overrides.move(op, uri, target);
        stamps.touch(op, uri.parent());
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
}
