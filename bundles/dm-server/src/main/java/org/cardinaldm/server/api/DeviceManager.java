package org.cardinaldm.server.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The device registry: devices, their credentials, lock-outs and the alerts they sent. Thread-safe.
 */
@ProviderType
public interface DeviceManager {
    /** @return every registered device, ordered by DevId */
    List<Device> devices();

    /**
     * @param deviceId a DevId
     * @return the device, or empty when it is not registered
     */
    Optional<Device> device(String deviceId);

    /**
     * Registers a device. The server keeps digests of the passwords, not the passwords, wherever the
     * scheme allows it.
     *
     * @param registration the device and its credentials
     * @return the registered device
     * @throws IllegalArgumentException when the DevId is already registered
     */
    Device register(DeviceRegistration registration);

    /**
     * Replaces a device's credentials and starts fresh nonces; counters and reported values stay.
     *
     * @param registration the device and its new credentials
     * @return the device
     * @throws IllegalArgumentException when the DevId is not registered
     */
    Device updateCredentials(DeviceRegistration registration);

    /**
     * Ends a lock-out and resets the failure counter (the total stays).
     *
     * @param deviceId a DevId
     * @return false when the device is not registered
     */
    boolean unlock(String deviceId);

    /**
     * @param deviceId a DevId
     * @param enabled false to refuse the device until enabled again
     * @return false when the device is not registered
     */
    boolean setEnabled(String deviceId, boolean enabled);

    /**
     * Removes a device with its jobs, results and alerts.
     *
     * @param deviceId a DevId
     * @return false when the device was not registered
     */
    boolean remove(String deviceId);

    /**
     * @param deviceId a DevId
     * @param limit the most alerts to return
     * @return the device's Generic Alerts and Client Events, newest first
     */
    List<DeviceAlert> alerts(String deviceId, int limit);
}
