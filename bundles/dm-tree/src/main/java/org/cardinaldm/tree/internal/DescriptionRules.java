package org.cardinaldm.tree.internal;

import java.util.Objects;
import java.util.Optional;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.ddf.AccessType;
import org.cardinaldm.api.spi.ddf.NodeDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of the mounted MO descriptions (DDF, OMA-TS-DM_TND-V1_2): which description covers a
 * URI, the access types it allows, the formats and values it accepts on a write, the occurrence of
 * placeholder nodes, and which leaves are write-only.
 */
final class DescriptionRules {
    private static final Logger LOG = LoggerFactory.getLogger(DescriptionRules.class);

    private final Mounts mounts;
    private final OverrideRecords overrides;

    DescriptionRules(Mounts mounts, OverrideRecords overrides) {
        this.mounts = Objects.requireNonNull(mounts, "mounts");
        this.overrides = Objects.requireNonNull(overrides, "overrides");
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

    void checkWrite(Op op, DescMatch m, NodeUri uri, NodeValue value, AccessType type) throws DmException {
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
    void checkOccurrence(Op op, DescMatch m, NodeUri uri, UriResolver resolver) throws DmException {
        if (m.state() != DescMatch.State.DESCRIBED || !m.node().isPlaceholder() || m.node().occurrence().max() > 1) {
            return;
        }
        DescMatch parent = match(uri.parent());
        Optional<Node> parentNode = resolver.resolve(op, uri.parent());
        if (parent.state() != DescMatch.State.DESCRIBED || parentNode.isEmpty()) {
            return;
        }
        for (String sibling : resolver.childNames(op, parentNode.get())) {
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
        return node.kind() == Node.Kind.STORED && overrides.of(op, node.uri()).writeOnly();
    }

    boolean valueReadable(Op op, Node node, DescMatch m) throws DmException {
        if (op.isSystem()) {
            return true;
        }
        if (m.state() == DescMatch.State.DESCRIBED) {
            return m.node().allows(AccessType.GET);
        }
        return node.kind() != Node.Kind.STORED || !overrides.of(op, node.uri()).writeOnly();
    }
}
