package org.cardinaldm.shell.internal;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cardinaldm.api.Acl;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.DmTree;
import org.cardinaldm.api.Format;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.Property;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TreeAccess;

/**
 * A mocked {@link DmTree} whose local-admin view answers describe/get/children/getProperty from a
 * small map of nodes; nodes can be made to refuse with a status.
 */
final class FakeTree {
    final DmTree tree = mock(DmTree.class);
    final TreeAccess access = mock(TreeAccess.class);
    private final Map<NodeUri, NodeInfo> infos = new LinkedHashMap<>();
    private final Map<NodeUri, NodeValue> values = new LinkedHashMap<>();
    private final Map<NodeUri, StatusCode> refusals = new LinkedHashMap<>();

    FakeTree() throws DmException {
        when(tree.as(Principal.localAdmin())).thenReturn(access);
        infos.put(NodeUri.root(), NodeInfo.interior(NodeUri.root()).acl(Acl.of("Get=*")).build());
        when(access.describe(any())).thenAnswer(i -> info(i.getArgument(0)));
        when(access.children(any())).thenAnswer(i -> children(i.getArgument(0)));
        when(access.get(any())).thenAnswer(i -> value(i.getArgument(0)));
        when(access.getProperty(any(), any())).thenAnswer(i -> property(i.getArgument(0), i.getArgument(1)));
    }

    FakeTree interior(String uri) {
        NodeUri u = NodeUri.of(uri);
        infos.put(u, NodeInfo.interior(u).build());
        return this;
    }

    FakeTree leaf(String uri, String text) {
        NodeUri u = NodeUri.of(uri);
        NodeValue v = NodeValue.ofString(text);
        infos.put(u, NodeInfo.leaf(u, Format.CHR).type("text/plain").size(v.size()).build());
        values.put(u, v);
        return this;
    }

    FakeTree leaf(String uri, NodeInfo info, NodeValue value) {
        infos.put(NodeUri.of(uri), info);
        values.put(NodeUri.of(uri), value);
        return this;
    }

    FakeTree refusing(String uri, StatusCode status) {
        refusals.put(NodeUri.of(uri), status);
        return this;
    }

    void failWith(RuntimeException e) throws DmException {
        doThrow(e).when(access).describe(any());
        doThrow(e).when(access).get(any());
    }

    void propertyRefused(String uri, Property p, StatusCode status) throws DmException {
        doThrow(new DmException(status, "refused")).when(access).getProperty(eq(NodeUri.of(uri)), eq(p));
    }

    private void check(NodeUri u) throws DmException {
        StatusCode refused = refusals.get(u);
        if (refused != null) {
            throw new DmException(refused, "refused by the fake tree at " + u);
        }
        if (!infos.containsKey(u)) {
            throw new DmException(StatusCode.NOT_FOUND, "No node at " + u);
        }
    }

    private NodeInfo info(NodeUri u) throws DmException {
        check(u);
        return infos.get(u);
    }

    private List<String> children(NodeUri u) throws DmException {
        if (!info(u).isInterior()) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "A leaf has no children");
        }
        List<String> names = new ArrayList<>();
        for (NodeUri candidate : infos.keySet()) {
            if (!candidate.isRoot() && candidate.parent().equals(u)) {
                names.add(candidate.name());
            }
        }
        names.sort(null);
        return names;
    }

    private NodeValue value(NodeUri u) throws DmException {
        return info(u).isInterior() ? NodeValue.ofChildren(children(u)) : values.get(u);
    }

    private String property(NodeUri u, Property p) throws DmException {
        NodeInfo n = info(u);
        switch (p) {
            case ACL: return n.acl().toString();
            case FORMAT: return n.format().token();
            case NAME: return n.name();
            case SIZE:
                if (n.isInterior()) {
                    throw new DmException(StatusCode.OPTIONAL_FEATURE_NOT_SUPPORTED, "No Size on interior nodes");
                }
                return Long.toString(n.size());
            case TITLE: return n.title();
            case TSTAMP: return n.timestampProperty();
            case TYPE: return n.type();
            case VERNO: return n.version() < 0 ? "" : Integer.toString(n.version());
            default: throw new AssertionError(p);
        }
    }
}
