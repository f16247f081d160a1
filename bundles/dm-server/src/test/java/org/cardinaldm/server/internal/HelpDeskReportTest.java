package org.cardinaldm.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.DeviceRegistration;
import org.cardinaldm.server.api.HelpDesk;
import org.cardinaldm.server.api.HelpDeskReport;
import org.cardinaldm.server.api.HelpDeskReport.Kind;
import org.cardinaldm.server.api.HelpDeskReport.Section;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationResult;
import org.cardinaldm.server.api.ResultItem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Help-desk reports from results shaped as Cardinal's device agent sends them for
 * {@code ?list=StructData} (an item per node, interior nodes with format {@code node}).
 */
class HelpDeskReportTest extends EngineFixture {
    static final String DEV = "urn:x-cardinaldm:demo-gateway";

    HelpDesk desk;

    @BeforeEach
    void register() {
        desk = new HelpDeskService(registry);
        registry.register(DeviceRegistration.builder(DEV).client(AuthScheme.MD5, "cardinal-device", "pw")
                .server(AuthScheme.MD5, null, "spw").build());
    }

    static ResultItem node(String uri) {
        return new ResultItem(uri, "node", null, null, false);
    }

    static ResultItem leaf(String uri, String value) {
        return new ResultItem(uri, "chr", "text/plain", value, false);
    }

    /** What the demo gateway answers to the seven default reads (index = operation of its job). */
    static List<ResultItem> devInfo() {
        return List.of(node("./DevInfo"), leaf("./DevInfo/DevId", DEV), leaf("./DevInfo/Man", "Cardinal"),
                leaf("./DevInfo/Mod", "Gateway G1"), leaf("./DevInfo/DmV", "0.1.0"), leaf("./DevInfo/Lang", "en-US"));
    }

    static List<ResultItem> devDetail() {
        return List.of(node("./DevDetail"), node("./DevDetail/URI"), leaf("./DevDetail/URI/MaxDepth", "15"),
                leaf("./DevDetail/URI/MaxTotLen", "1024"), leaf("./DevDetail/URI/MaxSegLen", "64"),
                leaf("./DevDetail/DevTyp", "gateway"), leaf("./DevDetail/OEM", "QEMU"),
                leaf("./DevDetail/FwV", "1.16.3-debian"), leaf("./DevDetail/SwV", "Linux 6.1.0-28-amd64"),
                leaf("./DevDetail/HwV", "pc-i440fx-8.2"), new ResultItem("./DevDetail/LrgObj", "bool", "text/plain",
                        "true", false));
    }

    static List<ResultItem> dmAcc() {
        String a = "./DMAcc/cardinal";
        return List.of(node("./DMAcc"), node(a), leaf(a + "/AppID", "w7"), leaf(a + "/ServerID", "cardinal"),
                leaf(a + "/Name", "Cardinal demo server"), node(a + "/AppAddr"), node(a + "/AppAddr/1"),
                leaf(a + "/AppAddr/1/Addr", "http://127.0.0.1:8181/dm"), leaf(a + "/AppAddr/1/AddrType", "URI"),
                node(a + "/AppAddr/1/Port"), node(a + "/AppAddr/1/Port/1"),
                leaf(a + "/AppAddr/1/Port/1/PortNbr", "8181"), leaf(a + "/AAuthPref", "DIGEST"),
                node(a + "/AppAuth"), node(a + "/AppAuth/srv"), leaf(a + "/AppAuth/srv/AAuthLevel", "SRVCRED"),
                leaf(a + "/AppAuth/srv/AAuthType", "DIGEST"), leaf(a + "/AppAuth/srv/AAuthName", "cardinal-device"),
                // write-only leaves come without data; a misbehaving device might even send one
                new ResultItem(a + "/AppAuth/srv/AAuthSecret", "chr", null, "cardinal-device-demo-secret", false),
                new ResultItem(a + "/AppAuth/srv/AAuthData", "b64", null, "bm9uY2U=", true),
                node(a + "/AppAuth/cli"), leaf(a + "/AppAuth/cli/AAuthLevel", "CLCRED"),
                leaf(a + "/AppAuth/cli/AAuthType", "DIGEST"));
    }

    static List<ResultItem> cardInfo() {
        String i = "./SmartCard/Info";
        return List.of(node(i), leaf(i + "/CardId", "8988211000000000017"),
                leaf(i + "/ATR", "3b8f8001804f0ca000000306030001000000006a"), leaf(i + "/Reader", "Cardinal software card"),
                leaf(i + "/ProfileVersion", "1.0"), new ResultItem(i + "/FreeSpace", "int", null, "6144", false),
                leaf(i + "/Capabilities", "bootstrap,policy,mo-store,fumo-policy"),
                new ResultItem(i + "/ChangeCounter", "int", null, "7", false));
    }

    static List<ResultItem> cardPolicy() {
        String p = "./SmartCard/Policy";
        return List.of(node(p), new ResultItem(p + "/UserConfirmation", "bool", null, "false", false),
                new ResultItem(p + "/AutoConnect", "bool", null, "true", false), leaf(p + "/AllowedServers", "cardinal"),
                node(p + "/FUMO"), leaf(p + "/FUMO/TrustedSigners", "CN=Cardinal demo signer"),
                new ResultItem(p + "/FUMO/AntiRollbackCounter", "int", null, "3", false));
    }

    /** ./FUMO of the demo gateway: one instance, downloading, with a vendor progress leaf under Ext. */
    static List<ResultItem> fumo() {
        String g = "./FUMO/Gateway";
        return List.of(node("./FUMO"), node(g), leaf(g + "/PkgName", "cardinal-gateway"),
                leaf(g + "/PkgVersion", "2.0.0"), node(g + "/Download"), node(g + "/Update"),
                node(g + "/DownloadAndUpdate"),
                leaf(g + "/DownloadAndUpdate/PkgURL", "https://dm.example.com:8443/packages/fw-2.bin?t=s3cr3t"),
                new ResultItem(g + "/State", "int", null, "30", false), node(g + "/Ext"),
                new ResultItem(g + "/Ext/UserConsent", "bool", null, "false", false),
                new ResultItem(g + "/Ext/DownloadProgress", "int", null, "42", false));
    }

    private List<Job> submitDefault() {
        return desk.submit(DEV, null);
    }

    private void answer(Job job, int index, int status, List<ResultItem> items) {
        store.recordResult(new OperationResult(job.id(), index, status, items, Instant.now()));
    }

    private void end(Job job, JobState state) {
        store.transitionJob(job.id(), JobState.ACTIVE, state, Instant.now());
    }

    private List<Job> answeredAsTheDemoGateway() {
        List<Job> jobs = submitDefault();
        store.claimJobs(DEV, "n/s", 10, Instant.now());
        Job std = jobs.get(0);
        answer(std, 0, 200, devInfo());
        answer(std, 1, 200, devDetail());
        answer(std, 2, 200, dmAcc());
        answer(std, 3, 200, cardInfo());
        end(std, JobState.SUCCEEDED);
        Job opt = jobs.get(1);
        answer(opt, 0, 200, cardPolicy());
        answer(opt, 1, 404, List.of());
        answer(opt, 2, 404, List.of());
        answer(opt, 3, 200, fumo());
        end(opt, JobState.FAILED);
        return desk.request(std.id());
    }

    @Test
    void default_request_is_a_standard_job_and_a_job_of_optional_reads() {
        List<Job> jobs = submitDefault();
        assertThat(jobs).hasSize(2);
        assertThat(jobs.get(0).description()).isEqualTo("help desk");
        assertThat(jobs.get(0).operations()).extracting(Operation::target).containsExactly(
                "./DevInfo?list=StructData", "./DevDetail?list=StructData", "./DMAcc?list=StructData",
                "./SmartCard/Info?list=StructData");
        assertThat(jobs.get(1).description()).isEqualTo("help desk: optional reads of job " + jobs.get(0).id());
        assertThat(jobs.get(1).operations()).extracting(Operation::target).containsExactly(
                "./SmartCard/Policy?list=StructData", "./SCOMO/Inventory?list=StructData", "./DiagMon?list=StructData",
                "./FUMO?list=StructData");
        assertThat(desk.request(jobs.get(0).id())).extracting(Job::id)
                .containsExactly(jobs.get(0).id(), jobs.get(1).id());
        assertThat(desk.request(jobs.get(1).id())).extracting(Job::id)
                .containsExactly(jobs.get(0).id(), jobs.get(1).id());
        assertThat(desk.latest(DEV)).extracting(Job::id).containsExactly(jobs.get(0).id(), jobs.get(1).id());
    }

    @Test
    void named_uris_make_one_job_and_keep_their_query() {
        List<Job> jobs = desk.submit(DEV, List.of("./Ext/Log", "./DevInfo/Mod", "./X?list=Struct"));
        assertThat(jobs).hasSize(1);
        assertThat(jobs.get(0).operations()).extracting(Operation::target).containsExactly(
                "./Ext/Log?list=StructData", "./DevInfo/Mod?list=StructData", "./X?list=Struct");
        assertThat(desk.request(jobs.get(0).id())).hasSize(1);
        assertThatThrownBy(() -> desk.submit("ghost", null)).isInstanceOf(IllegalArgumentException.class);
        List<Job> configured = desk.submit(DEV, List.of("./DevInfo"), List.of("./Ext/Logs"));
        assertThat(configured).extracting(j -> j.operations().get(0).target())
                .containsExactly("./DevInfo?list=StructData", "./Ext/Logs?list=StructData");
        assertThat(configured.get(1).description()).isEqualTo(HelpDesk.optionalDescription(configured.get(0).id()));
        assertThat(desk.submit(DEV, List.of("./DevInfo"), List.of())).hasSize(1);
        assertThatThrownBy(() -> desk.submit(DEV, List.of(), List.of("./DiagMon")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
    }

    @Test
    void the_optional_job_is_found_after_jobs_of_other_devices() {
        registry.register(DeviceRegistration.builder("IMEI:9").client(AuthScheme.MD5, "u", "p")
                .server(AuthScheme.MD5, null, "s").build());
        Job std = registry.submit(DEV, HelpDesk.DESCRIPTION, List.of(HelpDesk.read("./DevInfo")));
        // another device's job that claims to be the companion, then more jobs of other nodes' operators
        Job fake = registry.submit("IMEI:9", HelpDesk.optionalDescription(std.id()),
                List.of(HelpDesk.read("./DiagMon")));
        for (int i = 0; i < 4; i++) {
            registry.submit("IMEI:9", "other", List.of(Operation.get("./X")));
        }
        Job opt = registry.submit(DEV, HelpDesk.optionalDescription(std.id()), List.of(HelpDesk.read("./DiagMon")));
        assertThat(desk.request(std.id())).extracting(Job::id).containsExactly(std.id(), opt.id());
        assertThat(desk.request(opt.id())).extracting(Job::id).containsExactly(std.id(), opt.id());
        assertThat(desk.request(fake.id())).extracting(Job::id).containsExactly(fake.id());
    }

    @Test
    void other_jobs_are_no_help_desk_request() {
        Job job = registry.submit(DEV, "read", List.of(Operation.get("./DevInfo/Mod")));
        assertThat(HelpDesk.isHelpDesk(job)).isFalse();
        assertThat(desk.request(job.id())).isEmpty();
        assertThat(desk.request(999)).isEmpty();
        assertThat(desk.latest(DEV)).isEmpty();
        assertThatThrownBy(() -> desk.report(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_demo_gateway_report_has_device_card_and_connectivity_sections() {
        HelpDeskReport r = desk.report(answeredAsTheDemoGateway());
        assertThat(r.complete()).isTrue();
        assertThat(r.deviceId()).isEqualTo(DEV);
        assertThat(r.sections()).extracting(Section::kind).containsExactly(Kind.values());
        Section device = r.section(Kind.DEVICE);
        assertThat(device.note()).isNull();
        assertThat(device.value("DevId")).isEqualTo(DEV);
        assertThat(device.value("Manufacturer")).isEqualTo("Cardinal");
        assertThat(device.value("Model")).isEqualTo("Gateway G1");
        assertThat(device.value("Device type")).isEqualTo("gateway");
        assertThat(device.value("Firmware version")).isEqualTo("1.16.3-debian");
        assertThat(device.value("Software / OS version")).isEqualTo("Linux 6.1.0-28-amd64");
        assertThat(device.value("Hardware version")).isEqualTo("pc-i440fx-8.2");
        assertThat(device.value("Large objects")).isEqualTo("true");
        assertThat(device.value("URI limits")).isEqualTo("MaxDepth 15, MaxTotLen 1024, MaxSegLen 64 (0 = unlimited)");
        assertThat(device.value("Serial number")).isNull();

        Section card = r.section(Kind.CARD);
        assertThat(card.note()).isNull();
        assertThat(card.groups()).extracting(HelpDeskReport.Group::name).containsExactly("Info", "Policy");
        assertThat(card.value("Card id")).isEqualTo("8988211000000000017");
        assertThat(card.value("Free space")).isEqualTo("6144");
        assertThat(card.value("Autonomous connection")).isEqualTo("true");
        // the card's FUMO policy is shown in the Firmware section, not twice
        assertThat(card.value("FUMO anti-rollback counter")).isNull();

        Section fw = r.section(Kind.FIRMWARE);
        assertThat(fw.note()).isNull();
        assertThat(fw.groups()).extracting(HelpDeskReport.Group::name)
                .containsExactly(null, "Gateway", "Card FUMO policy");
        assertThat(fw.value("Firmware version")).isEqualTo("1.16.3-debian");
        assertThat(fw.groups().get(1).entries()).extracting(HelpDeskReport.Entry::label).containsExactly(
                "Package name", "Package version", "State", "Download-and-update URL", "User consent", "Progress");
        assertThat(fw.value("Package name")).isEqualTo("cardinal-gateway");
        assertThat(fw.value("Package version")).isEqualTo("2.0.0");
        assertThat(fw.value("State")).isEqualTo("30 (download progressing)");
        assertThat(fw.value("Progress")).isEqualTo("42");
        assertThat(fw.value("Download-and-update URL"))
                .isEqualTo("https://dm.example.com:8443/packages/fw-2.bin (credentials and query withheld)");
        assertThat(fw.value("FUMO anti-rollback counter")).isEqualTo("3");
        assertThat(fw.value("FUMO trusted signers")).isEqualTo("CN=Cardinal demo signer");
        assertThat(r.toString()).doesNotContain("s3cr3t");

        Section conn = r.section(Kind.CONNECTIVITY);
        assertThat(conn.groups()).hasSize(1);
        assertThat(conn.groups().get(0).name()).isEqualTo("cardinal (cardinal)");
        assertThat(conn.value("Address")).isEqualTo("http://127.0.0.1:8181/dm (URI), port 8181");
        assertThat(conn.value("Auth SRVCRED")).isEqualTo("DIGEST as cardinal-device");
        assertThat(conn.value("Auth CLCRED")).isEqualTo("DIGEST");
        assertThat(conn.value("Preferred auth")).isEqualTo("DIGEST");
        assertThat(r.withheld()).isEqualTo(2);
        assertThat(r.toString()).doesNotContain("cardinal-device-demo-secret").doesNotContain("bm9uY2U=")
                .doesNotContain("AAuthSecret").doesNotContain("AAuthData");

        assertThat(r.section(Kind.APPLICATIONS).note()).isEqualTo("not reported by the device (404)");
        assertThat(r.section(Kind.APPLICATIONS).isEmpty()).isTrue();
        assertThat(r.section(Kind.LOGS).note()).isEqualTo("not reported by the device (404)");
        assertThat(r.section(Kind.OTHER).isEmpty()).isTrue();
        assertThat(r.section(Kind.OTHER).note()).isNull();
        assertThat(r.failedReads()).extracting(HelpDeskReport.Read::uri)
                .containsExactly("./SCOMO/Inventory?list=StructData", "./DiagMon?list=StructData");
        assertThat(r.failedReads().get(0).statusText()).isEqualTo("404 Not found");
    }

    @Test
    void a_device_without_fumo_fails_only_that_read_and_keeps_version_and_card_counter() {
        List<Job> jobs = submitDefault();
        store.claimJobs(DEV, "n/s", 10, Instant.now());
        Job std = jobs.get(0);
        answer(std, 0, 200, devInfo());
        answer(std, 1, 200, devDetail());
        answer(std, 2, 200, dmAcc());
        answer(std, 3, 200, cardInfo());
        end(std, JobState.SUCCEEDED);
        Job opt = jobs.get(1);
        answer(opt, 0, 200, cardPolicy());
        answer(opt, 1, 404, List.of());
        answer(opt, 2, 404, List.of());
        answer(opt, 3, 404, List.of());
        end(opt, JobState.FAILED);
        HelpDeskReport r = desk.report(desk.request(std.id()));
        assertThat(registry.job(std.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
        Section fw = r.section(Kind.FIRMWARE);
        assertThat(fw.note()).isEqualTo("partial: ./FUMO 404 Not found");
        assertThat(fw.value("Firmware version")).isEqualTo("1.16.3-debian");
        assertThat(fw.value("FUMO anti-rollback counter")).isEqualTo("3");
        assertThat(fw.groups()).extracting(HelpDeskReport.Group::name).containsExactly(null, "Card FUMO policy");
        assertThat(r.section(Kind.DEVICE).value("Firmware version")).isEqualTo("1.16.3-debian");
        assertThat(r.section(Kind.CARD).note()).isNull();
        assertThat(r.failedReads()).extracting(HelpDeskReport.Read::uri).containsExactly(
                "./SCOMO/Inventory?list=StructData", "./DiagMon?list=StructData", "./FUMO?list=StructData");
    }

    @Test
    void a_firmware_section_with_nothing_reported_says_why() {
        Job job = desk.submit(DEV, List.of("./FUMO")).get(0);
        store.claimJobs(DEV, "n/s", 10, Instant.now());
        answer(job, 0, 404, List.of());
        HelpDeskReport r = desk.report(List.of(registry.job(job.id()).orElseThrow()));
        assertThat(r.section(Kind.FIRMWARE).note()).isEqualTo("not reported by the device (404)");
        assertThat(r.section(Kind.FIRMWARE).isEmpty()).isTrue();
        Job later = desk.submit(DEV, List.of("./FUMO")).get(0);
        HelpDeskReport waiting = desk.report(List.of(registry.job(later.id()).orElseThrow()));
        assertThat(waiting.section(Kind.FIRMWARE).note()).isEqualTo("no answer yet");
        assertThat(desk.report(List.of(registry.job(desk.submit(DEV, List.of("./DevInfo")).get(0).id()).orElseThrow()))
                .section(Kind.FIRMWARE).note()).isEqualTo("not requested");
    }

    @Test
    void hostile_fumo_values_are_cut_unknown_states_kept_secrets_withheld_and_bad_urls_named() {
        Job job = desk.submit(DEV, List.of("./FUMO")).get(0);
        store.claimJobs(DEV, "n/s", 10, Instant.now());
        String a = "./FUMO/A";
        String b = "./FUMO/B";
        answer(job, 0, 200, List.of(node("./FUMO"), node(a), leaf(a + "/PkgName", "x".repeat(5000)),
                leaf(a + "/State", "77"), leaf(a + "/Download/PkgURL", "not a url at all"),
                leaf(a + "/Ext/DownloadToken", "tok-123"), leaf(a + "/Ext/Vendor", "Acme"), node(b),
                leaf(b + "/State", "100"), leaf(b + "/Download/PkgURL", "http://user:pw@h.example/p.bin")));
        HelpDeskReport r = desk.report(List.of(registry.job(job.id()).orElseThrow()));
        Section fw = r.section(Kind.FIRMWARE);
        assertThat(fw.groups()).extracting(HelpDeskReport.Group::name).containsExactly("A", "B");
        HelpDeskReport.Group ga = fw.groups().get(0);
        assertThat(ga.entries().get(0).value()).hasSize(FirmwareSection.MAX_VALUE + 1).endsWith("…");
        assertThat(ga.entries()).extracting(HelpDeskReport.Entry::label)
                .containsExactly("Package name", "State", "Download URL", "Ext/Vendor");
        assertThat(ga.entries().get(1).value()).isEqualTo("77");
        assertThat(ga.entries().get(2).value()).isEqualTo("(not a URL)");
        assertThat(fw.groups().get(1).entries()).extracting(HelpDeskReport.Entry::value)
                .containsExactly("100 (update successful, no data)",
                        "http://h.example/p.bin (credentials and query withheld)");
        assertThat(r.withheld()).isEqualTo(1);
        assertThat(r.toString()).doesNotContain("tok-123").doesNotContain("user:pw");
        assertThat(r.section(Kind.OTHER).isEmpty()).isTrue();
    }

    @Test
    void scomo_inventory_logs_and_unmapped_leaves_have_their_sections() {
        List<Job> jobs = submitDefault();
        store.claimJobs(DEV, "n/s", 10, Instant.now());
        Job opt = jobs.get(1);
        String d = "./SCOMO/Inventory/Deployed";
        answer(opt, 1, 200, List.of(node("./SCOMO/Inventory"), node(d), node(d + "/app1"),
                leaf(d + "/app1/ID", "org.example.meter"), leaf(d + "/app1/Name", "Meter reader"),
                leaf(d + "/app1/Version", "2.3.1"), new ResultItem(d + "/app1/State", "int", null, "20", false),
                node(d + "/app2"), leaf(d + "/app2/Name", "Modem firmware tool"), leaf(d + "/app2/Version", "0.9"),
                new ResultItem(d + "/app2/State", "int", null, "10", false), node(d + "/app2/Ext"),
                leaf(d + "/app2/Ext/Vendor", "Acme"), node("./SCOMO/Inventory/Delivered"),
                node("./SCOMO/Inventory/Delivered/pkg9"), leaf("./SCOMO/Inventory/Delivered/pkg9/Name", "Updater"),
                leaf("./SCOMO/Inventory/Delivered/pkg9/Version", "1.0")));
        answer(opt, 2, 200, List.of(node("./DiagMon"), node("./DiagMon/Log"), node("./DiagMon/Log/1"),
                leaf("./DiagMon/Log/1/Time", "20261127T221500Z"), leaf("./DiagMon/Log/1/Text", "card removed"),
                leaf("./DiagMon/CpuLoad", "12")));
        HelpDeskReport r = desk.report(desk.request(opt.id()));
        assertThat(r.complete()).isFalse();
        Section apps = r.section(Kind.APPLICATIONS);
        assertThat(apps.note()).isNull();
        assertThat(apps.groups()).extracting(HelpDeskReport.Group::name)
                .containsExactly("Meter reader", "Modem firmware tool", "Updater");
        assertThat(apps.groups().get(0).entries()).extracting(HelpDeskReport.Entry::label)
                .containsExactly("Name", "Version", "State", "ID");
        assertThat(apps.groups().get(0).entries().get(2).value()).isEqualTo("20 (active)");
        assertThat(apps.groups().get(1).entries().get(2).value()).isEqualTo("10 (inactive)");
        assertThat(apps.groups().get(2).entries()).extracting(HelpDeskReport.Entry::value)
                .contains("delivered, not installed");
        Section logs = r.section(Kind.LOGS);
        assertThat(logs.groups()).hasSize(1);
        assertThat(logs.groups().get(0).name()).isEqualTo("./DiagMon");
        assertThat(logs.groups().get(0).entries()).extracting(HelpDeskReport.Entry::label)
                .containsExactly("Log/1/Time", "Log/1/Text", "CpuLoad");
        assertThat(r.section(Kind.OTHER).value("./SCOMO/Inventory/Deployed/app2/Ext/Vendor")).isEqualTo("Acme");
        // the standard job has no answer yet
        assertThat(r.section(Kind.DEVICE).note()).isEqualTo("no answer yet");
        assertThat(r.section(Kind.DEVICE).value("DevId")).isEqualTo(DEV);
        assertThat(r.section(Kind.CARD).note()).isEqualTo("no answer yet");
        assertThat(r.section(Kind.CARD).isEmpty()).isTrue();
    }

    @Test
    void failures_other_than_404_are_named_and_missing_sections_not_requested() {
        Job job = desk.submit(DEV, List.of("./DevInfo", "./DMAcc")).get(0);
        store.claimJobs(DEV, "n/s", 10, Instant.now());
        answer(job, 0, 200, devInfo());
        answer(job, 1, 425, List.of());
        end(job, JobState.FAILED);
        HelpDeskReport r = desk.report(List.of(registry.job(job.id()).orElseThrow()));
        assertThat(r.section(Kind.CONNECTIVITY).note()).isEqualTo("read failed: 425 Permission denied");
        assertThat(r.section(Kind.CARD).note()).isEqualTo("not requested");
        assertThat(r.section(Kind.DEVICE).note()).isNull();
        assertThat(r.complete()).isTrue();
    }

    @Test
    void a_serial_leaf_or_a_serial_devid_fills_the_serial_number_and_binary_values_are_marked() {
        registry.register(DeviceRegistration.builder("IMEI:493005100592800").client(AuthScheme.MD5, "u", "p")
                .server(AuthScheme.MD5, null, "s").build());
        Job job = desk.submit("IMEI:493005100592800", List.of("./DevInfo")).get(0);
        store.claimJobs("IMEI:493005100592800", "n/s", 10, Instant.now());
        answer(job, 0, 200, List.of(node("./DevInfo"), leaf("./DevInfo/DevId", "IMEI:493005100592800"),
                new ResultItem("DevInfo/Ext/Blob", "bin", null, "AAEC", true),
                new ResultItem("./DevInfo/Ext/Raw", "b64", null, "AQI=", false)));
        HelpDeskReport r = desk.report(List.of(registry.job(job.id()).orElseThrow()));
        assertThat(r.section(Kind.DEVICE).value("Serial number")).isEqualTo("493005100592800 (IMEI, from the DevId)");
        assertThat(r.section(Kind.OTHER).value("./DevInfo/Ext/Blob")).isEqualTo("b64:AAEC");
        assertThat(r.section(Kind.OTHER).value("./DevInfo/Ext/Raw")).isEqualTo("b64:AQI=");

        List<ResultItem> withSerial = new ArrayList<>(devInfo());
        withSerial.add(leaf("./DevDetail/Ext/SerialNumber", "SN-0042"));
        Job other = desk.submit(DEV, List.of("./DevInfo")).get(0);
        store.claimJobs(DEV, "n/s", 10, Instant.now());
        answer(other, 0, 200, withSerial);
        HelpDeskReport s = desk.report(List.of(registry.job(other.id()).orElseThrow()));
        assertThat(s.section(Kind.DEVICE).value("Serial number")).isEqualTo("SN-0042");
        assertThat(s.section(Kind.OTHER).isEmpty()).isTrue();
    }

    @Test
    void secret_looking_leaves_never_reach_a_report() {
        for (String name : List.of("AAuthSecret", "AAuthData", "Password", "AdminPIN", "PIN1", "ApiKey", "ServerNonce",
                "AccessToken", "Credentials", "wifiPassphrase")) {
            assertThat(HelpDeskReports.SECRET.matcher(name).matches()).as(name).isTrue();
        }
        for (String name : List.of("AAuthName", "AAuthType", "ServerID", "Capabilities", "ChangeCounter", "Name",
                "TrustedSigners", "Mapping")) {
            assertThat(HelpDeskReports.SECRET.matcher(name).matches()).as(name).isFalse();
        }
    }

    @Test
    void report_values_are_records_with_value_equality() {
        for (Class<?> c : List.of(HelpDeskReport.class, Section.class, HelpDeskReport.Group.class,
                HelpDeskReport.Entry.class, HelpDeskReport.Read.class)) {
            nl.jqno.equalsverifier.EqualsVerifier.forClass(c).suppress(nl.jqno.equalsverifier.Warning.NULL_FIELDS)
                    .verify();
        }
        assertThatThrownBy(() -> new HelpDeskReport.Entry(null, "v", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new HelpDeskReport.Read(1, 0, "./A", null, null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void reads_classify_by_subtree() {
        assertThat(HelpDeskReports.classify("./DevDetail")).isEqualTo(Kind.DEVICE);
        assertThat(HelpDeskReports.classify("./SmartCard/Info")).isEqualTo(Kind.CARD);
        assertThat(HelpDeskReports.classify("./SmartCard/MO/Operator")).isEqualTo(Kind.OTHER);
        assertThat(HelpDeskReports.classify("./DMAcc/x")).isEqualTo(Kind.CONNECTIVITY);
        assertThat(HelpDeskReports.classify("./SCOMO/Inventory")).isEqualTo(Kind.APPLICATIONS);
        assertThat(HelpDeskReports.classify("./FUMO")).isEqualTo(Kind.FIRMWARE);
        assertThat(HelpDeskReports.classify("./FUMO/Gateway/State")).isEqualTo(Kind.FIRMWARE);
        assertThat(HelpDeskReports.classify("./FUMOX")).isEqualTo(Kind.OTHER);
        assertThat(HelpDeskReports.classify("./DiagMon")).isEqualTo(Kind.LOGS);
        assertThat(HelpDeskReports.classify("./Ext/Acme/EventLog")).isEqualTo(Kind.LOGS);
        assertThat(HelpDeskReports.classify("./Ext/Acme/Logs")).isEqualTo(Kind.LOGS);
        assertThat(HelpDeskReports.classify("./Apps/Catalog")).isEqualTo(Kind.OTHER);
        assertThat(HelpDeskReports.path("DevInfo/Mod?list=Struct")).isEqualTo("./DevInfo/Mod");
        assertThat(HelpDeskReports.path("./DevInfo/")).isEqualTo("./DevInfo");
        assertThat(HelpDeskReport.Read.meaning(299)).isEqualTo("OK");
        assertThat(HelpDeskReport.Read.meaning(503)).isEqualTo("Device error");
    }
}
