package org.cardinaldm.fumo.server.api;

import java.time.Instant;
import java.util.Objects;

/**
 * One device of a campaign.
 *
 * @param campaignId the campaign
 * @param deviceId the DevId
 * @param wave its wave (0-based)
 * @param state where it is
 * @param jobId its FUMO job, or null before it was submitted
 * @param resultCode the FUMO result code of its Generic Alert 1226 (or the failing SyncML status), or null
 * @param detail one line for operators (the result's meaning, the known counter of a rollback refusal), or null
 * @param owner the server node that claimed it, or null
 * @param updated when it last changed
 */
public record CampaignDevice(long campaignId, String deviceId, int wave, DeviceUpdateState state, Long jobId,
        Integer resultCode, String detail, String owner, Instant updated) {
    /** The longest detail kept. */
    public static final int MAX_DETAIL = 512;

    /** Checks and bounds the detail. */
    public CampaignDevice {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(updated, "updated");
        if (detail != null && detail.length() > MAX_DETAIL) {
            detail = detail.substring(0, MAX_DETAIL - 3) + "...";
        }
    }

    /**
     * @param newState the state
     * @param newJob the job, or null
     * @param code the result code, or null
     * @param newDetail the detail, or null
     * @param now the time
     * @return a copy
     */
    public CampaignDevice with(DeviceUpdateState newState, Long newJob, Integer code, String newDetail, Instant now) {
        return new CampaignDevice(campaignId, deviceId, wave, newState, newJob, code, newDetail, owner, now);
    }

    /** @return e.g. {@code failed 410 firmware update failed}, {@code updating} */
    public String stateText() {
        StringBuilder b = new StringBuilder(state.label());
        if (resultCode != null && state == DeviceUpdateState.FAILED) {
            b.append(' ').append(resultCode);
        }
        return b.toString();
    }
}
