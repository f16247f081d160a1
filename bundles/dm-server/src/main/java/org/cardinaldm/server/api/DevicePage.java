package org.cardinaldm.server.api;

import java.util.List;
import java.util.Objects;

/**
 * One page of a fleet search ({@link DeviceManager#search}), ordered by DevId.
 *
 * @param devices the devices of the page, at most the page size
 * @param next the DevId to pass as {@code afterDeviceId} for the next page, or null when this is the last page
 * @param total how many devices are registered (matching or not)
 * @since 3.1
 */
public record DevicePage(List<Device> devices, String next, long total) {
    /** Copies the list. */
    public DevicePage {
        devices = List.copyOf(Objects.requireNonNull(devices, "devices"));
    }
}
