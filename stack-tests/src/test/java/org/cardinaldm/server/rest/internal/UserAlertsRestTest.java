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
import org.cardinaldm.server.api.UserAlert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST API's user-interaction alerts, Sequences and help-desk install, on the real registry. */
class UserAlertsRestTest {
    private static final String DEVICE = "IMEI:1";
    private final Fixture f = new Fixture();

    @BeforeEach
    void device() {
        f.register(DEVICE, "");
    }

    @SuppressWarnings("unchecked")
    private static <T> T get(Map<String, Object> m, String key) {
        return (T) m.get(key);
    }

    @Test
    void install_queues_one_sequence_job_and_answers_201_with_it() {
        Response r = f.devices.helpDeskInstall(DEVICE, json("{\"name\":\"Hello App\",\"packageUrl\":"
                + "\"https://apps.example.org/hello.jar\",\"version\":\"1.0.0\",\"inactive\":true,"
                + "\"question\":\"Install Hello?\",\"maxDisplaySeconds\":60}"), null, null);
        assertThat(r.getStatus()).isEqualTo(201);
        @SuppressWarnings("unchecked")
        Map<String, Object> job = (Map<String, Object>) r.getEntity();
        assertThat(job).containsEntry("description", "help desk: install Hello App").containsEntry("state", "pending")
                .containsEntry("operationCount", 7);
        List<Map<String, Object>> ops = get(job, "operations");
        assertThat(ops).singleElement().satisfies(seq -> assertThat(seq).containsEntry("kind", "sequence"));
        List<Map<String, Object>> children = get(ops.get(0), "operations");
        assertThat(children.get(0)).containsEntry("kind", "alert").containsEntry("code", 1101)
                .containsEntry("alert", "confirm").containsEntry("text", "Install Hello?")
                .containsEntry("maxDisplaySeconds", 60).containsEntry("options", "MAXDT=60")
                .doesNotContainKey("defaultResponse").doesNotContainKey("data");
        assertThat(children.subList(1, 6)).extracting(c -> c.get("target")).containsExactly(
                "./SCOMO/Download/Hello_App", "./SCOMO/Download/Hello_App/PkgID", "./SCOMO/Download/Hello_App/Name",
                "./SCOMO/Download/Hello_App/PkgURL", "./SCOMO/Download/Hello_App/Operations/DownloadInstallInactive");
        assertThat(children.get(2)).containsEntry("data", "Hello App@1.0.0");
        Job stored = f.registry.jobs(DEVICE, 1).get(0);
        assertThat(stored.operations().get(0).kind()).isEqualTo(OperationKind.SEQUENCE);
    }

    @Test
    void install_defaults_the_question_and_maxdt() {
        Response r = f.devices.helpDeskInstall(DEVICE, json("{\"name\":\"x\",\"packageUrl\":\"http://h/x.jar\"}"),
                null, null);
        String text = write(r.getEntity());
        assertThat(text).contains("\"text\" : \"Install and start x?\"").contains("\"maxDisplaySeconds\" : 120")
                .contains("Operations/DownloadInstall\"");
    }

    @Test
    void bad_install_requests_are_400_and_queue_nothing() {
        String[][] cases = {
            {"{\"packageUrl\":\"https://h/x\"}", "install.name"},
            {"{\"name\":\"x\"}", "install.packageUrl"},
            {"{\"name\":\"x\",\"packageUrl\":\"ftp://h/x\"}", "must be https or http"},
            {"{\"name\":\"x\",\"packageUrl\":\"https://u:p@h/x\"}", "user information"},
            {"{\"name\":\"x\",\"packageUrl\":\"https://h/" + "p".repeat(2100) + "\"}", "2048"},
            {"{\"name\":\"x\",\"packageUrl\":\"https://h/x\",\"maxDisplaySeconds\":\"soon\"}",
                "install.maxDisplaySeconds must be an integer"},
            {"{\"name\":\"x\",\"packageUrl\":\"https://h/x\",\"maxDisplaySeconds\":100000}", "MAXDT"},
            {"{\"name\":\"x\",\"packageUrl\":\"https://h/x\",\"inactive\":\"yes\"}", "install.inactive must be true"},
            {"{\"name\":\"x\",\"packageUrl\":\"https://h/x\",\"defaultResponse\":\"1\"}",
                "unknown field install.defaultResponse"},
            {"[]", "install must be a JSON object"},
        };
        for (String[] c : cases) {
            Map<String, Object> e = error(() -> f.devices.helpDeskInstall(DEVICE, json(c[0]), null, null));
            assertThat(e).as(c[0]).containsEntry("status", 400);
            assertThat((String) e.get("message")).as(c[0]).contains(c[1]);
        }
        assertThat(error(() -> f.devices.helpDeskInstall(DEVICE, null, null, null))).containsEntry("status", 400);
        assertThat(error(() -> f.devices.helpDeskInstall("ghost",
                json("{\"name\":\"x\",\"packageUrl\":\"https://h/x\"}"), null, null))).containsEntry("status", 404);
        assertThat(f.registry.jobs(DEVICE, 10)).isEmpty();
    }

    @Test
    void a_job_of_alerts_and_a_sequence_is_accepted_with_every_option() {
        Response r = f.devices.submit(DEVICE, json("{\"operations\":[{\"kind\":\"sequence\",\"operations\":["
                + "{\"kind\":\"alert\",\"alert\":{\"alert\":\"confirm\",\"text\":\"Go?\",\"maxDisplaySeconds\":30}},"
                + "{\"kind\":\"alert\",\"alert\":{\"alert\":\"text-input\",\"text\":\"Name?\",\"maxLength\":8,"
                + "\"inputType\":\"ip-address\",\"echo\":\"password\",\"defaultResponse\":\"a b\"}},"
                + "{\"kind\":\"alert\",\"alert\":{\"alert\":\"multiple-choice\",\"text\":\"Pick\","
                + "\"choices\":[\"A\",\"B\"],\"minDisplaySeconds\":2,\"defaultResponse\":\"1-2\"}},"
                + "{\"kind\":\"exec\",\"target\":\"./Run\"}]}]}"), null, null);
        assertThat(r.getStatus()).isEqualTo(201);
        Operation seq = f.registry.jobs(DEVICE, 1).get(0).operations().get(0);
        assertThat(seq.kind()).isEqualTo(OperationKind.SEQUENCE);
        UserAlert text = seq.children().get(1).userAlert().orElseThrow();
        assertThat(text.options()).isEqualTo("DR=a+b&MAXLEN=8&IT=I&ET=P");
        assertThat(seq.children().get(2).userAlert().orElseThrow().choices()).containsExactly("A", "B");
    }

    @Test
    void bad_alerts_and_sequences_are_400_with_their_place() {
        String[][] cases = {
            {"{\"kind\":\"alert\"}", "job.operations[0].alert is required"},
            {"{\"kind\":\"alert\",\"alert\":{\"alert\":\"confirm\",\"text\":\"Go?\",\"defaultResponse\":\"1\"}}",
                "never carries a default response"},
            {"{\"kind\":\"alert\",\"alert\":{\"alert\":\"beep\",\"text\":\"x\"}}", "alert.alert must be one of display"},
            {"{\"kind\":\"alert\",\"alert\":{\"alert\":\"display\",\"text\":\"x\",\"minDisplaySeconds\":9,"
                + "\"maxDisplaySeconds\":5}}", "MINDT (9 s) is above MAXDT"},
            {"{\"kind\":\"alert\",\"alert\":{\"alert\":\"single-choice\",\"text\":\"x\",\"choices\":\"a\"}}",
                "choices must be an array"},
            {"{\"kind\":\"alert\",\"alert\":{\"alert\":\"display\",\"text\":\"x\",\"colour\":1}}",
                "unknown field job.operations[0].alert.colour"},
            {"{\"kind\":\"alert\",\"target\":\"./A\",\"alert\":{\"alert\":\"display\",\"text\":\"x\"}}",
                "an alert has only kind and alert"},
            {"{\"kind\":\"get\",\"target\":\"./A\",\"alert\":{}}", "only an alert has one"},
            {"{\"kind\":\"sequence\"}", "must be a non-empty array for a sequence"},
            {"{\"kind\":\"sequence\",\"operations\":[{\"kind\":\"sequence\",\"operations\":[{\"kind\":\"get\","
                + "\"target\":\"./A\"}]}]}", "SEQUENCE is not allowed inside a Sequence"},
        };
        for (String[] c : cases) {
            Map<String, Object> e = error(() -> f.devices.submit(DEVICE, json("{\"operations\":[" + c[0] + "]}"),
                    null, null));
            assertThat(e).as(c[0]).containsEntry("status", 400);
            assertThat((String) e.get("message")).as(c[0]).contains(c[1]);
        }
        assertThat(f.registry.jobs(DEVICE, 10)).isEmpty();
    }

    @Test
    void the_job_view_shows_the_answers_the_parents_the_skipped_commands_and_the_failure() {
        Job job = f.registry.submit(DEVICE, null, List.of(Operation.choice("Colour", false, 30, List.of("Red", "Blue")),
                Operation.afterConsent("Install?", 60, Operation.exec("./Run", null, null))));
        f.store.claimJobs(DEVICE, "n/s", 1, Fixture.NOW);
        f.store.recordResult(new OperationResult(job.id(), 0, 200,
                List.of(new ResultItem(null, "chr", null, "Blue", false)), Fixture.NOW));
        f.store.recordResult(new OperationResult(job.id(), 1, 200, List.of(), Fixture.NOW));
        f.store.recordResult(new OperationResult(job.id(), 2, 304, List.of(), Fixture.NOW));
        f.store.recordResult(new OperationResult(job.id(), 3, 215, List.of(), Fixture.NOW));
        f.store.transitionJob(job.id(), JobState.ACTIVE, JobState.FAILED, Fixture.NOW);

        Map<String, Object> view = f.jobs.get(Long.toString(job.id()));
        assertThat(view).containsEntry("state", "failed")
                .containsEntry("failure", "the user refused (operation 2: \"Install?\")");
        List<Map<String, Object>> results = get(view, "results");
        assertThat(results).extracting(m -> m.get("parent")).containsExactly(null, null, 1, 1);
        assertThat(results.get(0)).containsEntry("answer", "\"Blue\"");
        assertThat(results.get(1)).containsEntry("kind", "sequence").doesNotContainKey("answer");
        assertThat(results.get(2)).containsEntry("answer", "the user refused").containsEntry("status", 304);
        assertThat(results.get(3)).containsEntry("notExecuted", true).containsEntry("kind", "exec");
    }

    @Test
    void an_alert_without_a_status_in_a_failed_job_says_so_and_a_pending_one_says_nothing() {
        Job job = f.registry.submit(DEVICE, null, List.of(Operation.afterConsent("Go?", 60,
                Operation.exec("./Run", null, null))));
        List<Map<String, Object>> pending = get(f.jobs.get(Long.toString(job.id())), "results");
        assertThat(pending.get(1)).doesNotContainKey("answer");
        f.store.claimJobs(DEVICE, "n/s", 1, Fixture.NOW);
        f.store.recordResult(new OperationResult(job.id(), 0, 200, List.of(), Fixture.NOW));
        f.store.transitionJob(job.id(), JobState.ACTIVE, JobState.FAILED, Fixture.NOW);
        Map<String, Object> view = f.jobs.get(Long.toString(job.id()));
        assertThat(view).containsEntry("failure", "no status for the confirmation (operation 1: \"Go?\")");
        assertThat(((List<Map<String, Object>>) get(view, "results")).get(1))
                .containsEntry("answer", "no status for the confirmation");
    }
}
