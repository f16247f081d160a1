package org.cardinaldm.tree.internal;

import java.util.List;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls into MO plugins with the platform's error mapping (STYLE 8): a plugin's {@link DmException}
 * keeps its status, a {@code RuntimeException} or {@code LinkageError} becomes 500 with a WARN naming
 * the plugin, and a broken contract (null answers, another node described) becomes 500 as well.
 */
final class PluginCalls {
    private static final Logger LOG = LoggerFactory.getLogger(PluginCalls.class);

    /** One call into a plugin. */
    @FunctionalInterface
    interface PluginCall<T> {
        T call() throws DmException;
    }

    private PluginCalls() {
    }

    static <T> T call(PluginEntry plugin, String operation, NodeUri uri, PluginCall<T> body) throws DmException {
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

    static DmException contractViolation(PluginEntry plugin, String operation, NodeUri uri, String what) {
        LOG.warn("MO plugin {} broke its contract on {} {}: it {}", plugin.label(), operation, uri, what);
        return new DmException(StatusCode.COMMAND_FAILED, "MO plugin " + plugin.bundle() + " failed on " + operation);
    }

    /** @return the plugin's value of a leaf, never null */
    static NodeValue get(Op op, PluginEntry plugin, NodeUri uri) throws DmException {
        NodeValue value = call(plugin, "get", uri, () -> plugin.plugin().get(uri, op.context()));
        if (value == null) {
            throw contractViolation(plugin, "get", uri, "returned null");
        }
        return value;
    }

    /** @return the plugin's child names of an interior node, never null */
    static List<String> children(Op op, PluginEntry plugin, NodeUri uri) throws DmException {
        List<String> names = call(plugin, "children", uri, () -> plugin.plugin().children(uri, op.context()));
        if (names == null) {
            throw contractViolation(plugin, "children", uri, "returned null");
        }
        return names;
    }
}
