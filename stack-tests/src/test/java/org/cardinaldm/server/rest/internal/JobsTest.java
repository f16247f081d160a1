package org.cardinaldm.server.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cardinaldm.server.rest.internal.Fixture.error;
import static org.cardinaldm.server.rest.internal.Fixture.json;
import static org.cardinaldm.server.rest.internal.Fixture.write;

import java.util.List;
import java.util.Map;

import javax.ws.rs.core.Response;

import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationKind;
import org.cardinaldm.server.api.OperationResult;
import org.cardinaldm.server.api.ResultItem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobsTest {
    private static final String CARD_JOB = "{\"description\":\"card MO\",\"operations\":["
            + "{\"kind\":\"get\",\"target\":\"./SmartCard/Info/CardId\"},"
            + "{\"kind\":\"atomic\",\"operations\":["
            + "  {\"kind\":\"add\",\"target\":\"./SmartCard/MO/Acme\"},"
            + "  {\"kind\":\"add\",\"target\":\"./SmartCard/MO/Acme/Mode\",\"data\":\"eco\"},"
            + "  {\"kind\":\"replace\",\"target\":\"./SmartCard/MO/Acme/Level\",\"data\":\"3\",\"format\":\"int\"}]},"
            + "{\"kind\":\"exec\",\"target\":\"./Reboot\",\"correlator\":\"c1\"},"
            + "{\"kind\":\"copy\",\"source\":\"./A\",\"target\":\"./B\"},"
            + "{\"kind\":\"delete\",\"target\":\"./SmartCard/MO/Old\"}]}";

    private final Fixture f = new Fixture();

    @BeforeEach
    void device() {
        f.register("IMEI:1", "");
    }

    private long submit(String body) {
        Response r = f.devices.submit("IMEI:1", json(body), null, null);
        assertThat(r.getStatus()).isEqualTo(201);
        @SuppressWarnings("unchecked")
        Map<String, Object> job = (Map<String, Object>) r.getEntity();
        assertThat(r.getLocation().toString()).isEqualTo("jobs/" + job.get("id"));
        return (Long) job.get("id");
    }

    @Test
    void a_job_keeps_its_order_atomic_groups_and_card_targets() {
        long id = submit(CARD_JOB);
        Job job = f.registry.job(id).orElseThrow();
        assertThat(job.description()).isEqualTo("card MO");
        assertThat(job.operations()).extracting(Operation::kind).containsExactly(OperationKind.GET,
                OperationKind.ATOMIC, OperationKind.EXEC, OperationKind.COPY, OperationKind.DELETE);
        Operation atomic = job.operations().get(1);
        assertThat(atomic.children()).extracting(Operation::target).containsExactly("./SmartCard/MO/Acme",
                "./SmartCard/MO/Acme/Mode", "./SmartCard/MO/Acme/Level");
        assertThat(atomic.children().get(0).format()).isEqualTo("node");
        assertThat(atomic.children().get(1)).extracting(Operation::data, Operation::format, Operation::type)
                .containsExactly("eco", "chr", "text/plain");
        assertThat(atomic.children().get(2).format()).isEqualTo("int");
        assertThat(job.operations().get(2).correlator()).isEqualTo("c1");
        assertThat(job.operations().get(3).source()).isEqualTo("./A");
    }

    @Test
    void get_shows_every_status_and_result_by_depth_first_index() {
        long id = submit(CARD_JOB);
        f.store.recordResult(new OperationResult(id, 0, 200, List.of(new ResultItem("./SmartCard/Info/CardId", "chr",
                "text/plain", "8944000000000000001", false)), Fixture.NOW));
        f.store.recordResult(new OperationResult(id, 2, 200, List.of(), Fixture.NOW));
        f.store.recordResult(new OperationResult(id, 4, 418, List.of(), Fixture.NOW));
        Map<String, Object> job = f.jobs.get(Long.toString(id));
        assertThat(job).containsEntry("state", "pending").containsEntry("operationCount", 8).containsEntry("answered", 3);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = (List<Map<String, Object>>) job.get("results");
        assertThat(results).hasSize(8);
        assertThat(results.get(0)).containsEntry("status", 200).containsEntry("kind", "get");
        assertThat(write(results.get(0))).contains("8944000000000000001");
        assertThat(results.get(1)).containsEntry("kind", "atomic").containsEntry("status", null);
        assertThat(results.get(4)).containsEntry("status", 418).containsEntry("target", "./SmartCard/MO/Acme/Level");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> ops = (List<Map<String, Object>>) job.get("operations");
        assertThat(ops.get(1)).containsKey("operations");
        assertThat(f.devices.jobs("IMEI:1", 10)).singleElement().satisfies(j -> assertThat(j).containsEntry("id", id));
        assertThat(f.jobs.list("IMEI:1", 10)).hasSize(1);
        assertThat(f.jobs.list(null, 10)).hasSize(1);
    }

    @Test
    void bad_operations_are_400_with_their_place() {
        String[][] cases = {
            {"{\"operations\":[]}", "job.operations must be a non-empty array"},
            {"{}", "job.operations must be a non-empty array"},
            {"{\"operations\":[{\"kind\":\"jump\",\"target\":\"./A\"}]}", "job.operations[0].kind must be"},
            {"{\"operations\":[{\"kind\":\"get\"}]}", "job.operations[0]: GET needs a target URI"},
            {"{\"operations\":[{\"kind\":\"get\",\"target\":\"./A\"},{\"kind\":\"replace\",\"target\":\"./A\"}]}",
                "job.operations[1].data is required for a replace"},
            {"{\"operations\":[{\"kind\":\"atomic\",\"operations\":[{\"kind\":\"get\",\"target\":\"./A\"}]}]}",
                "GET is not allowed inside an Atomic"},
            {"{\"operations\":[{\"kind\":\"atomic\"}]}", "job.operations[0].operations must be a non-empty array"},
            {"{\"operations\":[{\"kind\":\"copy\",\"target\":\"./B\"}]}", "Copy needs a source URI"},
            {"{\"operations\":[{\"kind\":\"get\",\"target\":\"./A\",\"operations\":[]}]}", "only an atomic"},
            {"{\"operations\":[{\"kind\":\"get\",\"target\":\"./A\",\"value\":1}]}", "unknown field job.operations[0].value"},
            {"{\"operations\":[{\"kind\":\"delete\",\"target\":\"./A\",\"data\":\"x\"}]}", "data is not allowed"},
            {"{\"operations\":{\"kind\":\"get\"}}", "job.operations must be a non-empty array"},
            {"{\"operations\":[{\"kind\":\"get\",\"target\":7}]}", "job.operations[0].target must be a string"},
        };
        for (String[] c : cases) {
            Map<String, Object> e = error(() -> f.devices.submit("IMEI:1", json(c[0]), null, null));
            assertThat(e).as(c[0]).containsEntry("status", 400);
            assertThat((String) e.get("message")).as(c[0]).contains(c[1]);
        }
        assertThat(f.registry.jobs("IMEI:1", 10)).isEmpty();
    }

    @Test
    void a_job_for_an_unknown_device_is_404() {
        assertThat(error(() -> f.devices.submit("ghost", json(CARD_JOB), null, null))).containsEntry("status", 404);
        assertThat(error(() -> f.devices.jobs("ghost", 10))).containsEntry("status", 404);
    }

    @Test
    void delete_cancels_a_pending_job_and_is_409_once_it_left() {
        long id = submit(CARD_JOB);
        assertThat(f.jobs.cancel(Long.toString(id), null)).containsEntry("state", "cancelled");
        assertThat(f.registry.job(id).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        Map<String, Object> again = error(() -> f.jobs.cancel(Long.toString(id), null));
        assertThat(again).containsEntry("status", 409);
        assertThat((String) again.get("message")).contains("is cancelled");
        long active = submit(CARD_JOB);
        f.store.claimJobs("IMEI:1", "node1", 10, Fixture.NOW);
        assertThat(error(() -> f.jobs.cancel(Long.toString(active), null))).containsEntry("status", 409);
        assertThat(f.registry.job(active).orElseThrow().state()).isEqualTo(JobState.ACTIVE);
    }

    @Test
    void unknown_and_malformed_job_ids_are_404_and_400() {
        assertThat(error(() -> f.jobs.get("999"))).containsEntry("status", 404).containsEntry("message", "no job 999");
        assertThat(error(() -> f.jobs.get("abc"))).containsEntry("status", 400);
        assertThat(error(() -> f.jobs.cancel("999", null))).containsEntry("status", 404);
        assertThat(error(() -> f.jobs.list(null, -1))).containsEntry("status", 400);
    }

    @Test
    void help_desk_queues_the_reads_and_returns_the_latest_answers() {
        assertThat(error(() -> f.devices.helpDeskAnswers("IMEI:1", null))).containsEntry("status", 404);
        Response r = f.devices.helpDesk("IMEI:1", json(""), null, null);
        assertThat(r.getStatus()).isEqualTo(201);
        List<Job> two = f.registry.jobs("IMEI:1", 2);
        Job job = two.get(1);
        Job optional = two.get(0);
        assertThat(r.getLocation().toString()).isEqualTo("jobs/" + job.id());
        assertThat(write(r.getEntity())).contains("\"jobs\" : [ " + job.id() + ", " + optional.id() + " ]");
        assertThat(job.description()).isEqualTo("help desk");
        assertThat(job.operations()).extracting(Operation::target).containsExactly("./DevInfo?list=StructData",
                "./DevDetail?list=StructData", "./DMAcc?list=StructData", "./SmartCard/Info?list=StructData");
        assertThat(optional.description()).isEqualTo("help desk: optional reads of job " + job.id());
        assertThat(optional.operations()).extracting(Operation::target).containsExactly(
                "./SmartCard/Policy?list=StructData", "./SCOMO/Inventory?list=StructData", "./DiagMon?list=StructData",
                "./FUMO?list=StructData");
        f.store.recordResult(new OperationResult(job.id(), 3, 200, List.of(new ResultItem("./SmartCard/Info",
                "node", null, null, false), new ResultItem("./SmartCard/Info/CardId", "chr", null, "8944", false)),
                Fixture.NOW));
        f.store.recordResult(new OperationResult(job.id(), 1, 404, List.of(), Fixture.NOW));
        f.store.recordResult(new OperationResult(optional.id(), 1, 404, List.of(), Fixture.NOW));
        submit("{\"operations\":[{\"kind\":\"get\",\"target\":\"./X\"}]}");   // a later job that is not a help desk
        Map<String, Object> answers = f.devices.helpDeskAnswers("IMEI:1", null);
        assertThat(answers).containsEntry("complete", false);
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) answers.get("job");
        assertThat(first).containsEntry("id", job.id());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list = (List<Map<String, Object>>) answers.get("answers");
        assertThat(list).extracting(a -> a.get("status")).containsExactly(null, 404, null, 200, null, 404, null, null);
        assertThat(list).extracting(a -> a.get("job")).containsExactly(job.id(), job.id(), job.id(), job.id(),
                optional.id(), optional.id(), optional.id(), optional.id());
        String json = write(answers);
        assertThat(json).contains("./SmartCard/Info/CardId").contains("8944");
        // the report: sections with labelled values, notes for what is missing, every read's status
        assertThat(json).contains("\"report\" : {").contains("\"title\" : \"Card\"")
                .contains("\"label\" : \"Card id\",\n")
                .contains("\"title\" : \"Installed applications\",\n      \"note\" : \"not reported by the device (404)\"")
                .contains("\"statusText\" : \"404 Not found\"");
        @SuppressWarnings("unchecked")
        Map<String, Object> report = (Map<String, Object>) answers.get("report");
        assertThat(report).containsEntry("jobs", List.of(job.id(), optional.id())).containsEntry("complete", false);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> sections = (List<Map<String, Object>>) report.get("sections");
        assertThat(sections).extracting(x -> x.get("kind")).containsExactly("device", "card", "firmware",
                "connectivity", "applications", "logs", "other");
        assertThat(sections).extracting(x -> x.get("note")).containsExactly(
                "not reported by the device (404)", "partial: ./SmartCard/Policy no answer", "no answer yet",
                "no answer yet", "not reported by the device (404)", "no answer yet", null);

        // the same request through either of its jobs; other jobs and other devices' jobs are not found
        assertThat(f.devices.helpDeskAnswers("IMEI:1", optional.id()).get("report")).isEqualTo(report);
        long other = f.registry.jobs("IMEI:1", 1).get(0).id();
        assertThat(error(() -> f.devices.helpDeskAnswers("IMEI:1", other))).containsEntry("status", 404);
        f.register("IMEI:3", "");
        assertThat(error(() -> f.devices.helpDeskAnswers("IMEI:3", job.id()))).containsEntry("status", 404);
        assertThat(error(() -> f.devices.helpDeskAnswers("ghost", null))).containsEntry("status", 404);
    }

    @Test
    void help_desk_takes_given_subtrees_and_notifies_when_asked() {
        f.register("IMEI:2", ",\"pushAddress\":\"udp:127.0.0.1:2948\"");
        Response r = f.devices.helpDesk("IMEI:2", json("{\"uris\":[\"./DevInfo/Mod\",\"./Apps?list=Struct\"],"
                + "\"notify\":true}"), null, null);
        assertThat(r.getStatus()).isEqualTo(201);
        assertThat(write(r.getEntity())).contains("\"notification\"").contains("1A2B");
        assertThat(f.registry.jobs("IMEI:2", 10)).hasSize(1);
        Job job = f.registry.jobs("IMEI:2", 1).get(0);
        assertThat(write(r.getEntity())).contains("\"jobs\" : [ " + job.id() + " ]");
        assertThat(job.operations()).extracting(Operation::target)
                .containsExactly("./DevInfo/Mod?list=StructData", "./Apps?list=Struct");
        assertThat(f.notified).containsExactly("IMEI:2 BACKGROUND");
        assertThat(error(() -> f.devices.helpDesk("IMEI:1", json("{\"notify\":true}"), null, null)))
                .containsEntry("status", 409);
        assertThat(error(() -> f.devices.helpDesk("IMEI:1", json("{\"uris\":[]}"), null, null)))
                .containsEntry("status", 400);
        assertThat(error(() -> f.devices.helpDesk("IMEI:1", json("{\"notify\":\"yes\"}"), null, null)))
                .containsEntry("status", 400);
        assertThat(error(() -> f.devices.helpDesk("ghost", json(""), null, null))).containsEntry("status", 404);
        assertThat(f.registry.jobs("IMEI:1", 10)).isEmpty();
    }

    @Test
    void configured_optional_subtrees_may_be_none() {
        DevicesResource one = new DevicesResource(f.registry, f.registry, f.helpDesk, f.notifier, f.clock, List.of("./DevInfo"),
                List.of());
        one.helpDesk("IMEI:1", json(""), null, null);
        assertThat(f.registry.jobs("IMEI:1", 10)).hasSize(1);
        assertThat(one.helpDeskAnswers("IMEI:1", null)).containsEntry("complete", false);
    }

    @Test
    void the_help_desk_report_never_holds_a_secret() {
        f.devices.helpDesk("IMEI:1", json("{\"uris\":[\"./DMAcc\"]}"), null, null);
        Job job = f.registry.jobs("IMEI:1", 1).get(0);
        String a = "./DMAcc/srv";
        f.store.recordResult(new OperationResult(job.id(), 0, 200, List.of(
                new ResultItem(a + "/ServerID", "chr", null, "cardinal", false),
                new ResultItem(a + "/AppAuth/1/AAuthType", "chr", null, "DIGEST", false),
                new ResultItem(a + "/AppAuth/1/AAuthSecret", "chr", null, "s3cr3t-value", false),
                new ResultItem(a + "/AppAuth/1/AAuthData", "b64", null, "bm9uY2U=", true)), Fixture.NOW));
        @SuppressWarnings("unchecked")
        Map<String, Object> report = (Map<String, Object>) f.devices.helpDeskAnswers("IMEI:1", null).get("report");
        String json = write(report);
        assertThat(json).contains("DIGEST").contains("\"withheld\" : 2").doesNotContain("s3cr3t-value")
                .doesNotContain("bm9uY2U=").doesNotContain("AAuthSecret");
    }

    @Test
    void operations_get_the_shell_defaults_and_keep_what_is_given() {
        Operation exec = Requests.operation(json("{\"kind\":\"EXEC\",\"target\":\"./Run\",\"data\":\"now\"}"), "op");
        assertThat(exec).extracting(Operation::data, Operation::format, Operation::correlator)
                .containsExactly("now", "chr", null);
        Operation node = Requests.operation(json("{\"kind\":\"add\",\"target\":\"./N\",\"format\":\"node\"}"), "op");
        assertThat(node).extracting(Operation::data, Operation::format).containsExactly(null, "node");
        Operation b64 = Requests.operation(json("{\"kind\":\"replace\",\"target\":\"./Bin\",\"data\":\"AAEC\","
                + "\"format\":\"b64\",\"type\":\"application/octet-stream\"}"), "op");
        assertThat(b64).extracting(Operation::format, Operation::type).containsExactly("b64", "application/octet-stream");
        Operation prop = Requests.operation(json("{\"kind\":\"get\",\"target\":\"./SmartCard?prop=ACL\"}"), "op");
        assertThat(prop.target()).isEqualTo("./SmartCard?prop=ACL");
    }
}
