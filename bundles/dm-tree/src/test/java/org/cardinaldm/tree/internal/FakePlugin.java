package org.cardinaldm.tree.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.cardinaldm.api.Acl;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.mo.ManagementObjectPlugin;
import org.cardinaldm.api.spi.mo.MoContext;

/** An MO plugin holding its subtree in memory, with switches to misbehave. */
class FakePlugin implements ManagementObjectPlugin {
    final NodeUri root;
    final Map<NodeUri, NodeInfo> infos = new ConcurrentSkipListMap<>();
    final Map<NodeUri, NodeValue> values = new ConcurrentHashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final Set<NodeUri> unreadable = ConcurrentHashMap.newKeySet();
    volatile RuntimeException crash;
    volatile DmException refusal;
    volatile boolean failUndo;
    volatile StatusCode execStatus = StatusCode.OK;
    volatile boolean mutable = true;

    FakePlugin(String root) {
        this.root = NodeUri.of(root);
        infos.put(this.root, NodeInfo.interior(this.root).permanent(true).build());
    }

    FakePlugin rootAcl(String acl) {
        infos.put(root, infos.get(root).toBuilder().acl(Acl.of(acl)).build());
        return this;
    }

    FakePlugin leaf(String relative, String value) {
        NodeUri u = root.resolve(relative);
        ensureParents(u);
        infos.put(u, NodeInfo.leaf(u, org.cardinaldm.api.Format.CHR).type("text/plain").build());
        values.put(u, NodeValue.ofString(value));
        return this;
    }

    FakePlugin interior(String relative) {
        NodeUri u = root.resolve(relative);
        ensureParents(u);
        infos.put(u, NodeInfo.interior(u).build());
        return this;
    }

    private void ensureParents(NodeUri u) {
        for (NodeUri p = u.parent(); p.startsWith(root) && !infos.containsKey(p); p = p.parent()) {
            infos.put(p, NodeInfo.interior(p).build());
        }
    }

    private void misbehave(String call, NodeUri uri) throws DmException {
        calls.add(call + " " + uri);
        if (crash != null) {
            throw crash;
        }
        if (refusal != null) {
            throw refusal;
        }
    }

    @Override
    public Optional<NodeInfo> describe(NodeUri uri, MoContext context) throws DmException {
        misbehave("describe", uri);
        return Optional.ofNullable(infos.get(uri));
    }

    @Override
    public List<String> children(NodeUri uri, MoContext context) throws DmException {
        misbehave("children", uri);
        if (!infos.containsKey(uri)) {
            throw new DmException(StatusCode.NOT_FOUND, "no " + uri);
        }
        List<String> names = new ArrayList<>();
        for (NodeUri u : infos.keySet()) {
            if (u.depth() == uri.depth() + 1 && u.startsWith(uri)) {
                names.add(u.name());
            }
        }
        return names;
    }

    @Override
    public NodeValue get(NodeUri uri, MoContext context) throws DmException {
        misbehave("get", uri);
        if (unreadable.contains(uri)) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "write-only");
        }
        NodeValue v = values.get(uri);
        if (v == null) {
            throw new DmException(StatusCode.NOT_FOUND, "no " + uri);
        }
        return v;
    }

    @Override
    public void add(NodeUri uri, NodeValue value, MoContext context) throws DmException {
        misbehave("add", uri);
        if (!mutable) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "read-only");
        }
        if (infos.containsKey(uri)) {
            throw new DmException(StatusCode.ALREADY_EXISTS, "exists");
        }
        NodeInfo parent = infos.get(uri.parent());
        if (parent == null) {
            throw new DmException(StatusCode.NOT_FOUND, "no parent");
        }
        if (value.isInterior()) {
            infos.put(uri, NodeInfo.interior(uri).type(value.type()).build());
        } else {
            infos.put(uri, NodeInfo.leaf(uri, value.format()).type(value.type()).build());
            values.put(uri, value);
        }
    }

    @Override
    public void replace(NodeUri uri, NodeValue value, MoContext context) throws DmException {
        misbehave("replace", uri);
        if (!mutable) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "read-only");
        }
        if (failUndo && calls.stream().filter(c -> c.equals("replace " + uri)).count() > 1) {
            throw new IllegalStateException("cannot go back");
        }
        values.put(uri, value);
    }

    @Override
    public void delete(NodeUri uri, MoContext context) throws DmException {
        misbehave("delete", uri);
        if (failUndo) {
            throw new IllegalStateException("cannot delete");
        }
        if (!mutable) {
            throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "read-only");
        }
        infos.keySet().removeIf(u -> u.startsWith(uri));
        values.keySet().removeIf(u -> u.startsWith(uri));
    }

    @Override
    public StatusCode exec(NodeUri uri, NodeValue data, String correlator, MoContext context) throws DmException {
        misbehave("exec", uri);
        return execStatus;
    }
}
