package org.cardinaldm.server.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.cardinaldm.server.api.audit.AuditQuery;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** The audit log's filtered listing on embedded H2 (always runs). */
class H2AuditQueryTest extends AuditQueryContract {
    private final String url = "jdbc:h2:mem:audit-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";

    @Override
    ConnectionPool newPool() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url);
        return new ConnectionPool(ds, 4, 10_000);
    }

    @Override
    void wipe() {
        // a fresh in-memory database per test instance
    }

    @Test
    void after_migration_7_h2_answers_a_filter_by_user_or_target_from_its_index_in_order() throws Exception {
        migrateTo7();
        for (AuditQuery q : List.of(AuditQuery.newest().withActor("alice"), AuditQuery.newest().withTarget("IMEI:1"),
                AuditQuery.newest().withActor("bob").page(99, 10))) {
            try (Connection c = pool.borrow(); Statement st = c.createStatement()) {
                List<Object> params = new ArrayList<>();
                String sql = AuditSql.select(q, AuditSql.indexes(c), params);
                for (Object p : params) {
                    sql = sql.replaceFirst("\\?", p instanceof String t ? "'" + t + "'" : String.valueOf(p));
                }
                try (ResultSet rs = st.executeQuery("EXPLAIN " + sql)) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).as(sql).contains(q.target() != null ? "CDM_AUDIT_TARGET" : "CDM_AUDIT_ACTOR")
                            .contains("/* index sorted */");
                }
            }
        }
        // both: H2 picks one of the two indexes by its costs, and sorts the few rows of both when it picks the user's
        try (Connection c = pool.borrow(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("EXPLAIN SELECT audit_id FROM cdm_audit WHERE actor = 'alice' "
                        + "AND target = 'IMEI:1' ORDER BY target DESC, audit_id DESC LIMIT 10")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).containsAnyOf("CDM_AUDIT_TARGET", "CDM_AUDIT_ACTOR");
        }
    }
}
