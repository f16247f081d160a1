package org.cardinaldm.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.cardinaldm.server.api.AsyncExec;
import org.cardinaldm.server.api.AsyncReport;
import org.cardinaldm.server.api.DeviceAlert;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationResult;
import org.cardinaldm.server.internal.async.AsyncTimeouts;
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
import org.junit.jupiter.api.Test;

/**
 * Execs answered 202 and the Generic Alerts 1226 that complete them (issue 15, item 3): same session, later
 * session, other devices, replays, result codes, timeouts, late results.
 */
class AsyncResultsTest extends EngineFixture {
    static final String SCOMO = "urn:oma:at:scomo:1.0:OperationComplete";
    static final String INSTALL = "./SCOMO/Download/app/Operations/DownloadInstall";
    static final String FUMO_UPDATE = "./FUMO/Gateway/Update";

    private int sessions = 100;

    /** A device whose Exec on {@code target} answers 202. */
    private DeviceSim asyncDevice(String id, String... targets) {
        DeviceSim d = device(false, id);
        for (String t : targets) {
            d.failures.put(t, StatusCodes.ACCEPTED);
        }
        return d;
    }

    private static String correlatorSentFor(DeviceSim d, String target) {
        for (String e : d.execs) {
            if (e.startsWith(target + "|")) {
                return e.substring(target.length() + 1);
            }
        }
        throw new AssertionError("no Exec of " + target + " in " + d.execs);
    }

    private static Alert genericAlert(String cmdId, String correlator, String type, String format, String data,
            String source, String target) {
        return new Alert(cmdId, false, null, AlertCodes.GENERIC_ALERT, correlator,
                List.of(new Item(target == null ? null : Location.of(target), source == null ? null : Location.of(source),
                        Meta.builder().type(type).format(format).mark("informational").build(), Data.text(data),
                        false)));
    }

    /** A new session opened with Alert 1201 that carries {@code alert}; returns the Status the server gave it. */
    private int reportInNewSession(DeviceSim d, Alert alert) {
        d.sessionId = Integer.toString(sessions++);
        d.nextMsgId = 1;
        d.token = null;
        SyncMessage.Builder b = SyncMessage.builder(d.header(true).build());
        b.add(Alert.of(b.nextCmdId(), AlertCodes.CLIENT_INITIATED_MGMT));
        b.add(new Alert(b.nextCmdId(), alert.noResp(), null, alert.code(), alert.correlator(), alert.items()));
        SyncMessage r = d.send(b.build());
        return statusFor(r, "2");
    }

    private static int statusFor(SyncMessage m, String cmdRef) {
        for (Command c : m.commands()) {
            if (c instanceof Status s && s.cmdRef().equals(cmdRef) && !"0".equals(s.cmdRef())) {
                return s.code();
            }
        }
        throw new AssertionError("no status for command " + cmdRef + " in " + m);
    }

    private Job job(Job j) {
        return registry.job(j.id()).orElseThrow();
    }

    private static AsyncExec async(Job j, int index) {
        OperationResult r = j.result(index).orElseThrow();
        assertThat(r.status()).isEqualTo(StatusCodes.ACCEPTED);
        assertThat(r.async()).as("asynchronous part of operation %d", index).isNotNull();
        return r.async();
    }

    @Test
    void a_1226_in_a_later_session_completes_the_accepted_job() {
        DeviceSim d = asyncDevice("IMEI:a1", INSTALL);
        Job job = registry.submit("IMEI:a1", "install", List.of(Operation.exec(INSTALL, null, null)));
        d.runSession();
        Job waiting = job(job);
        assertThat(waiting.state()).isEqualTo(JobState.ACCEPTED);
        AsyncExec pending = async(waiting, 0);
        String correlator = correlatorSentFor(d, INSTALL);
        assertThat(correlator).startsWith("cardinal-" + job.id() + "-0-").hasSizeGreaterThan(20);
        assertThat(pending.correlator()).isEqualTo(correlator);
        assertThat(pending.state()).isEqualTo(AsyncExec.State.WAITING);
        assertThat(pending.deadline()).isEqualTo(pending.sent().plus(Duration.ofDays(1)));

        clock.advance(Duration.ofHours(3));
        int status = reportInNewSession(d, genericAlert("2", correlator, SCOMO, "xml",
                "<ResultCode>1200</ResultCode><Identifier>org.example.app</Identifier>", INSTALL,
                "./SCOMO/Inventory/Deployed/app"));

        assertThat(status).isEqualTo(200);
        Job done = job(job);
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        AsyncExec finished = async(done, 0);
        assertThat(finished.state()).isEqualTo(AsyncExec.State.SUCCEEDED);
        AsyncReport report = finished.report();
        assertThat(report.code()).isEqualTo(1200);
        assertThat(report.meaning()).isEqualTo("success");
        assertThat(report.source()).isEqualTo(INSTALL);
        assertThat(report.target()).isEqualTo("./SCOMO/Inventory/Deployed/app");
        assertThat(report.alertType()).isEqualTo(SCOMO);
        assertThat(report.received()).isEqualTo(clock.instant());
        assertThat(report.late()).isFalse();
        assertThat(registry.alerts("IMEI:a1", 10)).singleElement()
                .satisfies(a -> assertThat(a.correlator()).isEqualTo(correlator));
    }

    @Test
    void a_1226_in_the_same_message_as_the_202_completes_the_job_in_that_session() {
        DeviceSim d = asyncDevice("IMEI:a2", INSTALL);
        Job job = registry.submit("IMEI:a2", null,
                List.of(Operation.get("./DevInfo/Man"), Operation.exec(INSTALL, null, null)));
        SyncMessage r = d.send(d.pkg1(true));
        SyncMessage answer = d.answer(r);
        String correlator = correlatorSentFor(d, INSTALL);
        SyncMessage.Builder b = SyncMessage.builder(answer.header());
        answer.commands().forEach(b::add);
        b.add(genericAlert("99", correlator, SCOMO, "xml", "<ResultCode>1200</ResultCode>", INSTALL, null));
        SyncMessage last = d.send(b.build());
        assertThat(statusFor(last, "99")).isEqualTo(200);

        Job done = job(job);
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(async(done, 1).report().code()).isEqualTo(1200);
    }

    @Test
    void the_right_correlator_from_another_device_changes_nothing() {
        DeviceSim a = asyncDevice("IMEI:a3", INSTALL);
        DeviceSim intruder = device(false, "IMEI:a3x");
        Job job = registry.submit("IMEI:a3", null, List.of(Operation.exec(INSTALL, null, null)));
        a.runSession();
        String correlator = correlatorSentFor(a, INSTALL);

        int status = reportInNewSession(intruder,
                genericAlert("2", correlator, SCOMO, "xml", "<ResultCode>1200</ResultCode>", INSTALL, null));

        assertThat(status).isEqualTo(200);
        Job after = job(job);
        assertThat(after.state()).isEqualTo(JobState.ACCEPTED);
        assertThat(async(after, 0).state()).isEqualTo(AsyncExec.State.WAITING);
        assertThat(async(after, 0).report()).isNull();
        assertThat(registry.alerts("IMEI:a3x", 10)).singleElement()
                .satisfies(x -> assertThat(x.correlator()).isEqualTo(correlator));
        assertThat(registry.alerts("IMEI:a3", 10)).isEmpty();
    }

    @Test
    void a_replayed_1226_is_recorded_but_the_first_result_stands() {
        DeviceSim d = asyncDevice("IMEI:a4", INSTALL);
        Job job = registry.submit("IMEI:a4", null, List.of(Operation.exec(INSTALL, null, null)));
        d.runSession();
        String correlator = correlatorSentFor(d, INSTALL);
        reportInNewSession(d, genericAlert("2", correlator, SCOMO, "xml", "<ResultCode>1200</ResultCode>", INSTALL, null));
        clock.advance(Duration.ofMinutes(1));

        int status = reportInNewSession(d,
                genericAlert("2", correlator, SCOMO, "xml", "<ResultCode>1405</ResultCode>", INSTALL, null));

        assertThat(status).isEqualTo(200);
        Job after = job(job);
        assertThat(after.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(async(after, 0).report().code()).isEqualTo(1200);
        assertThat(registry.alerts("IMEI:a4", 10)).extracting(DeviceAlert::data)
                .containsExactly("<ResultCode>1405</ResultCode>", "<ResultCode>1200</ResultCode>");
    }

    @Test
    void a_scomo_failure_code_fails_the_job_with_its_meaning() {
        DeviceSim d = asyncDevice("IMEI:a5", INSTALL);
        Job job = registry.submit("IMEI:a5", null, List.of(Operation.exec(INSTALL, null, null)));
        d.runSession();

        reportInNewSession(d, genericAlert("2", correlatorSentFor(d, INSTALL), SCOMO, "xml",
                "<ResultCode>1405</ResultCode><Identifier>org.example.app</Identifier>", INSTALL, null));

        Job after = job(job);
        assertThat(after.state()).isEqualTo(JobState.FAILED);
        AsyncExec e = async(after, 0);
        assertThat(e.state()).isEqualTo(AsyncExec.State.FAILED);
        assertThat(e.report().success()).isFalse();
        assertThat(e.outcome()).isEqualTo("1405 install failed");
    }

    @Test
    void a_fumo_failure_code_fails_the_job_and_firmware_waits_seven_days() {
        DeviceSim d = asyncDevice("IMEI:a6", FUMO_UPDATE);
        Job job = registry.submit("IMEI:a6", null, List.of(Operation.exec(FUMO_UPDATE, null, null)));
        d.runSession();
        AsyncExec pending = async(job(job), 0);
        assertThat(pending.timeout()).isEqualTo(Duration.ofDays(7));
        clock.advance(Duration.ofDays(3));
        engine.asyncExecs().sweep(clock.instant());
        assertThat(job(job).state()).isEqualTo(JobState.ACCEPTED);

        reportInNewSession(d, genericAlert("2", correlatorSentFor(d, FUMO_UPDATE),
                "org.openmobilealliance.dm.firmwareupdate.update", "int", "410", "./FUMO/Gateway", null));

        Job after = job(job);
        assertThat(after.state()).isEqualTo(JobState.FAILED);
        assertThat(async(after, 0).report().summary()).isEqualTo("410 firmware update failed");
        assertThat(async(after, 0).report().source()).isEqualTo("./FUMO/Gateway");
    }

    @Test
    void no_result_before_the_deadline_fails_the_job_and_a_late_result_is_kept_marked_late() {
        DeviceSim d = asyncDevice("IMEI:a7", INSTALL);
        Job job = registry.submit("IMEI:a7", null, List.of(Operation.exec(INSTALL, null, null)));
        d.runSession();
        clock.advance(Duration.ofHours(23));
        assertThat(engine.asyncExecs().sweep(clock.instant())).isZero();
        clock.advance(Duration.ofHours(2));

        assertThat(engine.asyncExecs().sweep(clock.instant())).isEqualTo(1);
        assertThat(engine.asyncExecs().sweep(clock.instant())).isZero();

        Job failed = job(job);
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(async(failed, 0).state()).isEqualTo(AsyncExec.State.TIMED_OUT);
        assertThat(async(failed, 0).outcome()).isEqualTo("no result from the device within P1D for Exec " + INSTALL);

        clock.advance(Duration.ofHours(1));
        int status = reportInNewSession(d, genericAlert("2", correlatorSentFor(d, INSTALL), SCOMO, "xml",
                "<ResultCode>1200</ResultCode>", INSTALL, null));

        assertThat(status).isEqualTo(200);
        Job after = job(job);
        assertThat(after.state()).isEqualTo(JobState.FAILED);
        AsyncExec e = async(after, 0);
        assertThat(e.state()).isEqualTo(AsyncExec.State.TIMED_OUT);
        assertThat(e.report().late()).isTrue();
        assertThat(e.report().code()).isEqualTo(1200);
        assertThat(e.outcome()).startsWith("no result from the device within P1D").contains("late result")
                .contains("1200 success");
    }

    @Test
    void a_result_after_the_deadline_counts_as_late_even_before_the_sweeper_ran() {
        DeviceSim d = asyncDevice("IMEI:a8", INSTALL);
        Job job = registry.submit("IMEI:a8", null, List.of(Operation.exec(INSTALL, null, null)));
        d.runSession();
        clock.advance(Duration.ofDays(2));

        reportInNewSession(d, genericAlert("2", correlatorSentFor(d, INSTALL), SCOMO, "xml",
                "<ResultCode>1200</ResultCode>", INSTALL, null));

        Job after = job(job);
        assertThat(after.state()).isEqualTo(JobState.FAILED);
        assertThat(async(after, 0).state()).isEqualTo(AsyncExec.State.TIMED_OUT);
        assertThat(async(after, 0).report().late()).isTrue();
        assertThat(engine.asyncExecs().sweep(clock.instant())).isZero();
    }

    @Test
    void a_job_with_two_execs_completes_only_when_both_reported() {
        String activate = "./SCOMO/Inventory/Deployed/app/Operations/Activate";
        DeviceSim d = asyncDevice("IMEI:a9", INSTALL, activate);
        Job job = registry.submit("IMEI:a9", null,
                List.of(Operation.exec(INSTALL, null, null), Operation.exec(activate, null, null)));
        d.runSession();
        assertThat(correlatorSentFor(d, INSTALL)).isNotEqualTo(correlatorSentFor(d, activate));

        reportInNewSession(d, genericAlert("2", correlatorSentFor(d, activate), SCOMO, "xml",
                "<ResultCode>1200</ResultCode>", activate, null));
        assertThat(job(job).state()).isEqualTo(JobState.ACCEPTED);

        reportInNewSession(d, genericAlert("2", correlatorSentFor(d, INSTALL), SCOMO, "xml",
                "<ResultCode>1200</ResultCode>", INSTALL, null));
        assertThat(job(job).state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void one_failed_exec_of_two_fails_the_job_once_both_reported() {
        String activate = "./SCOMO/Inventory/Deployed/app/Operations/Activate";
        DeviceSim d = asyncDevice("IMEI:a10", INSTALL, activate);
        Job job = registry.submit("IMEI:a10", null,
                List.of(Operation.exec(INSTALL, null, null), Operation.exec(activate, null, null)));
        d.runSession();
        reportInNewSession(d, genericAlert("2", correlatorSentFor(d, INSTALL), SCOMO, "xml",
                "<ResultCode>1409</ResultCode>", INSTALL, null));
        assertThat(job(job).state()).isEqualTo(JobState.ACCEPTED);
        reportInNewSession(d, genericAlert("2", correlatorSentFor(d, activate), SCOMO, "xml",
                "<ResultCode>1200</ResultCode>", activate, null));
        assertThat(job(job).state()).isEqualTo(JobState.FAILED);
    }

    @Test
    void unknown_correlators_oversized_data_and_alerts_without_correlator_are_only_recorded() {
        DeviceSim d = asyncDevice("IMEI:a11", INSTALL);
        Job job = registry.submit("IMEI:a11", null, List.of(Operation.exec(INSTALL, null, null)));
        d.runSession();
        String correlator = correlatorSentFor(d, INSTALL);

        assertThat(reportInNewSession(d, genericAlert("2", "cardinal-999-0-0000000000000000", SCOMO, "xml",
                "<ResultCode>1200</ResultCode>", INSTALL, null))).isEqualTo(200);
        assertThat(reportInNewSession(d, genericAlert("2", correlator, SCOMO, "xml",
                "<ResultCode>1200</ResultCode>" + "x".repeat(5000), INSTALL, null))).isEqualTo(200);
        assertThat(reportInNewSession(d, genericAlert("2", null, SCOMO, "xml", "<ResultCode>1200</ResultCode>",
                INSTALL, null))).isEqualTo(200);
        assertThat(reportInNewSession(d, genericAlert("2", "c".repeat(300), SCOMO, "xml",
                "<ResultCode>1200</ResultCode>", INSTALL, null))).isEqualTo(200);

        Job after = job(job);
        assertThat(after.state()).isEqualTo(JobState.ACCEPTED);
        assertThat(async(after, 0).report()).isNull();
        assertThat(registry.alerts("IMEI:a11", 10)).hasSize(4);
    }

    @Test
    void an_exec_answered_200_waits_for_nothing() {
        DeviceSim d = device(false, "IMEI:a12");
        Job job = registry.submit("IMEI:a12", null, List.of(Operation.exec("./Reboot", null, null)));
        d.runSession();
        assertThat(job(job).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(job(job).result(0).orElseThrow().async()).isNull();
        assertThat(store.asyncExecs(job.id())).isEmpty();

        reportInNewSession(d, genericAlert("2", correlatorSentFor(d, "./Reboot"), null, "int", "500", null, null));
        assertThat(job(job).state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void an_operator_correlator_is_sent_as_given_matched_for_its_device_only_and_not_reused() {
        DeviceSim d = asyncDevice("IMEI:a13", INSTALL);
        device(false, "IMEI:a13b");
        Job job = registry.submit("IMEI:a13", null, List.of(Operation.exec(INSTALL, null, "op-1")));
        d.runSession();
        assertThat(correlatorSentFor(d, INSTALL)).isEqualTo("op-1");
        // another device may use the same operator correlator: matching is per device
        registry.submit("IMEI:a13b", null, List.of(Operation.exec(INSTALL, null, "op-1")));
        assertThatThrownBy(() -> registry.submit("IMEI:a13", null, List.of(Operation.exec(INSTALL, null, "op-1"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already used");
        assertThatThrownBy(() -> registry.submit("IMEI:a13b", null,
                List.of(Operation.exec(INSTALL, null, "twice"), Operation.exec("./x", null, "twice"))))
                .isInstanceOf(IllegalArgumentException.class);

        reportInNewSession(d, genericAlert("2", "op-1", SCOMO, "xml", "<ResultCode>1200</ResultCode>", INSTALL, null));
        assertThat(job(job).state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void the_sweeper_handles_a_bounded_batch_per_run() {
        engine.asyncExecs().timeouts(new AsyncTimeouts(Duration.ofHours(1), Duration.ofDays(7), List.of("./FUMO"), 2));
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            DeviceSim d = asyncDevice("IMEI:b" + i, INSTALL);
            jobs.add(registry.submit("IMEI:b" + i, null, List.of(Operation.exec(INSTALL, null, null))));
            d.runSession();
        }
        clock.advance(Duration.ofHours(2));
        Instant now = clock.instant();
        assertThat(engine.asyncExecs().sweep(now)).isEqualTo(2);
        assertThat(engine.asyncExecs().sweep(now)).isEqualTo(1);
        assertThat(jobs).allSatisfy(j -> assertThat(job(j).state()).isEqualTo(JobState.FAILED));
        assertThat(async(job(jobs.get(0)), 0).outcome())
                .isEqualTo("no result from the device within PT1H for Exec " + INSTALL);
    }

    @Test
    void an_exec_inside_a_sequence_answered_202_is_completed_by_its_1226() {
        DeviceSim d = device(false, "IMEI:a14");
        d.checkServer = false;
        Job job = registry.submit("IMEI:a14", null,
                List.of(Operation.sequence(Operation.replace("./X", "1", "chr"), Operation.exec(INSTALL, null, null))));
        SyncMessage r = d.send(d.pkg1(true));
        org.cardinaldm.syncml.api.model.Sequence seq = (org.cardinaldm.syncml.api.model.Sequence) DeviceSim
                .managementCommands(r).get(0);
        org.cardinaldm.syncml.api.model.Exec exec = (org.cardinaldm.syncml.api.model.Exec) seq.commands().get(1);
        String msgRef = r.header().msgId();
        SyncMessage.Builder b = SyncMessage.builder(d.header(false).build());
        b.add(Status.builder().cmdId(b.nextCmdId()).msgRef(msgRef).answeringHeader().code(200)
                .addTargetRef(r.header().target().locUri()).addSourceRef(r.header().source().locUri()).build());
        b.add(Status.of(b.nextCmdId(), msgRef, seq, 200));
        b.add(Status.of(b.nextCmdId(), msgRef, seq.commands().get(0), 200));
        b.add(Status.of(b.nextCmdId(), msgRef, exec, StatusCodes.ACCEPTED));
        d.send(b.build());
        assertThat(job(job).state()).isEqualTo(JobState.ACCEPTED);
        assertThat(exec.correlator()).startsWith("cardinal-" + job.id() + "-2-");

        reportInNewSession(d, genericAlert("2", exec.correlator(), SCOMO, "xml", "<ResultCode>1200</ResultCode>",
                INSTALL, null));

        Job done = job(job);
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(async(done, 2).report().code()).isEqualTo(1200);
    }
}
