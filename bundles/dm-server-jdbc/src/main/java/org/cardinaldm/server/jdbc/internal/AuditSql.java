package org.cardinaldm.server.jdbc.internal;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.cardinaldm.server.api.audit.AuditEntry;
import org.cardinaldm.server.api.audit.AuditQuery;

/**
 * The SQL of the operators' audit log (table {@code cdm_audit}, schema version 5), run by
 * {@link JdbcServerStore} inside its transactions, and the filtered listing ({@link #query(ConnectionPool,
 * AuditQuery)}) the registry component answers {@link org.cardinaldm.server.api.audit.AuditQueryStore} with.
 */
public final class AuditSql {
    private static final String COLUMNS = "audit_id, at, actor, channel, action, target, outcome, origin";

    private AuditSql() {
    }

    /**
     * Lists the entries that match a query, newest first, in one transaction: every filter is a condition of the
     * same {@code SELECT} (the actor and target by equality, the action by {@code LOWER(action) LIKE '%text%'} with
     * the text's {@code %}, {@code _} and {@code \} escaped, the time range on the {@code at} index), the page by
     * {@code audit_id < after ... LIMIT n}, newest first: by the index of the target or actor when migration V007
     * made it ({@link #select}), else by the primary key.
     *
     * @param pool the registry's connections
     * @param query the filters and the page
     * @return the matching entries, newest first
     * @throws org.cardinaldm.server.api.spi.StoreException when the database fails
     */
    public static List<AuditEntry> query(ConnectionPool pool, AuditQuery query) {
        return Transactions.run(pool, "search of the audit log", c -> query(c, query));
    }

    static List<AuditEntry> query(Connection c, AuditQuery q) throws SQLException {
        List<Object> params = new ArrayList<>();
        String sql = select(q, q.target() != null || q.actor() != null ? indexes(c) : Set.of(), params);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            return read(ps);
        }
    }

    /**
     * @param q the query
     * @param indexed which of the columns {@code actor} and {@code target} the indexes of migration V007 cover
     * @param params receives the statement's parameters
     * @return the statement: a filter by target (else by actor) whose column is indexed is ordered by that column
     *         and then the id, both descending, which the index answers in order (the column is fixed, so the order
     *         is the same); otherwise by id descending, which the primary key answers
     */
    static String select(AuditQuery q, Set<String> indexed, List<Object> params) {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM cdm_audit WHERE 1 = 1");
        if (q.after() > 0) {
            sql.append(" AND audit_id < ?");
            params.add(q.after());
        }
        if (q.actor() != null) {
            sql.append(" AND actor = ?");
            params.add(q.actor());
        }
        if (q.action() != null) {
            sql.append(" AND LOWER(action) LIKE ? ESCAPE '\\'");
            params.add(FleetSql.containsPattern(AuditQuery.lower(q.action())));
        }
        if (q.target() != null) {
            sql.append(" AND target = ?");
            params.add(q.target());
        }
        if (q.since() != null) {
            sql.append(" AND at >= ?");
            params.add(q.since().toEpochMilli());
        }
        if (q.until() != null) {
            sql.append(" AND at < ?");
            params.add(q.until().toEpochMilli());
        }
        String first = q.target() != null && indexed.contains("target") ? "target DESC, "
                : q.actor() != null && indexed.contains("actor") ? "actor DESC, " : "";
        return sql.append(" ORDER BY ").append(first).append("audit_id DESC LIMIT ").append(q.limit()).toString();
    }

    /**
     * @param c a connection
     * @return {@code actor} and/or {@code target} when migration V007's index on that column (and the id) exists
     */
    static Set<String> indexes(Connection c) throws SQLException {
        Set<String> out = new HashSet<>();
        DatabaseMetaData meta = c.getMetaData();
        for (String table : new String[] {"cdm_audit", "CDM_AUDIT"}) { // PostgreSQL folds to lower case, H2 to upper
            try (ResultSet rs = meta.getIndexInfo(null, null, table, false, true)) {
                while (rs.next()) {
                    String name = rs.getString("INDEX_NAME");
                    if (name != null && name.equalsIgnoreCase("cdm_audit_actor")) {
                        out.add("actor");
                    } else if (name != null && name.equalsIgnoreCase("cdm_audit_target")) {
                        out.add("target");
                    }
                }
            }
        }
        return out;
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
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM cdm_audit"
                + (before > 0 ? " WHERE audit_id < ?" : "") + " ORDER BY audit_id DESC LIMIT " + limit)) {
            if (before > 0) {
                ps.setLong(1, before);
            }
            out.addAll(read(ps));
        }
        return out;
    }

    private static List<AuditEntry> read(PreparedStatement ps) throws SQLException {
        List<AuditEntry> out = new ArrayList<>();
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
