package org.cardinaldm.server.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.cardinaldm.server.api.ServerNode;

/**
 * The SQL of the node registry (table {@code cdm_node}, schema version 6), run by {@link JdbcServerStore} inside its
 * transactions. A beat and the declaration of a death are single conditional {@code UPDATE}s, so that of two nodes
 * declaring a third dead at once one wins, and a node that beat meanwhile is not declared.
 */
final class NodeSql {
    private static final String COLUMNS = "node_id, incarnation, started, last_beat, beats, state, ended";

    private NodeSql() {
    }

    static boolean insert(Connection c, ServerNode n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO cdm_node (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, n.nodeId());
            ps.setString(2, n.incarnation());
            ps.setLong(3, n.started().toEpochMilli());
            ps.setLong(4, n.lastBeat().toEpochMilli());
            ps.setLong(5, n.beats());
            ps.setString(6, n.state().name());
            if (n.ended() == null) {
                ps.setNull(7, java.sql.Types.BIGINT);
            } else {
                ps.setLong(7, n.ended().toEpochMilli());
            }
            ps.executeUpdate();
            return true;
        }
    }

    static boolean beat(Connection c, String nodeId, String incarnation, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE cdm_node SET beats = beats + 1, last_beat = ? "
                + "WHERE node_id = ? AND incarnation = ? AND state = ?")) {
            ps.setLong(1, now.toEpochMilli());
            ps.setString(2, nodeId);
            ps.setString(3, incarnation);
            ps.setString(4, ServerNode.State.ALIVE.name());
            return ps.executeUpdate() == 1;
        }
    }

    static List<ServerNode> list(Connection c) throws SQLException {
        List<ServerNode> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM cdm_node ORDER BY node_id, started, "
                + "incarnation"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ServerNode.State state;
                try {
                    state = ServerNode.State.valueOf(rs.getString(6));
                } catch (IllegalArgumentException e) {
                    throw new SQLException("node " + rs.getString(1) + " has an unknown state", e);
                }
                long endedMillis = rs.getLong(7);
                Instant ended = rs.wasNull() ? null : Instant.ofEpochMilli(endedMillis);
                out.add(new ServerNode(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                        Instant.ofEpochMilli(rs.getLong(4)), rs.getLong(5), state, ended));
            }
        }
        return out;
    }

    static boolean end(Connection c, String nodeId, String incarnation, long beats, ServerNode.State state,
            Instant now) throws SQLException {
        if (state == ServerNode.State.ALIVE) {
            throw new IllegalArgumentException("a node ends STOPPED or DEAD");
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE cdm_node SET state = ?, ended = ? WHERE node_id = ? "
                + "AND incarnation = ? AND state = ?" + (beats >= 0 ? " AND beats = ?" : ""))) {
            ps.setString(1, state.name());
            ps.setLong(2, now.toEpochMilli());
            ps.setString(3, nodeId);
            ps.setString(4, incarnation);
            ps.setString(5, ServerNode.State.ALIVE.name());
            if (beats >= 0) {
                ps.setLong(6, beats);
            }
            return ps.executeUpdate() == 1;
        }
    }

    static int prune(Connection c, Instant endedBefore) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM cdm_node WHERE ended IS NOT NULL AND ended < ?")) {
            ps.setLong(1, endedBefore.toEpochMilli());
            return ps.executeUpdate();
        }
    }
}
