package org.cardinaldm.fumo.server.api;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which registered devices a campaign targets. Every criterion given must hold; a null criterion (or an empty
 * set) does not filter. Values are compared exactly as the registry knows them: manufacturer and model from
 * {@code ./DevInfo/Man} and {@code ./DevInfo/Mod} of the device's sessions, the firmware version from
 * {@code ./DevDetail/FwV} (reported in a session, read by the help desk, or set by a successful campaign), the
 * card from the identifier of the card last seen with the device, tags from {@link DeviceTags}.
 *
 * @param manufacturer {@code ./DevInfo/Man}, or null
 * @param model {@code ./DevInfo/Mod}, or null
 * @param firmwareVersion the current {@code ./DevDetail/FwV}, or null
 * @param cardPresent true: only devices seen with a card; false: only devices without; null: both
 * @param tags tags every chosen device carries, possibly empty
 * @param deviceIds when not empty, only these DevIds (at most {@link #MAX_IDS})
 */
public record DeviceFilter(String manufacturer, String model, String firmwareVersion, Boolean cardPresent,
        Set<String> tags, Set<String> deviceIds) {
    /** The most DevIds a filter lists. */
    public static final int MAX_IDS = 100_000;
    /** The longest value of a text criterion. */
    public static final int MAX_VALUE = 256;
    /** What a tag may be: 1 to 64 letters, digits, {@code . _ : -}. */
    public static final Pattern TAG = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    /** Checks the bounds and copies. */
    public DeviceFilter {
        check("manufacturer", manufacturer);
        check("model", model);
        check("firmwareVersion", firmwareVersion);
        tags = tags == null ? Set.of() : Set.copyOf(new LinkedHashSet<>(tags));
        for (String t : tags) {
            requireTag(t);
        }
        deviceIds = deviceIds == null ? Set.of() : Set.copyOf(deviceIds);
        if (deviceIds.size() > MAX_IDS) {
            throw new IllegalArgumentException("a filter lists at most " + MAX_IDS + " DevIds");
        }
    }

    /** @return a filter choosing every registered device */
    public static DeviceFilter all() {
        return new DeviceFilter(null, null, null, null, Set.of(), Set.of());
    }

    /**
     * @param tag a tag
     * @return the tag
     * @throws IllegalArgumentException when it is not a tag
     */
    public static String requireTag(String tag) {
        Objects.requireNonNull(tag, "tag");
        if (!TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("a tag is 1 to 64 letters, digits, '.', '_', ':' or '-'");
        }
        return tag;
    }

    private static void check(String name, String value) {
        if (value != null && (value.isEmpty() || value.length() > MAX_VALUE)) {
            throw new IllegalArgumentException(name + " is 1 to " + MAX_VALUE + " characters");
        }
    }

    /** @return e.g. {@code model=GW-1 fwv=1.0 card=yes tags=lab,eu}, or {@code all devices} */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        append(b, "man", manufacturer);
        append(b, "model", model);
        append(b, "fwv", firmwareVersion);
        append(b, "card", cardPresent == null ? null : cardPresent ? "yes" : "no");
        append(b, "tags", tags.isEmpty() ? null : String.join(",", new java.util.TreeSet<>(tags)));
        append(b, "ids", deviceIds.isEmpty() ? null : deviceIds.size() + " DevIds");
        return b.length() == 0 ? "all devices" : b.toString();
    }

    private static void append(StringBuilder b, String k, String v) {
        if (v != null) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(k).append('=').append(v);
        }
    }
}
