package org.cardinaldm.server.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.cardinaldm.server.api.audit.AuditEntry;
import org.cardinaldm.server.api.audit.AuditQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit log's filtered listing in SQL ({@link AuditSql#query(ConnectionPool, AuditQuery)}), on each database:
 * for a log with awkward texts it answers exactly what {@link AuditQuery#matches} selects from the whole log, newest
 * first, and its keyset pages cover that answer once.
 */
abstract class AuditQueryContract {
    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    static final String[] USERS = {"alice", "bob", "Alice", "o'brien"};
    static final String[] ACTIONS = {"POST /devices/IMEI:1/jobs", "dms:device-unlock --disable", "DELETE /jobs/7",
        "dms:job-add get ./DevInfo/Mod", "POST /campaigns/3/pause", "PUT /x/100%_done\\now", "post /Devices/upper"};
    static final String[] TARGETS = {"IMEI:1", "IMEI:2", null, "7", "IMEI:10"};

    ConnectionPool pool;
    JdbcServerStore store;
    final List<AuditEntry> all = new ArrayList<>(); // newest first, as stored

    abstract ConnectionPool newPool();

    abstract void wipe();

    @BeforeEach
    void open() {
        wipe();
        pool = newPool();
        store = JdbcServerStore.open(pool);
        for (int i = 0; i < 140; i++) {
            AuditEntry e = new AuditEntry(0, T0.plusSeconds(60L * i), USERS[i % USERS.length],
                    AuditEntry.Channel.values()[i % 3], ACTIONS[i % ACTIONS.length], TARGETS[i % TARGETS.length],
                    "ok", "127.0.0.1");
            all.add(0, e.withId(store.insertAudit(e)));
        }
    }

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
    }

    private List<AuditEntry> expected(AuditQuery q) {
        return all.stream().filter(q::matches).filter(e -> q.after() == 0 || e.id() < q.after()).limit(q.limit())
                .toList();
    }

    private List<AuditEntry> walk(AuditQuery q, int pageSize) {
        List<AuditEntry> out = new ArrayList<>();
        long after = 0;
        while (true) {
            List<AuditEntry> page = AuditSql.query(pool, q.page(after, pageSize));
            assertThat(page.size()).isLessThanOrEqualTo(pageSize);
            out.addAll(page);
            if (page.size() < pageSize) {
                return out;
            }
            after = page.get(page.size() - 1).id();
        }
    }

    @Test
    void each_filter_and_their_combinations_answer_what_the_query_matches() {
        Instant mid = T0.plusSeconds(60L * 70);
        List<AuditQuery> queries = List.of(
                AuditQuery.newest().page(0, 500),
                AuditQuery.newest().withActor("alice").page(0, 500),
                AuditQuery.newest().withActor("Alice").page(0, 500),
                AuditQuery.newest().withActor("o'brien").page(0, 500),
                AuditQuery.newest().withAction("post /devices").page(0, 500),
                AuditQuery.newest().withAction("JOBS").page(0, 500),
                AuditQuery.newest().withAction("dms:").withTarget("IMEI:1").page(0, 500),
                AuditQuery.newest().withTarget("IMEI:1").page(0, 500),
                AuditQuery.newest().withTarget("7").page(0, 500),
                AuditQuery.newest().between(mid, null).page(0, 500),
                AuditQuery.newest().between(null, mid).page(0, 500),
                AuditQuery.newest().between(mid, mid.plusSeconds(600)).withActor("bob").page(0, 500),
                AuditQuery.newest().withActor("bob").withAction("unlock").withTarget("IMEI:2")
                        .between(T0, T0.plusSeconds(60L * 139)).page(0, 500),
                AuditQuery.newest().withActor("alice").page(0, 3));
        for (AuditQuery q : queries) {
            List<AuditEntry> want = expected(q);
            assertThat(AuditSql.query(pool, q)).as(q.toString()).isEqualTo(want);
            try (Connection c = pool.borrow()) {
                assertThat(AuditSql.query(c, q)).as(q.toString()).isEqualTo(want); // indexes looked up again
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        // the filters select something, and not everything
        assertThat(expected(queries.get(1))).hasSizeBetween(1, 139);
        assertThat(expected(queries.get(12))).isNotEmpty();
    }

    @Test
    void keyset_pages_of_a_filtered_listing_cover_its_answer_once_newest_first() {
        AuditQuery q = AuditQuery.newest().withAction("post").page(0, 500);
        List<AuditEntry> want = expected(q);
        assertThat(want).hasSizeGreaterThan(20);
        assertThat(walk(q, 7)).isEqualTo(want);
        assertThat(walk(q, 1)).isEqualTo(want);
        assertThat(walk(q, want.size())).isEqualTo(want);
    }

    /** Checks that the store's migrations created V007's indexes (the user and target filters). */
    void migrateTo7() throws Exception {
        try (Connection c = pool.borrow()) {
            assertThat(AuditSql.indexes(c)).containsExactlyInAnyOrder("actor", "target");
        }
    }

    @Test
    void without_the_indexes_of_migration_7_every_filter_answers_the_same_in_the_same_pages() throws Exception {
        try (Connection c = pool.borrow(); Statement st = c.createStatement()) {
            st.execute("DROP INDEX cdm_audit_actor");
            st.execute("DROP INDEX cdm_audit_target");
            c.commit();
            assertThat(AuditSql.indexes(c)).isEmpty();
        }
        each_filter_and_their_combinations_answer_what_the_query_matches();
        List<AuditEntry> want = expected(AuditQuery.newest().withActor("alice").page(0, 500));
        assertThat(want).isNotEmpty();
        assertThat(walk(AuditQuery.newest().withActor("alice").page(0, 500), 3)).isEqualTo(want);
    }

    @Test
    void with_the_indexes_of_migration_7_every_filter_answers_the_same_in_the_same_pages() throws Exception {
        migrateTo7();
        each_filter_and_their_combinations_answer_what_the_query_matches();
        for (AuditQuery q : List.of(AuditQuery.newest().withActor("alice").page(0, 500),
                AuditQuery.newest().withTarget("IMEI:1").page(0, 500),
                AuditQuery.newest().withActor("bob").withTarget("IMEI:2").page(0, 500),
                AuditQuery.newest().withActor("alice").withAction("post").between(T0.plusSeconds(600), null)
                        .page(0, 500))) {
            List<AuditEntry> want = expected(q);
            assertThat(want).as(q.toString()).isNotEmpty();
            assertThat(walk(q, 3)).as(q.toString()).isEqualTo(want);
        }
    }

    @Test
    void a_filtered_page_is_ordered_by_the_index_of_its_target_or_user_only_when_that_index_exists() {
        List<Object> params = new ArrayList<>();
        AuditQuery both = AuditQuery.newest().withActor("alice").withTarget("IMEI:1");
        assertThat(AuditSql.select(both, Set.of(), params)).endsWith(" ORDER BY audit_id DESC LIMIT 50");
        assertThat(AuditSql.select(both, Set.of("actor", "target"), params))
                .endsWith(" ORDER BY target DESC, audit_id DESC LIMIT 50");
        assertThat(AuditSql.select(both, Set.of("actor"), params)).endsWith(" ORDER BY actor DESC, audit_id DESC LIMIT 50");
        assertThat(AuditSql.select(AuditQuery.newest().withAction("x"), Set.of("actor", "target"), params))
                .endsWith(" ORDER BY audit_id DESC LIMIT 50");
    }

    @Test
    void the_time_range_includes_since_and_excludes_until() {
        Instant at = all.get(10).time();
        assertThat(AuditSql.query(pool, AuditQuery.newest().between(at, at.plusMillis(1))))
                .containsExactly(all.get(10));
        assertThat(AuditSql.query(pool, AuditQuery.newest().between(at.minusMillis(1), at))).isEmpty();
    }

    @Test
    void like_wildcards_and_quotes_in_filters_are_plain_characters() {
        assertThat(AuditSql.query(pool, AuditQuery.newest().withAction("%").page(0, 500)))
                .isNotEmpty().allSatisfy(e -> assertThat(e.action()).isEqualTo("PUT /x/100%_done\\now"));
        assertThat(AuditSql.query(pool, AuditQuery.newest().withAction("0%_d").page(0, 500))).isNotEmpty();
        assertThat(AuditSql.query(pool, AuditQuery.newest().withAction("_").page(0, 500)))
                .allSatisfy(e -> assertThat(e.action()).contains("_"));
        assertThat(AuditSql.query(pool, AuditQuery.newest().withAction("\\n").page(0, 500)))
                .isNotEmpty().allSatisfy(e -> assertThat(e.action()).contains("\\n"));
        assertThat(AuditSql.query(pool, AuditQuery.newest().withActor("' OR '1'='1"))).isEmpty();
        assertThat(AuditSql.query(pool, AuditQuery.newest().withTarget("x'; DROP TABLE cdm_audit; --"))).isEmpty();
        assertThat(store.auditEntries(0, 500)).hasSize(all.size());
    }
}
