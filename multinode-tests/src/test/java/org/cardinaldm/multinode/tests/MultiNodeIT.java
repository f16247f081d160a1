package org.cardinaldm.multinode.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.cardinaldm.testing.ExternalTool;
import org.cardinaldm.testing.PostgresDatabase;
import org.cardinaldm.testing.RequiresPostgres;
import org.cardinaldm.testing.RequiresTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Two Cardinal server nodes, each a copy of the built distribution in its own process, on one PostgreSQL registry,
 * behind HAProxy running the shipped {@code docs/examples/multinode/haproxy.cfg}; simulated devices over HTTP
 * through the balancer; operators through the REST API, the balancer's or each node's own. The nodes beat every
 * second with a lease of 5 s (the shipped defaults are 5 s and 30 s) and retry notifications after 2 s.
 *
 * <p>Skipped without a PostgreSQL server (the test kit starts one from Maven artifacts when none is named; Debian
 * package {@code postgresql}) or without {@code haproxy} (Debian package {@code haproxy}); failed instead when
 * {@code CI=true}. The last test kills node 2 with {@code kill -9}.
 */
@RequiresPostgres
@RequiresTool(name = "haproxy", debianPackage = "haproxy")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiNodeIT {
    private static final Duration BOOT = Duration.ofMinutes(4);
    /** Data of the job that does not fit in a message with the others (MaxMsgSize 3000): it follows in chunks. */
    private static final String BLOB = "b".repeat(2900);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<SimDevice> devices = new ArrayList<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(16);
    private PostgresDatabase database;
    private ServerNode node1;
    private ServerNode node2;
    private Balancer balancer;
    private OperatorApi api;
    private OperatorApi api1;
    private OperatorApi api2;

    @BeforeAll
    void two_nodes_behind_haproxy(PostgresDatabase db) throws Exception {
        database = db;
        Path haproxy = ExternalTool.require("haproxy", "haproxy").path();
        Path tarball = Path.of(System.getProperty("cardinal.distribution"));
        Path examples = Path.of(System.getProperty("multinode.examples"));
        Path work = Path.of("target", "multinode").toAbsolutePath();
        delete(work);
        Files.createDirectories(work);
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[32];
        random.nextBytes(key);
        String registryKey = Base64.getEncoder().encodeToString(key);
        String token = random(random);
        String nonceKey = random(random);
        int balancerPort = ServerNode.freePort();
        String balancerUrl = "http://127.0.0.1:" + balancerPort;

        node1 = ServerNode.unpack(tarball, work, "node1");
        node2 = ServerNode.unpack(tarball, work, "node2");
        for (ServerNode n : List.of(node1, node2)) {
            Map<String, Map<String, String>> values = new LinkedHashMap<>();
            values.put("org.cardinaldm.server.cfg", Map.of("node.id", n.id, "node.heartbeat.seconds", "1",
                    "node.lease.seconds", "5", ".auth.nonce.key", nonceKey, "notification.retry.seconds", "2",
                    "notification.max.attempts", "3", "session.idle.seconds", "20"));
            // the database's URL carries its user and password: the example's own are emptied
            values.put("org.cardinaldm.server.jdbc.cfg", Map.of("url", db.url(), "user", "", ".password", ""));
            values.put("org.cardinaldm.transport.http.server.cfg", Map.of("public.url", balancerUrl + "/dm",
                    "trusted.proxies", "127.0.0.1"));
            values.put("org.cardinaldm.fumo.server.cfg", Map.of("node.name", n.id, "package.base.url", balancerUrl));
            n.configure(examples, values, registryKey, token);
        }
        node1.start();
        node2.start();
        node1.awaitServing(http, BOOT);
        node2.awaitServing(http, BOOT);
        balancer = Balancer.start(haproxy, examples.resolve("haproxy.cfg"), work.resolve("haproxy"), balancerPort,
                node1, node2);
        balancer.await(http, "node1:UP", "node2:UP");
        api = new OperatorApi(http, balancer.url(), token);
        api1 = new OperatorApi(http, node1.url(), token);
        api2 = new OperatorApi(http, node2.url(), token);
    }

    private static String random(SecureRandom random) {
        byte[] b = new byte[24];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    @AfterAll
    void stop() throws Exception {
        pool.shutdownNow();
        devices.forEach(SimDevice::close);
        if (balancer != null) {
            balancer.close();
        }
        for (ServerNode n : new ServerNode[] {node1, node2}) {
            if (n != null) {
                n.close();
            }
        }
    }

    private static void delete(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private SimDevice device(String id, long maxMsgSize, boolean listen) throws Exception {
        SimDevice d = new SimDevice(id, maxMsgSize, listen);
        devices.add(d);
        api.register(d);
        return d;
    }

    private String dm() {
        return balancer.url() + "/dm";
    }

    /** Runs the tasks at once on the pool and waits for all; the first failure fails the test. */
    private <T> List<T> all(List<Callable<T>> tasks) throws Exception {
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> t : tasks) {
            futures.add(pool.submit(t));
        }
        List<T> out = new ArrayList<>();
        for (Future<T> f : futures) {
            out.add(f.get());
        }
        return out;
    }

    private Map<Long, String> jobStates(OperatorApi via) throws Exception {
        Map<Long, String> out = new TreeMap<>();
        for (JsonNode j : via.get("/jobs?limit=1000")) {
            out.put(j.get("id").asLong(), j.get("state").asText());
        }
        return out;
    }

    // ------------------------------------------------------------------ the tests

    @Test
    @Order(1)
    void sessions_stay_on_their_node_and_no_job_runs_twice() throws Exception {
        List<SimDevice> fleet = new ArrayList<>();
        Map<Long, String> jobs = new LinkedHashMap<>();
        for (int i = 0; i < 24; i++) {
            SimDevice d = device(String.format("IMEI:10%04d", i), 16_384, false);
            fleet.add(d);
            jobs.put(api.submit(d.deviceId, "add", List.of(OperatorApi.op("add", "./Multi/Job", "x"))), d.deviceId);
            jobs.put(api.submit(d.deviceId, "run", List.of(OperatorApi.op("exec", "./Multi/Run", null))), d.deviceId);
            jobs.put(api.submit(d.deviceId, "read", List.of(OperatorApi.op("get", "./DevInfo/Mod", null))), d.deviceId);
        }
        // every device opens two sessions at once, which the balancer spreads over the nodes
        List<Callable<Set<String>>> sessions = new ArrayList<>();
        for (SimDevice d : fleet) {
            for (int n = 0; n < 2; n++) {
                sessions.add(() -> {
                    SimDevice.Session s = d.session(http, dm());
                    s.run();
                    return s.node == null ? Set.of() : Set.of(s.node);
                });
            }
        }
        Set<String> served = new TreeSet<>();
        all(sessions).forEach(served::addAll);

        assertThat(served).as("both nodes served sessions").containsExactly("node1", "node2");
        Map<Long, String> states = jobStates(api);
        for (Long id : jobs.keySet()) {
            assertThat(states.get(id)).as("job " + id).isEqualTo("succeeded");
        }
        for (SimDevice d : fleet) {
            assertThat(d.count("add", "./Multi/Job")).as(d.deviceId).isEqualTo(1);
            assertThat(d.count("exec", "./Multi/Run")).as(d.deviceId).isEqualTo(1);
            assertThat(d.count("get", "./DevInfo/Mod")).as(d.deviceId).isEqualTo(1);
        }
    }

    @Test
    @Order(2)
    void a_notification_is_sent_once_and_answered_on_whichever_node_the_session_reaches() throws Exception {
        SimDevice answers = device("IMEI:200001", 16_384, true);
        SimDevice silent = device("IMEI:200002", 16_384, true);
        api.post("/devices/" + answers.deviceId + "/notify", Map.of("ui", "background"), 200);
        Awaitility.await("package 0 arrives").atMost(Duration.ofSeconds(20)).until(() -> !answers.notifications.isEmpty());
        SimDevice.Session s = answers.answering(http, dm(), answers.notifiedSessionId(0));
        s.run();
        for (OperatorApi via : List.of(api1, api2)) {
            Awaitility.await("answered, seen from either node").atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(via.get("/devices/" + answers.deviceId + "/notifications"))
                            .singleElement().satisfies(n -> {
                                assertThat(n.get("state").asText()).isEqualTo("answered");
                                assertThat(n.get("attempts").asInt()).isEqualTo(1);
                            }));
        }

        api.post("/devices/" + silent.deviceId + "/notify", Map.of("ui", "background"), 200);
        for (OperatorApi via : List.of(api1, api2)) {
            Awaitility.await("expired after its retries, seen from either node").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(via.get("/devices/" + silent.deviceId + "/notifications"))
                            .singleElement().satisfies(n -> {
                                assertThat(n.get("state").asText()).isEqualTo("expired");
                                assertThat(n.get("attempts").asInt()).isEqualTo(3);
                            }));
        }
        // both nodes ran their retry timers all along: each attempt went out once
        assertThat(silent.notifications).as("first sending and two retries").hasSize(3);
        assertThat(answers.notifications).as("answered: never sent again").hasSize(1);
    }

    @Test
    @Order(3)
    void both_nodes_show_one_registry() throws Exception {
        JsonNode devices1 = api1.get("/devices");
        JsonNode devices2 = api2.get("/devices");
        assertThat(devices1.size()).isEqualTo(devices.size());
        assertThat(devices2).isEqualTo(devices1);
        assertThat(jobStates(api2)).isEqualTo(jobStates(api1)).isNotEmpty();
        for (SimDevice d : devices) {
            assertThat(api2.get("/devices/" + d.deviceId)).isEqualTo(api1.get("/devices/" + d.deviceId));
        }
        String shell1 = node1.client("dms:devices");
        String shell2 = node2.client("dms:devices");
        for (SimDevice d : devices) {
            assertThat(shell1).as("dms:devices on node1").contains(d.deviceId);
            assertThat(shell2).as("dms:devices on node2").contains(d.deviceId);
        }
        assertThat(nodes()).containsEntry("node1", "ALIVE").containsEntry("node2", "ALIVE");
        for (OperatorApi via : List.of(api1, api2)) {
            assertThat(via.get("/nodes")).extracting(n -> n.get("nodeId").asText() + " " + n.get("state").asText())
                    .containsExactly("node1 alive", "node2 alive");
        }
        assertThat(node2.client("dms:nodes")).contains("node1", "node2", "alive").doesNotContain("dead");
    }

    /** @return the state of each node's live incarnation (or its last one), from the registry */
    private Map<String, String> nodes() throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = database.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT node_id, state FROM cdm_node ORDER BY started")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    @Test
    @Order(4)
    void a_node_killed_in_the_middle_of_a_campaign_loses_nothing() throws Exception {
        List<SimDevice> fleet = new ArrayList<>();
        Map<String, long[]> jobsOf = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            SimDevice d = device(String.format("IMEI:30%04d", i), 3000, false);
            fleet.add(d);
            long read = api.submit(d.deviceId, "campaign read", List.of(OperatorApi.op("get", "./DevInfo/Mod", null)));
            long apply = api.submit(d.deviceId, "campaign apply", List.of(OperatorApi.op("exec", "./Campaign/Apply", null)));
            long set = api.submit(d.deviceId, "campaign setting", List.of(OperatorApi.op("replace", "./Campaign/Setting",
                    "v2")));
            long blob = api.submit(d.deviceId, "campaign blob", List.of(OperatorApi.op("add", "./Campaign/Blob", BLOB)));
            jobsOf.put(d.deviceId, new long[] {read, apply, set, blob});
        }
        // every device opens its session and runs the first message's commands; its answer is still on the way
        List<Callable<SimDevice.Session>> opening = new ArrayList<>();
        for (SimDevice d : fleet) {
            opening.add(() -> {
                SimDevice.Session s = d.session(http, dm());
                assertThat(s.start()).isTrue();
                // the first message reads the card id (first contact), alone; the jobs follow
                for (int m = 0; m < 3 && d.count("exec", "./Campaign/Apply") == 0; m++) {
                    assertThat(s.step()).isTrue();
                }
                return s;
            });
        }
        List<SimDevice.Session> sessions = all(opening);
        Map<SimDevice, SimDevice.Session> on1 = new LinkedHashMap<>();
        Map<SimDevice, SimDevice.Session> on2 = new LinkedHashMap<>();
        for (int i = 0; i < fleet.size(); i++) {
            (sessions.get(i).node.equals("node1") ? on1 : on2).put(fleet.get(i), sessions.get(i));
        }
        assertThat(on1).isNotEmpty();
        assertThat(on2).isNotEmpty();
        for (SimDevice d : fleet) {
            assertThat(d.count("exec", "./Campaign/Apply")).isEqualTo(1);
            assertThat(d.count("add", "./Campaign/Blob")).as("the Add did not fit in the first message").isZero();
        }
        Map<Long, String> before = jobStates(api);
        for (long[] ids : jobsOf.values()) {
            for (long id : ids) {
                assertThat(before.get(id)).as("job " + id + " claimed").isEqualTo("active");
            }
        }

        node2.kill9();

        // the sessions on node 1 go on; those on node 2 are lost with it
        List<Callable<Boolean>> rest = new ArrayList<>();
        on1.values().forEach(s -> rest.add(() -> {
            s.finish();
            return true;
        }));
        all(rest);
        for (SimDevice.Session s : on2.values()) {
            assertThatThrownBy(s::step).isInstanceOf(SimDevice.SessionFailure.class);
        }

        // node 1 declares node 2 dead after the lease and releases its claims by what reached the devices
        Awaitility.await("node 2's claims released").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    Map<Long, String> states = jobStates(api1);
                    for (SimDevice d : on2.keySet()) {
                        long[] ids = jobsOf.get(d.deviceId);
                        assertThat(states.get(ids[0])).as("Get, sent: safe to repeat").isEqualTo("pending");
                        assertThat(states.get(ids[1])).as("Exec, sent: not safe").isEqualTo("interrupted");
                        assertThat(states.get(ids[2])).as("Replace, sent: safe to repeat").isEqualTo("pending");
                        assertThat(states.get(ids[3])).as("Add, never sent").isEqualTo("pending");
                    }
                });
        assertThat(nodes()).containsEntry("node1", "ALIVE").containsEntry("node2", "DEAD");
        assertThat(api1.get("/nodes")).extracting(n -> n.get("nodeId").asText() + " " + n.get("state").asText())
                .containsExactly("node1 alive", "node2 dead");
        balancer.await(http, "node1:UP", "node2:DOWN");

        // their next sessions, through the balancer, run on node 1
        List<Callable<Boolean>> again = new ArrayList<>();
        on2.keySet().forEach(d -> again.add(() -> {
            d.session(http, dm()).run();
            return true;
        }));
        all(again);

        Map<Long, String> states = jobStates(api1);
        for (SimDevice d : fleet) {
            long[] ids = jobsOf.get(d.deviceId);
            boolean lost = on2.containsKey(d);
            assertThat(states.get(ids[0])).as(d.deviceId).isEqualTo("succeeded");
            assertThat(states.get(ids[1])).as(d.deviceId).isEqualTo(lost ? "interrupted" : "succeeded");
            assertThat(states.get(ids[2])).as(d.deviceId).isEqualTo("succeeded");
            assertThat(states.get(ids[3])).as(d.deviceId).isEqualTo("succeeded");
            assertThat(d.count("exec", "./Campaign/Apply")).as(d.deviceId + ": the Exec never ran twice").isEqualTo(1);
            assertThat(d.count("add", "./Campaign/Blob")).as(d.deviceId + ": the Add ran once").isEqualTo(1);
            assertThat(d.count("get", "./DevInfo/Mod")).as(d.deviceId).isEqualTo(lost ? 2 : 1);
            assertThat(d.count("replace", "./Campaign/Setting")).as(d.deviceId).isEqualTo(lost ? 2 : 1);
            assertThat(d.value("./Campaign/Setting")).isEqualTo("v2");
            assertThat(d.value("./Campaign/Blob")).isEqualTo(BLOB);
        }
        // what is known of an interrupted job: the node sent it, the device's answer never came
        for (SimDevice d : on2.keySet()) {
            JsonNode apply = api1.get("/jobs/" + jobsOf.get(d.deviceId)[1]);
            assertThat(apply.get("results")).singleElement()
                    .satisfies(r -> assertThat(r.get("status").isNull()).isTrue());
        }
        Set<String> left = new HashSet<>(jobStates(api1).values());
        assertThat(left).as("nothing left claimed or waiting").doesNotContain("active", "pending");
    }
}
