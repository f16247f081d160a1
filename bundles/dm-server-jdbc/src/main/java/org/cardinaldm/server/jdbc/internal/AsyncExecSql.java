package org.cardinaldm.server.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.cardinaldm.server.api.AsyncExec;
import org.cardinaldm.server.api.AsyncReport;

/**
 * The SQL of asynchronous Execs (table {@code cdm_async_exec}, migration V003), run by {@link JdbcServerStore}
 * inside its transactions. Changes are conditional on the expected state and on no report being stored yet,
 * so two nodes (or a 1226 and the timeout sweeper) never both win.
 */
final class AsyncExecSql {
    private static final String COLUMNS = "device_id, correlator, job_id, idx, target, sent, deadline, state, "
            + "result_code, result_meaning, result_success, alert_type, alert_source, alert_target, alert_mark, "
            + "received, late";

    private AsyncExecSql() {
    }

    /** @return false when the device already has that correlator, or the device or job is gone */
    static boolean insert(Connection c, AsyncExec e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO cdm_async_exec (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, e.deviceId());
            ps.setString(2, e.correlator());
            ps.setLong(3, e.jobId());
            ps.setInt(4, e.index());
            ps.setString(5, e.target());
            ps.setLong(6, e.sent().toEpochMilli());
            ps.setLong(7, e.deadline().toEpochMilli());
            ps.setString(8, e.state().name());
            setReport(ps, 9, e.report());
            try {
                return ps.executeUpdate() == 1;
            } catch (SQLException x) {
                if (x.getSQLState() != null && x.getSQLState().startsWith("23")) {
                    return false; // unique correlator, or the device or job was removed meanwhile
                }
                throw x;
            }
        }
    }

    static Optional<AsyncExec> find(Connection c, String deviceId, String correlator) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM cdm_async_exec WHERE device_id = ? AND correlator = ?")) {
            ps.setString(1, deviceId);
            ps.setString(2, correlator);
            List<AsyncExec> out = read(ps);
            return out.isEmpty() ? Optional.empty() : Optional.of(out.get(0));
        }
    }

    static List<AsyncExec> ofJob(Connection c, long jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM cdm_async_exec WHERE job_id = ? ORDER BY idx")) {
            ps.setLong(1, jobId);
            return read(ps);
        }
    }

    static List<AsyncExec> overdue(Connection c, Instant now, int max) throws SQLException {
        if (max <= 0) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM cdm_async_exec "
                + "WHERE state = ? AND deadline <= ? ORDER BY deadline, job_id, idx")) {
            ps.setString(1, AsyncExec.State.WAITING.name());
            ps.setLong(2, now.toEpochMilli());
            ps.setMaxRows(max);
            return read(ps);
        }
    }

    static boolean update(Connection c, String deviceId, String correlator, AsyncExec.State expected,
            AsyncExec changed) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE cdm_async_exec SET state = ?, result_code = ?, "
                + "result_meaning = ?, result_success = ?, alert_type = ?, alert_source = ?, alert_target = ?, "
                + "alert_mark = ?, received = ?, late = ? "
                + "WHERE device_id = ? AND correlator = ? AND state = ? AND received IS NULL")) {
            ps.setString(1, changed.state().name());
            setReport(ps, 2, changed.report());
            ps.setString(11, deviceId);
            ps.setString(12, correlator);
            ps.setString(13, expected.name());
            return ps.executeUpdate() == 1;
        }
    }

    /** Sets the nine report columns from {@code first} on. */
    private static void setReport(PreparedStatement ps, int first, AsyncReport r) throws SQLException {
        if (r == null) {
            ps.setNull(first, Types.INTEGER);
            ps.setNull(first + 1, Types.VARCHAR);
            ps.setNull(first + 2, Types.BOOLEAN);
            ps.setNull(first + 3, Types.VARCHAR);
            ps.setNull(first + 4, Types.VARCHAR);
            ps.setNull(first + 5, Types.VARCHAR);
            ps.setNull(first + 6, Types.VARCHAR);
            ps.setNull(first + 7, Types.BIGINT);
            ps.setNull(first + 8, Types.BOOLEAN);
            return;
        }
        ps.setInt(first, r.code());
        ps.setString(first + 1, cut(r.meaning(), 512));
        ps.setBoolean(first + 2, r.success());
        ps.setString(first + 3, cut(r.alertType(), 512));
        ps.setString(first + 4, cut(r.source(), 4096));
        ps.setString(first + 5, cut(r.target(), 4096));
        ps.setString(first + 6, cut(r.mark(), 32));
        ps.setLong(first + 7, r.received().toEpochMilli());
        ps.setBoolean(first + 8, r.late());
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private static List<AsyncExec> read(PreparedStatement ps) throws SQLException {
        List<AsyncExec> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                AsyncReport report = null;
                long received = rs.getLong(16);
                if (!rs.wasNull()) {
                    report = new AsyncReport(rs.getInt(9), rs.getString(10), rs.getBoolean(11), rs.getString(12),
                            rs.getString(13), rs.getString(14), rs.getString(15), Instant.ofEpochMilli(received),
                            rs.getBoolean(17));
                }
                out.add(new AsyncExec(rs.getString(2), rs.getString(1), rs.getLong(3), rs.getInt(4), rs.getString(5),
                        Instant.ofEpochMilli(rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(7)),
                        AsyncExec.State.valueOf(rs.getString(8)), report));
            }
        }
        return out;
    }
}
