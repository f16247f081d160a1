package org.cardinaldm.server.api.spi;

import java.util.List;

import org.cardinaldm.server.api.Device;
import org.cardinaldm.server.api.Operation;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides what a device gets when it presents a card it was not seen with before: a new card in a
 * known device, or a known card in a new device (OMA-RD-DM_SmartCard use case 5.1.2, first-contact
 * provisioning). Whiteboard service; every registered policy is asked, in service ranking order, and
 * each non-empty answer becomes one job, sent in the same session after the jobs already pending (so
 * that the profile overrides what was configured before). The server learns the card from the node
 * {@code ./SmartCard/Info/CardId}, read at the start of each session.
 */
@ConsumerType
public interface ProvisioningPolicy {
    /** Service property: a name for operators, written in the job's description. */
    String NAME_PROPERTY = "dm.provisioning.name";

    /**
     * @param device the device, with what it reported in this session (DevInfo)
     * @param cardId the card it presents now
     * @param previousCardId the card it was last seen with, or null
     * @return the operations to apply (for example a TNDS Replace of {@code ./SmartCard/MO/...}); empty
     *         when this policy does not apply to the device
     */
    List<Operation> firstContact(Device device, String cardId, String previousCardId);
}
