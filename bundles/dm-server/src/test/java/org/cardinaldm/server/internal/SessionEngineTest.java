package org.cardinaldm.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.cardinaldm.server.api.AuthAttempt;
import org.cardinaldm.server.api.Device;
import org.cardinaldm.server.api.DeviceAlert;
import org.cardinaldm.server.api.DeviceState;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationResult;
import org.cardinaldm.server.api.ResultItem;
import org.cardinaldm.server.api.transport.InboundMessage;
import org.cardinaldm.server.api.transport.OutboundMessage;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.AlertCodes;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Get;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.Location;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.Replace;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionEngineTest extends EngineFixture {

    private static Status statusFor(SyncMessage m, String cmdRef) {
        for (Command c : m.commands()) {
            if (c instanceof Status s && s.cmdRef().equals(cmdRef)) {
                return s;
            }
        }
        throw new AssertionError("no status for command " + cmdRef + " in " + m);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void device_without_nonce_is_challenged_then_accepted_and_its_devinfo_recorded(boolean wbxml) {
        DeviceSim d = device(wbxml, "IMEI:1");
        d.clientNonce = "AAAAAA==";
        SyncMessage first = d.send(d.pkg1(true));
        Status hdr = DeviceSim.headerStatus(first);
        assertThat(hdr.code()).isEqualTo(401);
        assertThat(hdr.chal().meta().type()).isEqualTo("syncml:auth-md5");
        assertThat(hdr.chal().meta().nextNonce()).isNotBlank();
        assertThat(statusFor(first, "1").code()).isEqualTo(401);
        assertThat(first.header().respUri()).startsWith(DeviceSim.SERVER_URL + "?s=");
        assertThat(store.device("IMEI:1").orElseThrow().devInfo()).isEmpty();

        SyncMessage second = d.send(d.pkg1(true));
        Status ok = DeviceSim.headerStatus(second);
        assertThat(ok.code()).isEqualTo(212);
        assertThat(ok.chal().meta().nextNonce()).isNotEqualTo(hdr.chal().meta().nextNonce());
        assertThat(second.isFinal()).isTrue();
        assertThat(DeviceSim.managementCommands(second)).isEmpty();
        assertThat(d.lastOut.contentType()).isEqualTo(wbxml ? MediaTypes.DM_WBXML : MediaTypes.DM_XML);

        Device dev = registry.device("IMEI:1").orElseThrow();
        assertThat(dev.devInfo()).containsEntry("./DevInfo/Man", "Cardinal").containsEntry("./DevInfo/DmV", "1.2");
        assertThat(dev.state(clock.instant())).isEqualTo(DeviceState.ACTIVE);
        assertThat(dev.firstContact()).isEqualTo(clock.instant());
        assertThat(dev.authFailures()).isZero();
        // the failure is remembered by the node, not written into the device's record
        assertThat(dev.totalAuthFailures()).isZero();
        assertThat(registry.failedAttempts("IMEI:1")).singleElement()
                .satisfies(a -> assertThat(a.outcome()).isEqualTo(AuthAttempt.Outcome.WRONG_CREDENTIALS));
        assertThat(engine.sessions()).isEmpty();
        assertThat(store.device("IMEI:1").orElseThrow().clientNonce()).isEqualTo(ok.chal().meta().nextNonce());
    }

    @Test
    void a_device_registered_with_its_bootstrap_nonce_is_accepted_at_first_contact() {
        registry.register(org.cardinaldm.server.api.DeviceRegistration.builder("IMEI:50")
                .client(org.cardinaldm.server.api.AuthScheme.MD5, "IMEI:50", "pw").clientNonce("Ym9vdHN0cmFw")
                .server(org.cardinaldm.server.api.AuthScheme.MD5, null, "srv").build());
        DeviceSim d = new DeviceSim(engine, false, "IMEI:50", "pw", "srv");
        d.clientNonce = "Ym9vdHN0cmFw";
        assertThat(DeviceSim.headerStatus(d.send(d.pkg1(true))).code()).isEqualTo(212);
        assertThat(registry.device("IMEI:50").orElseThrow().totalAuthFailures()).isZero();
    }

    @Test
    void device_without_credentials_gets_407_with_the_stored_nonce_and_no_failure_is_counted() {
        DeviceSim d = device(false, "IMEI:2");
        String stored = store.device("IMEI:2").orElseThrow().clientNonce();
        SyncMessage r = d.send(d.pkg1(false));
        Status hdr = DeviceSim.headerStatus(r);
        assertThat(hdr.code()).isEqualTo(407);
        assertThat(hdr.chal().meta().nextNonce()).isEqualTo(stored);
        assertThat(registry.device("IMEI:2").orElseThrow().totalAuthFailures()).isZero();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void job_operations_are_sent_in_order_and_every_status_and_result_is_kept(boolean wbxml) {
        DeviceSim d = device(wbxml, "IMEI:3");
        d.tree.put("./SmartCard/MO/Conf/Url", "http://old");
        d.tree.put("./Src", "copied");
        Job job = registry.submit("IMEI:3", "mixed", List.of(Operation.get("./DevInfo/Mod"),
                Operation.replace("./SmartCard/MO/Conf/Url", "http://new", "chr"),
                Operation.add("./SmartCard/MO/Conf/Port", "8080", "int"), Operation.delete("./DevInfo/Lang"),
                Operation.exec("./Reboot", null, null), Operation.copy("./Src", "./Dst"),
                Operation.get("./Missing")));

        d.runSession();

        Job done = registry.job(job.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(JobState.FAILED);
        assertThat(done.results()).extracting(OperationResult::status)
                .containsExactly(200, 200, 200, 200, 200, 200, 404);
        assertThat(done.result(0).orElseThrow().items()).singleElement()
                .satisfies(i -> {
                    assertThat(i.uri()).isEqualTo("./DevInfo/Mod");
                    assertThat(i.value()).isEqualTo("Sim");
                    assertThat(i.format()).isEqualTo("chr");
                });
        assertThat(d.tree).containsEntry("./SmartCard/MO/Conf/Url", "http://new")
                .containsEntry("./SmartCard/MO/Conf/Port", "8080").containsEntry("./Dst", "copied")
                .doesNotContainKey("./DevInfo/Lang");
        // job id, index and 64 random bits (AsyncExecs.newCorrelator)
        assertThat(d.execs).singleElement().asString()
                .matches("\\./Reboot\\|cardinal-" + job.id() + "-4-[0-9a-f]{16}");
        assertThat(engine.sessions()).isEmpty();
    }

    @Test
    void a_job_whose_statuses_are_all_2xx_succeeds() {
        DeviceSim d = device(false, "IMEI:4");
        Job job = registry.submit("IMEI:4", null, List.of(Operation.get("./DevInfo/Man")));
        d.runSession();
        assertThat(registry.job(job.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void an_exec_answered_202_leaves_the_job_accepted_and_waiting_not_succeeded() {
        DeviceSim d = device(false, "IMEI:4");
        d.failures.put("./Reboot", StatusCodes.ACCEPTED);
        Job job = registry.submit("IMEI:4", null,
                List.of(Operation.get("./DevInfo/Man"), Operation.exec("./Reboot", null, null)));
        d.runSession();
        Job after = registry.job(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.ACCEPTED);
        assertThat(after.state().isTerminal()).isFalse();
        assertThat(after.state().isSettled()).isTrue();
        assertThat(after.result(1).orElseThrow().status()).isEqualTo(StatusCodes.ACCEPTED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"chr", "int", ""})
    void a_text_value_sent_as_wbxml_opaque_is_kept_as_text(String format) {
        DeviceSim d = device(true, "IMEI:4");
        d.opaqueResults = true;
        d.resultFormat = format.isEmpty() ? null : format;
        d.tree.put("./DevInfo/Mod", "test model");
        Job job = registry.submit("IMEI:4", null, List.of(Operation.get("./DevInfo/Mod")));
        d.runSession();
        ResultItem item = registry.job(job.id()).orElseThrow().result(0).orElseThrow().items().get(0);
        assertThat(item.binary()).isFalse();
        assertThat(item.value()).isEqualTo("test model");
    }

    @Test
    void a_bin_value_sent_as_wbxml_opaque_stays_bytes() {
        DeviceSim d = device(true, "IMEI:4");
        d.opaqueResults = true;
        d.resultFormat = "bin";
        d.tree.put("./DevInfo/Mod", "test model");
        Job job = registry.submit("IMEI:4", null, List.of(Operation.get("./DevInfo/Mod")));
        d.runSession();
        ResultItem item = registry.job(job.id()).orElseThrow().result(0).orElseThrow().items().get(0);
        assertThat(item.binary()).isTrue();
        assertThat(item.value()).isEqualTo("dGVzdCBtb2RlbA==");
    }

    @Test
    void a_large_text_value_in_opaque_chunks_is_reassembled_as_text() {
        DeviceSim d = device(true, "IMEI:4");
        d.opaqueResults = true;
        d.resultChunk = 100;
        String big = "é".repeat(400);
        d.tree.put("./Big", big);
        Job job = registry.submit("IMEI:4", null, List.of(Operation.get("./Big")));
        d.runSession();
        ResultItem item = registry.job(job.id()).orElseThrow().result(0).orElseThrow().items().get(0);
        assertThat(item.binary()).isFalse();
        assertThat(item.value()).isEqualTo(big);
    }

    @Test
    void a_202_beside_a_refused_operation_fails_the_job() {
        DeviceSim d = device(false, "IMEI:4");
        d.failures.put("./Reboot", StatusCodes.ACCEPTED);
        Job job = registry.submit("IMEI:4", null,
                List.of(Operation.exec("./Reboot", null, null), Operation.get("./Missing")));
        d.runSession();
        assertThat(registry.job(job.id()).orElseThrow().state()).isEqualTo(JobState.FAILED);
    }

    @Test
    void atomic_group_rolls_back_and_every_child_status_is_recorded() {
        DeviceSim d = device(false, "IMEI:5");
        d.tree.put("./A", "1");
        d.failures.put("./B", 425);
        Job job = registry.submit("IMEI:5", null, List.of(Operation.atomic(List.of(
                Operation.replace("./A", "2", "chr"), Operation.add("./B", "x", "chr")))));
        d.runSession();
        Job done = registry.job(job.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(JobState.FAILED);
        assertThat(done.results()).extracting(OperationResult::index, OperationResult::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0, 507),
                        org.assertj.core.groups.Tuple.tuple(1, 216), org.assertj.core.groups.Tuple.tuple(2, 425));
        assertThat(d.tree).containsEntry("./A", "1");
    }

    @Test
    void wrong_digests_throttle_the_device_from_that_source_only_for_the_lockout_period() {
        DeviceSim d = device(false, "IMEI:6");
        d.password = "wrong";
        for (int i = 0; i < 4; i++) {
            d.sessionId = Integer.toString(10 + i);
            d.nextMsgId = 1;
            d.token = null;
            SyncMessage r = d.send(d.pkg1(true));
            assertThat(DeviceSim.headerStatus(r).code()).isEqualTo(401);
            assertThat(DeviceSim.headerStatus(r).chal()).isNotNull();
        }
        d.sessionId = "20";
        d.nextMsgId = 1;
        d.token = null;
        SyncMessage fifth = d.send(d.pkg1(true));
        assertThat(DeviceSim.headerStatus(fifth).code()).isEqualTo(401);
        assertThat(fifth.header().respUri()).isNull(); // the session ends with the failure that throttles
        // the registry record is not touched: a stranger's failures would otherwise lock the device out
        Device record = registry.device("IMEI:6").orElseThrow();
        assertThat(record.state(clock.instant())).isEqualTo(DeviceState.NEW);
        assertThat(record.totalAuthFailures()).isZero();
        assertThat(registry.failedAttempts("IMEI:6")).hasSize(5);

        // even the right password is refused from that source while throttled, without being checked
        d.password = "pw-IMEI:6";
        d.sessionId = "21";
        d.nextMsgId = 1;
        d.token = null;
        SyncMessage refused = d.send(d.pkg1(true));
        assertThat(DeviceSim.headerStatus(refused).code()).isEqualTo(417);
        assertThat(statusFor(refused, "1").code()).isEqualTo(417);
        assertThat(registry.failedAttempts("IMEI:6").get(0).outcome()).isEqualTo(AuthAttempt.Outcome.THROTTLED);

        clock.advance(Duration.ofMinutes(16));
        d.sessionId = "22";
        d.nextMsgId = 1;
        d.token = null;
        d.runSession();
        Device back = registry.device("IMEI:6").orElseThrow();
        assertThat(back.state(clock.instant())).isEqualTo(DeviceState.ACTIVE);
    }

    @Test
    void operator_unlock_ends_a_lock_out() {
        DeviceSim d = device(false, "IMEI:7");
        d.password = "wrong";
        for (int i = 0; i < 5; i++) {
            d.sessionId = Integer.toString(30 + i);
            d.nextMsgId = 1;
            d.token = null;
            d.send(d.pkg1(true));
        }
        d.password = "pw-IMEI:7";
        d.sessionId = "39";
        d.nextMsgId = 1;
        d.token = null;
        assertThat(DeviceSim.headerStatus(d.send(d.pkg1(true))).code()).isEqualTo(417);
        store.updateDevice("IMEI:7", r -> r.toBuilder().lockedUntil(clock.instant().plusSeconds(600)).build());
        assertThat(registry.device("IMEI:7").orElseThrow().state(clock.instant())).isEqualTo(DeviceState.LOCKED);
        assertThat(registry.unlock("IMEI:7")).isTrue();
        assertThat(registry.device("IMEI:7").orElseThrow().state(clock.instant())).isEqualTo(DeviceState.NEW);
        d.sessionId = "40";
        d.nextMsgId = 1;
        d.token = null;
        d.runSession();
        assertThat(registry.device("IMEI:7").orElseThrow().state(clock.instant())).isEqualTo(DeviceState.ACTIVE);
    }

    @Test
    void a_replayed_package_one_is_refused_because_its_nonce_was_used() {
        DeviceSim d = device(false, "IMEI:8");
        d.runSession();
        byte[] original = d.sentBytes.get(0);
        assertThat(engine.sessions()).isEmpty();

        d.token = null;
        SyncMessage replay = d.sendBytes(original);
        assertThat(DeviceSim.headerStatus(replay).code()).isEqualTo(401);
        assertThat(registry.failedAttempts("IMEI:8")).hasSize(1);
    }

    @Test
    void a_disabled_device_is_refused() {
        DeviceSim d = device(false, "IMEI:9");
        registry.setEnabled("IMEI:9", false);
        SyncMessage r = d.send(d.pkg1(true));
        assertThat(DeviceSim.headerStatus(r).code()).isEqualTo(403);
        assertThat(registry.device("IMEI:9").orElseThrow().state(clock.instant())).isEqualTo(DeviceState.DISABLED);
    }

    @Test
    void an_unknown_device_is_challenged_and_nothing_is_registered() {
        DeviceSim d = new DeviceSim(engine, false, "IMEI:unknown", "x", "y");
        SyncMessage r = d.send(d.pkg1(true));
        assertThat(DeviceSim.headerStatus(r).code()).isEqualTo(401);
        assertThat(registry.devices()).isEmpty();
        SyncMessage r2 = new DeviceSim(engine, false, "IMEI:unknown2", "x", "y").send(d.pkg1(false));
        assertThat(DeviceSim.headerStatus(r2).code()).isIn(401, 407);
    }

    @Test
    void malformed_message_is_refused_with_400_and_an_unrelated_session_goes_on() {
        DeviceSim a = device(false, "IMEI:10");
        registry.submit("IMEI:10", null, List.of(Operation.get("./DevInfo/Man")));
        SyncMessage pkg2 = a.send(a.pkg1(true));
        assertThat(DeviceSim.managementCommands(pkg2)).hasSize(1);

        byte[] whole = a.sentBytes.get(0);
        OutboundMessage bad = engine.process(new InboundMessage(java.util.Arrays.copyOf(whole, whole.length / 2),
                MediaTypes.DM_XML, null, a.token, DeviceSim.SERVER_URL, "evil"));
        assertThat(bad.isMessage()).isFalse();
        assertThat(bad.transportStatus()).isEqualTo(400);
        assertThat(bad.reason()).startsWith("not a SyncML DM message");
        OutboundMessage garbage = engine.process(new InboundMessage(new byte[] {3, 1, 2, 3, 4, 5},
                MediaTypes.DM_WBXML, null, null, DeviceSim.SERVER_URL, "evil"));
        assertThat(garbage.transportStatus()).isIn(400, 415);

        SyncMessage pkg4 = a.send(a.answer(pkg2));
        assertThat(pkg4.isFinal()).isTrue();
        assertThat(registry.jobs("IMEI:10", 1).get(0).state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void unsupported_media_type_and_oversized_messages_are_refused() {
        OutboundMessage json = engine.process(new InboundMessage("{}".getBytes(StandardCharsets.UTF_8),
                "application/json", null, null, DeviceSim.SERVER_URL, "x"));
        assertThat(json.transportStatus()).isEqualTo(415);
        OutboundMessage big = engine.process(new InboundMessage(new byte[config.maxMessageBytes() + 1],
                MediaTypes.DM_XML, null, null, DeviceSim.SERVER_URL, "x"));
        assertThat(big.transportStatus()).isEqualTo(413);
    }

    @Test
    void data_sync_media_types_are_accepted_and_answered_in_the_same_type() {
        registry.register(org.cardinaldm.server.api.DeviceRegistration.builder("IMEI:11")
                .client(org.cardinaldm.server.api.AuthScheme.MD5, "IMEI:11", "pw").server(
                        org.cardinaldm.server.api.AuthScheme.MD5, null, "srv").build());
        for (String type : List.of(MediaTypes.DS_XML, MediaTypes.DS_WBXML)) {
            DeviceSim d = new DeviceSim(engine, type, "IMEI:11", "pw", "srv");
            d.clientNonce = store.device("IMEI:11").orElseThrow().clientNonce();
            d.sessionId = type.endsWith("xml") ? "5" : "6";
            SyncMessage r = d.send(d.pkg1(true));
            assertThat(DeviceSim.headerStatus(r).code()).isEqualTo(212);
            assertThat(d.lastOut.contentType()).isEqualTo(type);
        }
    }

    @Test
    void session_id_zero_and_hex_ids_are_sessions_of_their_own_and_devices_do_not_clash() {
        config = config.withRequireToken(false);
        rebuild();
        DeviceSim a = device(false, "IMEI:12");
        DeviceSim b = device(true, "IMEI:13");
        a.sessionId = "0";
        b.sessionId = "0";
        registry.submit("IMEI:12", null, List.of(Operation.get("./DevInfo/Man")));
        registry.submit("IMEI:13", null, List.of(Operation.get("./DevInfo/Mod")));
        SyncMessage ra = a.send(a.pkg1(true));
        SyncMessage rb = b.send(b.pkg1(true));
        assertThat(engine.sessions()).hasSize(2);
        assertThat(ra.header().sessionId()).isEqualTo("0");
        a.token = null;
        b.token = null; // clients that ignore RespURI are found by DevId and SessionID, with credentials
        a.credInEveryMessage = true;
        b.credInEveryMessage = true;
        a.send(a.answer(ra));
        b.send(b.answer(rb));
        assertThat(registry.jobs(null, 10)).extracting(Job::state).containsOnly(JobState.SUCCEEDED);

        DeviceSim c = device(false, "IMEI:14");
        c.sessionId = "1A2B";
        c.runSession();
        assertThat(c.received.get(0).header().sessionId()).isEqualTo("1A2B");
    }

    @Test
    void an_authenticated_session_is_continued_only_with_its_token() {
        DeviceSim d = device(false, "IMEI:41");
        Job job = registry.submit("IMEI:41", null, List.of(Operation.delete("./DevInfo/Lang")));
        SyncMessage pkg2 = d.send(d.pkg1(true));
        String token = d.token;
        // someone who knows DevId and SessionID but not the RespURI token
        DeviceSim intruder = new DeviceSim(engine, false, "IMEI:41", "x", "y");
        intruder.nextMsgId = 2;
        intruder.checkServer = false;
        SyncMessage.Builder b = SyncMessage.builder(intruder.header(false).build());
        b.add(Status.builder().cmdId("1").msgRef(pkg2.header().msgId()).answeringHeader().code(212).build());
        b.add(Status.of("2", pkg2.header().msgId(), DeviceSim.managementCommands(pkg2).get(0), 404));
        SyncMessage refused = intruder.send(b.build());
        assertThat(DeviceSim.headerStatus(refused).code()).isEqualTo(404);
        assertThat(registry.job(job.id()).orElseThrow().results()).isEmpty();
        // the device itself goes on through its RespURI
        d.token = token;
        d.send(d.answer(pkg2));
        assertThat(registry.job(job.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void a_message_of_an_unknown_session_gets_404() {
        DeviceSim d = device(false, "IMEI:15");
        SyncMessage.Builder b = SyncMessage.builder(d.header(false).build());
        b.add(Status.builder().cmdId("1").msgRef("1").answeringHeader().code(200).build());
        SyncMessage r = d.send(b.build());
        assertThat(DeviceSim.headerStatus(r).code()).isEqualTo(404);
    }

    @Test
    void wrong_protocol_versions_get_505_and_513() {
        DeviceSim d = device(false, "IMEI:16");
        SyncMessage m = d.pkg1(true);
        SyncMessage v11 = new SyncMessage(m.header().toBuilder().verDtd("1.1").build(), m.commands(), true);
        assertThat(DeviceSim.headerStatus(d.send(v11)).code()).isEqualTo(505);
        SyncMessage dm11 = new SyncMessage(m.header().toBuilder().verProto("DM/1.1").build(), m.commands(), true);
        assertThat(DeviceSim.headerStatus(d.send(dm11)).code()).isEqualTo(513);
    }

    @Test
    void commands_a_client_may_not_send_get_405() {
        DeviceSim d = device(false, "IMEI:17");
        SyncMessage.Builder b = SyncMessage.builder(d.header(true).build());
        b.add(Alert.of(b.nextCmdId(), AlertCodes.CLIENT_INITIATED_MGMT));
        b.add(Get.of(b.nextCmdId(), Item.target("./Server")));
        b.add(Alert.of(b.nextCmdId(), 1101));
        SyncMessage r = d.send(b.build());
        assertThat(statusFor(r, "1").code()).isEqualTo(200);
        assertThat(statusFor(r, "2").code()).isEqualTo(405);
        assertThat(statusFor(r, "3").code()).isEqualTo(406);
    }

    @Test
    void a_retransmitted_message_gets_the_same_answer_and_nothing_runs_twice() {
        DeviceSim d = device(false, "IMEI:18");
        Job job = registry.submit("IMEI:18", null, List.of(Operation.get("./DevInfo/Man")));
        SyncMessage pkg2 = d.send(d.pkg1(true));
        byte[] first = d.lastOut.body();
        d.sendBytes(d.sentBytes.get(0));
        assertThat(d.lastOut.body()).isEqualTo(first);
        SyncMessage pkg3 = d.answer(pkg2);
        d.send(pkg3);
        d.sendBytes(d.sentBytes.get(d.sentBytes.size() - 1));
        Job done = registry.job(job.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.results()).hasSize(1);
    }

    @Test
    void client_multi_message_package_gets_next_message_alerts_until_it_is_final() {
        DeviceSim d = device(false, "IMEI:19");
        registry.submit("IMEI:19", null, List.of(Operation.get("./DevInfo/Man")));
        SyncMessage.Builder b = SyncMessage.builder(d.header(true).build()).isFinal(false);
        b.add(Alert.of(b.nextCmdId(), AlertCodes.CLIENT_INITIATED_MGMT));
        SyncMessage r1 = d.send(b.build());
        assertThat(r1.isFinal()).isFalse();
        assertThat(DeviceSim.managementCommands(r1)).singleElement()
                .satisfies(c -> assertThat(((Alert) c).code()).isEqualTo(AlertCodes.NEXT_MESSAGE));
        SyncMessage.Builder b2 = SyncMessage.builder(d.header(false).build());
        b2.add(Replace.of(b2.nextCmdId(),
                new Item(null, Location.of("./DevInfo/Man"), Meta.of("chr", null), Data.text("Acme"), false)));
        SyncMessage r2 = d.send(b2.build());
        assertThat(r2.isFinal()).isTrue();
        assertThat(DeviceSim.managementCommands(r2)).singleElement().isInstanceOf(Get.class);
        assertThat(registry.device("IMEI:19").orElseThrow().devInfo()).containsEntry("./DevInfo/Man", "Acme");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void many_operations_are_split_over_messages_that_fit_the_device_max_msg_size(boolean wbxml) {
        DeviceSim d = device(wbxml, "IMEI:20");
        d.maxMsgSize = wbxml ? 600 : 2000;
        List<Operation> ops = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            d.tree.put("./Node/" + i, "value-" + i);
            ops.add(Operation.get("./Node/" + i));
        }
        Job job = registry.submit("IMEI:20", null, ops);
        List<SyncMessage> msgs = d.runSession();
        long nonFinalWithCommands = msgs.stream()
                .filter(m -> !m.isFinal() && !DeviceSim.managementCommands(m).isEmpty()).count();
        assertThat(nonFinalWithCommands).isGreaterThan(0);
        assertThat(d.sentBytes).allSatisfy(x -> assertThat(x.length).isPositive());
        Job done = registry.job(job.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.results()).hasSize(40);
        assertThat(done.result(39).orElseThrow().items().get(0).value()).isEqualTo("value-39");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void a_large_value_is_sent_in_chunks_with_size_and_more_data(boolean wbxml) {
        DeviceSim d = device(wbxml, "IMEI:21");
        d.maxMsgSize = 2000;
        d.tree.put("./Big", "old");
        String big = "0123456789abcdef".repeat(700) + "é";
        Job job = registry.submit("IMEI:21", null, List.of(Operation.replace("./Big", big, "chr")));
        List<SyncMessage> msgs = d.runSession();
        assertThat(d.tree.get("./Big")).isEqualTo(big);
        List<Replace> chunks = msgs.stream().flatMap(m -> m.commands().stream()).filter(Replace.class::isInstance)
                .map(Replace.class::cast).collect(Collectors.toList());
        assertThat(chunks.size()).isGreaterThan(5);
        assertThat(chunks.get(0).items().get(0).meta().size())
                .isEqualTo((long) big.getBytes(StandardCharsets.UTF_8).length);
        assertThat(chunks.get(1).items().get(0).meta().size()).isNull();
        assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(c -> assertThat(c.items().get(0).moreData()).isTrue());
        assertThat(chunks.get(chunks.size() - 1).items().get(0).moreData()).isFalse();
        Job done = registry.job(job.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.results()).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(200));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void a_large_result_is_reassembled_from_chunks_acknowledged_with_213(boolean wbxml) {
        DeviceSim d = device(wbxml, "IMEI:22");
        String big = "line of a log\n".repeat(500);
        d.tree.put("./Log", big);
        d.resultChunk = 1000;
        Job job = registry.submit("IMEI:22", null, List.of(Operation.get("./Log")));
        List<SyncMessage> msgs = d.runSession();
        long acks = msgs.stream().flatMap(m -> m.commands().stream())
                .filter(c -> c instanceof Status s && s.code() == 213).count();
        assertThat(acks).isEqualTo(6);
        Job done = registry.job(job.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.result(0).orElseThrow().items()).singleElement()
                .satisfies(i -> assertThat(i.value()).isEqualTo(big));
    }

    @Test
    void a_value_of_half_a_megabyte_with_characters_to_escape_goes_out_in_full_chunks() {
        DeviceSim d = device(false, "IMEI:42");
        d.maxMsgSize = 8000;
        d.tree.put("./Blob", "");
        String big = "<a&b>\u00e9".repeat(80_000);
        Job job = registry.submit("IMEI:42", null, List.of(Operation.replace("./Blob", big, "chr")));
        List<SyncMessage> msgs = d.runSession();
        assertThat(registry.job(job.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(d.tree.get("./Blob").length()).isEqualTo(big.length());
        assertThat(d.tree.get("./Blob").equals(big)).isTrue();
        long chunks = msgs.stream().flatMap(m -> m.commands().stream()).filter(Replace.class::isInstance).count();
        // escaping makes each character up to 5 bytes on the wire: chunks stay well filled
        assertThat(chunks).isLessThan(big.length() * 6L / 8000 + 10);
        assertThat(d.sentBytes).allSatisfy(b -> assertThat(b.length).isPositive());
    }

    @Test
    void a_large_result_of_the_wrong_size_gets_424_and_is_not_kept() {
        DeviceSim d = device(false, "IMEI:23");
        d.tree.put("./Log", "x".repeat(3000));
        d.resultChunk = 1000;
        d.chunkSizeRight = false;
        Job job = registry.submit("IMEI:23", null, List.of(Operation.get("./Log")));
        List<SyncMessage> msgs = d.runSession();
        assertThat(msgs.stream().flatMap(m -> m.commands().stream())
                .anyMatch(c -> c instanceof Status s && s.code() == 424)).isTrue();
        Job done = registry.job(job.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(JobState.FAILED);
        assertThat(done.result(0).orElseThrow().status()).isEqualTo(424);
        assertThat(done.result(0).orElseThrow().items()).isEmpty();
    }

    @Test
    void generic_alerts_are_recorded_with_normalised_types() {
        DeviceSim d = device(false, "IMEI:24");
        SyncMessage.Builder b = SyncMessage.builder(d.header(true).build());
        b.add(Alert.of(b.nextCmdId(), AlertCodes.CLIENT_INITIATED_MGMT));
        b.add(new Alert(b.nextCmdId(), false, null, AlertCodes.GENERIC_ALERT, "corr-1",
                List.of(new Item(null, Location.of("./FUMO/x"),
                        Meta.builder().type("Reversed-Domain-Name: org.openmobilealliance.dm.firmwareupdate.download")
                                .format("int").mark("critical").build(),
                        Data.text("200"), false))));
        SyncMessage r = d.send(b.build());
        assertThat(statusFor(r, "2").code()).isEqualTo(200);
        List<DeviceAlert> alerts = registry.alerts("IMEI:24", 10);
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo("org.openmobilealliance.dm.firmwareupdate.download");
            assertThat(a.mark()).isEqualTo("critical");
            assertThat(a.source()).isEqualTo("./FUMO/x");
            assertThat(a.correlator()).isEqualTo("corr-1");
            assertThat(a.data()).isEqualTo("200");
            assertThat(a.code()).isEqualTo(1226);
        });
    }

    @Test
    void alerts_from_an_unauthenticated_device_are_not_recorded() {
        DeviceSim d = device(false, "IMEI:25");
        d.password = "bad";
        SyncMessage.Builder b = SyncMessage.builder(d.header(true).build());
        b.add(Alert.of(b.nextCmdId(), AlertCodes.CLIENT_INITIATED_MGMT));
        b.add(Alert.of(b.nextCmdId(), AlertCodes.GENERIC_ALERT, Item.data(Data.text("x"))));
        SyncMessage r = d.send(b.build());
        assertThat(statusFor(r, "2").code()).isEqualTo(401);
        assertThat(registry.alerts("IMEI:25", 10)).isEmpty();
    }

    @Test
    void session_abort_interrupts_the_sent_job_and_ends_the_session() {
        DeviceSim d = device(false, "IMEI:26");
        Job job = registry.submit("IMEI:26", null,
                List.of(Operation.get("./DevInfo/Man"), Operation.get("./DevInfo/Mod")));
        SyncMessage pkg2 = d.send(d.pkg1(true));
        assertThat(DeviceSim.managementCommands(pkg2)).hasSize(2);
        SyncMessage.Builder b = SyncMessage.builder(d.header(false).build());
        b.add(Status.builder().cmdId(b.nextCmdId()).msgRef(pkg2.header().msgId()).answeringHeader().code(212).build());
        b.add(Status.of(b.nextCmdId(), pkg2.header().msgId(), DeviceSim.managementCommands(pkg2).get(0), 200));
        b.add(Alert.of(b.nextCmdId(), AlertCodes.SESSION_ABORT));
        SyncMessage r = d.send(b.build());
        assertThat(r.isFinal()).isTrue();
        assertThat(DeviceSim.managementCommands(r)).isEmpty();
        assertThat(engine.sessions()).isEmpty();
        Job j = registry.job(job.id()).orElseThrow();
        assertThat(j.state()).isEqualTo(JobState.INTERRUPTED);
        assertThat(j.results()).singleElement().satisfies(x -> assertThat(x.status()).isEqualTo(200));
    }

    @Test
    void the_server_resends_its_commands_when_the_device_refuses_its_credentials() {
        DeviceSim d = device(false, "IMEI:27");
        d.serverRejectionsToSend = 1;
        Job job = registry.submit("IMEI:27", null, List.of(Operation.replace("./DevInfo/Lang", "fr", "chr")));
        d.runSession();
        assertThat(d.tree).containsEntry("./DevInfo/Lang", "fr");
        Job done = registry.job(job.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.results()).hasSize(1);
        // the nonce the device gave the server is kept for the next session
        assertThat(store.device("IMEI:27").orElseThrow().serverNonce()).isEqualTo(d.serverNonce);
    }

    @Test
    void the_server_gives_up_when_the_device_keeps_refusing_its_credentials() {
        DeviceSim d = device(false, "IMEI:28");
        d.serverPassword = "not-the-one-the-server-has";
        Job job = registry.submit("IMEI:28", null, List.of(Operation.delete("./DevInfo/Lang")));
        List<SyncMessage> msgs = d.runSession();
        SyncMessage last = msgs.get(msgs.size() - 1);
        assertThat(DeviceSim.managementCommands(last)).singleElement()
                .satisfies(c -> assertThat(((Alert) c).code()).isEqualTo(AlertCodes.SESSION_ABORT));
        assertThat(d.tree).containsKey("./DevInfo/Lang");
        assertThat(registry.job(job.id()).orElseThrow().state()).isEqualTo(JobState.INTERRUPTED);
        assertThat(engine.sessions()).isEmpty();
    }

    @Test
    void basic_authentication_works_and_a_wrong_password_is_refused() {
        DeviceSim d = device(false, "IMEI:29", org.cardinaldm.server.api.AuthScheme.BASIC);
        SyncMessage r = d.send(d.pkg1(true));
        assertThat(DeviceSim.headerStatus(r).code()).isEqualTo(212);
        assertThat(DeviceSim.headerStatus(r).chal()).isNull();
        DeviceSim e = device(false, "IMEI:30", org.cardinaldm.server.api.AuthScheme.BASIC);
        e.password = "nope";
        assertThat(DeviceSim.headerStatus(e.send(e.pkg1(true))).code()).isEqualTo(401);
        DeviceSim f = device(false, "IMEI:31", org.cardinaldm.server.api.AuthScheme.MD5);
        f.scheme = org.cardinaldm.server.api.AuthScheme.BASIC; // right password, wrong scheme
        assertThat(DeviceSim.headerStatus(f.send(f.pkg1(true))).code()).isEqualTo(401);
    }

    @Test
    void hmac_authenticates_every_message_with_a_new_nonce_and_signs_the_answers() {
        DeviceSim d = device(true, "IMEI:32", org.cardinaldm.server.api.AuthScheme.HMAC);
        d.checkServer = false;
        Job job = registry.submit("IMEI:32", null, List.of(Operation.get("./DevInfo/Mod")));
        SyncMessage pkg2 = d.send(d.pkg1(false));
        Status hdr = DeviceSim.headerStatus(pkg2);
        assertThat(hdr.code()).isEqualTo(200);
        String firstNonce = hdr.chal().meta().nextNonce();
        assertThat(hdr.chal().meta().type()).isEqualTo("syncml:auth-MAC");
        org.cardinaldm.syncml.api.auth.HmacHeader mac;
        try {
            mac = org.cardinaldm.syncml.api.auth.HmacHeader.parse(d.lastOut.hmacHeader());
        } catch (org.cardinaldm.syncml.api.CodecException ex) {
            throw new AssertionError(ex);
        }
        assertThat(mac.username()).isEqualTo("cardinal");
        assertThat(mac.verify("srv-IMEI:32", Secrets.decodeNonce(Secrets.RESYNC_NONCE), d.lastOut.body())).isTrue();

        SyncMessage pkg4 = d.send(d.answer(pkg2));
        assertThat(DeviceSim.headerStatus(pkg4).code()).isEqualTo(200);
        assertThat(DeviceSim.headerStatus(pkg4).chal().meta().nextNonce()).isNotEqualTo(firstNonce);
        assertThat(registry.job(job.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);

        // a message without the header in an HMAC session is refused
        DeviceSim e = device(false, "IMEI:33", org.cardinaldm.server.api.AuthScheme.HMAC);
        e.scheme = org.cardinaldm.server.api.AuthScheme.MD5;
        e.clientNonce = store.device("IMEI:33").orElseThrow().clientNonce();
        assertThat(DeviceSim.headerStatus(e.send(e.pkg1(true))).code()).isEqualTo(401);
    }

    @Test
    void a_tampered_hmac_message_is_refused() {
        DeviceSim d = device(false, "IMEI:34", org.cardinaldm.server.api.AuthScheme.HMAC);
        d.password = "other";
        assertThat(DeviceSim.headerStatus(d.send(d.pkg1(false))).code()).isEqualTo(401);
    }

    @Test
    void idle_sessions_expire_sent_jobs_are_interrupted_and_unsent_ones_go_back_to_pending() {
        config = ServerConfig.DEFAULT.withMaxMessageBytes(ServerConfig.DEFAULT.maxMessageBytes());
        DeviceSim d = device(false, "IMEI:35");
        d.maxMsgSize = 1800;
        List<Operation> many = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            many.add(Operation.get("./DevInfo/Man"));
        }
        Job sent = registry.submit("IMEI:35", null, List.of(Operation.get("./DevInfo/Man")));
        Job big = registry.submit("IMEI:35", null, many);
        SyncMessage pkg2 = d.send(d.pkg1(true));
        assertThat(pkg2.isFinal()).isFalse();
        assertThat(engine.sessions()).hasSize(1);
        clock.advance(Duration.ofMinutes(6));
        assertThat(engine.expireIdle()).isEqualTo(1);
        assertThat(engine.sessions()).isEmpty();
        assertThat(registry.job(sent.id()).orElseThrow().state()).isEqualTo(JobState.INTERRUPTED);
        assertThat(registry.job(big.id()).orElseThrow().state()).isIn(JobState.INTERRUPTED, JobState.PENDING);
    }

    @Test
    void a_job_that_was_not_sent_goes_back_to_pending_and_is_sent_next_time() {
        DeviceSim d = device(false, "IMEI:36");
        d.send(d.pkg1(true));
        assertThat(engine.sessions()).isEmpty(); // no job: the session completed at once
        Job job = registry.submit("IMEI:36", null, List.of(Operation.get("./DevInfo/Man")));
        d.sessionId = "2";
        d.nextMsgId = 1;
        d.token = null;
        d.runSession();
        assertThat(registry.job(job.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void cancelled_jobs_are_never_sent() {
        DeviceSim d = device(false, "IMEI:37");
        Job job = registry.submit("IMEI:37", null, List.of(Operation.delete("./DevInfo/Man")));
        assertThat(registry.cancel(job.id())).isTrue();
        assertThat(registry.cancel(job.id())).isFalse();
        d.runSession();
        assertThat(d.tree).containsKey("./DevInfo/Man");
        assertThat(registry.job(job.id()).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void too_many_sessions_are_refused_with_503() {
        config = ServerConfig.DEFAULT.withMaxSessions(1);
        rebuild();
        DeviceSim a = device(false, "IMEI:38");
        DeviceSim b = device(false, "IMEI:39");
        registry.submit("IMEI:38", null, List.of(Operation.get("./DevInfo/Man")));
        a.send(a.pkg1(true));
        assertThat(engine.sessions()).hasSize(1);
        b.send(b.pkg1(true));
        assertThat(b.lastOut.transportStatus()).isEqualTo(503);
    }

    @Test
    void a_device_that_restarts_with_the_same_session_id_gets_a_fresh_session() {
        DeviceSim d = device(false, "IMEI:40");
        Job job = registry.submit("IMEI:40", null, List.of(Operation.get("./DevInfo/Man")));
        d.send(d.pkg1(true));
        d.nextMsgId = 1;
        d.token = null;
        d.runSession();
        assertThat(registry.job(job.id()).orElseThrow().state()).isEqualTo(JobState.INTERRUPTED);
        assertThat(engine.sessions()).isEmpty();
    }
}
