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
import org.cardinaldm.server.api.AuthAttempt;
import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.DeviceAlert;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationKind;
import org.cardinaldm.server.api.OperationResult;
import org.cardinaldm.server.api.ResultItem;
import org.cardinaldm.server.internal.HelpDeskService;
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
    void auth_failures_lists_the_refused_attempts_of_a_dev_id_with_their_sources_newest_first() throws Exception {
        org.cardinaldm.server.internal.session.AuthGuard guard =
                new org.cardinaldm.server.internal.session.AuthGuard(ServerConfig.DEFAULT);
        Registry withLog = new Registry(store, ServerConfig.DEFAULT, Clock.systemUTC(), new SecureRandom(), guard);
        Instant t = Instant.parse("2026-03-01T10:00:00Z");
        guard.record(new AuthAttempt(t, "IMEI:9", "198.51.100.7", AuthScheme.MD5,
                AuthAttempt.Outcome.WRONG_CREDENTIALS));
        guard.record(new AuthAttempt(t.plusSeconds(5), "IMEI:9", "203.0.113.9", null, AuthAttempt.Outcome.THROTTLED));
        AuthFailuresCommand c = new AuthFailuresCommand();
        c.devices = withLog;
        c.out = out;
        c.deviceId = "IMEI:9";
        c.execute();
        String table = output();
        assertThat(table).contains("Time").contains("Source").contains("Scheme").contains("Outcome");
        assertThat(table.indexOf("203.0.113.9")).isLessThan(table.indexOf("198.51.100.7"));
        assertThat(table).contains("2026-03-01 10:00:05Z").contains("THROTTLED").contains("none")
                .contains("2026-03-01 10:00:00Z").contains("MD5").contains("WRONG_CREDENTIALS");

        buffer.reset();
        c.deviceId = "IMEI:quiet";
        c.execute();
        assertThat(output()).contains("No refused authentication attempt of IMEI:quiet is remembered on this node.");
        c.devices = null;
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("not running");
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
    void helpdesk_queues_the_standard_and_the_optional_reads_and_can_notify() throws Exception {
        HelpDeskCommand c = new HelpDeskCommand();
        c.helpDesk = new HelpDeskService(registry);
        c.jobs = registry;
        c.out = out;
        c.deviceId = "IMEI:1";
        buffer.reset();
        c.execute();
        List<Job> two = registry.jobs("IMEI:1", 2);
        Job job = two.get(1);
        assertThat(job.description()).isEqualTo("help desk");
        assertThat(job.operations()).extracting(Operation::target).containsExactly("./DevInfo?list=StructData",
                "./DevDetail?list=StructData", "./DMAcc?list=StructData", "./SmartCard/Info?list=StructData");
        assertThat(two.get(0).description()).isEqualTo("help desk: optional reads of job " + job.id());
        assertThat(two.get(0).operations()).extracting(Operation::target).containsExactly(
                "./SmartCard/Policy?list=StructData", "./SCOMO/Inventory?list=StructData", "./DiagMon?list=StructData",
                "./FUMO?list=StructData");
        // the first "Job N queued" line names the standard job (the end-to-end test reads it)
        assertThat(output()).startsWith("Job " + job.id() + " queued for IMEI:1 (4 reads)")
                .contains("Job " + two.get(0).id() + " queued for IMEI:1 (4 optional reads: ./SmartCard/Policy, "
                        + "./SCOMO/Inventory, ./DiagMon, ./FUMO; a device without them answers 404).");
        c.uris = List.of("./Apps", "./Diag?list=Struct");
        c.execute();
        assertThat(registry.jobs("IMEI:1", 1).get(0).operations()).extracting(Operation::target)
                .containsExactly("./Apps?list=StructData", "./Diag?list=Struct");
        assertThat(registry.jobs("IMEI:1", 10)).hasSize(3);
        c.notify = true;
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("not available");
        c.deviceId = "ghost";
        c.notify = false;
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("ghost");
    }

    /** A clock that only moves when told. */
    static final class StepClock extends Clock {
        Instant now = Instant.parse("2026-11-27T22:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static ResultItem node(String uri) {
        return new ResultItem(uri, "node", null, null, false);
    }

    private static ResultItem leaf(String uri, String value) {
        return new ResultItem(uri, "chr", "text/plain", value, false);
    }

    /** Answers the device's pending help-desk jobs as the all-in-one demo gateway does. */
    private void answerAsTheDemoGateway(String dev) {
        List<Job> claimed = store.claimJobs(dev, "n/s", 10, Instant.now());
        for (Job j : claimed) {
            boolean ok = true;
            List<Operation> ops = j.flatOperations();
            for (int i = 0; i < ops.size(); i++) {
                String t = ops.get(i).target();
                List<ResultItem> items;
                if (t.startsWith("./DevInfo")) {
                    items = List.of(node("./DevInfo"), leaf("./DevInfo/DevId", dev), leaf("./DevInfo/Man", "Cardinal"),
                            leaf("./DevInfo/Mod", "Gateway"), leaf("./DevInfo/DmV", "0.1.0"),
                            leaf("./DevInfo/Lang", "en-US"));
                } else if (t.startsWith("./DevDetail")) {
                    items = List.of(node("./DevDetail"), node("./DevDetail/URI"), leaf("./DevDetail/URI/MaxDepth", "0"),
                            leaf("./DevDetail/URI/MaxTotLen", "0"), leaf("./DevDetail/URI/MaxSegLen", "0"),
                            leaf("./DevDetail/DevTyp", "gateway"), leaf("./DevDetail/OEM", "QEMU"),
                            leaf("./DevDetail/FwV", "1.16.3-debian-1.16.3-2"),
                            leaf("./DevDetail/SwV", "Linux 6.1.0-28-amd64"), leaf("./DevDetail/HwV", "pc-i440fx-8.2"),
                            new ResultItem("./DevDetail/LrgObj", "bool", "text/plain", "true", false));
                } else if (t.startsWith("./DMAcc")) {
                    String a = "./DMAcc/cardinal";
                    items = List.of(node("./DMAcc"), node(a), leaf(a + "/AppID", "w7"), leaf(a + "/ServerID", "cardinal"),
                            leaf(a + "/Name", "Cardinal demo server"), node(a + "/AppAddr"), node(a + "/AppAddr/1"),
                            leaf(a + "/AppAddr/1/Addr", "http://127.0.0.1:8181/dm"),
                            leaf(a + "/AppAddr/1/AddrType", "URI"), node(a + "/AppAddr/1/Port"),
                            node(a + "/AppAddr/1/Port/1"), leaf(a + "/AppAddr/1/Port/1/PortNbr", "8181"),
                            leaf(a + "/AAuthPref", "DIGEST"), node(a + "/AppAuth"), node(a + "/AppAuth/1"),
                            leaf(a + "/AppAuth/1/AAuthLevel", "CLCRED"), leaf(a + "/AppAuth/1/AAuthType", "DIGEST"),
                            leaf(a + "/AppAuth/1/AAuthName", "cardinal-device"),
                            new ResultItem(a + "/AppAuth/1/AAuthSecret", "chr", null, "cardinal-device-demo-secret",
                                    false),
                            node(a + "/AppAuth/2"), leaf(a + "/AppAuth/2/AAuthLevel", "SRVCRED"),
                            leaf(a + "/AppAuth/2/AAuthType", "DIGEST"), leaf(a + "/AppAuth/2/AAuthName", "cardinal-dms"),
                            new ResultItem(a + "/AppAuth/2/AAuthData", "b64", null, "c2VydmVyLW5vbmNl", true));
                } else if (t.startsWith("./SmartCard/Info")) {
                    String c = "./SmartCard/Info";
                    items = List.of(node(c), leaf(c + "/CardId", "8944000000000000001"),
                            leaf(c + "/ATR", "3b8f8001804f0ca000000306030001000000006a"),
                            leaf(c + "/Reader", "Cardinal software card"), leaf(c + "/ProfileVersion", "1.0"),
                            new ResultItem(c + "/FreeSpace", "int", null, "6144", false),
                            leaf(c + "/Capabilities", "bootstrap,policy,mo-store,fumo-policy"),
                            new ResultItem(c + "/ChangeCounter", "int", null, "5", false));
                } else if (t.startsWith("./SmartCard/Policy")) {
                    String p = "./SmartCard/Policy";
                    items = List.of(node(p), new ResultItem(p + "/UserConfirmation", "bool", null, "false", false),
                            new ResultItem(p + "/AutoConnect", "bool", null, "true", false),
                            leaf(p + "/AllowedServers", "cardinal"));
                } else {
                    items = null;
                }
                store.recordResult(new OperationResult(j.id(), i, items == null ? 404 : 200,
                        items == null ? List.of() : items, Instant.now()));
                ok &= items != null;
            }
            store.transitionJob(j.id(), JobState.ACTIVE, ok ? JobState.SUCCEEDED : JobState.FAILED, Instant.now());
        }
    }

    private HelpDeskCommand waiting(String dev, int seconds, StepClock clock, List<Long> sleeps, Runnable device) {
        HelpDeskCommand c = new HelpDeskCommand();
        c.helpDesk = new HelpDeskService(registry);
        c.jobs = registry;
        c.devices = registry;
        c.out = out;
        c.deviceId = dev;
        c.waitSeconds = seconds;
        c.clock = clock;
        c.sleeper = millis -> {
            sleeps.add(millis);
            clock.now = clock.now.plusMillis(millis);
            device.run();
        };
        return c;
    }

    @Test
    void helpdesk_wait_notifies_the_device_polls_and_prints_the_report() throws Exception {
        List<byte[]> sent = new java.util.ArrayList<>();
        String demo = "urn:x-cardinaldm:demo-gateway";     // the device of the all-in-one distribution
        add(demo);
        buffer.reset();
        store.updateDevice(demo, r -> r.toBuilder().pushAddress("udp:127.0.0.1:2948").build());
        StepClock clock = new StepClock();
        List<Long> sleeps = new java.util.ArrayList<>();
        int[] polls = {0};
        HelpDeskCommand c = waiting(demo, 30, clock, sleeps, () -> {
            if (++polls[0] == 3) {
                answerAsTheDemoGateway(demo);
            }
        });
        c.notifications = new org.cardinaldm.server.internal.Notifier(store, ServerConfig.DEFAULT, Clock.systemUTC(),
                new SecureRandom(), scheme -> java.util.Optional.of((a, b) -> sent.add(b)),
                java.time.Duration.ofMinutes(1), 3);
        c.execute();
        String s = output();
        assertThat(sent).hasSize(1);
        assertThat(sleeps).containsExactly(250L, 250L, 250L);
        assertThat(s).contains("Notification ").contains(": SENT")
                .contains("Help desk of " + demo + " (jobs 1, 2, complete)")
                .contains("\nDevice\n  DevId                    " + demo + "\n")
                .contains("  Model                    Gateway\n")
                .contains("  Software / OS version    Linux 6.1.0-28-amd64\n")
                .contains("  URI limits               MaxDepth 0, MaxTotLen 0, MaxSegLen 0 (0 = unlimited)")
                .contains("\nCard\n  Info\n    Card id                8944000000000000001\n")
                .contains("  Policy\n    User confirmation      false\n")
                .contains("\nConnectivity\n  cardinal (cardinal)\n    ServerID               cardinal\n")
                .contains("    Address                http://127.0.0.1:8181/dm (URI), port 8181\n")
                .contains("    Auth CLCRED            DIGEST as cardinal-device\n")
                .contains("\nInstalled applications\n  not reported by the device (404)\n")
                .contains("\nLogs\n  not reported by the device (404)\n")
                .contains("\nOther\n  (nothing)\n")
                .contains("  job 2 #1  404 Not found  ./SCOMO/Inventory?list=StructData  <- not on this device")
                .contains("  job 1 #0  200 OK         ./DevInfo?list=StructData\n")
                .contains("2 secret-looking leaf values withheld");
        assertThat(s).doesNotContain("cardinal-device-demo-secret").doesNotContain("c2VydmVyLW5vbmNl")
                .doesNotContain("AAuthSecret").doesNotContain("AAuthData");
        // the standard job succeeded: dms:results of it still ends SUCCEEDED
        assertThat(registry.job(1).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(registry.job(2).orElseThrow().state()).isEqualTo(JobState.FAILED);
        System.out.println(s);
    }

    @Test
    void helpdesk_wait_is_bounded_and_prints_what_arrived() throws Exception {
        StepClock clock = new StepClock();
        List<Long> sleeps = new java.util.ArrayList<>();
        HelpDeskCommand c = waiting("IMEI:2", 2, clock, sleeps, () -> { });
        c.execute();
        String s = output();
        assertThat(sleeps).hasSize(8).allMatch(ms -> ms == 250L);
        assertThat(s).contains("No push address for IMEI:2: waiting for the device's next session.")
                .contains("Still waiting after 2 s (job 1 PENDING, job 2 PENDING)")
                .contains("dms:helpdesk-report 1").contains("not complete")
                .contains("\nDevice\n  DevId          IMEI:2\n  Serial number  2 (IMEI, from the DevId)\n  (no answer yet)\n")
                .contains("\nCard\n  no answer yet\n").contains("job 1 #3  no answer  ./SmartCard/Info?list=StructData");
        assertThat(registry.job(1).orElseThrow().state()).isEqualTo(JobState.PENDING);

        // a push address but no notification service: --wait still waits (only --notify insists)
        store.updateDevice("IMEI:2", r -> r.toBuilder().pushAddress("udp:127.0.0.1:2948").build());
        buffer.reset();
        c.execute();
        assertThat(output()).contains("Notifications are not available: waiting for the device's next session.")
                .contains("Still waiting after 2 s (job 3 PENDING, job 4 PENDING)");
        c.notify = true;
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("not available");
    }

    @Test
    void helpdesk_wait_refuses_out_of_range_waits_and_stops_when_interrupted() throws Exception {
        HelpDeskCommand c = waiting("IMEI:2", 0, new StepClock(), new java.util.ArrayList<>(), () -> { });
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("1 to 3600");
        c.waitSeconds = 3601;
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("1 to 3600");
        assertThat(registry.jobs("IMEI:2", 10)).isEmpty();
        c.waitSeconds = 5;
        c.sleeper = millis -> {
            throw new InterruptedException();
        };
        try {
            c.execute();
            assertThat(Thread.interrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(output()).contains("Interrupted; what arrived so far is below.").contains("Help desk of IMEI:2");
    }

    @Test
    void helpdesk_report_prints_an_ended_request_and_refuses_other_jobs() throws Exception {
        HelpDeskCommand h = new HelpDeskCommand();
        h.helpDesk = new HelpDeskService(registry);
        h.jobs = registry;
        h.out = out;
        h.deviceId = "IMEI:1";
        h.execute();
        answerAsTheDemoGateway("IMEI:1");
        buffer.reset();
        HelpDeskReportCommand c = new HelpDeskReportCommand();
        c.helpDesk = new HelpDeskService(registry);
        c.jobs = registry;
        c.out = out;
        for (long id : new long[] {1, 2}) {
            c.jobId = id;
            c.execute();
            assertThat(output()).contains("Help desk of IMEI:1 (jobs 1, 2, complete)")
                    .contains("    Card id                8944000000000000001");
            buffer.reset();
        }
        c.width = 12;
        c.execute();
        assertThat(output()).contains("    Reader                 Cardinal ...\n");
        Job other = registry.submit("IMEI:1", "inventory", List.of(Operation.get("./DevInfo/Mod")));
        c.jobId = other.id();
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class)
                .hasMessageContaining("not a help-desk job (inventory)").hasMessageContaining("dms:results");
        c.jobId = 999;
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("No job 999");
        c.jobs = null;
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("not running");
    }

    @Test
    void shorten_keeps_one_line() {
        assertThat(Services.shorten("a\nb", 10)).isEqualTo("a.b");
        assertThat(Services.shorten("x".repeat(100), 10)).hasSize(10).endsWith("...");
        assertThat(Services.shorten(null, 10)).isEqualTo("-");
    }
}
