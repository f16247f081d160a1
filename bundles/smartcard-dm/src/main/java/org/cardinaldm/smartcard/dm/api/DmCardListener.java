package org.cardinaldm.smartcard.dm.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told when a DM card is inserted, changes or is removed. Register an implementation as an OSGi service
 * (whiteboard). Calls come one at a time on the {@link DmCards} service's own thread; a listener returns
 * quickly. A listener registered late is first told about every DM card present.
 */
@ConsumerType
public interface DmCardListener {
    /**
     * @param event what happened
     */
    void dmCardChanged(DmCardEvent event);
}
