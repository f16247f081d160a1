package org.cardinaldm.server.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A package-0 notification sent to a device and what became of it.
 *
 * @param deviceId the device
 * @param sessionId the SessionID it asked for (upper-case hex, 1 to FFFF)
 * @param address where it was sent
 * @param ui the ui-mode it carries
 * @param firstSent when it was first sent
 * @param lastSent when it was last sent
 * @param attempts how many times it was sent
 * @param state its state
 * @param detail why it failed, or null
 */
public record NotificationRecord(String deviceId, String sessionId, String address, NotificationUi ui, Instant firstSent,
        Instant lastSent, int attempts, NotificationState state, String detail) {
    /** Checks the mandatory parts. */
    public NotificationRecord {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(state, "state");
    }

    /**
     * @param newState the state
     * @param newDetail the detail, or null
     * @return a copy in that state
     */
    public NotificationRecord with(NotificationState newState, String newDetail) {
        return new NotificationRecord(deviceId, sessionId, address, ui, firstSent, lastSent, attempts, newState,
                newDetail);
    }
}
