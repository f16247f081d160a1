package org.cardinaldm.server.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.cardinaldm.server.api.DeviceAlert;

/**
 * The SQL of the alerts devices sent (table {@code cdm_alert}: Generic Alerts 1226 and client events 1224),
 * run by {@link JdbcServerStore} inside its transactions. Each device keeps its newest alerts only.
 */
final class AlertSql {
    private AlertSql() {
    }

    /**
     * Stores an alert; every {@code pruneEvery}-th one also prunes its device's alerts to the newest {@code keep}.
     * An alert of a device removed meanwhile is dropped.
     */
    static void record(Connection c, DeviceAlert a, long pruneEvery, int keep) throws SQLException {
        long id;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO cdm_alert (device_id, received, session_id, code, "
                + "alert_type, format, mark, source, correlator, alert_data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                new String[] {"alert_id"})) {
            ps.setString(1, a.deviceId());
            ps.setLong(2, a.time().toEpochMilli());
            ps.setString(3, a.sessionId());
            ps.setInt(4, a.code());
            ps.setString(5, a.type());
            ps.setString(6, a.format());
            ps.setString(7, a.mark());
            ps.setString(8, a.source());
            ps.setString(9, a.correlator());
            ps.setString(10, a.data());
            try {
                ps.executeUpdate();
            } catch (SQLException e) {
                if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                    return; // the device was removed meanwhile
                }
                throw e;
            }
            try (ResultSet keys = ps.getGeneratedKeys()) {
                id = keys.next() ? keys.getLong(1) : 0;
            }
        }
        if (id % pruneEvery == 0) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM cdm_alert WHERE device_id = ? AND alert_id < "
                    + "(SELECT MIN(alert_id) FROM (SELECT alert_id FROM cdm_alert WHERE device_id = ? "
                    + "ORDER BY alert_id DESC LIMIT " + keep + ") newest)")) {
                ps.setString(1, a.deviceId());
                ps.setString(2, a.deviceId());
                ps.executeUpdate();
            }
        }
    }

    /** @return the device's newest alerts first, at most {@code limit} */
    static List<DeviceAlert> list(Connection c, String deviceId, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT device_id, received, session_id, code, alert_type, "
                + "format, mark, source, correlator, alert_data FROM cdm_alert WHERE device_id = ? "
                + "ORDER BY alert_id DESC")) {
            ps.setString(1, deviceId);
            ps.setMaxRows(Math.max(0, limit));
            List<DeviceAlert> out = new ArrayList<>();
            if (limit <= 0) {
                return out;
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new DeviceAlert(rs.getString(1), instant(rs, 2), rs.getString(3), rs.getInt(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                            rs.getString(10)));
                }
            }
            return out;
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }
}
