package org.cardinaldm.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import javax.sql.ConnectionPoolDataSource;

import org.cardinaldm.server.api.AsyncExec;
import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.DeviceRegistration;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.jdbc.internal.ConnectionPool;
import org.cardinaldm.server.jdbc.internal.JdbcServerStore;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.AlertCodes;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.Location;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.testing.MutableClock;
import org.cardinaldm.testing.PostgresDatabase;
import org.cardinaldm.testing.RequiresPostgres;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGConnectionPoolDataSource;

/**
 * Asynchronous Execs on the JDBC registry (issue 15, item 3): an Exec answered 202 before a server restart is
 * completed by the 1226 the device sends to the restarted server; two nodes sweeping one database at once
 * time each overdue Exec out once. On H2 and on a real PostgreSQL ({@link RequiresPostgres}).
 */
class AsyncResultsOnJdbcTest {
    private static final String INSTALL = "./SCOMO/Download/app/Operations/DownloadInstall";
    private static final String SCOMO = "urn:oma:at:scomo:1.0:OperationComplete";

    private final MutableClock clock = new MutableClock();

    /** One server node: its own pool, store, engine and registry. */
    private final class Node {
        final ConnectionPool pool;
        final SessionEngine engine;
        final Registry registry;

        Node(String name, ConnectionPoolDataSource source) {
            pool = new ConnectionPool(source, 6, 20_000);
            JdbcServerStore store = JdbcServerStore.open(pool);
            ServerConfig config = ServerConfig.DEFAULT;
            config = new ServerConfig(config.serverId(), name, config.maxMessageBytes(), config.maxObjectBytes(),
                    config.idleTimeout(), config.maxSessions(), config.maxAuthFailures(), config.lockout(),
                    config.maxAuthAttemptsPerSession(), config.maxJobsPerSession(), null, true, null);
            engine = new SessionEngine(store, config, clock, new SecureRandom(), SyncML::forMediaType);
            registry = new Registry(store, config, clock, new SecureRandom(), engine.guard());
        }

        DeviceSim device(String id) {
            DeviceSim d = new DeviceSim(engine, false, id, "pw", "srv");
            d.scheme = AuthScheme.BASIC;
            d.failures.put(INSTALL, StatusCodes.ACCEPTED);
            return d;
        }
    }

    private static ConnectionPoolDataSource h2(String url) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url);
        return ds;
    }

    private static Supplier<ConnectionPoolDataSource> h2() {
        String url = "jdbc:h2:mem:async-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
        return () -> h2(url);
    }

    private static Supplier<ConnectionPoolDataSource> postgres(PostgresDatabase database) {
        return () -> {
            PGConnectionPoolDataSource ds = new PGConnectionPoolDataSource();
            ds.setURL(database.url());
            return ds;
        };
    }

    private static void register(Registry registry, String id) {
        registry.register(DeviceRegistration.builder(id).client(AuthScheme.BASIC, id, "pw")
                .server(AuthScheme.BASIC, null, "srv").build());
    }

    private static String correlator(DeviceSim d) {
        return d.execs.stream().filter(e -> e.startsWith(INSTALL + "|")).findFirst().orElseThrow()
                .substring(INSTALL.length() + 1);
    }

    /** A new session carrying the 1226; returns the Status of the alert. */
    private static int report(DeviceSim d, String sessionId, String correlator, String data) {
        d.sessionId = sessionId;
        d.nextMsgId = 1;
        d.token = null;
        SyncMessage.Builder b = SyncMessage.builder(d.header(true).build());
        b.add(Alert.of(b.nextCmdId(), AlertCodes.CLIENT_INITIATED_MGMT));
        b.add(new Alert(b.nextCmdId(), false, null, AlertCodes.GENERIC_ALERT, correlator,
                List.of(new Item(null, Location.of(INSTALL), Meta.builder().type(SCOMO).format("xml").build(),
                        Data.text(data), false))));
        SyncMessage r = d.send(b.build());
        for (Command c : r.commands()) {
            if (c instanceof Status s && "2".equals(s.cmdRef())) {
                return s.code();
            }
        }
        throw new AssertionError("no status for the alert");
    }

    @Test
    void a_1226_after_a_restart_completes_the_job_on_h2() {
        restart(h2());
    }

    @Test
    @RequiresPostgres
    void a_1226_after_a_restart_completes_the_job_on_postgresql(PostgresDatabase database) {
        restart(postgres(database));
    }

    private void restart(Supplier<ConnectionPoolDataSource> source) {
        Node before = new Node("node1", source.get());
        register(before.registry, "IMEI:r1");
        Job job = before.registry.submit("IMEI:r1", null, List.of(Operation.exec(INSTALL, null, null)));
        DeviceSim d = before.device("IMEI:r1");
        d.runSession();
        assertThat(before.registry.job(job.id()).orElseThrow().state()).isEqualTo(JobState.ACCEPTED);
        before.engine.shutdown();
        before.pool.close();

        Node after = new Node("node1", source.get());
        clock.advance(Duration.ofHours(5));
        DeviceSim again = after.device("IMEI:r1");
        assertThat(report(again, "2", correlator(d), "<ResultCode>1405</ResultCode>")).isEqualTo(200);

        Job done = after.registry.job(job.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(JobState.FAILED);
        AsyncExec e = done.result(0).orElseThrow().async();
        assertThat(e.state()).isEqualTo(AsyncExec.State.FAILED);
        assertThat(e.report().summary()).isEqualTo("1405 install failed");
        assertThat(e.report().received()).isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        after.pool.close();
    }

    @Test
    void two_nodes_sweeping_one_h2_database_time_each_exec_out_once() throws Exception {
        sweep(h2());
    }

    @Test
    @RequiresPostgres
    void two_nodes_sweeping_one_postgresql_database_time_each_exec_out_once(PostgresDatabase database)
            throws Exception {
        sweep(postgres(database));
    }

    private void sweep(Supplier<ConnectionPoolDataSource> source) throws Exception {
        Node n1 = new Node("node1", source.get());
        Node n2 = new Node("node2", source.get());
        int devices = 8;
        List<Job> jobs = new ArrayList<>();
        String prefix = "IMEI:s" + UUID.randomUUID().toString().substring(0, 6) + "-";
        for (int i = 0; i < devices; i++) {
            register(n1.registry, prefix + i);
            jobs.add(n1.registry.submit(prefix + i, null, List.of(Operation.exec(INSTALL, null, null))));
            (i % 2 == 0 ? n1 : n2).device(prefix + i).runSession();
        }
        clock.advance(Duration.ofDays(1).plusMinutes(1));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        int total = 0;
        try {
            List<Callable<Integer>> sweeps = List.of(() -> n1.engine.asyncExecs().sweep(clock.instant()),
                    () -> n2.engine.asyncExecs().sweep(clock.instant()));
            for (Future<Integer> f : pool.invokeAll(sweeps)) {
                total += f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(total).isEqualTo(devices);
        assertThat(n1.engine.asyncExecs().sweep(clock.instant()) + n2.engine.asyncExecs().sweep(clock.instant()))
                .isZero();
        for (Job j : jobs) {
            Job failed = n2.registry.job(j.id()).orElseThrow();
            assertThat(failed.state()).as("job %d", j.id()).isEqualTo(JobState.FAILED);
            assertThat(failed.result(0).orElseThrow().async().outcome())
                    .isEqualTo("no result from the device within P1D for Exec " + INSTALL);
        }
        n1.pool.close();
        n2.pool.close();
    }
}
