package org.cardinaldm.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.ConnectionPoolDataSource;

import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.DeviceRegistration;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.jdbc.internal.ConnectionPool;
import org.cardinaldm.server.jdbc.internal.JdbcServerStore;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.testing.PostgresDatabase;
import org.cardinaldm.testing.RequiresPostgres;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGConnectionPoolDataSource;

/**
 * Two server nodes, each with its own engine and connection pool, share one registry and serve one
 * fleet at the same time, every device being in session with both nodes at once: no job is lost,
 * none is run twice. On H2 and on a real PostgreSQL (a database of its own from the test kit, {@link RequiresPostgres}).
 */
class TwoNodesTest {
    private static final int DEVICES = 12;
    private static final int JOBS_PER_DEVICE = 4;

    @Test
    void two_nodes_on_embedded_h2_share_the_fleet() throws Exception {
        String url = "jdbc:h2:mem:nodes-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
        run(() -> {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL(url);
            return ds;
        });
    }

    @Test
    @RequiresPostgres
    void two_nodes_on_postgresql_share_the_fleet(PostgresDatabase database) throws Exception {
        run(() -> {
            PGConnectionPoolDataSource ds = new PGConnectionPoolDataSource();
            ds.setURL(database.url());
            return ds;
        });
    }

    private void run(java.util.function.Supplier<ConnectionPoolDataSource> sources) throws Exception {
        List<ConnectionPool> pools = new ArrayList<>();
        List<SessionEngine> engines = new ArrayList<>();
        Registry registry = null;
        for (String node : List.of("node1", "node2")) {
            ConnectionPool pool = new ConnectionPool(sources.get(), 6, 20_000);
            pools.add(pool);
            JdbcServerStore store = JdbcServerStore.open(pool);
            // two jobs per session at most, so that a device's jobs are spread over both nodes
            ServerConfig config = new ServerConfig("cardinal", node, 256 * 1024, 1 << 20,
                    java.time.Duration.ofMinutes(5), 1000, 5, java.time.Duration.ofMinutes(15), 3, 2, null, true, null);
            engines.add(new SessionEngine(store, config, Clock.systemUTC(), new SecureRandom(), SyncML::forMediaType));
            if (registry == null) {
                registry = new Registry(store, config, Clock.systemUTC(), new SecureRandom());
            }
        }
        List<Job> jobs = new ArrayList<>();
        for (int d = 0; d < DEVICES; d++) {
            String id = "IMEI:" + d;
            registry.register(DeviceRegistration.builder(id).client(AuthScheme.BASIC, id, "pw")
                    .server(AuthScheme.BASIC, null, "srv").build());
            for (int j = 0; j < JOBS_PER_DEVICE; j++) {
                jobs.add(registry.submit(id, null, List.of(Operation.add("./Done/" + d + "-" + j, "x", "chr"))));
            }
        }
        Map<String, AtomicInteger> executed = new ConcurrentHashMap<>();
        ExecutorService exec = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int d = 0; d < DEVICES; d++) {
                    for (int n = 0; n < 2; n++) {
                        DeviceSim sim = new DeviceSim(engines.get(n), n == 0, "IMEI:" + d, "pw", "srv");
                        sim.scheme = AuthScheme.BASIC;
                        sim.serverUser = "cardinal";
                        sim.sessionId = Integer.toHexString(round * 16 + n + 1).toUpperCase();
                        sim.onAdd = uri -> executed.computeIfAbsent(uri, k -> new AtomicInteger()).incrementAndGet();
                        runs.add(exec.submit(sim::runSession));
                    }
                }
            }
            for (Future<?> f : runs) {
                f.get();
            }
        } finally {
            exec.shutdownNow();
        }
        for (Job j : jobs) {
            assertThat(registry.job(j.id()).orElseThrow().state()).as("job " + j.id()).isEqualTo(JobState.SUCCEEDED);
        }
        assertThat(executed).hasSize(DEVICES * JOBS_PER_DEVICE);
        assertThat(executed.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        assertThat(engines.get(0).sessions()).isEmpty();
        assertThat(engines.get(1).sessions()).isEmpty();
        pools.forEach(ConnectionPool::close);
    }
}
