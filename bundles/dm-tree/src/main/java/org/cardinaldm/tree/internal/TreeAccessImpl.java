package org.cardinaldm.tree.internal;

import java.util.List;
import java.util.Objects;

import org.cardinaldm.api.AtomicAccess;
import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.Property;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TreeAccess;

/**
 * The tree seen by one principal. Each command runs in its own unit of work and is all or nothing
 * (implicit parents and plugin changes included); {@link AtomicAccessImpl} shares one unit of work
 * between commands instead.
 */
class TreeAccessImpl implements TreeAccess {
    final TreeEngine engine;
    private final Principal principal;

    TreeAccessImpl(TreeEngine engine, Principal principal) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.principal = Objects.requireNonNull(principal, "principal");
    }

    /**
     * Runs a command; overridden by the atomic view.
     *
     * @param write true for commands that change the tree: their unit of work takes the store's
     *     writer lock before it reads anything
     */
    <T> T run(String command, NodeUri uri, boolean write, TreeEngine.Body<T> body) throws DmException {
        return engine.runSingle(principal, command, uri, write, body);
    }

    /**
     * Runs a group of commands (a TNDS Add or Replace) all or nothing, with one status: in a unit of
     * work of its own whose plugin changes are compensated on failure; the atomic view runs it in
     * the Atomic instead.
     */
    <T> T runAllOrNothing(String command, NodeUri uri, TreeEngine.Body<T> body) throws DmException {
        return engine.runSingle(principal, command, uri, true, true, body);
    }

    @Override
    public Principal principal() {
        return principal;
    }

    @Override
    public boolean exists(NodeUri uri) throws DmException {
        Objects.requireNonNull(uri, "uri");
        return run("Exists", uri, false, op -> engine.exists(op, uri));
    }

    @Override
    public NodeInfo describe(NodeUri uri) throws DmException {
        Objects.requireNonNull(uri, "uri");
        return run("Describe", uri, false, op -> engine.describe(op, uri));
    }

    @Override
    public NodeValue get(NodeUri uri) throws DmException {
        Objects.requireNonNull(uri, "uri");
        return run("Get", uri, false, op -> engine.get(op, uri));
    }

    @Override
    public List<String> children(NodeUri uri) throws DmException {
        Objects.requireNonNull(uri, "uri");
        return run("Children", uri, false, op -> engine.children(op, uri));
    }

    @Override
    public String getProperty(NodeUri uri, Property property) throws DmException {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(property, "property");
        return run("Get ?prop=" + property, uri, false, op -> engine.properties().get(op, uri, property));
    }

    @Override
    public void setProperty(NodeUri uri, Property property, String value) throws DmException {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(property, "property");
        Objects.requireNonNull(value, "value");
        run("Replace ?prop=" + property, uri, true, op -> {
            engine.properties().set(op, uri, property, value);
            return null;
        });
    }

    @Override
    public void add(NodeUri uri, NodeValue value) throws DmException {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(value, "value");
        run("Add", uri, true, op -> {
            engine.add(op, uri, value);
            return null;
        });
    }

    @Override
    public void replace(NodeUri uri, NodeValue value) throws DmException {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(value, "value");
        run("Replace", uri, true, op -> {
            engine.replace(op, uri, value);
            return null;
        });
    }

    @Override
    public void delete(NodeUri uri) throws DmException {
        Objects.requireNonNull(uri, "uri");
        run("Delete", uri, true, op -> {
            engine.delete(op, uri);
            return null;
        });
    }

    @Override
    public StatusCode exec(NodeUri uri, NodeValue data, String correlator) throws DmException {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(correlator, "correlator");
        // Exec writes nothing to the store: the plugin runs without the store's writer lock
        return run("Exec", uri, false, op -> engine.exec(op, uri, data, correlator));
    }

    @Override
    public void copy(NodeUri source, NodeUri target) throws DmException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        run("Copy " + source + " to", target, true, op -> {
            engine.copy(op, source, target);
            return null;
        });
    }

    @Override
    public AtomicAccess atomic() throws DmException {
        return new AtomicAccessImpl(engine, principal);
    }

    @Override
    public String toString() {
        return "TreeAccess[" + principal + "]";
    }
}
