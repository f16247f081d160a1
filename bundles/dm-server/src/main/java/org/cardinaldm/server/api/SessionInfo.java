package org.cardinaldm.server.api;

import java.time.Instant;

/**
 * A management session in progress on this server node.
 *
 * @param deviceId the SyncHdr Source LocURI of the device
 * @param sessionId the SessionID (hex when it answers a notification; {@code 0} is legal)
 * @param authenticated whether the device has authenticated in this session
 * @param started when the first message arrived
 * @param lastActivity when the last message arrived
 * @param messagesIn messages received
 * @param messagesOut messages sent
 * @param pendingCommands commands sent or queued that have no status yet
 */
public record SessionInfo(String deviceId, String sessionId, boolean authenticated, Instant started,
        Instant lastActivity, int messagesIn, int messagesOut, int pendingCommands) {
}
