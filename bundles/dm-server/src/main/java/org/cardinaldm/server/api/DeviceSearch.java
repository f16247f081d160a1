package org.cardinaldm.server.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What the fleet search looks at, defined once for the registry's stores and their callers: a device matches a
 * search text when its DevId, its card, its manufacturer ({@code ./DevInfo/Man}), its model
 * ({@code ./DevInfo/Mod}) or its firmware version (the first non-blank of {@link #FIRMWARE_URIS}) contains the
 * text, ignoring case ({@link Locale#ROOT}). Stores that search in SQL follow the same rule.
 *
 * @since 3.1
 */
public final class DeviceSearch {
    /** The longest search text and DevId keyset value accepted. */
    public static final int MAX_TEXT = 256;
    /** The most devices in one page. */
    public static final int MAX_PAGE = 500;
    /** The most hours of {@link DeviceManager#fleetStats(int)}. */
    public static final int MAX_HOURS = 24 * 14;
    /** The reported value that holds the manufacturer. */
    public static final String MANUFACTURER_URI = "./DevInfo/Man";
    /** The reported value that holds the model. */
    public static final String MODEL_URI = "./DevInfo/Mod";
    /** The reported values that hold a firmware version, in order of preference. */
    public static final List<String> FIRMWARE_URIS = List.of("./DevDetail/FwV", "./DevInfo/FwV", "./DevDetail/SwV");

    private DeviceSearch() {
    }

    /**
     * @param devInfo reported values keyed by URI
     * @return the firmware version: the first non-blank of {@link #FIRMWARE_URIS}, or null
     */
    public static String firmwareVersion(Map<String, String> devInfo) {
        for (String uri : FIRMWARE_URIS) {
            String v = devInfo.get(uri);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    /**
     * @param text a search text, or null
     * @return the text as searched: trimmed and lower-case; empty matches every device
     * @throws IllegalArgumentException when it is longer than {@link #MAX_TEXT}
     */
    public static String normalise(String text) {
        if (text == null) {
            return "";
        }
        if (text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("a search text is at most " + MAX_TEXT + " characters");
        }
        return text.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * @param device a device
     * @param needle a {@linkplain #normalise normalised} search text
     * @return true when the device matches it
     */
    public static boolean matches(Device device, String needle) {
        Objects.requireNonNull(device, "device");
        if (needle == null || needle.isEmpty()) {
            return true;
        }
        return contains(device.deviceId(), needle) || contains(device.cardId(), needle)
                || contains(device.devInfo().get(MANUFACTURER_URI), needle)
                || contains(device.devInfo().get(MODEL_URI), needle)
                || contains(firmwareVersion(device.devInfo()), needle);
    }

    private static boolean contains(String value, String needle) {
        return value != null && value.toLowerCase(Locale.ROOT).contains(needle);
    }

    /**
     * Checks the arguments of a search.
     *
     * @param text the search text, or null
     * @param afterDeviceId the keyset value, or null
     * @param limit the page size
     * @throws IllegalArgumentException when one is out of bounds
     */
    public static void check(String text, String afterDeviceId, int limit) {
        normalise(text);
        if (afterDeviceId != null && afterDeviceId.length() > MAX_TEXT) {
            throw new IllegalArgumentException("a keyset DevId is at most " + MAX_TEXT + " characters");
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("a page has 1 to " + MAX_PAGE + " devices");
        }
    }

    /**
     * Searches a list of devices in memory: what {@link DeviceManager#search} does by default, over the whole
     * registry.
     *
     * @param all every device, ordered by DevId
     * @param query the search text, or null
     * @param state the state at {@code now}, or null for every state
     * @param afterDeviceId the last DevId of the previous page, or null/empty
     * @param limit the page size, 1 to {@link #MAX_PAGE}
     * @param now the time states are computed at
     * @return the page
     * @throws IllegalArgumentException when an argument is out of bounds
     */
    public static DevicePage page(List<Device> all, String query, DeviceState state, String afterDeviceId, int limit,
            Instant now) {
        check(query, afterDeviceId, limit);
        String needle = normalise(query);
        List<Device> page = new ArrayList<>();
        boolean more = false;
        for (Device d : all) {
            if (afterDeviceId != null && !afterDeviceId.isEmpty() && d.deviceId().compareTo(afterDeviceId) <= 0
                    || state != null && d.state(now) != state || !matches(d, needle)) {
                continue;
            }
            if (page.size() == limit) {
                more = true;
                break;
            }
            page.add(d);
        }
        return new DevicePage(page, more ? page.get(page.size() - 1).deviceId() : null, all.size());
    }
}
