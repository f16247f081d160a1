package org.cardinaldm.api.spi.mo;

import java.util.List;
import java.util.Optional;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.StatusCode;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A management-object plugin: owns the subtree below its {@link #ROOT_PROPERTY} (root included)
 * and holds that subtree's data wherever it likes (memory, configuration, a card, the OS).
 *
 * <p>URIs passed in are absolute and always at or below the plugin's root. The engine has checked
 * the ACL (using {@link NodeInfo#acl()} from {@link #describe}) and the URI limits before calling.
 * Refusals are {@link DmException}s with the DM status to return; any runtime exception becomes a
 * 500 and a warning naming the plugin's bundle. Methods may be called from several threads.
 * Mutating methods default to 405 (read-only subtree).
 */
@ConsumerType
public interface ManagementObjectPlugin {
    /** Service property naming the subtree root, e.g. {@code ./DevInfo}. */
    String ROOT_PROPERTY = "dm.mo.root";

    /** Service property naming the MO identifier, e.g. {@code urn:oma:mo:oma-dm-devinfo:1.0}. */
    String ID_PROPERTY = "dm.mo.id";

    /**
     * @param uri a node at or below the root
     * @param context the operation
     * @return the node's kind and properties, or empty when there is no such node
     * @throws DmException when the plugin cannot tell (510, 500)
     */
    Optional<NodeInfo> describe(NodeUri uri, MoContext context) throws DmException;

    /**
     * @param uri an interior node of this plugin
     * @param context the operation
     * @return the child names in a stable order
     * @throws DmException 404 when absent
     */
    List<String> children(NodeUri uri, MoContext context) throws DmException;

    /**
     * @param uri a leaf of this plugin
     * @param context the operation
     * @return the value
     * @throws DmException 404 when absent, 405 when the value cannot be read (a write-only secret)
     */
    NodeValue get(NodeUri uri, MoContext context) throws DmException;

    /**
     * Adds a node below an existing interior node of this plugin.
     *
     * @param uri the new node
     * @param value its value ({@link NodeValue#interior()} for an interior node)
     * @param context the operation
     * @throws DmException 405 by default; 418, 404 for a missing parent
     */
    default void add(NodeUri uri, NodeValue value, MoContext context) throws DmException {
        throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "Add is not supported below " + uri.parent());
    }

    /**
     * @param uri an existing leaf
     * @param value the new value
     * @param context the operation
     * @throws DmException 405 by default
     */
    default void replace(NodeUri uri, NodeValue value, MoContext context) throws DmException {
        throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "Replace is not supported on " + uri);
    }

    /**
     * Deletes a node and its subtree.
     *
     * @param uri an existing node
     * @param context the operation
     * @throws DmException 405 by default
     */
    default void delete(NodeUri uri, MoContext context) throws DmException {
        throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "Delete is not supported on " + uri);
    }

    /**
     * @param uri an executable node
     * @param data the Exec data, or {@link NodeValue#ofNull()}
     * @param correlator the correlator for an asynchronous result, or empty
     * @param context the operation
     * @return 200 when done, 202 when started asynchronously
     * @throws DmException 405 by default
     */
    default StatusCode exec(NodeUri uri, NodeValue data, String correlator, MoContext context) throws DmException {
        throw new DmException(StatusCode.COMMAND_NOT_ALLOWED, "Exec is not supported on " + uri);
    }
}
