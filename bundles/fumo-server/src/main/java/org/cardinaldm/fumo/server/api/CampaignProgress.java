package org.cardinaldm.fumo.server.api;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How far a campaign is, per wave and in total.
 *
 * @param campaignId the campaign
 * @param waves one entry per wave, in order
 * @param total the whole campaign
 */
public record CampaignProgress(long campaignId, List<Counts> waves, Counts total) {
    /** Copies. */
    public CampaignProgress {
        waves = List.copyOf(waves);
        Objects.requireNonNull(total, "total");
    }

    /**
     * Device counts of a wave or of the campaign.
     *
     * @param wave the wave (0-based), or -1 for the total
     * @param devices how many devices
     * @param byState how many are in each state (states with none may be missing)
     */
    public record Counts(int wave, int devices, Map<DeviceUpdateState, Integer> byState) {
        /** Copies. */
        public Counts {
            EnumMap<DeviceUpdateState, Integer> m = new EnumMap<>(DeviceUpdateState.class);
            byState.forEach((k, v) -> {
                if (v != null && v > 0) {
                    m.put(k, v);
                }
            });
            byState = Map.copyOf(m);
        }

        /**
         * @param state a state
         * @return how many devices are in it
         */
        public int count(DeviceUpdateState state) {
            return byState.getOrDefault(state, 0);
        }

        /** @return devices that were or are being sent their job: neither queued, cancelled nor refused for rollback */
        public int started() {
            return devices - count(DeviceUpdateState.QUEUED) - count(DeviceUpdateState.CANCELLED)
                    - count(DeviceUpdateState.ROLLBACK_REFUSED);
        }

        /** @return devices whose result is known (succeeded, failed, rollback refused, cancelled) */
        public int finished() {
            return count(DeviceUpdateState.SUCCEEDED) + count(DeviceUpdateState.FAILED)
                    + count(DeviceUpdateState.ROLLBACK_REFUSED) + count(DeviceUpdateState.CANCELLED);
        }

        /** @return succeeded devices in percent of the devices that can be updated (all but rollback refusals), 0 to 100 */
        public double succeededPercent() {
            int base = devices - count(DeviceUpdateState.ROLLBACK_REFUSED);
            return base == 0 ? 100.0 : 100.0 * count(DeviceUpdateState.SUCCEEDED) / base;
        }

        /** @return failed devices in percent of the devices that can be updated, 0 to 100 */
        public double failedPercent() {
            int base = devices - count(DeviceUpdateState.ROLLBACK_REFUSED);
            return base == 0 ? 0.0 : 100.0 * count(DeviceUpdateState.FAILED) / base;
        }

        /** @return finished devices in percent of all devices, 0 to 100 */
        public double finishedPercent() {
            return devices == 0 ? 100.0 : 100.0 * finished() / devices;
        }
    }
}
