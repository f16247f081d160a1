package org.cardinaldm.server.internal.async;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How long the server waits for the Generic Alert 1226 of an Exec answered 202: firmware Execs (targets under
 * one of {@code firmwareRoots}, {@code ./FUMO} by default) wait {@code firmware}, every other Exec waits
 * {@code standard}. The sweeper handles at most {@code sweepBatch} overdue Execs per run.
 *
 * @param standard the wait for Execs that are not firmware ({@code async.timeout.default}, P1D)
 * @param firmware the wait for firmware Execs ({@code async.timeout.firmware}, P7D)
 * @param firmwareRoots the FUMO roots ({@code async.firmware.roots})
 * @param sweepBatch the most overdue Execs failed per sweeper run ({@code async.sweep.batch})
 */
public record AsyncTimeouts(Duration standard, Duration firmware, List<String> firmwareRoots, int sweepBatch) {
    /** One day, seven days for {@code ./FUMO}, 100 per run. */
    public static final AsyncTimeouts DEFAULT = new AsyncTimeouts(Duration.ofDays(1), Duration.ofDays(7),
            List.of("./FUMO"), 100);

    /** Checks the values. */
    public AsyncTimeouts {
        Objects.requireNonNull(standard, "standard");
        Objects.requireNonNull(firmware, "firmware");
        firmwareRoots = List.copyOf(firmwareRoots);
        if (standard.isNegative() || standard.isZero() || firmware.isNegative() || firmware.isZero()
                || sweepBatch < 1) {
            throw new IllegalArgumentException("asynchronous timeouts and the sweep batch must be positive");
        }
    }

    /**
     * @param target an Exec target
     * @return how long to wait for its result
     */
    public Duration timeoutFor(String target) {
        for (String root : firmwareRoots) {
            String r = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
            if (!r.isEmpty() && (target.equals(r) || target.startsWith(r + "/"))) {
                return firmware;
            }
        }
        return standard;
    }

    /**
     * @param standardValue the ISO-8601 duration of {@code async.timeout.default}
     * @param firmwareValue the ISO-8601 duration of {@code async.timeout.firmware}
     * @param roots the FUMO roots
     * @param batch the sweep batch
     * @return the settings
     * @throws IllegalArgumentException when a duration cannot be read or is not positive
     */
    public static AsyncTimeouts parse(String standardValue, String firmwareValue, String[] roots, int batch) {
        return new AsyncTimeouts(duration("async.timeout.default", standardValue),
                duration("async.timeout.firmware", firmwareValue), roots == null ? List.of() : List.of(roots), batch);
    }

    private static Duration duration(String key, String value) {
        try {
            return Duration.parse(value.strip());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + " must be an ISO-8601 duration such as P1D or PT12H, not '"
                    + value + "'", e);
        }
    }
}
