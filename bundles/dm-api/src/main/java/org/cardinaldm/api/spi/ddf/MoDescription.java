package org.cardinaldm.api.spi.ddf;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.spi.mo.MoContext;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The description of one management object, published as a whiteboard service with the
 * {@code dm.mo.root} property naming the node that {@link #root()} describes (and optionally
 * {@code dm.mo.id}); annotate the component with
 * {@link org.cardinaldm.api.spi.mo.ManagementObject}:
 * <pre>{@code
 * @Component(service = MoDescription.class)
 * @ManagementObject(root = "./DMAcc", id = "urn:oma:mo:oma-dm-dmacc:1.0")
 * public final class DmAccDescription implements MoDescription { … }
 * }</pre>
 *
 * <p>The tree engine enforces the description for servers and the local administrator: a node the
 * description does not define cannot be added (405), a command missing from a node's
 * {@linkplain NodeDescription#accessTypes() access types} is refused (405), a value whose format the
 * node does not accept is refused (415), and {@link #validate} is asked before every value is
 * written. Cardinal's own components (the system principal) are bound by the structure, the formats
 * and {@link #validate}, but not by the access types, so that, for example, the DM client can read
 * a write-only credential. Removing the service removes the constraints, not the data.
 */
@ConsumerType
public interface MoDescription {
    /** @return the description of the node at this service's {@code dm.mo.root}, with its subtree */
    NodeDescription root();

    /**
     * Checks a value before the engine writes it (Add, Replace, Copy target). Called without any
     * lock held; must not call back into the tree.
     *
     * @param uri the node being written, at or below the root
     * @param value the value; {@link NodeValue#interior()} (or an interior value carrying the MO
     *     identifier as its type) when an interior node is added
     * @param context the operation
     * @throws DmException with the status to return, e.g. 400 for a value the MO does not accept;
     *     the message must not contain the value
     */
    default void validate(NodeUri uri, NodeValue value, MoContext context) throws DmException {
        // every value that fits the described format is acceptable
    }
}
