package org.cardinaldm.server.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.spi.ClaimedJob;

/**
 * The SQL of job claims seen by a node recovering the sessions of a lost node (columns {@code dispatched_by} and
 * {@code recoveries} of {@code cdm_job}, schema version 6), run by {@link JdbcServerStore} inside its transactions.
 * The dispatch mark and the release are conditional {@code UPDATE}s on the same row, so the row lock orders them:
 * either the mark comes first (and the job is no longer released as unsent) or the release does (and the mark fails,
 * so the lost node does not send the job).
 */
final class ClaimSql {
    private ClaimSql() {
    }

    static boolean markDispatched(Connection c, Collection<Long> jobIds, String owner) throws SQLException {
        if (jobIds.isEmpty()) {
            return true;
        }
        int marked = 0;
        try (PreparedStatement ps = c.prepareStatement("UPDATE cdm_job SET dispatched_by = ? WHERE job_id = ? "
                + "AND state = ? AND claim_owner = ?")) {
            for (long id : jobIds) {
                ps.setString(1, owner);
                ps.setLong(2, id);
                ps.setString(3, JobState.ACTIVE.name());
                ps.setString(4, owner);
                ps.addBatch();
            }
            for (int n : ps.executeBatch()) {
                marked += n == java.sql.Statement.SUCCESS_NO_INFO ? 1 : n;
            }
        }
        return marked == jobIds.size();
    }

    static List<ClaimedJob> claimed(Connection c) throws SQLException {
        List<ClaimedJob> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT job_id, device_id, claim_owner, claimed, dispatched_by, "
                + "recoveries FROM cdm_job WHERE state = ? AND claim_owner IS NOT NULL ORDER BY claimed, job_id")) {
            ps.setString(1, JobState.ACTIVE.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String owner = rs.getString(3);
                    long claimed = rs.getLong(4);
                    Instant at = rs.wasNull() ? Instant.EPOCH : Instant.ofEpochMilli(claimed);
                    out.add(new ClaimedJob(rs.getLong(1), rs.getString(2), owner, at, owner.equals(rs.getString(5)),
                            rs.getInt(6)));
                }
            }
        }
        return out;
    }

    static boolean release(Connection c, ClaimedJob claim, JobState state, Instant now) throws SQLException {
        if (state != JobState.PENDING && state != JobState.INTERRUPTED) {
            throw new IllegalArgumentException("a claim is released to PENDING or INTERRUPTED, not " + state);
        }
        String mark = claim.dispatched() ? "dispatched_by = claim_owner"
                : "(dispatched_by IS NULL OR dispatched_by <> claim_owner)";
        try (PreparedStatement ps = c.prepareStatement("UPDATE cdm_job SET state = ?, updated = ?, claim_owner = NULL, "
                + "claimed = NULL, recoveries = recoveries + ? WHERE job_id = ? AND state = ? AND claim_owner = ? AND "
                + mark)) {
            ps.setString(1, state.name());
            ps.setLong(2, now.toEpochMilli());
            ps.setInt(3, state == JobState.PENDING && claim.dispatched() ? 1 : 0);
            ps.setLong(4, claim.jobId());
            ps.setString(5, JobState.ACTIVE.name());
            ps.setString(6, claim.owner());
            return ps.executeUpdate() == 1;
        }
    }
}
