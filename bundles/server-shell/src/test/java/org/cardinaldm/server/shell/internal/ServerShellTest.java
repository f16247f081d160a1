package org.cardinaldm.server.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.DeviceAlert;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationKind;
import org.cardinaldm.server.api.OperationResult;
import org.cardinaldm.server.api.ResultItem;
import org.cardinaldm.server.internal.Registry;
import org.cardinaldm.server.internal.ServerConfig;
import org.cardinaldm.server.internal.SessionEngine;
import org.cardinaldm.server.internal.store.InMemoryServerStore;
import org.cardinaldm.syncml.api.SyncML;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServerShellTest {
    private final InMemoryServerStore store = new InMemoryServerStore();
    private final Registry registry = new Registry(store, ServerConfig.DEFAULT, Clock.systemUTC(), new SecureRandom());
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    private String output() {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private void add(String id, String... extra) throws Exception {
        DeviceAddCommand c = new DeviceAddCommand();
        c.devices = registry;
        c.out = out;
        c.deviceId = id;
        c.password = "pw";
        c.serverPassword = "spw";
        for (int i = 0; i + 1 < extra.length; i += 2) {
            switch (extra[i]) {
                case "auth" -> c.auth = extra[i + 1];
                case "card" -> c.card = extra[i + 1];
                case "update" -> c.update = true;
                default -> throw new IllegalArgumentException(extra[i]);
            }
        }
        c.execute();
    }

    @BeforeEach
    void devices() throws Exception {
        add("IMEI:1", "card", "8944000000000000001");
        add("IMEI:2", "auth", "basic");
    }

    @Test
    void devices_lists_one_line_per_device_with_card_contact_and_state() throws Exception {
        DevicesCommand c = new DevicesCommand();
        c.devices = registry;
        c.out = out;
        c.execute();
        assertThat(output()).contains("Device IMEI:1 registered (MD5 / MD5).")
                .contains("Device IMEI:2 registered (BASIC / MD5).");
        String table = output().substring(output().indexOf("DevId"));
        assertThat(table.lines().filter(l -> l.contains("IMEI:")).count()).isEqualTo(2);
        assertThat(table).contains("8944000000000000001").contains("NEW").contains("0 (total 0)");
    }

    @Test
    void device_add_refuses_duplicates_and_unknown_schemes_and_updates_with_update() throws Exception {
        assertThatThrownBy(() -> add("IMEI:1")).isInstanceOf(CommandException.class)
                .hasMessageContaining("already registered").hasMessageContaining("--update");
        assertThatThrownBy(() -> add("IMEI:3", "auth", "x509")).isInstanceOf(CommandException.class)
                .hasMessageContaining("md5, basic or hmac");
        add("IMEI:1", "auth", "hmac", "update", "yes");
        assertThat(registry.device("IMEI:1").orElseThrow().clientAuth()).isEqualTo(AuthScheme.HMAC);
        assertThat(output()).contains("Credentials of IMEI:1 replaced.");
    }

    @Test
    void device_shows_state_devinfo_alerts_and_jobs_but_no_secret() throws Exception {
        store.updateDevice("IMEI:1", r -> r.toBuilder().devInfo(java.util.Map.of("./DevInfo/Man", "Acme")).build());
        store.recordAlert(new DeviceAlert("IMEI:1", Instant.now(), "1", 1226, "org.example.boot", "chr", "warning",
                "./Diag", null, "rebooted"));
        registry.submit("IMEI:1", "read", List.of(Operation.get("./DevInfo/Mod")));
        DeviceCommand c = new DeviceCommand();
        c.devices = registry;
        c.jobs = registry;
        c.out = out;
        c.deviceId = "IMEI:1";
        c.execute();
        String s = output();
        assertThat(s).contains("./DevInfo/Man").contains("Acme").contains("MD5 as IMEI:1").contains("MD5 as cardinal")
                .contains("org.example.boot").contains("rebooted").contains("GET ./DevInfo/Mod");
        String digest = store.device("IMEI:1").orElseThrow().clientDigest();
        assertThat(s).doesNotContain(digest).doesNotContain("spw");
        c.deviceId = "ghost";
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("No device ghost");
    }

    @Test
    void job_add_queues_each_kind_of_operation() throws Exception {
        String[][] cases = {{"get", "./DevInfo/Mod", null}, {"add", "./SmartCard/MO/A", "1"}, {"add", "./N", null},
            {"replace", "./SmartCard/MO/A", "2"}, {"delete", "./SmartCard/MO/A", null}, {"exec", "./Reboot", null},
            {"copy", "./S", "./T"}};
        for (String[] x : cases) {
            JobAddCommand c = new JobAddCommand();
            c.jobs = registry;
            c.out = out;
            c.deviceId = "IMEI:1";
            c.operation = x[0];
            c.uri = x[1];
            c.value = x[2];
            c.execute();
        }
        List<Job> jobs = registry.jobs("IMEI:1", 10);
        assertThat(jobs).hasSize(7);
        assertThat(jobs).extracting(j -> j.operations().get(0).kind()).containsExactly(OperationKind.COPY,
                OperationKind.EXEC, OperationKind.DELETE, OperationKind.REPLACE, OperationKind.ADD, OperationKind.ADD,
                OperationKind.GET);
        assertThat(jobs.get(0).operations().get(0).source()).isEqualTo("./S");
        assertThat(jobs.get(4).operations().get(0).format()).isEqualTo("node");
        assertThat(output()).contains("Job 1 queued for IMEI:1: GET ./DevInfo/Mod");
    }

    @Test
    void job_add_explains_what_is_missing() {
        JobAddCommand c = new JobAddCommand();
        c.jobs = registry;
        c.out = out;
        c.deviceId = "IMEI:1";
        c.operation = "replace";
        c.uri = "./A";
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("needs a value");
        c.operation = "frobnicate";
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("Unknown operation");
        c.operation = "get";
        c.deviceId = "ghost";
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("ghost");
        c.jobs = null;
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class)
                .hasMessageContaining("feature:install cardinal-server");
    }

    @Test
    void jobs_and_results_show_progress_statuses_and_values() throws Exception {
        Job job = registry.submit("IMEI:1", "inventory", List.of(Operation.get("./DevInfo/Mod"),
                Operation.atomic(List.of(Operation.replace("./A", "1", "chr"), Operation.delete("./B")))));
        store.claimJobs("IMEI:1", "n/s", 1, Instant.now());
        store.recordResult(new OperationResult(job.id(), 0, 200,
                List.of(new ResultItem("./DevInfo/Mod", "chr", "text/plain", "Model X", false)), Instant.now()));
        store.recordResult(new OperationResult(job.id(), 1, 507, List.of(), Instant.now()));
        JobsCommand jobs = new JobsCommand();
        jobs.jobs = registry;
        jobs.out = out;
        jobs.execute();
        assertThat(output()).contains("ACTIVE").contains("2/4").contains("inventory");

        ResultsCommand results = new ResultsCommand();
        results.jobs = registry;
        results.out = out;
        results.jobId = job.id();
        results.execute();
        assertThat(output()).contains("Job " + job.id() + " for IMEI:1: ACTIVE").contains("Model X").contains("507")
                .contains("REPLACE ./A = 1").contains("DELETE ./B");
        results.jobId = 999;
        assertThatThrownBy(results::execute).isInstanceOf(CommandException.class).hasMessageContaining("No job 999");
    }

    @Test
    void job_cancel_only_cancels_pending_jobs() throws Exception {
        Job job = registry.submit("IMEI:1", null, List.of(Operation.get("./A")));
        JobCancelCommand c = new JobCancelCommand();
        c.jobs = registry;
        c.out = out;
        c.jobId = job.id();
        c.execute();
        assertThat(registry.job(job.id()).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("no longer pending");
    }

    @Test
    void unlock_disable_enable_and_remove() throws Exception {
        store.updateDevice("IMEI:1", r -> r.toBuilder().lockedUntil(Instant.now().plusSeconds(600)).build());
        DeviceUnlockCommand u = new DeviceUnlockCommand();
        u.devices = registry;
        u.out = out;
        u.deviceId = "IMEI:1";
        u.execute();
        assertThat(registry.device("IMEI:1").orElseThrow().lockedUntil()).isNull();
        u.disable = true;
        u.execute();
        assertThat(registry.device("IMEI:1").orElseThrow().enabled()).isFalse();
        u.disable = false;
        u.enable = true;
        u.execute();
        assertThat(registry.device("IMEI:1").orElseThrow().enabled()).isTrue();
        DeviceRemoveCommand r = new DeviceRemoveCommand();
        r.devices = registry;
        r.out = out;
        r.deviceId = "IMEI:1";
        r.execute();
        assertThat(registry.device("IMEI:1")).isEmpty();
        assertThatThrownBy(r::execute).isInstanceOf(CommandException.class);
        u.deviceId = "IMEI:1";
        assertThatThrownBy(u::execute).isInstanceOf(CommandException.class);
        assertThat(output()).contains("IMEI:1 unlocked.").contains("IMEI:1 disabled.").contains("IMEI:1 removed.");
    }

    @Test
    void sessions_lists_open_sessions() throws Exception {
        SessionEngine engine = new SessionEngine(store, ServerConfig.DEFAULT, Clock.systemUTC(), new SecureRandom(),
                SyncML::forMediaType);
        registry.submit("IMEI:1", null, List.of(Operation.get("./DevInfo/Mod")));
        String nonce = store.device("IMEI:1").orElseThrow().clientNonce();
        var header = org.cardinaldm.syncml.api.model.SyncHeader.builder().sessionId("AB").msgId("1")
                .target("http://x/dm").source(org.cardinaldm.syncml.api.model.Location.of("IMEI:1", "IMEI:1"))
                .cred(org.cardinaldm.syncml.api.auth.Credentials.md5("IMEI:1", "pw",
                        org.cardinaldm.syncml.api.auth.Credentials.decodeNonce(nonce)))
                .build();
        var pkg1 = org.cardinaldm.syncml.api.model.SyncMessage.builder(header)
                .add(org.cardinaldm.syncml.api.model.Alert.of("1", 1201)).build();
        var answer = engine.process(new org.cardinaldm.server.api.transport.InboundMessage(SyncML.xml().encode(pkg1),
                "application/vnd.syncml.dm+xml", null, null, "http://x/dm", "test"));
        assertThat(answer.isMessage()).isTrue();
        buffer.reset();
        SessionsCommand c = new SessionsCommand();
        c.sessions = engine;
        c.out = out;
        c.execute();
        assertThat(output()).contains("SessionID").contains("IMEI:1").contains("AB").contains("yes").contains("1/1");
    }

    @Test
    void notify_sends_and_lists_notifications() throws Exception {
        List<byte[]> sent = new java.util.ArrayList<>();
        org.cardinaldm.server.internal.Notifier notifier = new org.cardinaldm.server.internal.Notifier(store,
                ServerConfig.DEFAULT, Clock.systemUTC(), new SecureRandom(),
                scheme -> java.util.Optional.of((a, b) -> sent.add(b)), java.time.Duration.ofMinutes(1), 3);
        NotifyCommand c = new NotifyCommand();
        c.notifications = notifier;
        c.out = out;
        c.deviceId = "IMEI:1";
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("push address");
        store.updateDevice("IMEI:1", r -> r.toBuilder().pushAddress("udp:127.0.0.1:2948").build());
        c.ui = "informative";
        c.execute();
        assertThat(sent).hasSize(1);
        assertThat(output()).contains("to IMEI:1 at udp:127.0.0.1:2948: SENT");
        c.list = true;
        c.execute();
        assertThat(output()).contains("Attempts").contains("udp:127.0.0.1:2948");
        c.list = false;
        c.ui = "loud";
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("ui-mode");
    }

    @Test
    void helpdesk_queues_the_standard_reads_and_can_notify() throws Exception {
        HelpDeskCommand c = new HelpDeskCommand();
        c.jobs = registry;
        c.out = out;
        c.deviceId = "IMEI:1";
        c.execute();
        Job job = registry.jobs("IMEI:1", 1).get(0);
        assertThat(job.description()).isEqualTo("help desk");
        assertThat(job.operations()).extracting(Operation::target).containsExactly("./DevInfo?list=StructData",
                "./DevDetail?list=StructData", "./DMAcc?list=StructData", "./SmartCard/Info?list=StructData");
        c.uris = List.of("./Apps", "./Diag?list=Struct");
        c.execute();
        assertThat(registry.jobs("IMEI:1", 1).get(0).operations()).extracting(Operation::target)
                .containsExactly("./Apps?list=StructData", "./Diag?list=Struct");
        c.notify = true;
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("not available");
        c.deviceId = "ghost";
        c.notify = false;
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("ghost");
    }

    @Test
    void shorten_keeps_one_line() {
        assertThat(Services.shorten("a\nb", 10)).isEqualTo("a.b");
        assertThat(Services.shorten("x".repeat(100), 10)).hasSize(10).endsWith("...");
        assertThat(Services.shorten(null, 10)).isEqualTo("-");
    }
}
