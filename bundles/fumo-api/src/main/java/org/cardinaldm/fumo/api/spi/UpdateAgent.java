package org.cardinaldm.fumo.api.spi;

import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Applies firmware to one updatable component, A/B-safe: the running set is kept until {@link #commit}, and
 * {@link #rollback} returns to it. Registered with the service property {@value #COMPONENT} naming the FUMO
 * instance it serves (e.g. {@code Gateway}). OEMs implement it for their OS image; Cardinal ships one for the
 * gateway's own Karaf software.
 *
 * <p>FUMO's order: {@link #apply}, then {@link #healthy}; healthy → the authority commits its counter, then
 * {@link #commit}; not healthy or {@link #apply} failed → {@link #rollback}. An agent records that an update is
 * pending before {@link #apply} changes anything, so that after a crash or a power cut {@link #pendingVersion}
 * reports it and FUMO rolls it back.
 */
@ConsumerType
public interface UpdateAgent {
    /** Service property: the FUMO instance's name this agent updates. */
    String COMPONENT = "fumo.component";

    /** @return the version running now (shown in {@code DevDetail/FwV} or {@code SwV}) */
    String installedVersion();

    /**
     * @return whether the running version is firmware ({@code DevDetail/FwV}) rather than software
     *         ({@code SwV})
     */
    default boolean isFirmware() {
        return true;
    }

    /**
     * Installs the package beside the running set and switches to it; the running set is kept.
     *
     * @param pkg the verified, authorised package
     * @throws UpdateException with 410 (update failed), 502 (no room) or 403 (not for this component); the
     *         running set is then unchanged or restored
     */
    void apply(FirmwarePackage pkg) throws UpdateException;

    /** @return whether the newly applied set works (the agent's own health check, bounded in time) */
    boolean healthy();

    /**
     * Returns to the set that ran before {@link #apply}.
     *
     * @throws UpdateException 410 when the previous set cannot be restored
     */
    void rollback() throws UpdateException;

    /**
     * Keeps the new set and forgets the previous one.
     *
     * @throws UpdateException 410 when it cannot
     */
    void commit() throws UpdateException;

    /** @return the version of an update applied but neither committed nor rolled back (after a crash) */
    Optional<String> pendingVersion();
}
