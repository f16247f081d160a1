package org.cardinaldm.fumo.server.api;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Firmware campaigns: create, follow and steer them. Thread-safe; several server nodes may run one on a shared
 * store (a device is started by one node only). The service works through the rounds of every running campaign
 * on its own, every few seconds ({@code round.seconds}); {@link #advance()} runs one round at once.
 *
 * <p>Operator errors are {@link IllegalArgumentException} (bad input, unknown campaign or package) and
 * {@link IllegalStateException} (the campaign is not in a state that allows the action), each with one sentence
 * an operator can act on.
 */
@ProviderType
public interface CampaignService {
    /**
     * Creates a campaign in {@link CampaignState#CREATED}: the package is looked up (it must be a published
     * FIRMWARE package), the filter is applied to the registry now and the chosen devices are split into waves
     * in DevId order. Creating a campaign over many devices costs one pass over the registry and one batch insert.
     *
     * @param spec what to do
     * @return the campaign
     * @throws IllegalArgumentException when the package is unknown or not firmware, or no device matches
     */
    Campaign create(CampaignSpec spec);

    /** @return every campaign, newest first */
    List<Campaign> campaigns();

    /**
     * @param id a campaign id
     * @return the campaign, or empty
     */
    Optional<Campaign> campaign(long id);

    /**
     * Starts a created campaign: its first wave starts in the next round (inside the maintenance window).
     *
     * @param id the campaign
     * @return the campaign, {@link CampaignState#RUNNING}
     * @throws IllegalArgumentException when it is unknown
     * @throws IllegalStateException when it is not {@link CampaignState#CREATED}
     */
    Campaign start(long id);

    /**
     * Pauses a running campaign: no new device is started; devices already started go on and are followed.
     *
     * @param id the campaign
     * @return the campaign, {@link CampaignState#PAUSED}
     * @throws IllegalArgumentException when it is unknown
     * @throws IllegalStateException when it is not running
     */
    Campaign pause(long id);

    /**
     * Resumes a paused campaign. When the error threshold paused it, the operator accepts the failures of the
     * waves started so far: only later waves can pause it again.
     *
     * @param id the campaign
     * @return the campaign, {@link CampaignState#RUNNING}
     * @throws IllegalArgumentException when it is unknown
     * @throws IllegalStateException when it is not paused
     */
    Campaign resume(long id);

    /**
     * Cancels a campaign: queued devices become {@link DeviceUpdateState#CANCELLED}, as do devices whose job the
     * device has not fetched yet (the job is cancelled); devices already updating go on and are followed.
     *
     * @param id the campaign
     * @return the campaign, {@link CampaignState#CANCELLED}
     * @throws IllegalArgumentException when it is unknown
     * @throws IllegalStateException when it is finished or cancelled
     */
    Campaign cancel(long id);

    /**
     * @param id a campaign
     * @return its counts per wave and in total
     * @throws IllegalArgumentException when it is unknown
     */
    CampaignProgress progress(long id);

    /**
     * @param id a campaign
     * @param states only devices in these states, or empty for all
     * @param limit the most devices (1 to 10000)
     * @return its devices by wave and DevId
     * @throws IllegalArgumentException when it is unknown
     */
    List<CampaignDevice> devices(long id, Set<DeviceUpdateState> states, int limit);

    /**
     * @param filter a filter
     * @param limit the most DevIds returned
     * @return the DevIds it chooses now, in order (what {@link #create} would take)
     */
    List<String> preview(DeviceFilter filter, int limit);

    /**
     * Runs one round now for every campaign that is not finished: follows the started devices' jobs, applies the
     * thresholds, and starts queued devices of the started waves (at most {@code start.batch} per campaign).
     * The service also runs rounds on its own; this is for operators who do not want to wait and for harnesses.
     *
     * @return how many devices changed state in this round
     */
    int advance();
}
