package org.cardinaldm.server.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.cardinaldm.server.api.audit.AuditEntry;

/**
 * The SQL of the operators' audit log (table {@code cdm_audit}, schema version 5), run by
 * {@link JdbcServerStore} inside its transactions.
 */
final class AuditSql {
    private AuditSql() {
    }

    static long insert(Connection c, AuditEntry e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO cdm_audit (at, actor, channel, action, target, "
                + "outcome, origin) VALUES (?, ?, ?, ?, ?, ?, ?)", new String[] {"audit_id"})) {
            ps.setLong(1, e.time().toEpochMilli());
            ps.setString(2, e.user());
            ps.setString(3, e.channel().name());
            ps.setString(4, e.action());
            ps.setString(5, e.target());
            ps.setString(6, e.outcome());
            ps.setString(7, e.origin());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("the database gave no id to an audit entry");
                }
                return keys.getLong(1);
            }
        }
    }

    static List<AuditEntry> list(Connection c, long before, int limit) throws SQLException {
        List<AuditEntry> out = new ArrayList<>();
        if (limit <= 0) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT audit_id, at, actor, channel, action, target, outcome, "
                + "origin FROM cdm_audit" + (before > 0 ? " WHERE audit_id < ?" : "")
                + " ORDER BY audit_id DESC LIMIT " + limit)) {
            if (before > 0) {
                ps.setLong(1, before);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    AuditEntry.Channel channel;
                    try {
                        channel = AuditEntry.Channel.valueOf(rs.getString(4));
                    } catch (IllegalArgumentException e) {
                        throw new SQLException("audit entry " + rs.getLong(1) + " has an unknown channel", e);
                    }
                    out.add(new AuditEntry(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3),
                            channel, rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
        }
        return out;
    }

    static int prune(Connection c, Instant olderThan, long keepRows) throws SQLException {
        int removed = 0;
        if (olderThan != null) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM cdm_audit WHERE at < ?")) {
                ps.setLong(1, olderThan.toEpochMilli());
                removed += ps.executeUpdate();
            }
        }
        if (keepRows > 0) {
            long newestDropped = 0;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT audit_id FROM cdm_audit ORDER BY audit_id DESC LIMIT 1 OFFSET ?")) {
                ps.setLong(1, keepRows);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        newestDropped = rs.getLong(1);
                    }
                }
            }
            if (newestDropped > 0) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM cdm_audit WHERE audit_id <= ?")) {
                    ps.setLong(1, newestDropped);
                    removed += ps.executeUpdate();
                }
            }
        }
        return removed;
    }
}
