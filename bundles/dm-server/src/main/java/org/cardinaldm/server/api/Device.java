package org.cardinaldm.server.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A registered device as operators see it. It never carries a secret: passwords, digests and nonces
 * stay inside the server.
 *
 * @param deviceId the DevId (the SyncHdr Source LocURI the device sends, e.g. {@code IMEI:493005100592800})
 * @param cardId the identifier of the smart card last seen with the device, or null
 * @param devInfo the values the device reported under {@code ./DevInfo} (and other Replace items of
 *        package 1), keyed by URI
 * @param firstContact the first authenticated session, or null
 * @param lastContact the last authenticated session, or null
 * @param clientAuth the scheme the device must use towards the server
 * @param clientUser the user name the device authenticates with
 * @param serverAuth the scheme the server uses towards the device
 * @param serverUser the name the server authenticates with towards the device
 * @param enabled false when an operator disabled the device
 * @param authFailures authentication failures since the last success (reset by a success or an unlock)
 * @param totalAuthFailures authentication failures ever counted
 * @param lockedUntil the end of the current lock-out, or null
 * @param pushAddress where package 0 is sent (e.g. {@code udp:192.0.2.7:2948}), or null
 */
public record Device(String deviceId, String cardId, Map<String, String> devInfo, Instant firstContact,
        Instant lastContact, AuthScheme clientAuth, String clientUser, AuthScheme serverAuth, String serverUser,
        boolean enabled, int authFailures, int totalAuthFailures, Instant lockedUntil, String pushAddress) {

    /** Checks the mandatory parts and copies the map. */
    public Device {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(clientAuth, "clientAuth");
        Objects.requireNonNull(serverAuth, "serverAuth");
        devInfo = Map.copyOf(devInfo);
    }

    /**
     * @param now the current time
     * @return the state at that time
     */
    public DeviceState state(Instant now) {
        if (!enabled) {
            return DeviceState.DISABLED;
        }
        if (lockedUntil != null && lockedUntil.isAfter(now)) {
            return DeviceState.LOCKED;
        }
        return lastContact == null ? DeviceState.NEW : DeviceState.ACTIVE;
    }
}
