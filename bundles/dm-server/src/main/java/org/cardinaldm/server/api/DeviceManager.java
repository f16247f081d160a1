package org.cardinaldm.server.api;

import java.time.Instant;
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

    /**
     * The refused authentication attempts this server node remembers for a DevId, registered or not:
     * wrong credentials, throttled sources, valid credentials of a disabled or locked device. The
     * memory is per node and bounded (the most recent attempts of the most recently tried DevIds), and is
     * lost when the node restarts.
     *
     * @param deviceId a DevId
     * @return the attempts, newest first; empty when none is remembered (and by default)
     * @since 1.3
     */
    default List<AuthAttempt> failedAttempts(String deviceId) {
        return List.of();
    }

    /**
     * One page of the fleet, ordered by DevId: the devices that match {@code query} (see {@link DeviceSearch}),
     * are in {@code state} and come after {@code afterDeviceId} (keyset paging: pass the page's
     * {@link DevicePage#next()}). Stores that can search do it themselves (dm-server-jdbc in SQL, with
     * indexes); the default reads {@link #devices()}.
     *
     * @param query the search text, or null/empty for every device
     * @param state the state, or null for every state
     * @param afterDeviceId the last DevId of the previous page, or null/empty for the first page
     * @param limit the page size, 1 to {@link DeviceSearch#MAX_PAGE}
     * @return the page
     * @throws IllegalArgumentException when an argument is out of bounds
     * @since 3.1
     */
    default DevicePage search(String query, DeviceState state, String afterDeviceId, int limit) {
        return DeviceSearch.page(devices(), query, state, afterDeviceId, limit, Instant.now());
    }

    /**
     * The fleet's figures: devices per state and devices last seen in each of the last {@code hours} hours.
     * Stores that can count do it themselves; the default reads {@link #devices()}.
     *
     * @param hours 1 to {@link DeviceSearch#MAX_HOURS}
     * @return the figures
     * @throws IllegalArgumentException when {@code hours} is out of bounds
     * @since 3.1
     */
    default FleetStats fleetStats(int hours) {
        return FleetStats.of(devices(), Instant.now(), hours);
    }
}
