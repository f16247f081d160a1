package org.cardinaldm.fumo.server.api.spi;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.cardinaldm.fumo.server.api.Campaign;
import org.cardinaldm.fumo.server.api.CampaignDevice;
import org.cardinaldm.fumo.server.api.DeviceUpdateState;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Persistence of firmware campaigns. Implementations are thread-safe and, when several server nodes share them,
 * keep {@link #claimQueued}, {@link #updateCampaign} and {@link #updateDevice} atomic across nodes. Failures of
 * the underlying store surface as {@code org.cardinaldm.server.api.spi.StoreException}.
 */
@ConsumerType
public interface CampaignStore {
    /**
     * Stores a new campaign with its devices (one transaction).
     *
     * @param campaign the campaign (its id is ignored)
     * @param devices its devices, all {@link DeviceUpdateState#QUEUED} (their campaign id is ignored)
     * @return the campaign with the id the store gave, greater than every earlier one
     */
    Campaign insertCampaign(Campaign campaign, List<CampaignDevice> devices);

    /**
     * @param id a campaign id
     * @return it, or empty
     */
    Optional<Campaign> campaign(long id);

    /** @return every campaign, newest first */
    List<Campaign> campaigns();

    /**
     * Replaces a campaign when nobody changed it meanwhile.
     *
     * @param changed the new value, its version one above the stored one
     * @return false when the stored version is not {@code changed.version() - 1} (nothing changed)
     */
    boolean updateCampaign(Campaign changed);

    /**
     * @param campaignId a campaign
     * @param states only these states, or empty for all
     * @param limit the most rows
     * @return its devices ordered by wave and DevId
     */
    List<CampaignDevice> devices(long campaignId, Set<DeviceUpdateState> states, int limit);

    /**
     * @param campaignId a campaign
     * @return device counts by wave, then by state
     */
    Map<Integer, Map<DeviceUpdateState, Integer>> counts(long campaignId);

    /**
     * Moves up to {@code max} {@link DeviceUpdateState#QUEUED} devices of waves up to {@code maxWave}, by wave and
     * DevId, to {@link DeviceUpdateState#STARTING} under an owner. A device is claimed by one owner only, even with
     * several nodes (rows another node holds are skipped or waited for, never claimed twice).
     *
     * @param campaignId a campaign
     * @param maxWave the last started wave
     * @param owner the claiming node
     * @param max the most devices
     * @param now the claim time
     * @return the claimed devices
     */
    List<CampaignDevice> claimQueued(long campaignId, int maxWave, String owner, int max, Instant now);

    /**
     * Replaces a device row when it is in the expected state.
     *
     * @param changed the new value (campaign id, DevId and wave identify the row)
     * @param expected the state it must be in
     * @return false when it is in another state or does not exist
     */
    boolean updateDevice(CampaignDevice changed, DeviceUpdateState expected);

    /**
     * @param campaignId a campaign
     * @param now the time
     * @return how many {@link DeviceUpdateState#QUEUED} devices became {@link DeviceUpdateState#CANCELLED}
     */
    int cancelQueued(long campaignId, Instant now);

    /**
     * @param deviceId a DevId
     * @return the latest campaign row of that device that {@link DeviceUpdateState#SUCCEEDED} (by its update
     *         time), or empty
     */
    Optional<CampaignDevice> lastSuccess(String deviceId);

    /**
     * @param deviceId a DevId
     * @return its tags, sorted
     */
    Set<String> tags(String deviceId);

    /**
     * Replaces a device's tags.
     *
     * @param deviceId a registered DevId
     * @param tags the new tags, possibly empty
     */
    void setTags(String deviceId, Set<String> tags);

    /** @return every tagged device with its tags */
    Map<String, Set<String>> allTags();
}
