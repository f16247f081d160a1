package org.cardinaldm.fumo.api.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * The authority's admission of one update, given when the server's Exec arrives (in the session the
 * authority authenticated) and presented again after the download. Kept by FUMO with the update's state, so it
 * must survive a restart as text.
 *
 * @param serverId the server that asked
 * @param instance the FUMO instance
 * @param handle the authority's reference (opaque; no secret)
 * @param granted when it was given
 */
public record UpdateGrant(String serverId, String instance, String handle, Instant granted) {
    /** Checks that nothing is null. */
    public UpdateGrant {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(granted, "granted");
    }
}
