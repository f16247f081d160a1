package org.cardinaldm.server.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.cardinaldm.server.api.AsyncExec;
import org.cardinaldm.server.api.AsyncReport;
import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.DeviceAlert;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationResult;
import org.cardinaldm.server.api.ResultItem;
import org.cardinaldm.server.api.spi.DeviceRecord;
import org.cardinaldm.server.api.spi.StoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every database must show; subclasses supply the database. */
abstract class StoreContract {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    ConnectionPool pool;
    JdbcServerStore store;

    /** @return a fresh, empty database's connection pool (a new one on each call for the same database) */
    abstract ConnectionPool newPool();

    /** Removes every table (for databases that outlive a test). */
    abstract void wipe();

    @BeforeEach
    void open() {
        wipe();
        pool = newPool();
        store = JdbcServerStore.open(pool);
    }

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
    }

    static DeviceRecord device(String id) {
        return new DeviceRecord(id, "card-" + id, Map.of("./DevInfo/Man", "Acme", "./DevInfo/Mod", "X1"), T0,
                T0.plusSeconds(60), AuthScheme.MD5, "user-" + id, "ZGlnZXN0Y2xpZW50PT0=", "bm9uY2U=",
                AuthScheme.BASIC, "cardinal", "ZGlnZXN0c2VydmVyPT0=", "plain", "c25vbmNl", true, 1, 7,
                T0.plusSeconds(900), "udp:127.0.0.1:2948");
    }

    @Test
    void the_schema_is_migrated_once_and_reopening_keeps_its_version() throws Exception {
        try (Connection c = pool.borrow()) {
            assertThat(Migrations.current(c)).isEqualTo(Migrations.latest());
            assertThat(Migrations.migrate(c, store.dialect())).isEqualTo(Migrations.latest());
        }
        store.insertDevice(device("a"));
        JdbcServerStore again = JdbcServerStore.open(pool);
        assertThat(again.device("a")).isPresent();
    }

    @Test
    void a_device_is_stored_with_every_field() {
        assertThat(store.insertDevice(device("IMEI:1"))).isTrue();
        assertThat(store.insertDevice(device("IMEI:1"))).isFalse();
        assertThat(store.device("IMEI:1")).contains(device("IMEI:1"));
        assertThat(store.device("IMEI:2")).isEmpty();
        DeviceRecord bare = new DeviceRecord("IMEI:3", null, null, null, null, AuthScheme.HMAC, "u", "d", null,
                AuthScheme.MD5, "s", "sd", null, null, false, 0, 0, null, null);
        store.insertDevice(bare);
        assertThat(store.devices()).extracting(DeviceRecord::deviceId).containsExactly("IMEI:1", "IMEI:3");
        assertThat(store.device("IMEI:3")).contains(bare);
    }

    @Test
    void updates_change_fields_and_reported_values() {
        store.insertDevice(device("d"));
        DeviceRecord r = store.updateDevice("d", x -> x.toBuilder().devInfo(Map.of("./DevInfo/Man", "Other",
                "./DevInfo/Lang", "fr")).lockedUntil(null).clientNonce("bmV3").build()).orElseThrow();
        assertThat(store.device("d")).contains(r);
        assertThat(r.devInfo()).containsOnly(Map.entry("./DevInfo/Man", "Other"), Map.entry("./DevInfo/Lang", "fr"));
        assertThat(store.updateDevice("ghost", x -> x)).isEmpty();
        assertThatThrownBy(() -> store.updateDevice("d", x -> device("other")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.device("d").orElseThrow().clientNonce()).isEqualTo("bmV3");
    }

    @Test
    void concurrent_updates_of_one_device_are_not_lost() throws Exception {
        store.insertDevice(device("d").toBuilder().authFailures(0).build());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        store.updateDevice("d", x -> x.toBuilder().authFailures(x.authFailures() + 1).build());
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.device("d").orElseThrow().authFailures()).isEqualTo(200);
    }

    @Test
    void jobs_keep_their_operations_with_atomic_nesting_and_newest_come_first() {
        store.insertDevice(device("d"));
        List<Operation> ops = List.of(Operation.get("./DevInfo/Mod"),
                Operation.atomic(List.of(Operation.add("./SmartCard/MO/A", "1", "int"), Operation.copy("./S", "./T"))),
                Operation.exec("./Reboot", "now", "c-1"), Operation.addInterior("./N"),
                Operation.replace("./X", "é\u0000\uD83D\uDE00".replace("\u0000", ""), "chr").withType("text/plain"));
        Job a = store.createJob("d", "first", ops, T0);
        Job b = store.createJob("d", null, List.of(Operation.delete("./Y")), T0.plusSeconds(1));
        assertThat(b.id()).isGreaterThan(a.id());
        Job read = store.job(a.id()).orElseThrow();
        assertThat(read.operations()).isEqualTo(ops);
        assertThat(read.description()).isEqualTo("first");
        assertThat(read.state()).isEqualTo(JobState.PENDING);
        assertThat(read.created()).isEqualTo(T0);
        assertThat(store.jobs("d", 10)).extracting(Job::id).containsExactly(b.id(), a.id());
        assertThat(store.jobs(null, 1)).extracting(Job::id).containsExactly(b.id());
        assertThat(store.jobs("d", 0)).isEmpty();
        assertThatThrownBy(() -> store.createJob("ghost", null, ops, T0)).isInstanceOf(RuntimeException.class);
    }

    @Test
    void claims_take_pending_jobs_in_order_once_and_release_gives_them_back() {
        store.insertDevice(device("d"));
        store.insertDevice(device("e"));
        Job j1 = store.createJob("d", null, List.of(Operation.get("./1")), T0);
        Job j2 = store.createJob("d", null, List.of(Operation.get("./2")), T0);
        Job j3 = store.createJob("d", null, List.of(Operation.get("./3")), T0);
        store.createJob("e", null, List.of(Operation.get("./other")), T0);
        List<Job> first = store.claimJobs("d", "n1/s", 2, T0);
        assertThat(first).extracting(Job::id).containsExactly(j1.id(), j2.id());
        assertThat(first).extracting(Job::state).containsOnly(JobState.ACTIVE);
        assertThat(first.get(1).operations()).extracting(Operation::target).containsExactly("./2");
        assertThat(store.claimJobs("d", "n1/t", 5, T0)).extracting(Job::id).containsExactly(j3.id());
        assertThat(store.claimJobs("d", "n2/u", 5, T0)).isEmpty();
        assertThat(store.job(j1.id()).orElseThrow().state()).isEqualTo(JobState.ACTIVE);
        assertThat(store.releaseJob(j1.id(), "someone-else", T0)).isFalse();
        assertThat(store.releaseJob(j1.id(), "n1/s", T0)).isTrue();
        assertThat(store.claimJobs("d", "n2/u", 5, T0)).extracting(Job::id).containsExactly(j1.id());
        assertThat(store.transitionJob(j2.id(), JobState.PENDING, JobState.CANCELLED, T0)).isFalse();
        assertThat(store.transitionJob(j2.id(), JobState.ACTIVE, JobState.SUCCEEDED, T0)).isTrue();
        assertThat(store.job(j2.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void two_nodes_claiming_at_once_never_take_a_job_twice() throws Exception {
        store.insertDevice(device("d"));
        int jobs = 120;
        for (int i = 0; i < jobs; i++) {
            store.createJob("d", null, List.of(Operation.get("./" + i)), T0);
        }
        ConnectionPool otherPool = newPool();
        JdbcServerStore otherNode = JdbcServerStore.open(otherPool);
        ExecutorService exec = Executors.newFixedThreadPool(6);
        Set<Long> claimed = Collections.synchronizedSet(new HashSet<>());
        List<Long> duplicates = Collections.synchronizedList(new ArrayList<>());
        try {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                JdbcServerStore node = t % 2 == 0 ? store : otherNode;
                String owner = "node" + (t % 2) + "/" + t;
                tasks.add(() -> {
                    while (true) {
                        List<Job> got = node.claimJobs("d", owner, 3, T0);
                        if (got.isEmpty()) {
                            // another claimer may hold rows still: finish only when nothing is pending
                            if (node.jobs("d", jobs).stream().noneMatch(j -> j.state() == JobState.PENDING)) {
                                return null;
                            }
                            continue;
                        }
                        for (Job j : got) {
                            if (!claimed.add(j.id())) {
                                duplicates.add(j.id());
                            }
                        }
                    }
                });
            }
            for (Future<Void> f : exec.invokeAll(tasks)) {
                f.get();
            }
        } finally {
            exec.shutdownNow();
            otherPool.close();
        }
        assertThat(duplicates).isEmpty();
        assertThat(claimed).hasSize(jobs);
        assertThat(store.jobs("d", jobs)).extracting(Job::state).containsOnly(JobState.ACTIVE);
    }

    @Test
    void the_job_retention_removes_old_ended_jobs_with_their_rows_and_keeps_the_rest() throws Exception {
        store.insertDevice(device("d"));
        Job old = store.createJob("d", "old", List.of(Operation.get("./A"), Operation.get("./B")), T0);
        store.recordResult(new OperationResult(old.id(), 0, 200,
                List.of(new ResultItem("./A", "chr", "text/plain", "v", false)), T0.plusSeconds(1)));
        assertThat(store.transitionJob(old.id(), JobState.PENDING, JobState.SUCCEEDED, T0.plusSeconds(10))).isTrue();
        Job cancelled = store.createJob("d", "cancelled", List.of(Operation.get("./C")), T0);
        store.transitionJob(cancelled.id(), JobState.PENDING, JobState.CANCELLED, T0.plusSeconds(20));
        Job recent = store.createJob("d", "recent", List.of(Operation.get("./D")), T0);
        store.transitionJob(recent.id(), JobState.PENDING, JobState.FAILED, T0.plusSeconds(500));
        Job waiting = store.createJob("d", "still pending", List.of(Operation.get("./E")), T0);
        Job ofCampaign = store.createJob("d", "campaign's", List.of(Operation.get("./F")), T0);
        store.transitionJob(ofCampaign.id(), JobState.PENDING, JobState.SUCCEEDED, T0.plusSeconds(10));
        try (Connection c = pool.borrow(); java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO cdm_campaign (id, name, package_file, success_threshold, error_threshold, "
                    + "fumo_instance, consent, pkg_name, pkg_version, pkg_length, pkg_sha256, pkg_url, state, "
                    + "wave_sizes, current_wave, errors_accepted_wave, created, updated, version) VALUES (1, 'c', 'f', "
                    + "90, 10, 'x', FALSE, 'n', '1', 1, 'h', 'u', 'DONE', '[]', 0, 0, 0, 0, 0)");
            st.executeUpdate("INSERT INTO cdm_campaign_device (campaign_id, device_id, wave, state, job_id, updated) "
                    + "VALUES (1, 'd', 0, 'SUCCEEDED', " + ofCampaign.id() + ", 0)");
            c.commit();
        }

        assertThat(store.pruneJobs(T0.plusSeconds(100), 1)).as("one per call at most").isEqualTo(1);
        assertThat(store.job(old.id())).as("the oldest id goes first").isEmpty();
        assertThat(store.pruneJobs(T0.plusSeconds(100), 10)).isEqualTo(1);
        assertThat(store.pruneJobs(T0.plusSeconds(100), 10)).isZero();
        assertThat(store.job(cancelled.id())).isEmpty();
        assertThat(store.job(recent.id())).as("ended after the limit").isPresent();
        assertThat(store.job(waiting.id())).as("never ended").isPresent();
        assertThat(store.job(ofCampaign.id())).as("a campaign refers to it").isPresent();
        try (Connection c = pool.borrow(); java.sql.Statement st = c.createStatement()) {
            for (String table : List.of("cdm_operation", "cdm_result", "cdm_result_item")) {
                try (java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE job_id IN ("
                        + old.id() + ", " + cancelled.id() + ")")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as(table).isZero();
                }
            }
            try (java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM cdm_operation")) {
                rs.next();
                assertThat(rs.getLong(1)).as("the kept jobs' operations").isEqualTo(3);
            }
            c.commit();
        }
        assertThat(store.pruneJobs(T0.plusSeconds(1000), 10)).isEqualTo(1);
        assertThat(store.job(recent.id())).isEmpty();
        assertThat(store.jobs("d", 10)).extracting(Job::id).containsExactlyInAnyOrder(waiting.id(), ofCampaign.id());
        assertThatThrownBy(() -> store.pruneJobs(T0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void results_are_kept_replaced_and_may_be_large_or_binary() {
        store.insertDevice(device("d"));
        Job j = store.createJob("d", null, List.of(Operation.get("./A"), Operation.get("./B")), T0);
        store.recordResult(new OperationResult(j.id(), 0, 200, List.of(), T0));
        String big = "x".repeat(1 << 20);
        store.recordResult(new OperationResult(j.id(), 0, 200,
                List.of(new ResultItem("./A", "chr", "text/plain", big, false), new ResultItem("./A2", "bin", null,
                        "AAEC", true)), T0.plusSeconds(1)));
        store.recordResult(new OperationResult(j.id(), 1, 404, List.of(), T0.plusSeconds(2)));
        store.recordResult(new OperationResult(9_999_999, 0, 200, List.of(), T0)); // unknown job: ignored
        Job read = store.job(j.id()).orElseThrow();
        assertThat(read.results()).hasSize(2);
        OperationResult r0 = read.result(0).orElseThrow();
        assertThat(r0.items()).hasSize(2);
        assertThat(r0.items().get(0).value()).hasSize(1 << 20);
        assertThat(r0.items().get(1).binary()).isTrue();
        assertThat(r0.time()).isEqualTo(T0.plusSeconds(1));
        assertThat(read.result(1).orElseThrow().status()).isEqualTo(404);
        assertThat(read.updated()).isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void a_batch_records_every_result_of_a_message_the_last_answer_to_an_index_winning() {
        store.insertDevice(device("d"));
        Job j = store.createJob("d", null, List.of(Operation.get("./A"), Operation.get("./B"), Operation.get("./C")),
                T0);
        Job k = store.createJob("d", null, List.of(Operation.get("./D")), T0);
        store.recordResult(new OperationResult(j.id(), 0, 200, List.of(), T0)); // a Status of an earlier message
        String big = "y".repeat(1 << 20);
        store.recordResults(List.of(
                new OperationResult(j.id(), 1, 200, List.of(new ResultItem("./B", "chr", null, "first", false)),
                        T0.plusSeconds(1)),
                new OperationResult(k.id(), 0, 404, List.of(), T0.plusSeconds(1)),
                new OperationResult(j.id(), 0, 200, List.of(new ResultItem("./A", "chr", "text/plain", big, false),
                        new ResultItem("./A/bin", "bin", null, "AAEC", true)), T0.plusSeconds(2)),
                new OperationResult(9_999_999, 0, 200, List.of(), T0), // unknown job: ignored
                new OperationResult(j.id(), 1, 200, List.of(new ResultItem("./B", "chr", null, "second", false),
                        new ResultItem("./B/x", "chr", null, "", false), new ResultItem("./B/y", null, null, null,
                                false)), T0.plusSeconds(3))));
        store.recordResults(List.of()); // nothing to do

        Job read = store.job(j.id()).orElseThrow();
        assertThat(read.results()).extracting(OperationResult::index).containsExactly(0, 1);
        OperationResult r0 = read.result(0).orElseThrow();
        assertThat(r0.items()).hasSize(2);
        assertThat(r0.items().get(0).value()).isEqualTo(big);
        assertThat(r0.items().get(1).binary()).isTrue();
        assertThat(r0.time()).isEqualTo(T0.plusSeconds(2));
        assertThat(read.result(1).orElseThrow().items()).extracting(ResultItem::uri)
                .containsExactly("./B", "./B/x", "./B/y");
        assertThat(read.result(1).orElseThrow().items().get(0).value()).isEqualTo("second");
        assertThat(read.updated()).isEqualTo(T0.plusSeconds(3));
        Job other = store.job(k.id()).orElseThrow();
        assertThat(other.results()).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(404));
        assertThat(other.updated()).isEqualTo(T0.plusSeconds(1));

        // a later message replaces a result with one of fewer items
        store.recordResults(List.of(new OperationResult(j.id(), 1, 500, List.of(), T0.plusSeconds(4)),
                new OperationResult(j.id(), 2, 200, List.of(new ResultItem("./C", null, null, "c", false)),
                        T0.plusSeconds(4))));
        read = store.job(j.id()).orElseThrow();
        assertThat(read.result(1).orElseThrow().status()).isEqualTo(500);
        assertThat(read.result(1).orElseThrow().items()).isEmpty();
        assertThat(read.result(2).orElseThrow().items().get(0).value()).isEqualTo("c");
        assertThat(read.result(0).orElseThrow().items()).hasSize(2);
    }

    @Test
    void a_failure_in_the_middle_of_a_batch_stores_nothing_of_it() {
        store.insertDevice(device("d"));
        Job j = store.createJob("d", null, List.of(Operation.get("./A"), Operation.get("./B")), T0);
        store.recordResult(new OperationResult(j.id(), 0, 200, List.of(new ResultItem("./A", null, null, "old",
                false)), T0));
        String tooLongFormat = "f".repeat(200); // the format column holds 64 characters: the item insert fails
        assertThatThrownBy(() -> store.recordResults(List.of(
                new OperationResult(j.id(), 0, 200, List.of(new ResultItem("./A", null, null, "new", false)),
                        T0.plusSeconds(1)),
                new OperationResult(j.id(), 1, 200, List.of(new ResultItem("./B", tooLongFormat, null, "b", false)),
                        T0.plusSeconds(1))))).isInstanceOf(StoreException.class);

        Job read = store.job(j.id()).orElseThrow();
        assertThat(read.results()).singleElement().satisfies(r -> {
            assertThat(r.index()).isZero();
            assertThat(r.items()).singleElement().satisfies(i -> assertThat(i.value()).isEqualTo("old"));
        });
        assertThat(read.updated()).isEqualTo(T0);
        // the store is still usable after the rollback
        store.recordResults(List.of(new OperationResult(j.id(), 1, 404, List.of(), T0.plusSeconds(2))));
        assertThat(store.job(j.id()).orElseThrow().results()).hasSize(2);
    }

    @Test
    void stale_claims_are_interrupted() {
        store.insertDevice(device("d"));
        Job old = store.createJob("d", null, List.of(Operation.get("./A")), T0);
        store.claimJobs("d", "n1/s", 1, T0);
        Job fresh = store.createJob("d", null, List.of(Operation.get("./B")), T0);
        store.claimJobs("d", "n1/t", 1, T0.plusSeconds(600));
        assertThat(store.interruptStaleClaims(T0.plusSeconds(300), T0.plusSeconds(900))).isEqualTo(1);
        assertThat(store.job(old.id()).orElseThrow().state()).isEqualTo(JobState.INTERRUPTED);
        assertThat(store.job(fresh.id()).orElseThrow().state()).isEqualTo(JobState.ACTIVE);
    }

    @Test
    void alerts_come_back_newest_first_and_leave_with_their_device() {
        store.insertDevice(device("d"));
        for (int i = 0; i < 5; i++) {
            store.recordAlert(new DeviceAlert("d", T0.plusSeconds(i), "1A", 1226, "org.example.t" + i, "int",
                    "critical", "./FUMO", i == 0 ? "c" : null, Integer.toString(i)));
        }
        store.recordAlert(new DeviceAlert("ghost", T0, "1", 1226, null, null, null, null, null, null));
        List<DeviceAlert> alerts = store.alerts("d", 3);
        assertThat(alerts).extracting(DeviceAlert::data).containsExactly("4", "3", "2");
        assertThat(store.alerts("d", 10).get(4).correlator()).isEqualTo("c");
        Job j = store.createJob("d", null, List.of(Operation.get("./A")), T0);
        store.recordResult(new OperationResult(j.id(), 0, 200,
                List.of(new ResultItem("./A", null, null, "v", false)), T0));
        assertThat(store.deleteDevice("d")).isTrue();
        assertThat(store.deleteDevice("d")).isFalse();
        assertThat(store.alerts("d", 10)).isEmpty();
        assertThat(store.job(j.id())).isEmpty();
        assertThat(store.alerts("ghost", 10)).isEmpty();
    }

    // ------------------------------------------------------------------ asynchronous Execs (schema version 3)

    private AsyncExec waiting(String deviceId, String correlator, long jobId, int index, Instant deadline) {
        return new AsyncExec(correlator, deviceId, jobId, index, "./SCOMO/Download/a/Operations/Install", T0,
                deadline, AsyncExec.State.WAITING, null);
    }

    private static AsyncReport report(int code, boolean success, Instant at) {
        return new AsyncReport(code, success ? "success" : "install failed", success,
                "urn:oma:at:scomo:1.0:OperationComplete", "./SCOMO/Download/a/Operations/Install",
                "./SCOMO/Inventory/Deployed/a", "informational", at, false);
    }

    @Test
    void async_execs_are_kept_per_device_and_correlator_and_survive_a_reopen() {
        store.insertDevice(device("d"));
        store.insertDevice(device("e"));
        Job j = store.createJob("d", null, List.of(Operation.exec("./A", null, null), Operation.exec("./B", null, null)),
                T0);
        Job k = store.createJob("e", null, List.of(Operation.exec("./A", null, "op")), T0);
        AsyncExec b = waiting("d", "cardinal-1-1-ab", j.id(), 1, T0.plusSeconds(86_400));
        AsyncExec a = waiting("d", "op", j.id(), 0, T0.plusSeconds(60));
        assertThat(store.insertAsyncExec(b)).isTrue();
        assertThat(store.insertAsyncExec(a)).isTrue();
        // the same correlator for another device is another Exec; for the same device it is refused
        assertThat(store.insertAsyncExec(waiting("e", "op", k.id(), 0, T0.plusSeconds(60)))).isTrue();
        assertThat(store.insertAsyncExec(waiting("d", "op", j.id(), 1, T0.plusSeconds(60)))).isFalse();
        assertThat(store.insertAsyncExec(waiting("ghost", "x", j.id(), 0, T0))).isFalse();

        JdbcServerStore again = JdbcServerStore.open(pool);
        assertThat(again.asyncExec("d", "op")).contains(a);
        assertThat(again.asyncExec("e", "op").orElseThrow().jobId()).isEqualTo(k.id());
        assertThat(again.asyncExec("e", "cardinal-1-1-ab")).isEmpty();
        assertThat(again.asyncExecs(j.id())).containsExactly(a, b);
        assertThat(again.asyncExecs(-5)).isEmpty();

        assertThat(store.deleteDevice("d")).isTrue();
        assertThat(store.asyncExecs(j.id())).isEmpty();
        assertThat(store.asyncExec("e", "op")).isPresent();
    }

    @Test
    void an_async_exec_changes_only_from_the_expected_state_and_the_first_report_stays() {
        store.insertDevice(device("d"));
        Job j = store.createJob("d", null, List.of(Operation.exec("./A", null, null)), T0);
        AsyncExec e = waiting("d", "c1", j.id(), 0, T0.plusSeconds(60));
        store.insertAsyncExec(e);
        AsyncReport ok = report(1200, true, T0.plusSeconds(30));

        assertThat(store.updateAsyncExec("d", "c1", AsyncExec.State.TIMED_OUT, e.with(AsyncExec.State.FAILED, ok)))
                .isFalse();
        assertThat(store.updateAsyncExec("other", "c1", AsyncExec.State.WAITING,
                e.with(AsyncExec.State.SUCCEEDED, ok))).isFalse();
        assertThat(store.updateAsyncExec("d", "c1", AsyncExec.State.WAITING, e.with(AsyncExec.State.SUCCEEDED, ok)))
                .isTrue();
        assertThat(store.updateAsyncExec("d", "c1", AsyncExec.State.SUCCEEDED,
                e.with(AsyncExec.State.FAILED, report(1405, false, T0.plusSeconds(40))))).isFalse();
        assertThat(store.asyncExec("d", "c1")).contains(e.with(AsyncExec.State.SUCCEEDED, ok));

        // timed out without report, then a late report once
        AsyncExec f = waiting("d", "c2", j.id(), 0, T0.plusSeconds(60));
        store.insertAsyncExec(f);
        assertThat(store.updateAsyncExec("d", "c2", AsyncExec.State.WAITING, f.with(AsyncExec.State.TIMED_OUT, null)))
                .isTrue();
        AsyncReport late = report(1405, false, T0.plusSeconds(90)).withLate(true);
        assertThat(store.updateAsyncExec("d", "c2", AsyncExec.State.TIMED_OUT,
                f.with(AsyncExec.State.TIMED_OUT, late))).isTrue();
        assertThat(store.updateAsyncExec("d", "c2", AsyncExec.State.TIMED_OUT,
                f.with(AsyncExec.State.TIMED_OUT, report(1200, true, T0.plusSeconds(95))))).isFalse();
        assertThat(store.asyncExec("d", "c2").orElseThrow().report()).isEqualTo(late);
    }

    @Test
    void overdue_async_execs_are_the_waiting_ones_past_their_deadline_earliest_first_and_bounded() {
        store.insertDevice(device("d"));
        Job j = store.createJob("d", null, List.of(Operation.exec("./A", null, null)), T0);
        for (int i = 0; i < 4; i++) {
            store.insertAsyncExec(waiting("d", "c" + i, j.id(), 0, T0.plusSeconds(100 - i * 10)));
        }
        store.insertAsyncExec(waiting("d", "later", j.id(), 0, T0.plusSeconds(1000)));
        AsyncExec done = waiting("d", "done", j.id(), 0, T0);
        store.insertAsyncExec(done);
        store.updateAsyncExec("d", "done", AsyncExec.State.WAITING,
                done.with(AsyncExec.State.SUCCEEDED, report(1200, true, T0)));

        assertThat(store.overdueAsyncExecs(T0.plusSeconds(100), 3)).extracting(AsyncExec::correlator)
                .containsExactly("c3", "c2", "c1");
        assertThat(store.overdueAsyncExecs(T0.plusSeconds(100), 10)).hasSize(4);
        assertThat(store.overdueAsyncExecs(T0.plusSeconds(69), 10)).isEmpty();
        assertThat(store.overdueAsyncExecs(T0.plusSeconds(5000), 0)).isEmpty();
    }

    @Test
    void two_nodes_timing_out_the_same_execs_at_once_never_both_win() throws Exception {
        store.insertDevice(device("d"));
        Job j = store.createJob("d", null, List.of(Operation.exec("./A", null, null)), T0);
        int n = 20;
        for (int i = 0; i < n; i++) {
            store.insertAsyncExec(waiting("d", "c" + i, j.id(), 0, T0));
        }
        JdbcServerStore other = JdbcServerStore.open(pool);
        ExecutorService pool2 = Executors.newFixedThreadPool(2);
        try {
            List<Callable<Integer>> nodes = new ArrayList<>();
            for (JdbcServerStore node : List.of(store, other)) {
                nodes.add(() -> {
                    int won = 0;
                    for (AsyncExec e : node.overdueAsyncExecs(T0.plusSeconds(1), n)) {
                        if (node.updateAsyncExec("d", e.correlator(), AsyncExec.State.WAITING,
                                e.with(AsyncExec.State.TIMED_OUT, null))) {
                            won++;
                        }
                    }
                    return won;
                });
            }
            int total = 0;
            for (Future<Integer> f : pool2.invokeAll(nodes)) {
                total += f.get();
            }
            assertThat(total).isEqualTo(n);
        } finally {
            pool2.shutdownNow();
        }
        assertThat(store.overdueAsyncExecs(T0.plusSeconds(1), n)).isEmpty();
    }
}
