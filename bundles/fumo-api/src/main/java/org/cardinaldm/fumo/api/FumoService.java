package org.cardinaldm.fumo.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The device's FUMO, for shells, consoles and help-desk reports (a DS service of {@code fumo-core}). Servers
 * drive updates through the DM tree, not through this service.
 */
@ProviderType
public interface FumoService {
    /** @return every FUMO instance, in root order */
    List<FumoStatus> instances();

    /**
     * @param max the most entries wanted (1..1000)
     * @return finished operations, newest first; they survive a restart
     */
    List<FumoHistoryEntry> history(int max);

    /**
     * Asks the instance's DM server for an update: queues a Generic Alert of type
     * {@link FumoAlerts#USER_REQUEST} (or {@link FumoAlerts#DEVICE_REQUEST} when {@code byUser} is false)
     * and opens a session to deliver it.
     *
     * @param instance the instance's name
     * @param serverId the server to ask
     * @param byUser whether a person asked (else the device itself)
     * @throws IllegalArgumentException when there is no such instance
     * @throws IllegalStateException when an update is already in progress on it
     */
    void requestUpdate(String instance, String serverId, boolean byUser);
}
