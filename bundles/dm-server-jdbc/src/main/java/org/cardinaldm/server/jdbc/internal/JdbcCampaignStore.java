package org.cardinaldm.server.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.cardinaldm.fumo.server.api.Campaign;
import org.cardinaldm.fumo.server.api.CampaignDevice;
import org.cardinaldm.fumo.server.api.CampaignPackage;
import org.cardinaldm.fumo.server.api.CampaignSpec;
import org.cardinaldm.fumo.server.api.CampaignState;
import org.cardinaldm.fumo.server.api.DeviceFilter;
import org.cardinaldm.fumo.server.api.DeviceUpdateState;
import org.cardinaldm.fumo.server.api.MaintenanceWindow;
import org.cardinaldm.fumo.server.api.WaveSize;
import org.cardinaldm.fumo.server.api.spi.CampaignStore;
import org.cardinaldm.server.api.spi.StoreException;

/**
 * Firmware campaigns on JDBC (tables of migration V004): H2 embedded or PostgreSQL shared by several server nodes.
 * Device starts are claimed with the registry's claim lock ({@code FOR UPDATE SKIP LOCKED} on PostgreSQL) and a
 * conditional update, so a device is never claimed twice; campaigns change only from the version read
 * (optimistic locking); device rows change only from the state read.
 */
public final class JdbcCampaignStore implements CampaignStore {
    private static final String CAMPAIGN_COLUMNS = "id, name, package_file, filter_man, filter_model, filter_fwv, "
            + "filter_card, filter_tags, filter_ids, waves, success_threshold, error_threshold, window_spec, "
            + "fumo_instance, consent, consent_text, pkg_name, pkg_version, pkg_counter, pkg_length, pkg_sha256, "
            + "pkg_url, state, reason, wave_sizes, current_wave, errors_accepted_wave, created, updated, version";
    private static final String DEVICE_COLUMNS = "campaign_id, device_id, wave, state, job_id, result_code, detail, "
            + "claim_owner, updated";
    private static final int BATCH = 1000;

    private final ConnectionPool pool;
    private final Dialect dialect;

    private JdbcCampaignStore(ConnectionPool pool, Dialect dialect) {
        this.pool = pool;
        this.dialect = dialect;
    }

    /**
     * Opens the store on a database whose schema the registry migrated (or migrates it now).
     *
     * @param pool the connections
     * @return the store
     * @throws StoreException when the database cannot be reached or migrated
     */
    public static JdbcCampaignStore open(ConnectionPool pool) {
        try (Connection c = pool.borrow()) {
            Dialect dialect = Dialect.of(c);
            if (Migrations.current(c) < Migrations.latest()) {
                Migrations.migrate(c, dialect);
            }
            return new JdbcCampaignStore(pool, dialect);
        } catch (SQLException e) {
            throw new StoreException("cannot prepare the campaign schema: " + e.getMessage(), e);
        }
    }

    private <T> T tx(String what, Transactions.Work<T> work) {
        return Transactions.run(pool, what, work);
    }

    @Override
    public Campaign insertCampaign(Campaign campaign, List<CampaignDevice> devices) {
        return tx("insert of a campaign", c -> {
            long id;
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM cdm_campaign")) {
                rs.next();
                id = rs.getLong(1);
            }
            Campaign stored = campaign.withId(id);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO cdm_campaign (" + CAMPAIGN_COLUMNS
                    + ") VALUES (" + "?, ".repeat(29) + "?)")) {
                writeCampaign(ps, stored);
                ps.executeUpdate();
            } catch (SQLException e) {
                if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                    // another node took that id at the same time: retried as a serialisation failure
                    throw new SQLException("campaign id taken, retrying", "40001", e);
                }
                throw e;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO cdm_campaign_device (" + DEVICE_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                int n = 0;
                for (CampaignDevice d : devices) {
                    writeDevice(ps, new CampaignDevice(id, d.deviceId(), d.wave(), d.state(), d.jobId(),
                            d.resultCode(), d.detail(), d.owner(), d.updated()));
                    ps.addBatch();
                    if (++n % BATCH == 0) {
                        ps.executeBatch();
                    }
                }
                if (n % BATCH != 0) {
                    ps.executeBatch();
                }
            }
            return stored;
        });
    }

    @Override
    public Optional<Campaign> campaign(long id) {
        return tx("read of a campaign", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + CAMPAIGN_COLUMNS
                    + " FROM cdm_campaign WHERE id = ?")) {
                ps.setLong(1, id);
                List<Campaign> out = readCampaigns(ps);
                return out.isEmpty() ? Optional.empty() : Optional.of(out.get(0));
            }
        });
    }

    @Override
    public List<Campaign> campaigns() {
        return tx("read of campaigns", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + CAMPAIGN_COLUMNS
                    + " FROM cdm_campaign ORDER BY id DESC")) {
                return readCampaigns(ps);
            }
        });
    }

    @Override
    public boolean updateCampaign(Campaign changed) {
        return tx("update of a campaign", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE cdm_campaign SET state = ?, reason = ?, "
                    + "current_wave = ?, errors_accepted_wave = ?, updated = ?, version = ? WHERE id = ? AND version = ?")) {
                ps.setString(1, changed.state().name());
                ps.setString(2, bounded(changed.reason(), 1024));
                ps.setInt(3, changed.currentWave());
                ps.setInt(4, changed.errorsAcceptedWave());
                ps.setLong(5, changed.updated().toEpochMilli());
                ps.setLong(6, changed.version());
                ps.setLong(7, changed.id());
                ps.setLong(8, changed.version() - 1);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<CampaignDevice> devices(long campaignId, Set<DeviceUpdateState> states, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return tx("read of campaign devices", c -> {
            String in = states.isEmpty() ? "" : " AND state IN (" + "?, ".repeat(states.size() - 1) + "?)";
            try (PreparedStatement ps = c.prepareStatement("SELECT " + DEVICE_COLUMNS + " FROM cdm_campaign_device "
                    + "WHERE campaign_id = ?" + in + " ORDER BY wave, device_id LIMIT " + limit)) {
                ps.setLong(1, campaignId);
                int i = 2;
                for (DeviceUpdateState s : states) {
                    ps.setString(i++, s.name());
                }
                return readDevices(ps);
            }
        });
    }

    @Override
    public Map<Integer, Map<DeviceUpdateState, Integer>> counts(long campaignId) {
        return tx("count of campaign devices", c -> {
            Map<Integer, Map<DeviceUpdateState, Integer>> out = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT wave, state, COUNT(*) FROM cdm_campaign_device "
                    + "WHERE campaign_id = ? GROUP BY wave, state")) {
                ps.setLong(1, campaignId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(rs.getInt(1), w -> new EnumMap<>(DeviceUpdateState.class))
                                .put(DeviceUpdateState.valueOf(rs.getString(2)), rs.getInt(3));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public List<CampaignDevice> claimQueued(long campaignId, int maxWave, String owner, int max, Instant now) {
        if (max <= 0) {
            return List.of();
        }
        return tx("claim of campaign devices", c -> {
            List<CampaignDevice> candidates;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + DEVICE_COLUMNS + " FROM cdm_campaign_device "
                    + "WHERE campaign_id = ? AND state = ? AND wave <= ? ORDER BY wave, device_id LIMIT " + max + " "
                    + dialect.claimLock())) {
                ps.setLong(1, campaignId);
                ps.setString(2, DeviceUpdateState.QUEUED.name());
                ps.setInt(3, maxWave);
                candidates = readDevices(ps);
            }
            List<CampaignDevice> out = new ArrayList<>();
            try (PreparedStatement up = c.prepareStatement("UPDATE cdm_campaign_device SET state = ?, claim_owner = ?, "
                    + "job_id = NULL, result_code = NULL, detail = NULL, updated = ? "
                    + "WHERE campaign_id = ? AND device_id = ? AND state = ?")) {
                for (CampaignDevice d : candidates) {
                    up.setString(1, DeviceUpdateState.STARTING.name());
                    up.setString(2, bounded(owner, 256));
                    up.setLong(3, now.toEpochMilli());
                    up.setLong(4, campaignId);
                    up.setString(5, d.deviceId());
                    up.setString(6, DeviceUpdateState.QUEUED.name());
                    if (up.executeUpdate() == 1) {
                        out.add(new CampaignDevice(campaignId, d.deviceId(), d.wave(), DeviceUpdateState.STARTING,
                                null, null, null, owner, now));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public boolean updateDevice(CampaignDevice changed, DeviceUpdateState expected) {
        return tx("update of a campaign device", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE cdm_campaign_device SET state = ?, job_id = ?, "
                    + "result_code = ?, detail = ?, claim_owner = ?, updated = ? "
                    + "WHERE campaign_id = ? AND device_id = ? AND state = ?")) {
                ps.setString(1, changed.state().name());
                setLong(ps, 2, changed.jobId());
                if (changed.resultCode() == null) {
                    ps.setNull(3, Types.INTEGER);
                } else {
                    ps.setInt(3, changed.resultCode());
                }
                ps.setString(4, changed.detail());
                ps.setString(5, bounded(changed.owner(), 256));
                ps.setLong(6, changed.updated().toEpochMilli());
                ps.setLong(7, changed.campaignId());
                ps.setString(8, changed.deviceId());
                ps.setString(9, expected.name());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public int cancelQueued(long campaignId, Instant now) {
        return tx("cancel of queued campaign devices", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE cdm_campaign_device SET state = ?, detail = ?, "
                    + "updated = ? WHERE campaign_id = ? AND state = ?")) {
                ps.setString(1, DeviceUpdateState.CANCELLED.name());
                ps.setString(2, "campaign cancelled");
                ps.setLong(3, now.toEpochMilli());
                ps.setLong(4, campaignId);
                ps.setString(5, DeviceUpdateState.QUEUED.name());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<CampaignDevice> lastSuccess(String deviceId) {
        return tx("read of a device's last campaign success", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + DEVICE_COLUMNS + " FROM cdm_campaign_device "
                    + "WHERE device_id = ? AND state = ? ORDER BY updated DESC, campaign_id DESC LIMIT 1")) {
                ps.setString(1, deviceId);
                ps.setString(2, DeviceUpdateState.SUCCEEDED.name());
                List<CampaignDevice> out = readDevices(ps);
                return out.isEmpty() ? Optional.empty() : Optional.of(out.get(0));
            }
        });
    }

    @Override
    public Set<String> tags(String deviceId) {
        return tx("read of device tags", c -> {
            Set<String> out = new TreeSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT tag FROM cdm_device_tag WHERE device_id = ?")) {
                ps.setString(1, deviceId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public void setTags(String deviceId, Set<String> tags) {
        tx("change of device tags", c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM cdm_device_tag WHERE device_id = ?")) {
                del.setString(1, deviceId);
                del.executeUpdate();
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO cdm_device_tag (device_id, tag) VALUES (?, ?)")) {
                for (String t : tags) {
                    ins.setString(1, deviceId);
                    ins.setString(2, t);
                    ins.addBatch();
                }
                if (!tags.isEmpty()) {
                    ins.executeBatch();
                }
            }
            return null;
        });
    }

    @Override
    public Map<String, Set<String>> allTags() {
        return tx("read of all device tags", c -> {
            Map<String, Set<String>> out = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT device_id, tag FROM cdm_device_tag");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new TreeSet<>()).add(rs.getString(2));
                }
            }
            return out;
        });
    }

    // ------------------------------------------------------------------ rows

    private static void writeCampaign(PreparedStatement ps, Campaign k) throws SQLException {
        CampaignSpec s = k.spec();
        DeviceFilter f = s.filter();
        CampaignPackage p = k.pkg();
        ps.setLong(1, k.id());
        ps.setString(2, s.name());
        ps.setString(3, s.packageFile());
        ps.setString(4, f.manufacturer());
        ps.setString(5, f.model());
        ps.setString(6, f.firmwareVersion());
        if (f.cardPresent() == null) {
            ps.setNull(7, Types.SMALLINT);
        } else {
            ps.setShort(7, (short) (f.cardPresent() ? 1 : 0));
        }
        ps.setString(8, f.tags().isEmpty() ? null : String.join(",", new TreeSet<>(f.tags())));
        ps.setString(9, f.deviceIds().isEmpty() ? null : String.join("\n", new TreeSet<>(f.deviceIds())));
        ps.setString(10, s.waves().isEmpty() ? null
                : s.waves().stream().map(WaveSize::toString).collect(Collectors.joining(",")));
        ps.setInt(11, s.successThreshold());
        ps.setInt(12, s.errorThreshold());
        ps.setString(13, s.window() == null ? null : s.window().toString());
        ps.setString(14, s.fumoInstance());
        ps.setBoolean(15, s.consent());
        ps.setString(16, s.consentText());
        ps.setString(17, p.name());
        ps.setString(18, p.version());
        setLong(ps, 19, p.securityCounter());
        ps.setLong(20, p.length());
        ps.setString(21, p.sha256Hex());
        ps.setString(22, p.url());
        ps.setString(23, k.state().name());
        ps.setString(24, bounded(k.reason(), 1024));
        ps.setString(25, k.waveSizes().stream().map(String::valueOf).collect(Collectors.joining(",")));
        ps.setInt(26, k.currentWave());
        ps.setInt(27, k.errorsAcceptedWave());
        ps.setLong(28, k.created().toEpochMilli());
        ps.setLong(29, k.updated().toEpochMilli());
        ps.setLong(30, k.version());
    }

    private static List<Campaign> readCampaigns(PreparedStatement ps) throws SQLException {
        List<Campaign> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                short card = rs.getShort(7);
                Boolean cardPresent = rs.wasNull() ? null : card == 1;
                DeviceFilter f = new DeviceFilter(rs.getString(4), rs.getString(5), rs.getString(6), cardPresent,
                        split(rs.getString(8), ","), split(rs.getString(9), "\n"));
                String window = rs.getString(13);
                CampaignSpec s = new CampaignSpec(rs.getString(2), rs.getString(3), f,
                        WaveSize.parseList(rs.getString(10)), rs.getInt(11), rs.getInt(12),
                        window == null ? null : MaintenanceWindow.parse(window), rs.getString(14), rs.getBoolean(15),
                        rs.getString(16));
                long counter = rs.getLong(19);
                Long pc = rs.wasNull() ? null : counter;
                CampaignPackage p = new CampaignPackage(rs.getString(3), rs.getString(17), rs.getString(18), pc,
                        rs.getLong(20), rs.getString(21), rs.getString(22));
                List<Integer> sizes = Arrays.stream(rs.getString(25).split(",")).filter(x -> !x.isEmpty())
                        .map(Integer::valueOf).toList();
                out.add(new Campaign(rs.getLong(1), s, p, CampaignState.valueOf(rs.getString(23)), rs.getString(24),
                        sizes, rs.getInt(26), rs.getInt(27), Instant.ofEpochMilli(rs.getLong(28)),
                        Instant.ofEpochMilli(rs.getLong(29)), rs.getLong(30)));
            }
        }
        return out;
    }

    private static Set<String> split(String value, String separator) {
        return value == null || value.isEmpty() ? Set.of() : Set.of(value.split(separator));
    }

    private static void writeDevice(PreparedStatement ps, CampaignDevice d) throws SQLException {
        ps.setLong(1, d.campaignId());
        ps.setString(2, d.deviceId());
        ps.setInt(3, d.wave());
        ps.setString(4, d.state().name());
        setLong(ps, 5, d.jobId());
        if (d.resultCode() == null) {
            ps.setNull(6, Types.INTEGER);
        } else {
            ps.setInt(6, d.resultCode());
        }
        ps.setString(7, d.detail());
        ps.setString(8, bounded(d.owner(), 256));
        ps.setLong(9, d.updated().toEpochMilli());
    }

    private static List<CampaignDevice> readDevices(PreparedStatement ps) throws SQLException {
        List<CampaignDevice> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long job = rs.getLong(5);
                Long jobId = rs.wasNull() ? null : job;
                int code = rs.getInt(6);
                Integer resultCode = rs.wasNull() ? null : code;
                out.add(new CampaignDevice(rs.getLong(1), rs.getString(2), rs.getInt(3),
                        DeviceUpdateState.valueOf(rs.getString(4)), jobId, resultCode, rs.getString(7), rs.getString(8),
                        Instant.ofEpochMilli(rs.getLong(9))));
            }
        }
        return out;
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }

    private static String bounded(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
