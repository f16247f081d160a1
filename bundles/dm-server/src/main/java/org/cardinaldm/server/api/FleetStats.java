package org.cardinaldm.server.api;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The fleet's figures ({@link DeviceManager#fleetStats(int)}): devices per state and devices last seen in each
 * hour of a window.
 *
 * @param states devices per state, every state present (0 when none)
 * @param firstHour the start of the oldest hour of {@code seenPerHour} (UTC, on the hour)
 * @param seenPerHour devices whose last contact is in each hour, the oldest hour first
 * @param total devices registered
 * @since 3.1
 */
public record FleetStats(Map<DeviceState, Long> states, Instant firstHour, List<Long> seenPerHour, long total) {
    /** Copies the collections and fills missing states with 0. */
    public FleetStats {
        Map<DeviceState, Long> all = new EnumMap<>(DeviceState.class);
        for (DeviceState s : DeviceState.values()) {
            all.put(s, 0L);
        }
        all.putAll(Objects.requireNonNull(states, "states"));
        states = Map.copyOf(all);
        Objects.requireNonNull(firstHour, "firstHour");
        seenPerHour = List.copyOf(seenPerHour);
    }

    /**
     * The hour window of the figures.
     *
     * @param now the current time
     * @param hours the hours of the window, 1 to {@link DeviceSearch#MAX_HOURS}
     * @return the start of the oldest hour: {@code hours - 1} hours before the hour of {@code now}
     * @throws IllegalArgumentException when {@code hours} is out of bounds
     */
    public static Instant firstHour(Instant now, int hours) {
        if (hours < 1 || hours > DeviceSearch.MAX_HOURS) {
            throw new IllegalArgumentException("hours must be 1 to " + DeviceSearch.MAX_HOURS);
        }
        return now.truncatedTo(ChronoUnit.HOURS).minus(hours - 1L, ChronoUnit.HOURS);
    }

    /**
     * Computes the figures from a list of devices (what stores without a query of their own do).
     *
     * @param devices the devices
     * @param now the current time
     * @param hours the hours of the window, 1 to {@link DeviceSearch#MAX_HOURS}
     * @return the figures
     */
    public static FleetStats of(Iterable<Device> devices, Instant now, int hours) {
        Instant first = firstHour(now, hours);
        Map<DeviceState, Long> states = new EnumMap<>(DeviceState.class);
        long[] seen = new long[hours];
        long total = 0;
        for (Device d : devices) {
            total++;
            states.merge(d.state(now), 1L, Long::sum);
            Instant c = d.lastContact();
            if (c != null && !c.isBefore(first) && !c.isAfter(now)) {
                seen[(int) ChronoUnit.HOURS.between(first, c.truncatedTo(ChronoUnit.HOURS))]++;
            }
        }
        List<Long> perHour = new ArrayList<>(hours);
        for (long n : seen) {
            perHour.add(n);
        }
        return new FleetStats(states, first, perHour, total);
    }
}
