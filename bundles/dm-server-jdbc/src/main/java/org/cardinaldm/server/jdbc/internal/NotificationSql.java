package org.cardinaldm.server.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.cardinaldm.server.api.NotificationRecord;
import org.cardinaldm.server.api.NotificationState;
import org.cardinaldm.server.api.NotificationUi;
import org.cardinaldm.server.api.spi.StoredNotification;

/**
 * The SQL of package-0 notifications (table {@code cdm_notification}, schema version 6), run by
 * {@link JdbcServerStore} inside its transactions. A retry is claimed by a conditional {@code UPDATE} on the state
 * and the attempt count, so of several nodes retrying at once one sends it.
 */
final class NotificationSql {
    private static final String COLUMNS = "device_id, session_id, address, ui, first_sent, last_sent, attempts, state, "
            + "detail";
    private static final int MAX_DETAIL = 512;

    private NotificationSql() {
    }

    static long insert(Connection c, NotificationRecord r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO cdm_notification (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", new String[] {"notification_id"})) {
            bind(ps, r);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("the database gave no id to a notification");
                }
                return keys.getLong(1);
            }
        }
    }

    private static void bind(PreparedStatement ps, NotificationRecord r) throws SQLException {
        ps.setString(1, r.deviceId());
        ps.setString(2, r.sessionId());
        ps.setString(3, r.address() == null ? "" : r.address());
        ps.setString(4, (r.ui() == null ? NotificationUi.NOT_SPECIFIED : r.ui()).name());
        ps.setLong(5, r.firstSent().toEpochMilli());
        ps.setLong(6, r.lastSent().toEpochMilli());
        ps.setInt(7, r.attempts());
        ps.setString(8, r.state().name());
        ps.setString(9, r.detail() == null || r.detail().length() <= MAX_DETAIL ? r.detail()
                : r.detail().substring(0, MAX_DETAIL));
    }

    static boolean update(Connection c, long id, NotificationState expectedState, int expectedAttempts,
            NotificationRecord next) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE cdm_notification SET device_id = ?, session_id = ?, "
                + "address = ?, ui = ?, first_sent = ?, last_sent = ?, attempts = ?, state = ?, detail = ? "
                + "WHERE notification_id = ? AND state = ? AND attempts = ?")) {
            bind(ps, next);
            ps.setLong(10, id);
            ps.setString(11, expectedState.name());
            ps.setInt(12, expectedAttempts);
            return ps.executeUpdate() == 1;
        }
    }

    static List<StoredNotification> due(Connection c, Instant sentBefore, int max) throws SQLException {
        List<StoredNotification> out = new ArrayList<>();
        if (max <= 0) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT notification_id, " + COLUMNS + " FROM cdm_notification "
                + "WHERE state = ? AND last_sent < ? ORDER BY last_sent, notification_id LIMIT " + max)) {
            ps.setString(1, NotificationState.SENT.name());
            ps.setLong(2, sentBefore.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredNotification(rs.getLong(1), read(rs)));
                }
            }
        }
        return out;
    }

    static List<NotificationRecord> list(Connection c, String deviceId, int limit) throws SQLException {
        List<NotificationRecord> out = new ArrayList<>();
        if (limit <= 0) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT notification_id, " + COLUMNS + " FROM cdm_notification"
                + (deviceId == null ? "" : " WHERE device_id = ?") + " ORDER BY notification_id DESC LIMIT " + limit)) {
            if (deviceId != null) {
                ps.setString(1, deviceId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
        }
        return out;
    }

    static int answer(Connection c, String deviceId, String sessionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE cdm_notification SET state = ?, detail = NULL "
                + "WHERE device_id = ? AND session_id = ? AND state = ?")) {
            ps.setString(1, NotificationState.ANSWERED.name());
            ps.setString(2, deviceId);
            ps.setString(3, sessionId.trim().toUpperCase(java.util.Locale.ROOT));
            ps.setString(4, NotificationState.SENT.name());
            return ps.executeUpdate();
        }
    }

    static int prune(Connection c, Instant before) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM cdm_notification WHERE first_sent < ?")) {
            ps.setLong(1, before.toEpochMilli());
            return ps.executeUpdate();
        }
    }

    /** Reads the columns after the id. */
    private static NotificationRecord read(ResultSet rs) throws SQLException {
        try {
            return new NotificationRecord(rs.getString(2), rs.getString(3), rs.getString(4),
                    NotificationUi.valueOf(rs.getString(5)), Instant.ofEpochMilli(rs.getLong(6)),
                    Instant.ofEpochMilli(rs.getLong(7)), rs.getInt(8), NotificationState.valueOf(rs.getString(9)),
                    rs.getString(10));
        } catch (IllegalArgumentException e) {
            throw new SQLException("notification " + rs.getLong(1) + " has an unknown state or ui-mode", e);
        }
    }
}
