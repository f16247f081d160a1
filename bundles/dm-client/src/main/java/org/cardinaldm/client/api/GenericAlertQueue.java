package org.cardinaldm.client.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Generic Alerts (Alert 1226, digest 1.10) waiting for the next session with their server. The
 * queue is persistent: alerts survive a restart of the device. An alert leaves the queue when the
 * server answers it with 200 or 202, or with an error that sending it again cannot fix (e.g. 415),
 * or after the configured number of sessions failed to deliver it; delivery is at least once.
 * <pre>{@code
 * queue.enqueue(GenericAlert.builder(serverId, "org.openmobilealliance.dm.firmwareupdate.update")
 *         .format("int").data("200").source("./FUMO/fw1").correlator(correlator).build());
 * client.startSession(SessionRequest.clientInitiated(serverId));   // optional: deliver now
 * }</pre>
 */
@ProviderType
public interface GenericAlertQueue {
    /**
     * @param alert the alert
     * @return its queue id
     * @throws IllegalStateException when the queue is full (its size is bounded) or cannot be saved
     */
    String enqueue(GenericAlert alert);

    /** @return every queued alert, oldest first */
    List<QueuedAlert> pending();

    /**
     * @param serverId a ServerID
     * @return the alerts queued for that server, oldest first
     */
    List<QueuedAlert> pending(String serverId);

    /**
     * @param id a queue id
     * @return true when the alert was queued and is now removed
     */
    boolean remove(String id);
}
