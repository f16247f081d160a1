package org.cardinaldm.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cardinaldm.server.api.InstallRequest;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationResult;
import org.cardinaldm.server.api.ResultItem;
import org.cardinaldm.server.api.UserAlert;
import org.cardinaldm.server.api.UserAnswers;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.Atomic;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Exec;
import org.cardinaldm.syncml.api.model.Get;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.ItemCommand;
import org.cardinaldm.syncml.api.model.Location;
import org.cardinaldm.syncml.api.model.Results;
import org.cardinaldm.syncml.api.model.Sequence;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Jobs that ask the user: the Alerts and Sequences the server sends (decoded from the real XML and WBXML) and
 * how it judges the job by what a scripted device answers, the way dm-client answers (215 for what a refusal
 * or a cancel skipped) or the way a lenient client does (no status at all).
 */
class UserInteractionSessionTest extends EngineFixture {

    /** A scripted device for UI alerts and Sequences, over DeviceSim's codec and credentials. */
    private static final class Ui {
        final DeviceSim d;
        /** Status per alert code (default 200). */
        final Map<Integer, Integer> alertStatus = new HashMap<>();
        /** Items per alert code sent with a 200. */
        final Map<Integer, List<String>> alertItems = new HashMap<>();
        /** Status per target URI (default 200). */
        final Map<String, Integer> status = new HashMap<>();
        /** Alert codes whose status is left out. */
        final List<Integer> silentAlerts = new ArrayList<>();
        /** After a refused or cancelled alert in a Sequence, send no status for the rest (else 215). */
        boolean dropAfterStop;
        /** The Sequence's status is the stopping alert's (a lenient client), else 200. */
        boolean sequenceTakesAlertStatus;
        final Map<String, String> tree = new LinkedHashMap<>();
        final List<Command> seen = new ArrayList<>();

        Ui(DeviceSim d) {
            this.d = d;
            d.checkServer = false;
        }

        List<SyncMessage> run() {
            List<SyncMessage> in = new ArrayList<>();
            SyncMessage r = d.send(d.pkg1(true));
            int guard = 0;
            while (r != null && guard++ < 50) {
                in.add(r);
                if (r.isFinal() && DeviceSim.managementCommands(r).isEmpty()) {
                    break;
                }
                r = d.send(answer(r));
            }
            return in;
        }

        private SyncMessage answer(SyncMessage in) {
            SyncMessage.Builder b = SyncMessage.builder(d.header(false).build());
            String ref = in.header().msgId();
            b.add(Status.builder().cmdId(b.nextCmdId()).msgRef(ref).answeringHeader().code(200)
                    .addTargetRef(in.header().target().locUri()).addSourceRef(in.header().source().locUri()).build());
            List<Command> results = new ArrayList<>();
            boolean stopped = false;
            for (Command c : in.commands()) {
                if (c instanceof Status) {
                    continue;
                }
                seen.add(c);
                if (stopped) {
                    b.add(Status.of(b.nextCmdId(), ref, c, StatusCodes.NOT_EXECUTED));
                    continue;
                }
                if (c instanceof Sequence s) {
                    sequence(s, b, ref, results);
                } else if (c instanceof Alert a) {
                    int code = alert(a, b, ref);
                    stopped = code == 214 || code == 408;
                } else {
                    one(c, b, ref, results);
                }
            }
            results.forEach(b::add);
            return b.build();
        }

        private void sequence(Sequence s, SyncMessage.Builder b, String ref, List<Command> results) {
            int stopCode = 0;
            for (Command c : s.commands()) {
                if (stopCode != 0) {
                    if (!dropAfterStop) {
                        b.add(Status.of(b.nextCmdId(), ref, c, StatusCodes.NOT_EXECUTED));
                    }
                    continue;
                }
                if (c instanceof Alert a) {
                    int code = alert(a, b, ref);
                    if (code != 200) {
                        stopCode = code;
                    }
                } else {
                    one(c, b, ref, results);
                }
            }
            b.add(Status.of(b.nextCmdId(), ref, s, sequenceTakesAlertStatus && stopCode != 0 ? stopCode : 200));
        }

        private int alert(Alert a, SyncMessage.Builder b, String ref) {
            int code = alertStatus.getOrDefault(a.code(), 200);
            if (silentAlerts.contains(a.code())) {
                return code;
            }
            Status.Builder st = Status.builder().cmdId(b.nextCmdId()).msgRef(ref).answering(a).code(code);
            if (code == 200) {
                for (String v : alertItems.getOrDefault(a.code(), List.of())) {
                    st.addItem(Item.data(Data.text(v)));
                }
            }
            b.add(st.build());
            return code;
        }

        private void one(Command c, SyncMessage.Builder b, String ref, List<Command> results) {
            if (c instanceof Get g) {
                String uri = g.items().get(0).target().locUri();
                b.add(Status.of(b.nextCmdId(), ref, g, 200));
                results.add(Results.of(b.nextCmdId(), ref, g.cmdId(),
                        new Item(null, Location.of(uri), null, Data.text(tree.getOrDefault(uri, "")), false)));
                return;
            }
            if (c instanceof Atomic) {
                b.add(Status.of(b.nextCmdId(), ref, c, 406));
                return;
            }
            String uri = c instanceof Exec e ? e.item().target().locUri()
                    : ((ItemCommand) c).items().get(0).target().locUri();
            int code = status.getOrDefault(uri, 200);
            if (code == 200 && c instanceof Add a) {
                tree.put(uri, a.items().get(0).data() == null ? "" : a.items().get(0).data().asText());
            }
            if (code == 200 && c instanceof Exec) {
                tree.put(uri + "#executed", "yes");
            }
            b.add(Status.of(b.nextCmdId(), ref, c, code));
        }
    }

    private static final String DL = "./SCOMO/Download/hello";

    private static Operation consentJob() {
        return Operation.afterConsent("Install hello?", 120, Operation.addInterior(DL),
                Operation.add(DL + "/PkgURL", "https://example.org/hello.jar", "chr"),
                Operation.exec(DL + "/Operations/DownloadInstall", null, null));
    }

    private static List<Command> serverCommands(List<SyncMessage> in) {
        List<Command> out = new ArrayList<>();
        for (SyncMessage m : in) {
            out.addAll(DeviceSim.managementCommands(m));
        }
        return out;
    }

    private Job done(Job j) {
        return registry.job(j.id()).orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void each_alert_kind_goes_out_with_its_code_options_text_and_choices(boolean wbxml) {
        Ui ui = new Ui(device(wbxml, "IMEI:1"));
        ui.alertItems.put(1102, List.of("Jane Doe"));
        ui.alertItems.put(1103, List.of("2"));
        ui.alertItems.put(1104, List.of("1", "3"));
        registry.submit("IMEI:1", null, List.of(Operation.display("Maintenance at noon", 5, 30),
                Operation.confirm("Reboot now?", 60),
                Operation.textInput("Your name & city", 20, UserAlert.InputType.ALPHANUMERIC, UserAlert.Echo.TEXT, 90,
                        "John Doe"),
                Operation.choice("Colour", false, 0, List.of("Red", "Green")),
                Operation.choice("Apps", true, 45, List.of("Mail", "Maps", "Notes"))));
        List<Command> sent = serverCommands(ui.run());

        assertThat(sent).hasSize(5).allMatch(c -> c instanceof Alert);
        List<Alert> alerts = sent.stream().map(Alert.class::cast).toList();
        assertThat(alerts).extracting(Alert::code).containsExactly(1100, 1101, 1102, 1103, 1104);
        assertThat(alerts).allMatch(a -> a.cmdId() != null && a.correlator() == null);
        assertThat(texts(alerts.get(0))).containsExactly("MINDT=5&MAXDT=30", "Maintenance at noon");
        assertThat(texts(alerts.get(1))).containsExactly("MAXDT=60", "Reboot now?");
        assertThat(texts(alerts.get(2))).containsExactly("MAXDT=90&DR=John+Doe&MAXLEN=20&IT=A&ET=T",
                "Your name & city");
        assertThat(texts(alerts.get(3))).containsExactly(null, "Colour", "Red", "Green");
        assertThat(texts(alerts.get(4))).containsExactly("MAXDT=45", "Apps", "Mail", "Maps", "Notes");
    }

    private static List<String> texts(Alert a) {
        List<String> out = new ArrayList<>();
        for (Item i : a.items()) {
            out.add(i.data() == null || i.data().asText().isEmpty() ? null : i.data().asText());
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void a_consent_job_is_one_sequence_of_the_confirmation_then_the_operations(boolean wbxml) {
        Ui ui = new Ui(device(wbxml, "IMEI:2"));
        Job job = registry.submit("IMEI:2", "install", List.of(consentJob()));
        List<Command> sent = serverCommands(ui.run());

        assertThat(sent).hasSize(1);
        Sequence seq = (Sequence) sent.get(0);
        assertThat(seq.commands()).extracting(Command::elementName).containsExactly("Alert", "Add", "Add", "Exec");
        Alert confirm = (Alert) seq.commands().get(0);
        assertThat(confirm.code()).isEqualTo(1101);
        assertThat(texts(confirm)).containsExactly("MAXDT=120", "Install hello?");
        assertThat(((Add) seq.commands().get(1)).items().get(0).meta().format()).isEqualTo("node");
        assertThat(((Exec) seq.commands().get(3)).item().target().locUri())
                .isEqualTo(DL + "/Operations/DownloadInstall");
        assertThat(seq.commands().stream().map(Command::cmdId).distinct()).hasSize(4).doesNotContain(seq.cmdId());

        Job after = done(job);
        assertThat(after.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(after.results()).extracting(OperationResult::index, OperationResult::status)
                .containsExactlyInAnyOrder(tuple(0, 200), tuple(1, 200), tuple(2, 200), tuple(3, 200), tuple(4, 200));
        assertThat(UserAnswers.failure(after)).isEmpty();
        assertThat(ui.tree).containsKey(DL + "/PkgURL");
    }

    @Test
    void after_consent_the_later_commands_are_judged_a_failure_fails_the_job() {
        Ui ui = new Ui(device(false, "IMEI:3"));
        ui.status.put(DL + "/Operations/DownloadInstall", 500);
        Job job = registry.submit("IMEI:3", null, List.of(consentJob()));
        ui.run();
        Job after = done(job);
        assertThat(after.state()).isEqualTo(JobState.FAILED);
        assertThat(after.result(4).orElseThrow().status()).isEqualTo(500);
        assertThat(UserAnswers.failure(after)).isEmpty();
        assertThat(UserAnswers.describe(after.flatOperations().get(1).userAlert().orElseThrow(),
                after.result(1).orElseThrow())).isEqualTo("yes");
    }

    @Test
    void after_consent_an_exec_answered_202_leaves_the_job_accepted() {
        Ui ui = new Ui(device(false, "IMEI:3"));
        ui.status.put(DL + "/Operations/DownloadInstall", 202);
        Job job = registry.submit("IMEI:3", null, List.of(consentJob()));
        ui.run();
        assertThat(done(job).state()).isEqualTo(JobState.ACCEPTED);
    }

    @ParameterizedTest
    @CsvSource({"304, the user refused", "214, the user cancelled", "408, no answer within MAXDT",
        "500, the confirmation was answered 500", "406, the device cannot show user alerts (406)"})
    void a_confirmation_not_answered_200_fails_the_job_and_nothing_after_it_is_done(int code, String reason) {
        Ui ui = new Ui(device(false, "IMEI:4"));
        ui.alertStatus.put(1101, code);
        Job job = registry.submit("IMEI:4", null, List.of(consentJob()));
        ui.run();

        Job after = done(job);
        assertThat(after.state()).isEqualTo(JobState.FAILED);
        assertThat(after.result(1).orElseThrow().status()).isEqualTo(code);
        assertThat(after.results()).filteredOn(r -> r.index() >= 2).extracting(OperationResult::status)
                .containsOnly(StatusCodes.NOT_EXECUTED).hasSize(3);
        assertThat(UserAnswers.failure(after)).contains(reason + " (operation 1: \"Install hello?\")");
        assertThat(ui.tree).isEmpty();
    }

    @Test
    void the_sequence_status_200_does_not_make_a_refused_job_succeed_even_when_the_device_answers_215_as_2xx() {
        Ui ui = new Ui(device(true, "IMEI:5"));
        ui.alertStatus.put(1101, 214);
        Job job = registry.submit("IMEI:5", null, List.of(consentJob()));
        ui.run();
        Job after = done(job);
        assertThat(after.result(0).orElseThrow().status()).isEqualTo(200);
        assertThat(after.state()).isEqualTo(JobState.FAILED);
    }

    @Test
    void no_status_for_the_confirmation_fails_the_job_with_that_reason() {
        Ui ui = new Ui(device(false, "IMEI:6"));
        ui.silentAlerts.add(1101);
        ui.alertStatus.put(1101, 304);
        Job job = registry.submit("IMEI:6", null, List.of(consentJob()));
        ui.run();
        Job after = done(job);
        assertThat(after.state()).isEqualTo(JobState.FAILED);
        assertThat(after.result(1)).isEmpty();
        assertThat(UserAnswers.failure(after)).contains("no status for the confirmation (operation 1: \"Install hello?\")");
    }

    @Test
    void a_lenient_client_that_drops_the_rest_and_answers_the_sequence_408_fails_the_job() {
        Ui ui = new Ui(device(false, "IMEI:7"));
        ui.alertStatus.put(1101, 408);
        ui.dropAfterStop = true;
        ui.sequenceTakesAlertStatus = true;
        Job job = registry.submit("IMEI:7", null, List.of(consentJob()));
        ui.run();
        Job after = done(job);
        assertThat(after.state()).isEqualTo(JobState.FAILED);
        assertThat(after.results()).extracting(OperationResult::index).containsExactlyInAnyOrder(0, 1);
        assertThat(UserAnswers.failure(after)).hasValueSatisfying(r -> assertThat(r).startsWith("no answer within MAXDT"));
    }

    @Test
    void a_missing_status_after_consent_is_not_taken_from_the_sequence_200() {
        Ui ui = new Ui(device(false, "IMEI:8"));
        Job job = registry.submit("IMEI:8", null, List.of(Operation.sequence(Operation.confirm("Go?", 30),
                Operation.exec("./Silent", null, null))));
        // the device answers the Sequence and the confirmation, not the Exec
        new DropExec(ui).run();
        Job after = done(job);
        assertThat(after.result(2)).isEmpty();
        assertThat(after.state()).isEqualTo(JobState.FAILED);
        assertThat(UserAnswers.failure(after)).isEmpty();
    }

    /** Runs a session in which the device leaves out the status of every Exec. */
    private static final class DropExec {
        final Ui ui;

        DropExec(Ui ui) {
            this.ui = ui;
        }

        void run() {
            DeviceSim d = ui.d;
            SyncMessage r = d.send(d.pkg1(true));
            int guard = 0;
            while (r != null && guard++ < 50) {
                if (r.isFinal() && DeviceSim.managementCommands(r).isEmpty()) {
                    break;
                }
                SyncMessage a = ui.answer(r);
                List<Command> kept = new ArrayList<>();
                for (Command c : a.commands()) {
                    if (!(c instanceof Status s && "Exec".equals(s.cmd()))) {
                        kept.add(c);
                    }
                }
                r = d.send(new SyncMessage(a.header(), kept, a.isFinal()));
            }
        }
    }

    @Test
    void a_top_level_cancel_fails_the_job_and_the_skipped_commands_are_not_executed() {
        Ui ui = new Ui(device(false, "IMEI:9"));
        ui.alertStatus.put(1100, 214);
        Job job = registry.submit("IMEI:9", null, List.of(Operation.display("Hello", 0, 10),
                Operation.replace("./X", "1", "chr")));
        ui.run();
        Job after = done(job);
        assertThat(after.state()).isEqualTo(JobState.FAILED);
        assertThat(after.result(1).orElseThrow().status()).isEqualTo(215);
        assertThat(UserAnswers.failure(after)).contains("the user cancelled (operation 0: \"Hello\")");
    }

    @Test
    void text_and_choice_answers_are_recorded_choices_as_their_texts() {
        Ui ui = new Ui(device(true, "IMEI:10"));
        ui.alertItems.put(1102, List.of("Jane"));
        ui.alertItems.put(1103, List.of("2"));
        ui.alertItems.put(1104, List.of("3", "1", "9"));
        Job job = registry.submit("IMEI:10", null, List.of(Operation.textInput("Name?", 10, null, null, 30, null),
                Operation.choice("Colour", false, 30, List.of("Red", "Green")),
                Operation.choice("Apps", true, 30, List.of("Mail", "Maps", "Notes"))));
        ui.run();
        Job after = done(job);
        assertThat(after.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(after.result(0).orElseThrow().items()).extracting(ResultItem::value).containsExactly("Jane");
        assertThat(after.result(1).orElseThrow().items()).extracting(ResultItem::value).containsExactly("Green");
        assertThat(after.result(2).orElseThrow().items()).extracting(ResultItem::value)
                .containsExactly("Notes", "Mail", "9");
        List<Operation> ops = after.flatOperations();
        assertThat(UserAnswers.describe(ops.get(1).userAlert().orElseThrow(), after.result(1).orElseThrow()))
                .isEqualTo("\"Green\"");
        assertThat(UserAnswers.describe(ops.get(2).userAlert().orElseThrow(), after.result(2).orElseThrow()))
                .isEqualTo("\"Notes\", \"Mail\", \"9\"");
    }

    @Test
    void a_sequence_too_large_for_the_device_message_is_refused_413_and_its_children_215() {
        DeviceSim d = device(false, "IMEI:11");
        d.maxMsgSize = 2000;
        Ui ui = new Ui(d);
        Job job = registry.submit("IMEI:11", null, List.of(Operation.afterConsent("Install?", 60,
                Operation.replace("./A", "x".repeat(600), "chr"), Operation.replace("./B", "y".repeat(600), "chr"),
                Operation.replace("./C", "z".repeat(600), "chr"))));
        List<Command> sent = serverCommands(ui.run());
        Job after = done(job);
        assertThat(sent).noneMatch(c -> c instanceof Sequence);
        assertThat(after.state()).isEqualTo(JobState.FAILED);
        assertThat(after.results()).extracting(OperationResult::index, OperationResult::status).containsExactly(
                tuple(0, 413), tuple(1, 215), tuple(2, 215), tuple(3, 215), tuple(4, 215));
    }

    @Test
    void the_help_desk_install_runs_after_a_yes_and_adds_nothing_after_a_no() {
        HelpDeskService desk = new HelpDeskService(registry);
        Ui yes = new Ui(device(true, "IMEI:12"));
        yes.status.put("./SCOMO/Download/hello/Operations/DownloadInstall", 202);
        Job accepted = desk.install("IMEI:12", new InstallRequest("hello", "https://example.org/hello.jar", null,
                false, null, 0));
        List<Command> sent = serverCommands(yes.run());
        assertThat(((Sequence) sent.get(0)).commands()).extracting(Command::elementName)
                .containsExactly("Alert", "Add", "Add", "Add", "Add", "Exec");
        assertThat(done(accepted).state()).isEqualTo(JobState.ACCEPTED);
        assertThat(yes.tree).containsEntry("./SCOMO/Download/hello/PkgURL", "https://example.org/hello.jar");

        Ui no = new Ui(device(false, "IMEI:13"));
        no.alertStatus.put(1101, 304);
        Job refused = desk.install("IMEI:13", new InstallRequest("hello", "https://example.org/hello.jar", null,
                false, null, 0));
        no.run();
        assertThat(done(refused).state()).isEqualTo(JobState.FAILED);
        assertThat(UserAnswers.failure(done(refused))).contains(
                "the user refused (operation 1: \"Install and start hello?\")");
        assertThat(no.tree).isEmpty();
    }
}
