package org.cardinaldm.server.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The job retention's SQL ({@link JdbcServerStore#pruneJobs}): the oldest jobs that ended before a time, with their
 * operations, results, result items and asynchronous Execs, a bounded number per transaction. A job a firmware
 * campaign refers to ({@code cdm_campaign_device.job_id}) stays: the campaign's report reads it. The jobs are found
 * in the order of their ids (the primary key, no extra index to keep up on every state change): the oldest come
 * first, so a run stops as soon as it has its batch.
 */
final class JobRetentionSql {
    private static final String FIND = "SELECT j.job_id FROM cdm_job j WHERE j.state IN ('SUCCEEDED', 'FAILED', "
            + "'INTERRUPTED', 'CANCELLED') AND j.updated < ? AND NOT EXISTS (SELECT 1 FROM cdm_campaign_device d "
            + "WHERE d.job_id = j.job_id) ORDER BY j.job_id LIMIT ?";
    /** The rows of a job, before the job: not every database cascades through two levels of foreign keys alike. */
    private static final List<String> DELETE_CHILDREN = List.of("DELETE FROM cdm_result_item WHERE job_id = ?",
            "DELETE FROM cdm_result WHERE job_id = ?", "DELETE FROM cdm_operation WHERE job_id = ?",
            "DELETE FROM cdm_async_exec WHERE job_id = ?");

    private JobRetentionSql() {
    }

    /**
     * @param c a connection in a transaction
     * @param endedBefore jobs whose last change is older are removed
     * @param max the most jobs removed
     * @return how many jobs were removed
     * @throws SQLException when the database fails
     */
    static int prune(Connection c, Instant endedBefore, int max) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(FIND)) {
            ps.setLong(1, endedBefore.toEpochMilli());
            ps.setInt(2, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        for (String sql : DELETE_CHILDREN) {
            deleteEach(c, sql, ids);
        }
        int removed = 0;
        for (int n : deleteEach(c, "DELETE FROM cdm_job WHERE job_id = ?", ids)) {
            removed += Math.max(0, n);
        }
        return removed;
    }

    /** @return the update counts of {@code sql} run once per id, in one batch */
    private static int[] deleteEach(Connection c, String sql, List<Long> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (long id : ids) {
                ps.setLong(1, id);
                ps.addBatch();
            }
            return ps.executeBatch();
        }
    }
}
