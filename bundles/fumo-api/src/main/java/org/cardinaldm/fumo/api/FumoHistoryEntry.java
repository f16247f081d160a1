package org.cardinaldm.fumo.api;

import java.time.Instant;
import java.util.Objects;

/**
 * One finished firmware operation, newest first in {@link FumoService#history(int)}.
 *
 * @param instance the FUMO instance's name
 * @param operation {@code Download}, {@code Update}, {@code DownloadAndUpdate} or {@code Recovery} (an update
 *        found interrupted at start)
 * @param serverId the DM server that asked (empty for a local request)
 * @param pkgName the package's name from its manifest (empty when it was never read)
 * @param fromVersion the version running before
 * @param toVersion the version of the package
 * @param result the result code sent to the server
 * @param detail one line for people; never a secret, nonce or key
 * @param started when the operation started
 * @param finished when it ended
 */
public record FumoHistoryEntry(String instance, String operation, String serverId, String pkgName,
        String fromVersion, String toVersion, int result, String detail, Instant started, Instant finished) {
    /** Checks that nothing is null. */
    public FumoHistoryEntry {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(pkgName, "pkgName");
        Objects.requireNonNull(fromVersion, "fromVersion");
        Objects.requireNonNull(toVersion, "toVersion");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(finished, "finished");
    }
}
