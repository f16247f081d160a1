package org.cardinaldm.server.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.DeviceRegistration;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationResult;
import org.cardinaldm.server.api.spi.DeviceRecord;
import org.cardinaldm.server.internal.Registry;
import org.cardinaldm.server.internal.ServerConfig;
import org.cardinaldm.server.jdbc.internal.secrets.RegistryKey;
import org.cardinaldm.server.jdbc.internal.secrets.SecretCipher;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.AlertCodes;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Get;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.Location;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.Replace;
import org.cardinaldm.syncml.api.model.Results;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability rule (docs/server.md, ServerStore): once the server has sent the answer that acknowledges a
 * device's results, the results survive a {@code kill -9} of the server. A server runs in a JVM of its own
 * ({@link ForkedServer}) on an H2 file registry; a device over HTTP authenticates, gets a job's Get and Replace,
 * answers them and receives the acknowledging answer; the server is then killed with SIGKILL
 * ({@link Process#destroyForcibly}) and the registry reopened. Also: the nonce the server gave in that session is
 * stored, so the credentials the device used before it (seen on the wire) are refused by the restarted server.
 *
 * <p>The first test opens the registry with {@code WRITE_DELAY=60000}, so H2 itself would keep every commit in
 * memory for a minute: only the server's own checkpoints before it answers put the results on disk. The third kills
 * the server as soon as its commands reached the device: the job must still be claimed and marked dispatched, so
 * that the node's recovery does not send non-repeatable commands again.
 */
class KillNineDurabilityTest {
    private static final String DEVICE = "IMEI:490154203237518";
    private static final String PASSWORD = "device-secret";
    private static final String SERVER_PASSWORD = "server-secret";
    private static final String FIRST_NONCE = "Zmlyc3Qtbm9uY2U=";
    private static final String MODEL = "Cardinal-Model-X";

    private final MessageCodec codec = SyncML.forMediaType(MediaTypes.DM_XML).orElseThrow();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Process> servers = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process p : servers) {
            p.destroyForcibly();
            p.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void acknowledged_results_survive_kill_9_even_when_h2_would_delay_its_writes() throws Exception {
        acknowledgedResultsSurviveKill9(";WRITE_DELAY=60000");
    }

    @Test
    void acknowledged_results_survive_kill_9_with_h2_as_the_distribution_configures_it() throws Exception {
        acknowledgedResultsSurviveKill9("");
    }

    @Test
    void sent_commands_stay_claimed_and_marked_dispatched_after_kill_9() throws Exception {
        String url = H2Settings.tuned("jdbc:h2:file:" + dir.resolve("registry").toAbsolutePath());
        Path key = dir.resolve("registry.key");
        long jobId = prepare(url, key);

        Process server = start(url + ";WRITE_DELAY=60000", key);
        Device device = new Device(port(server));
        SyncMessage commands = device.send(device.package1());
        assertThat(commands.commands()).filteredOn(c -> !(c instanceof Status)).hasSize(2);
        server.destroyForcibly();
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(server.exitValue()).isEqualTo(128 + 9);

        try (ConnectionPool pool = pool(url)) {
            JdbcServerStore store = JdbcServerStore.open(pool, cipher(key));
            // the commands may have reached the device: the job must not look as if they never left
            assertThat(store.job(jobId).orElseThrow().state()).isEqualTo(JobState.ACTIVE);
            assertThat(store.claimedJobs()).singleElement().satisfies(c -> {
                assertThat(c.jobId()).isEqualTo(jobId);
                assertThat(c.dispatched()).as("marked dispatched before the commands left").isTrue();
            });
        }
    }

    private void acknowledgedResultsSurviveKill9(String h2Options) throws Exception {
        String url = H2Settings.tuned("jdbc:h2:file:" + dir.resolve("registry").toAbsolutePath());
        Path key = dir.resolve("registry.key");
        long jobId = prepare(url, key);

        Process server = start(url + h2Options, key);
        Device device = new Device(port(server));
        SyncMessage challengeOrCommands = device.send(device.package1());
        byte[] usedPackage1 = device.lastSent;
        assertThat(headerStatus(challengeOrCommands).code()).as("md5 accepted").isEqualTo(212);
        String newNonce = headerStatus(challengeOrCommands).chal().meta().nextNonce();
        assertThat(newNonce).isNotEqualTo(FIRST_NONCE);
        assertThat(challengeOrCommands.commands()).filteredOn(c -> !(c instanceof Status)).hasSize(2);
        SyncMessage acknowledgement = device.send(device.answer(challengeOrCommands));
        assertThat(acknowledgement.isFinal()).isTrue();
        assertThat(acknowledgement.commands()).as("the server ends the session: nothing more to send")
                .allMatch(c -> c instanceof Status);

        server.destroyForcibly();
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(server.exitValue()).as("killed by SIGKILL, not stopped").isEqualTo(128 + 9);

        try (ConnectionPool pool = pool(url)) {
            JdbcServerStore store = JdbcServerStore.open(pool, cipher(key));
            Job job = store.job(jobId).orElseThrow();
            assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(job.results()).extracting(OperationResult::index, OperationResult::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(0, 200), org.assertj.core.groups.Tuple.tuple(1, 200));
            assertThat(job.results().get(0).items()).singleElement().satisfies(i -> assertThat(i.value()).isEqualTo(MODEL));
            DeviceRecord record = store.device(DEVICE).orElseThrow();
            assertThat(record.clientNonce()).as("the nonce the device was given is stored").isEqualTo(newNonce);
            assertThat(record.lastContact()).isNotNull();
        }

        // the attack: the package 1 of the killed session, replayed to the restarted server, is refused
        int restarted = port(start(url, key));
        Device replay = new Device(restarted);
        assertThat(headerStatus(replay.sendBytes(usedPackage1)).code()).as("replayed credentials").isEqualTo(401);
        Device again = new Device(restarted);
        again.nonce = newNonce;
        again.sessionId = "2";
        assertThat(headerStatus(again.send(again.package1())).code()).as("the device's next session").isEqualTo(212);
    }

    /** Registers the device and queues its job, then closes the registry. */
    private long prepare(String url, Path key) {
        try (ConnectionPool pool = pool(url)) {
            JdbcServerStore store = JdbcServerStore.open(pool, cipher(key));
            Registry registry = new Registry(store, ServerConfig.DEFAULT, Clock.systemUTC(), new SecureRandom());
            registry.register(DeviceRegistration.builder(DEVICE).client(AuthScheme.MD5, DEVICE, PASSWORD)
                    .server(AuthScheme.MD5, null, SERVER_PASSWORD).clientNonce(FIRST_NONCE).build());
            return registry.submit(DEVICE, "kill -9 test",
                    List.of(Operation.get("./DevInfo/Mod"), Operation.replace("./Vendor/Setting", "on", "chr"))).id();
        }
    }

    private static ConnectionPool pool(String url) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url);
        return ConnectionPool.of(ds, 2, 10_000, "kill-test");
    }

    private static SecretCipher cipher(Path key) {
        return new SecretCipher(RegistryKey.loadOrCreate(key));
    }

    private Process start(String url, Path key) throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", classPath, ForkedServer.class.getName(), url,
                key.toString()).redirectError(dir.resolve("server-" + servers.size() + ".err").toFile()).start();
        servers.add(p);
        return p;
    }

    private static int port(Process server) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("listening ")) {
                return Integer.parseInt(line.substring("listening ".length()).trim());
            }
        }
        throw new IllegalStateException("the forked server ended before it listened (see its .err file)");
    }

    private static Status headerStatus(SyncMessage m) {
        for (Command c : m.commands()) {
            if (c instanceof Status s && "0".equals(s.cmdRef())) {
                return s;
            }
        }
        throw new AssertionError("no Status for the header in " + m);
    }

    /** The device: md5 both ways, ./DevInfo/Mod in its tree, answers Gets with Results and Replaces with 200. */
    private final class Device {
        final String serverUrl;
        String url;
        String nonce = FIRST_NONCE;
        String sessionId = "1";
        int msgId = 1;
        byte[] lastSent;

        Device(int port) {
            this.serverUrl = "http://127.0.0.1:" + port + "/dm";
            this.url = serverUrl;
        }

        SyncHeader.Builder header() {
            return SyncHeader.builder().sessionId(sessionId).msgId(Integer.toString(msgId++)).target(serverUrl)
                    .source(Location.of(DEVICE, DEVICE));
        }

        SyncMessage package1() {
            SyncMessage.Builder b = SyncMessage.builder(header()
                    .cred(Credentials.md5(DEVICE, PASSWORD, Credentials.decodeNonce(nonce))).build());
            b.add(Alert.of(b.nextCmdId(), AlertCodes.CLIENT_INITIATED_MGMT));
            return b.build();
        }

        SyncMessage answer(SyncMessage in) {
            SyncMessage.Builder b = SyncMessage.builder(header().build());
            String ref = in.header().msgId();
            b.add(Status.builder().cmdId(b.nextCmdId()).msgRef(ref).answeringHeader().code(212)
                    .addTargetRef(in.header().target().locUri()).addSourceRef(in.header().source().locUri()).build());
            List<Command> results = new ArrayList<>();
            for (Command c : in.commands()) {
                if (c instanceof Get g) {
                    b.add(Status.of(b.nextCmdId(), ref, g, 200));
                    results.add(Results.of(b.nextCmdId(), ref, g.cmdId(), new Item(null,
                            Location.of("./DevInfo/Mod"), Meta.of("chr", "text/plain"), Data.text(MODEL), false)));
                } else if (c instanceof Replace r) {
                    b.add(Status.of(b.nextCmdId(), ref, r, 200));
                }
            }
            results.forEach(b::add);
            return b.build();
        }

        SyncMessage send(SyncMessage m) throws Exception {
            return sendBytes(codec.encode(m));
        }

        SyncMessage sendBytes(byte[] body) throws Exception {
            lastSent = body;
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", MediaTypes.DM_XML).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
            SyncMessage answer = codec.decode(r.body());
            if (answer.header().respUri() != null) {
                url = answer.header().respUri();
            }
            return answer;
        }
    }
}
