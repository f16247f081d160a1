package org.cardinaldm.server.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Sends package-0 notifications (OMA-TS-DM_Notification-V1_2; digest section 4) that ask a device to
 * open a management session, signed with the server's credentials towards that device, and follows
 * them: the session that answers is recognised by its SessionID; silence is retried a bounded number
 * of times. Delivery goes through a {@link org.cardinaldm.server.api.spi.PushSender} chosen by the
 * scheme of the device's push address ({@code udp:host:port}, ...).
 */
@ProviderType
public interface NotificationManager {
    /**
     * Sends a notification now.
     *
     * @param deviceId a registered device with a push address
     * @param ui the ui-mode
     * @return the notification, {@link NotificationState#SENT} or {@link NotificationState#FAILED}
     * @throws IllegalArgumentException when the device is unknown or has no push address
     */
    NotificationRecord notify(String deviceId, NotificationUi ui);

    /**
     * @param deviceId a DevId, or null for every device
     * @param limit the most records
     * @return recent notifications of this node, newest first
     */
    List<NotificationRecord> notifications(String deviceId, int limit);
}
