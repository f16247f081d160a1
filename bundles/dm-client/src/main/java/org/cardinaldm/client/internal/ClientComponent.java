package org.cardinaldm.client.internal;

import java.util.Map;

import org.cardinaldm.api.TndsDocuments;
import org.cardinaldm.api.TreeSerialization;
import org.cardinaldm.client.api.spi.UserInteraction;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * What the two components of the device agent, {@link DmClientImpl} and {@link DmBootstrapImpl}, both track
 * (dynamic, greedy references, declared once here; bnd reads them through {@code -dsannotations-options:
 * inherit} in {@code bnd.bnd}): the {@link UserInteraction} services, of which {@link UserInteractions} chooses
 * the one asked, and the tree's optional helpers, the {@code ?list=} serialization and the TNDS documents
 * service, each null while absent. The reference names ({@code UserInteraction}, {@code Serialization},
 * {@code Tnds}) and so their {@code .target} configuration keys are those the components always had.
 */
public abstract class ClientComponent {
    /** The UIs; the chosen one is {@link UserInteractions#current()}. */
    final UserInteractions uis = new UserInteractions();
    private volatile TreeSerialization serialization;
    private volatile TndsDocuments tnds;

    ClientComponent() {
    }

    /** @param u a UI @param props its service properties */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void bindUserInteraction(UserInteraction u, Map<String, Object> props) {
        uis.add(u, props);
    }

    /** @param u a UI @param props its service properties */
    public void unbindUserInteraction(UserInteraction u, Map<String, Object> props) {
        uis.remove(u);
    }

    /** @param s the tree's serialization service */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void bindSerialization(TreeSerialization s) {
        serialization = s;
    }

    /** @param s the tree's serialization service; ignored unless it is the current one */
    public void unbindSerialization(TreeSerialization s) {
        if (serialization == s) {
            serialization = null;
        }
    }

    /** @param d the TNDS documents service */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void bindTnds(TndsDocuments d) {
        tnds = d;
    }

    /** @param d the TNDS documents service; ignored unless it is the current one */
    public void unbindTnds(TndsDocuments d) {
        if (tnds == d) {
            tnds = null;
        }
    }

    /** @return the serialization service, or null */
    final TreeSerialization serialization() {
        return serialization;
    }

    /** @return the TNDS service, or null */
    final TndsDocuments tnds() {
        return tnds;
    }
}
