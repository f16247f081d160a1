package org.cardinaldm.tree.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.cardinaldm.api.Acl;
import org.cardinaldm.api.AclCommand;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.ListForm;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Property;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.SubtreeNode;
import org.cardinaldm.api.spi.ddf.AccessType;

/**
 * Whole subtrees on top of {@link TreeEngine}: {@code Get ?list=} (Struct, StructData, TNDS) and
 * Add or Replace of a subtree described by a TNDS object (digest 1.5, 5.6, 7). Every node goes
 * through the engine's own rules (ACL, MO descriptions, limits, plugins), inside the caller's
 * {@link Op}, so an import is all or nothing and joins an Atomic.
 */
final class Serializer {
    /** Most nodes serialised or imported by one command (413 beyond). */
    static final int MAX_NODES = 250_000;

    private final TreeEngine engine;
    private final UriResolver resolver;
    private final AclEvaluator aclEvaluator;
    private final DescriptionRules descriptions;
    private final NodeProperties properties;
    private final Inbox inbox;
    /** {@link #MAX_NODES}; lowered by tests. */
    volatile int maxNodes = MAX_NODES;

    Serializer(TreeEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.resolver = engine.resolver();
        this.aclEvaluator = engine.acls();
        this.descriptions = engine.descriptions();
        this.properties = engine.properties();
        this.inbox = engine.inbox();
    }

    // ------------------------------------------------------------------------------------------
    // Get ?list=

    SubtreeNode list(Op op, NodeUri uri, ListForm form) throws DmException {
        engine.limits().check(uri);
        inbox.refuse(uri, "Get");
        Node node = resolver.require(op, uri);
        aclEvaluator.check(op, AclCommand.GET, node);
        DescMatch m = descriptions.match(uri);
        if (node.isInterior()) {
            DescriptionRules.checkAccess(op, m, AccessType.GET, uri);
        }
        int[] budget = {maxNodes};
        SubtreeNode.Builder b = build(op, node, m, aclEvaluator.effectiveAcl(op, node), form, budget);
        if (!uri.isRoot()) {
            b.path(uri.parent().toString());
        }
        return b.build();
    }

    private SubtreeNode.Builder build(Op op, Node node, DescMatch m, Acl effective, ListForm form,
            int[] budget) throws DmException {
        if (--budget[0] < 0) {
            throw new DmException(StatusCode.REQUEST_ENTITY_TOO_LARGE,
                    "The subtree has more than " + maxNodes + " nodes; ask for a smaller one");
        }
        NodeUri uri = node.uri();
        NodeInfo info = node.info();
        String name = uri.isRoot() ? "" : uri.name();
        SubtreeNode.Builder b = node.isInterior() ? SubtreeNode.interior(name) : SubtreeNode.leaf(name);
        boolean writeOnly = descriptions.isWriteOnly(op, node, m);
        NodeValue value = null;
        if (!node.isInterior() && form.values() && !writeOnly) {
            value = resolver.leafValue(op, node, m);
            b.value(value);
        }
        properties(b, info, form, writeOnly, value);
        if (node.isInterior() && (op.isSystem() || m.state() != DescMatch.State.DESCRIBED
                || m.node().allows(AccessType.GET))) {
            boolean root = uri.isRoot();
            for (String childName : resolver.childNames(op, node)) {
                if (root && engine.settings().inboxEnabled() && childName.equals(Inbox.INBOX.name())) {
                    continue;
                }
                NodeUri c = uri.child(childName);
                if (!engine.limits().allows(c)) {
                    continue; // made before the limits shrank: no server can address it either
                }
                Optional<Node> child = resolver.resolve(op, c);
                if (child.isEmpty()) {
                    continue;
                }
                Acl own = child.get().info().acl();
                Acl childAcl = own.isEmpty() ? effective : own;
                if (!aclEvaluator.permits(op, AclCommand.GET, childAcl)) {
                    continue; // invisible to this principal, with everything below it
                }
                b.child(build(op, child.get(), descriptions.match(c), childAcl, form, budget).build());
            }
        }
        return b;
    }

    private static void properties(SubtreeNode.Builder b, NodeInfo info, ListForm form, boolean writeOnly,
            NodeValue value) {
        for (Property p : form.properties()) {
            String text;
            switch (p) {
                case ACL:
                    text = info.acl().toString();
                    break;
                case FORMAT:
                    text = info.format().token();
                    break;
                case NAME:
                    text = info.name();
                    break;
                case SIZE:
                    text = info.isInterior() || writeOnly ? null
                            : info.size() >= 0 ? Long.toString(info.size())
                            : value != null ? Integer.toString(value.size()) : null;
                    break;
                case TITLE:
                    text = info.title().isEmpty() ? null : info.title();
                    break;
                case TSTAMP:
                    text = info.timestampProperty().isEmpty() ? null : info.timestampProperty();
                    break;
                case TYPE:
                    text = info.type().isEmpty() ? null : info.type();
                    break;
                case VERNO:
                    text = info.version() < 0 ? null : Integer.toString(info.version());
                    break;
                default:
                    text = null;
                    break;
            }
            b.property(p, text);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Add and Replace with a TNDS object

    /** A node of the object, placed at its URI. */
    private static final class Spec {
        final NodeUri uri;
        final boolean interior;
        final NodeValue value;
        final Format format;
        final String type;
        final String acl;
        final String title;
        final Map<String, Spec> children = new LinkedHashMap<>();

        Spec(NodeUri uri, SubtreeNode n) throws DmException {
            this.uri = uri;
            this.interior = n.isInterior();
            String formatToken = n.property(Property.FORMAT).orElse(null);
            Format declared = null;
            if (formatToken != null) {
                declared = Format.fromToken(formatToken).orElseThrow(() -> new DmException(
                        StatusCode.UNSUPPORTED_MEDIA_TYPE, "Unknown Format '" + abbreviate(formatToken) + "' at " + uri));
                if ((declared == Format.NODE) != interior) {
                    throw new DmException(StatusCode.BAD_REQUEST, "The Format of " + uri + " contradicts its content");
                }
            }
            this.value = n.value().orElse(null);
            this.format = value != null ? value.format() : declared != null ? declared : interior ? Format.NODE : Format.NULL;
            this.type = value != null ? value.type() : n.property(Property.TYPE).orElse("");
            this.acl = n.property(Property.ACL).orElse(null);
            this.title = n.property(Property.TITLE).orElse(null);
            if (acl != null) {
                Acl.parse(acl);
            }
        }

        /** @return the value to create this node with */
        NodeValue createValue() {
            if (interior) {
                return NodeValue.of(Format.NODE, type, new byte[0]);
            }
            return value != null ? value : format == Format.NULL ? NodeValue.ofNull() : NodeValue.of(format, type, new byte[0]);
        }

        Spec placedAt(NodeUri at) {
            return at.equals(uri) ? this : new Spec(at, this);
        }

        private Spec(NodeUri at, Spec s) {
            this.uri = at;
            this.interior = s.interior;
            this.value = s.value;
            this.format = s.format;
            this.type = s.type;
            this.acl = s.acl;
            this.title = s.title;
            for (Spec c : s.children.values()) {
                children.put(c.uri.name(), c.placedAt(at.child(c.uri.name())));
            }
        }
    }

    void add(Op op, NodeUri target, List<SubtreeNode> nodes) throws DmException {
        List<Spec> roots = plan(target, nodes);
        List<Spec> acls = new ArrayList<>();
        for (Spec root : roots) {
            addSpec(op, root, acls);
        }
        applyAcls(op, acls);
    }

    void replace(Op op, NodeUri target, List<SubtreeNode> nodes) throws DmException {
        List<Spec> roots = plan(target, nodes);
        List<Spec> acls = new ArrayList<>();
        for (Spec root : roots) {
            engine.limits().check(root.uri);
            inbox.refuse(root.uri, "Replace");
            Node node = resolver.require(op, root.uri);
            aclEvaluator.check(op, AclCommand.REPLACE, node);
            replaceSpec(op, root, node, acls);
        }
        applyAcls(op, acls);
    }

    /** Places every node of the object at its URI; top-level nodes whose path points into another one continue it. */
    private List<Spec> plan(NodeUri target, List<SubtreeNode> nodes) throws DmException {
        if (nodes.isEmpty()) {
            throw new DmException(StatusCode.BAD_REQUEST, "The TNDS object has no Node");
        }
        Map<NodeUri, Spec> all = new LinkedHashMap<>();
        List<Spec> tops = new ArrayList<>();
        for (SubtreeNode n : nodes) {
            tops.add(spec(locate(target, n), n, all));
        }
        List<Spec> roots = new ArrayList<>();
        for (Spec top : tops) {
            Spec parent = top.uri.isRoot() ? null : all.get(top.uri.parent());
            if (parent == null) {
                roots.add(top);
            } else if (!parent.interior) {
                throw new DmException(StatusCode.BAD_REQUEST, "The TNDS object puts " + top.uri + " below a leaf");
            } else {
                parent.children.put(top.uri.name(), top);
            }
        }
        return roots;
    }

    private static NodeUri locate(NodeUri target, SubtreeNode n) throws DmException {
        NodeUri at = target;
        String path = n.path().orElse("").trim();
        if (path.startsWith("./")) {
            path = path.substring(2);
        } else if (path.equals(".")) {
            path = "";
        } else if (path.startsWith("/")) {
            path = path.substring(1);
        }
        try {
            if (!path.isEmpty()) {
                at = at.resolve(path);
            }
            return n.name().isEmpty() ? at : at.child(n.name());
        } catch (IllegalArgumentException e) {
            throw new DmException(StatusCode.BAD_REQUEST, "The TNDS object has an invalid Path or NodeName: "
                    + e.getMessage());
        }
    }

    private Spec spec(NodeUri uri, SubtreeNode n, Map<NodeUri, Spec> all) throws DmException {
        if (all.size() >= maxNodes) {
            throw new DmException(StatusCode.REQUEST_ENTITY_TOO_LARGE, "The TNDS object has more than " + maxNodes
                    + " nodes");
        }
        Spec s = new Spec(uri, n);
        if (all.putIfAbsent(uri, s) != null) {
            throw new DmException(StatusCode.BAD_REQUEST, "The TNDS object describes " + uri + " twice");
        }
        for (SubtreeNode c : n.children()) {
            if (c.name().isEmpty()) {
                throw new DmException(StatusCode.BAD_REQUEST, "A child Node of " + uri + " has no NodeName");
            }
            NodeUri cu;
            try {
                cu = uri.child(c.name());
            } catch (IllegalArgumentException e) {
                throw new DmException(StatusCode.BAD_REQUEST, "Invalid NodeName below " + uri + ": " + e.getMessage());
            }
            s.children.put(c.name(), spec(cu, c, all));
        }
        return s;
    }

    private void addSpec(Op op, Spec spec, List<Spec> acls) throws DmException {
        engine.add(op, spec.uri, spec.createValue());
        NodeUri at = inbox.placed(op, spec.uri);
        Spec placed = spec.placedAt(at);
        if (placed.title != null && !placed.title.isEmpty()) {
            properties.set(op, at, Property.TITLE, placed.title);
        }
        for (Spec child : placed.children.values()) {
            addSpec(op, child, acls);
        }
        // an empty ACL changes nothing on Add: new nodes inherit, and a creator's ACL (DM 1.2) stays
        if (placed.acl != null && !placed.acl.isEmpty()) {
            acls.add(placed);
        }
    }

    private void replaceSpec(Op op, Spec spec, Node node, List<Spec> acls) throws DmException {
        NodeUri uri = spec.uri;
        if (spec.interior != node.isInterior()) {
            engine.delete(op, uri);
            addSpec(op, spec, acls);
            return;
        }
        if (spec.interior) {
            List<String> existing = resolver.childNames(op, node);
            for (String name : existing) {
                if (!spec.children.containsKey(name)
                        && !(uri.isRoot() && engine.settings().inboxEnabled() && name.equals(Inbox.INBOX.name()))) {
                    engine.delete(op, uri.child(name));
                }
            }
            for (Spec child : spec.children.values()) {
                Optional<Node> current = resolver.resolve(op, child.uri);
                if (current.isPresent()) {
                    replaceSpec(op, child, current.get(), acls);
                } else {
                    addSpec(op, child, acls);
                }
            }
        } else if (spec.value != null && !sameValue(op, node, spec.value)) {
            engine.replace(op, uri, spec.value);
        }
        if (spec.title != null && !spec.title.equals(node.info().title())) {
            properties.set(op, uri, Property.TITLE, spec.title);
        }
        if (spec.acl != null && !Acl.parse(spec.acl).equals(node.info().acl())) {
            acls.add(spec);
        }
    }

    private boolean sameValue(Op op, Node node, NodeValue wanted) {
        try {
            NodeValue current = resolver.rawValue(op, node);
            return current.format() == wanted.format() && java.util.Arrays.equals(current.data(), wanted.data())
                    && (wanted.type().isEmpty() || wanted.type().equals(current.type()));
        } catch (DmException e) {
            return false;
        }
    }

    /** ACLs last and children first, so that changing a parent's ACL cannot lock out its children's changes. */
    private void applyAcls(Op op, List<Spec> acls) throws DmException {
        for (Spec s : acls) {
            properties.set(op, s.uri, Property.ACL, s.acl);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 20 ? s.substring(0, 20) + "…" : s;
    }
}
