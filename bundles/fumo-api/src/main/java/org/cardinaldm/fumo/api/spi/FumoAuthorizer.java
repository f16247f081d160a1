package org.cardinaldm.fumo.api.spi;

import org.cardinaldm.pkg.trust.api.TrustedSigners;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The authority that decides whether firmware may be installed (Cardinal's: the smart card, in
 * {@code fumo-auth-card}). FUMO calls it in this order for one update: {@link #admit} when the server's Exec
 * arrives; {@link #signers} to check the manifest before downloading; {@link #authorise} after the download;
 * the update agent applies the package; {@link #commit} after the new firmware passed its health check, or
 * {@link #release} when the update ends any other way. Implementations never log nonces, signatures or keys.
 */
@ConsumerType
public interface FumoAuthorizer {
    /**
     * Admits an update asked for by a server, called while that server's DM session is open and authenticated.
     *
     * @param serverId the ServerID of the session
     * @param instance the FUMO instance's name
     * @return the grant to present to {@link #authorise}
     * @throws FumoRefusedException 405 when the authority does not allow that server to update firmware, 409
     *         when it cannot be asked (card absent, session not authenticated by the card)
     */
    UpdateGrant admit(String serverId, String instance) throws FumoRefusedException;

    /**
     * @return the signers the authority trusts today, for the device's own check of a manifest before the
     *         download (the authority checks again in {@link #authorise})
     * @throws FumoRefusedException 409 when the authority cannot be asked
     */
    TrustedSigners signers() throws FumoRefusedException;

    /**
     * Asks the authority to verify a signed manifest and authorise its installation.
     *
     * @param grant the grant from {@link #admit}
     * @param signedManifest the CMS SignedData, DER
     * @param installerNonce 16 fresh random bytes of the installer
     * @param deviceClass this device's class ({@code Man/Mod} of DevInfo)
     * @return the authorisation, bound to the manifest and both nonces
     * @throws FumoRefusedException 404 signature not valid or signers below the threshold, 403 wrong device
     *         class, 405 counter below the authority's (rollback) or grant unknown, 409 authority unavailable
     */
    Authorisation authorise(UpdateGrant grant, byte[] signedManifest, byte[] installerNonce, String deviceClass)
            throws FumoRefusedException;

    /**
     * After the new firmware passed its health check: the authority raises its anti-rollback counter to the
     * authorised manifest's (never lowers it).
     *
     * @param authorisation what {@link #authorise} returned
     * @throws FumoRefusedException when the authority did not record the commit: FUMO then rolls the update back
     *         and reports 410, so the firmware and the counter stay as they were
     */
    void commit(Authorisation authorisation) throws FumoRefusedException;

    /**
     * Forgets a grant: the update failed, was refused or rolled back; the counter does not move.
     *
     * @param grant the grant
     */
    void release(UpdateGrant grant);
}
