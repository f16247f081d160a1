package org.cardinaldm.server.jdbc.internal.osgi;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.cardinaldm.fumo.server.api.Campaign;
import org.cardinaldm.fumo.server.api.CampaignDevice;
import org.cardinaldm.fumo.server.api.DeviceUpdateState;
import org.cardinaldm.fumo.server.api.spi.CampaignStore;
import org.cardinaldm.server.api.spi.ServerStore;
import org.cardinaldm.server.jdbc.internal.ConnectionPool;
import org.cardinaldm.server.jdbc.internal.JdbcCampaignStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jdbc.DataSourceFactory;

/**
 * Firmware campaigns (fumo-server's {@link CampaignStore}) in the registry's database: the same configuration
 * ({@code org.cardinaldm.server.jdbc}: url, user, password, driver filter) and a small pool of its own
 * ({@code campaign.pool.max.connections}, default 4). It starts after the registry store, which migrated the schema.
 */
@Component(service = CampaignStore.class, configurationPid = "org.cardinaldm.server.jdbc",
        property = "dataSourceFactory.target=(osgi.jdbc.driver.class=org.h2.Driver)")
public final class JdbcCampaignStoreComponent implements CampaignStore {
    private final ConnectionPool pool;
    private final JdbcCampaignStore store;

    /**
     * @param factory the driver's factory
     * @param registry the registry store, which migrated the schema (only waited for)
     * @param config the registry's configuration
     * @param properties the component properties ({@code campaign.pool.max.connections})
     * @throws SQLException when the driver refuses the settings
     */
    @Activate
    public JdbcCampaignStoreComponent(@Reference(name = "dataSourceFactory") DataSourceFactory factory,
            @Reference(target = "(component.name=org.cardinaldm.server.jdbc.internal.osgi.JdbcStoreComponent)")
            ServerStore registry, JdbcStoreComponent.Config config, Map<String, Object> properties)
            throws SQLException {
        Object max = properties.get("campaign.pool.max.connections");
        int connections = max == null ? 4 : Integer.parseInt(max.toString().strip());
        this.pool = ConnectionPool.of(factory.createDataSource(JdbcStoreComponent.jdbcProperties(config)), connections,
                config.pool_wait_millis(), "dm-server-jdbc-campaigns");
        try {
            this.store = JdbcCampaignStore.open(pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** Closes the connections. */
    @Deactivate
    void deactivate() {
        pool.close();
    }

    @Override
    public Campaign insertCampaign(Campaign campaign, List<CampaignDevice> devices) {
        return store.insertCampaign(campaign, devices);
    }

    @Override
    public Optional<Campaign> campaign(long id) {
        return store.campaign(id);
    }

    @Override
    public List<Campaign> campaigns() {
        return store.campaigns();
    }

    @Override
    public boolean updateCampaign(Campaign changed) {
        return store.updateCampaign(changed);
    }

    @Override
    public List<CampaignDevice> devices(long campaignId, Set<DeviceUpdateState> states, int limit) {
        return store.devices(campaignId, states, limit);
    }

    @Override
    public Map<Integer, Map<DeviceUpdateState, Integer>> counts(long campaignId) {
        return store.counts(campaignId);
    }

    @Override
    public List<CampaignDevice> claimQueued(long campaignId, int maxWave, String owner, int max, Instant now) {
        return store.claimQueued(campaignId, maxWave, owner, max, now);
    }

    @Override
    public boolean updateDevice(CampaignDevice changed, DeviceUpdateState expected) {
        return store.updateDevice(changed, expected);
    }

    @Override
    public int cancelQueued(long campaignId, Instant now) {
        return store.cancelQueued(campaignId, now);
    }

    @Override
    public Optional<CampaignDevice> lastSuccess(String deviceId) {
        return store.lastSuccess(deviceId);
    }

    @Override
    public Set<String> tags(String deviceId) {
        return store.tags(deviceId);
    }

    @Override
    public void setTags(String deviceId, Set<String> tags) {
        store.setTags(deviceId, tags);
    }

    @Override
    public Map<String, Set<String>> allTags() {
        return store.allTags();
    }
}
