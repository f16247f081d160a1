package org.cardinaldm.fumo.server.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.cardinaldm.fumo.server.api.Campaign;
import org.cardinaldm.fumo.server.api.CampaignDevice;
import org.cardinaldm.fumo.server.api.DeviceUpdateState;
import org.cardinaldm.fumo.server.api.spi.CampaignStore;

/**
 * A {@link CampaignStore} in memory, for one node and tests: lost when the JVM stops. Every method holds the
 * store's lock, so claims and conditional updates are atomic.
 */
public final class InMemoryCampaignStore implements CampaignStore {
    private static final Comparator<CampaignDevice> ORDER = Comparator.comparingInt(CampaignDevice::wave)
            .thenComparing(CampaignDevice::deviceId);

    private final Map<Long, Campaign> campaigns = new TreeMap<>();
    private final Map<Long, Map<String, CampaignDevice>> devices = new HashMap<>();
    private final Map<String, Set<String>> tags = new TreeMap<>();
    private long nextId = 1;

    @Override
    public synchronized Campaign insertCampaign(Campaign campaign, List<CampaignDevice> list) {
        Campaign stored = campaign.withId(nextId++);
        campaigns.put(stored.id(), stored);
        Map<String, CampaignDevice> rows = new LinkedHashMap<>();
        for (CampaignDevice d : list) {
            rows.put(d.deviceId(), new CampaignDevice(stored.id(), d.deviceId(), d.wave(), d.state(), d.jobId(),
                    d.resultCode(), d.detail(), d.owner(), d.updated()));
        }
        devices.put(stored.id(), rows);
        return stored;
    }

    @Override
    public synchronized Optional<Campaign> campaign(long id) {
        return Optional.ofNullable(campaigns.get(id));
    }

    @Override
    public synchronized List<Campaign> campaigns() {
        List<Campaign> out = new ArrayList<>(campaigns.values());
        out.sort(Comparator.comparingLong(Campaign::id).reversed());
        return out;
    }

    @Override
    public synchronized boolean updateCampaign(Campaign changed) {
        Campaign current = campaigns.get(changed.id());
        if (current == null || current.version() != changed.version() - 1) {
            return false;
        }
        campaigns.put(changed.id(), changed);
        return true;
    }

    @Override
    public synchronized List<CampaignDevice> devices(long campaignId, Set<DeviceUpdateState> states, int limit) {
        return rows(campaignId).stream().filter(d -> states.isEmpty() || states.contains(d.state())).sorted(ORDER)
                .limit(Math.max(0, limit)).toList();
    }

    @Override
    public synchronized Map<Integer, Map<DeviceUpdateState, Integer>> counts(long campaignId) {
        Map<Integer, Map<DeviceUpdateState, Integer>> out = new TreeMap<>();
        for (CampaignDevice d : rows(campaignId)) {
            out.computeIfAbsent(d.wave(), w -> new EnumMap<>(DeviceUpdateState.class)).merge(d.state(), 1,
                    Integer::sum);
        }
        return out;
    }

    @Override
    public synchronized List<CampaignDevice> claimQueued(long campaignId, int maxWave, String owner, int max,
            Instant now) {
        List<CampaignDevice> out = new ArrayList<>();
        Map<String, CampaignDevice> rows = devices.getOrDefault(campaignId, Map.of());
        for (CampaignDevice d : rows.values().stream().sorted(ORDER).toList()) {
            if (out.size() >= max) {
                break;
            }
            if (d.state() == DeviceUpdateState.QUEUED && d.wave() <= maxWave) {
                CampaignDevice claimed = new CampaignDevice(campaignId, d.deviceId(), d.wave(),
                        DeviceUpdateState.STARTING, null, null, null, owner, now);
                rows.put(d.deviceId(), claimed);
                out.add(claimed);
            }
        }
        return out;
    }

    @Override
    public synchronized boolean updateDevice(CampaignDevice changed, DeviceUpdateState expected) {
        Map<String, CampaignDevice> rows = devices.get(changed.campaignId());
        CampaignDevice current = rows == null ? null : rows.get(changed.deviceId());
        if (current == null || current.state() != expected) {
            return false;
        }
        rows.put(changed.deviceId(), changed);
        return true;
    }

    @Override
    public synchronized int cancelQueued(long campaignId, Instant now) {
        int n = 0;
        Map<String, CampaignDevice> rows = devices.getOrDefault(campaignId, Map.of());
        for (CampaignDevice d : List.copyOf(rows.values())) {
            if (d.state() == DeviceUpdateState.QUEUED) {
                rows.put(d.deviceId(), d.with(DeviceUpdateState.CANCELLED, null, null, "campaign cancelled", now));
                n++;
            }
        }
        return n;
    }

    @Override
    public synchronized Optional<CampaignDevice> lastSuccess(String deviceId) {
        CampaignDevice best = null;
        for (Map<String, CampaignDevice> rows : devices.values()) {
            CampaignDevice d = rows.get(deviceId);
            if (d != null && d.state() == DeviceUpdateState.SUCCEEDED
                    && (best == null || d.updated().isAfter(best.updated()))) {
                best = d;
            }
        }
        return Optional.ofNullable(best);
    }

    @Override
    public synchronized Set<String> tags(String deviceId) {
        return Set.copyOf(tags.getOrDefault(deviceId, Set.of()));
    }

    @Override
    public synchronized void setTags(String deviceId, Set<String> value) {
        if (value.isEmpty()) {
            tags.remove(deviceId);
        } else {
            tags.put(deviceId, new TreeSet<>(value));
        }
    }

    @Override
    public synchronized Map<String, Set<String>> allTags() {
        Map<String, Set<String>> out = new TreeMap<>();
        tags.forEach((k, v) -> out.put(k, Set.copyOf(v)));
        return out;
    }

    private List<CampaignDevice> rows(long campaignId) {
        return List.copyOf(devices.getOrDefault(campaignId, Map.of()).values());
    }
}
