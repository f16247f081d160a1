package org.cardinaldm.fumo.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What one FUMO instance is doing, as {@link FumoService#instances()} reports it.
 *
 * @param instance the instance's name (the last segment of its root, e.g. {@code Gateway})
 * @param root the instance's URI in the DM tree, e.g. {@code ./FUMO/Gateway}
 * @param state the {@code State} value
 * @param pkgName the {@code PkgName} value (empty when none)
 * @param pkgVersion the {@code PkgVersion} value (empty when none)
 * @param installedVersion the version the instance's update agent reports as running (empty when unknown)
 * @param bytesDone bytes of the package downloaded so far (0 when no download)
 * @param bytesTotal the package's length when known, else -1
 * @param lastResult the result code of the last finished operation, if any
 * @param since when {@code state} was entered
 */
public record FumoStatus(String instance, String root, FumoState state, String pkgName, String pkgVersion,
        String installedVersion, long bytesDone, long bytesTotal, OptionalInt lastResult, Instant since) {
    /** Checks that nothing is null. */
    public FumoStatus {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(pkgName, "pkgName");
        Objects.requireNonNull(pkgVersion, "pkgVersion");
        Objects.requireNonNull(installedVersion, "installedVersion");
        Objects.requireNonNull(lastResult, "lastResult");
        Objects.requireNonNull(since, "since");
    }

    /** @return the download's progress in per cent, when the length is known */
    public Optional<Integer> percent() {
        if (bytesTotal <= 0) {
            return Optional.empty();
        }
        return Optional.of((int) Math.min(100, bytesDone * 100 / bytesTotal));
    }
}
