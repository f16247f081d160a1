package org.cardinaldm.fumo.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.cardinaldm.fumo.server.api.Campaign;
import org.cardinaldm.fumo.server.api.CampaignDevice;
import org.cardinaldm.fumo.server.api.CampaignProgress;
import org.cardinaldm.fumo.server.api.CampaignSpec;
import org.cardinaldm.fumo.server.api.CampaignState;
import org.cardinaldm.fumo.server.api.DeviceFilter;
import org.cardinaldm.fumo.server.api.DeviceUpdateState;
import org.cardinaldm.fumo.server.api.MaintenanceWindow;
import org.cardinaldm.fumo.server.api.WaveSize;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CampaignEngineTest {
    private final Rig rig = new Rig().devices(10);
    private final CampaignEngine engine = rig.engine();

    private static CampaignSpec spec(String waves, int success, int error) {
        return new CampaignSpec("roll-out", "fw-2.bin", DeviceFilter.all(), WaveSize.parseList(waves), success, error,
                null, null, false, null);
    }

    private DeviceUpdateState state(long id, String device) {
        return engine.devices(id, Set.of(), 10_000).stream().filter(d -> d.deviceId().equals(device)).findFirst()
                .orElseThrow().state();
    }

    private CampaignDevice row(long id, String device) {
        return engine.devices(id, Set.of(), 10_000).stream().filter(d -> d.deviceId().equals(device)).findFirst()
                .orElseThrow();
    }

    @Test
    void create_splits_the_devices_into_waves_by_count_and_percentage_in_devid_order() {
        Campaign c = engine.create(spec("1,30%", 100, 100));

        assertThat(c.state()).isEqualTo(CampaignState.CREATED);
        assertThat(c.waveSizes()).containsExactly(1, 3, 6);
        assertThat(c.currentWave()).isEqualTo(-1);
        assertThat(row(c.id(), "IMEI:000").wave()).isZero();
        assertThat(row(c.id(), "IMEI:003").wave()).isEqualTo(1);
        assertThat(row(c.id(), "IMEI:009").wave()).isEqualTo(2);
        assertThat(c.pkg().url()).isEqualTo("https://dm.example.com:8443/packages/fw-2.bin");
        assertThat(c.pkg().securityCounter()).isEqualTo(5L);
        assertThat(rig.jobs.submitted).as("nothing is sent before the start").isZero();
    }

    @Test
    void create_refuses_an_unknown_package_an_application_package_and_an_empty_selection() {
        assertThatThrownBy(() -> engine.create(CampaignSpec.simple("x", "nope.bin", DeviceFilter.all())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no published package nope.bin");
        assertThatThrownBy(() -> engine.create(CampaignSpec.simple("x", "app.jar", DeviceFilter.all())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not firmware");
        DeviceFilter none = new DeviceFilter(null, "GW-9", null, null, Set.of(), Set.of());
        assertThatThrownBy(() -> engine.create(CampaignSpec.simple("x", "fw-2.bin", none)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no registered device matches");
        assertThat(engine.campaigns()).isEmpty();
    }

    @Test
    void filter_selects_by_model_card_tags_firmware_version_and_ids() {
        rig.devices.add(Fakes.device("IMEI:900", "GW-2", null, null));
        engine.add("IMEI:001", List.of("pilot", "eu"));
        engine.add("IMEI:002", List.of("pilot"));
        rig.helpDesk.fwv.put("IMEI:002", "1.0");
        rig.helpDesk.fwv.put("IMEI:001", "1.1");

        assertThat(engine.preview(new DeviceFilter(null, "GW-2", null, null, Set.of(), Set.of()), 100))
                .containsExactly("IMEI:900");
        assertThat(engine.preview(new DeviceFilter(null, null, null, false, Set.of(), Set.of()), 100))
                .containsExactly("IMEI:900");
        assertThat(engine.preview(new DeviceFilter(null, null, null, true, Set.of("pilot"), Set.of()), 100))
                .containsExactly("IMEI:001", "IMEI:002");
        assertThat(engine.preview(new DeviceFilter(null, null, null, null, Set.of("pilot", "eu"), Set.of()), 100))
                .containsExactly("IMEI:001");
        assertThat(engine.preview(new DeviceFilter(null, null, "1.0", null, Set.of(), Set.of()), 100))
                .containsExactly("IMEI:002");
        assertThat(engine.preview(new DeviceFilter("Cardinal", null, null, null, Set.of(),
                Set.of("IMEI:005", "IMEI:900", "IMEI:404")), 100)).containsExactly("IMEI:005", "IMEI:900");
        assertThat(engine.preview(DeviceFilter.all(), 3)).hasSize(3);
    }

    @Test
    void tags_are_checked_bounded_and_only_for_registered_devices() {
        assertThat(engine.add("IMEI:001", List.of("b", "a"))).containsExactly("a", "b");
        assertThat(engine.remove("IMEI:001", List.of("a"))).containsExactly("b");
        assertThat(engine.devicesWith("b")).containsExactly("IMEI:001");
        assertThatThrownBy(() -> engine.add("IMEI:404", List.of("a"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no device IMEI:404");
        assertThatThrownBy(() -> engine.add("IMEI:001", List.of("bad tag"))).isInstanceOf(IllegalArgumentException.class);
        List<String> many = java.util.stream.IntStream.range(0, 33).mapToObj(i -> "t" + i).toList();
        assertThatThrownBy(() -> engine.add("IMEI:001", many)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 32");
        assertThat(engine.tags("IMEI:001")).containsExactly("b");
    }

    @Test
    void a_card_counter_above_the_package_counter_is_refused_before_anything_is_sent() {
        rig.helpDesk.counter.put("IMEI:003", "7");
        rig.helpDesk.counter.put("IMEI:004", "5");
        Campaign c = engine.create(spec("", 100, 100));

        assertThat(row(c.id(), "IMEI:003").state()).isEqualTo(DeviceUpdateState.ROLLBACK_REFUSED);
        assertThat(row(c.id(), "IMEI:003").detail()).contains("counter 7 is above the package's security counter 5");
        assertThat(state(c.id(), "IMEI:004")).as("equal counters are no rollback").isEqualTo(DeviceUpdateState.QUEUED);

        rig.helpDesk.counter.put("IMEI:005", "6"); // learnt after the creation: checked again at the start
        engine.start(c.id());
        engine.advance();

        assertThat(state(c.id(), "IMEI:005")).isEqualTo(DeviceUpdateState.ROLLBACK_REFUSED);
        assertThat(rig.jobs.jobs.values()).extracting(Job::deviceId).doesNotContain("IMEI:003", "IMEI:005")
                .hasSize(8);
    }

    @Test
    void each_device_gets_the_fumo_job_and_a_notification() {
        Campaign c = engine.create(spec("", 100, 100));
        engine.start(c.id());
        engine.advance();

        Job job = rig.jobs.of("IMEI:000");
        assertThat(job.description()).isEqualTo("fumo campaign " + c.id());
        assertThat(job.operations()).extracting(Operation::kind).containsExactly(OperationKind.REPLACE,
                OperationKind.REPLACE, OperationKind.REPLACE, OperationKind.EXEC, OperationKind.GET);
        assertThat(job.operations()).extracting(Operation::target).containsExactly("./FUMO/Gateway/PkgName",
                "./FUMO/Gateway/PkgVersion", "./FUMO/Gateway/DownloadAndUpdate/PkgURL",
                "./FUMO/Gateway/DownloadAndUpdate", "./FUMO/Gateway/State");
        assertThat(job.operations()).extracting(Operation::data).startsWith("gateway-fw", "2.0",
                "https://dm.example.com:8443/packages/fw-2.bin");
        assertThat(state(c.id(), "IMEI:000")).isEqualTo(DeviceUpdateState.NOTIFIED);
        assertThat(rig.notified).hasSize(10);
    }

    @Test
    void consent_puts_the_job_in_a_sequence_after_a_confirmation_and_a_refusal_fails_the_device() {
        CampaignSpec s = new CampaignSpec("c", "fw-2.bin", DeviceFilter.all(), List.of(), 100, 100, null, "Modem",
                true, null);
        Campaign c = engine.create(s);
        engine.start(c.id());
        engine.advance();

        Job job = rig.jobs.of("IMEI:001");
        assertThat(job.operations()).hasSize(1);
        Operation seq = job.operations().get(0);
        assertThat(seq.kind()).isEqualTo(OperationKind.SEQUENCE);
        assertThat(seq.children().get(0).userAlert().orElseThrow().text()).contains("gateway-fw 2.0");
        assertThat(seq.children().get(4).target()).isEqualTo("./FUMO/Modem/DownloadAndUpdate");

        rig.jobs.refuse("IMEI:001", OperationKind.ALERT, 304);
        engine.advance();
        CampaignDevice d = row(c.id(), "IMEI:001");
        assertThat(d.state()).isEqualTo(DeviceUpdateState.FAILED);
        assertThat(d.detail()).contains("refused");
    }

    @Test
    void accepted_devices_are_downloading_when_state_30_was_reported_else_updating() {
        Campaign c = engine.create(spec("", 100, 100));
        engine.start(c.id());
        engine.advance();
        rig.jobs.accept("IMEI:000", "30");
        rig.jobs.accept("IMEI:001", "60");
        rig.jobs.accept("IMEI:002", null);
        engine.advance();

        assertThat(state(c.id(), "IMEI:000")).isEqualTo(DeviceUpdateState.DOWNLOADING);
        assertThat(state(c.id(), "IMEI:001")).isEqualTo(DeviceUpdateState.UPDATING);
        assertThat(state(c.id(), "IMEI:002")).isEqualTo(DeviceUpdateState.UPDATING);
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 250, 299})
    void a_success_code_in_the_1226_makes_the_device_succeeded(int code) {
        Campaign c = engine.create(spec("", 100, 100));
        engine.start(c.id());
        engine.advance();
        rig.jobs.accept("IMEI:000", "30");
        rig.jobs.report("IMEI:000", code);
        engine.advance();

        CampaignDevice d = row(c.id(), "IMEI:000");
        assertThat(d.state()).isEqualTo(DeviceUpdateState.SUCCEEDED);
        assertThat(d.resultCode()).isEqualTo(code);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 450, 500, 501, 502, 503, 550})
    void a_failure_code_in_the_1226_makes_the_device_failed_with_that_code(int code) {
        Campaign c = engine.create(spec("", 100, 100));
        engine.start(c.id());
        engine.advance();
        rig.jobs.accept("IMEI:000", "30");
        rig.jobs.report("IMEI:000", code);
        engine.advance();

        CampaignDevice d = row(c.id(), "IMEI:000");
        assertThat(d.state()).isEqualTo(DeviceUpdateState.FAILED);
        assertThat(d.resultCode()).isEqualTo(code);
        assertThat(d.stateText()).isEqualTo("failed " + code);
    }

    @Test
    void a_refused_command_an_interrupted_session_and_a_removed_job_fail_the_device() {
        Campaign c = engine.create(spec("", 100, 100));
        engine.start(c.id());
        engine.advance();
        rig.jobs.refuse("IMEI:000", OperationKind.EXEC, 405);
        rig.jobs.state("IMEI:001", JobState.INTERRUPTED);
        rig.jobs.jobs.remove(rig.jobs.of("IMEI:002").id());
        engine.advance();

        assertThat(row(c.id(), "IMEI:000").resultCode()).isEqualTo(405);
        assertThat(row(c.id(), "IMEI:000").detail()).contains("status 405 to EXEC ./FUMO/Gateway/DownloadAndUpdate");
        assertThat(row(c.id(), "IMEI:001").detail()).contains("session ended");
        assertThat(row(c.id(), "IMEI:002").detail()).contains("was removed");
    }

    @Test
    void the_next_wave_starts_only_when_the_success_threshold_is_reached() {
        Campaign c = engine.create(spec("2,4", 50, 100)); // waves 2, 4, 4
        engine.start(c.id());
        engine.advance();
        assertThat(rig.jobs.submitted).isEqualTo(2);

        engine.advance();
        assertThat(rig.jobs.submitted).as("0 % succeeded: the wave waits").isEqualTo(2);

        rig.jobs.accept("IMEI:000", null);
        rig.jobs.report("IMEI:000", 200);
        engine.advance(); // follows: 1 of 2 = 50 % -> wave 2
        engine.advance(); // starts wave 2
        assertThat(engine.campaign(c.id()).orElseThrow().currentWave()).isEqualTo(1);
        assertThat(rig.jobs.submitted).isEqualTo(6);
        assertThat(state(c.id(), "IMEI:006")).isEqualTo(DeviceUpdateState.QUEUED);

        CampaignProgress p = engine.progress(c.id());
        assertThat(p.waves()).hasSize(3);
        assertThat(p.waves().get(0).succeededPercent()).isEqualTo(50.0);
        assertThat(p.total().count(DeviceUpdateState.QUEUED)).isEqualTo(4);
        assertThat(p.total().count(DeviceUpdateState.NOTIFIED)).isEqualTo(5);
        assertThat(p.total().finishedPercent()).isEqualTo(10.0);
    }

    @Test
    void the_error_threshold_pauses_the_campaign_and_resuming_accepts_those_failures() {
        Campaign c = engine.create(spec("4", 100, 25)); // waves 4, 6
        engine.start(c.id());
        engine.advance();
        rig.jobs.accept("IMEI:000", null);
        rig.jobs.report("IMEI:000", 410);
        engine.advance();
        assertThat(engine.campaign(c.id()).orElseThrow().state()).as("1 of 4 = 25 %: not above").isEqualTo(
                CampaignState.RUNNING);

        rig.jobs.refuse("IMEI:001", OperationKind.REPLACE, 404);
        engine.advance();
        Campaign paused = engine.campaign(c.id()).orElseThrow();
        assertThat(paused.state()).isEqualTo(CampaignState.PAUSED);
        assertThat(paused.reason()).startsWith("error threshold: 2 of 4 devices of wave 1 failed");

        for (String d : List.of("IMEI:002", "IMEI:003")) {
            rig.jobs.accept(d, null);
            rig.jobs.report(d, 200);
        }
        engine.advance();
        assertThat(rig.jobs.submitted).as("paused: no wave 2").isEqualTo(4);
        assertThat(state(c.id(), "IMEI:002")).as("started devices are still followed")
                .isEqualTo(DeviceUpdateState.SUCCEEDED);

        engine.resume(c.id());
        engine.advance();
        assertThat(engine.campaign(c.id()).orElseThrow().state()).isEqualTo(CampaignState.RUNNING);
        assertThat(engine.campaign(c.id()).orElseThrow().errorsAcceptedWave()).isZero();
    }

    @Test
    void a_successful_campaign_finishes_with_its_counts() {
        rig.helpDesk.counter.put("IMEI:009", "9");
        Campaign c = engine.create(spec("5", 100, 100));
        engine.start(c.id());
        for (int round = 0; round < 4; round++) {
            engine.advance();
            for (Job j : List.copyOf(rig.jobs.jobs.values())) {
                if (j.state() == JobState.PENDING) {
                    rig.jobs.accept(j.deviceId(), "30");
                    rig.jobs.report(j.deviceId(), 200);
                }
            }
        }
        Campaign done = engine.campaign(c.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(CampaignState.FINISHED);
        assertThat(done.reason()).isEqualTo("9 succeeded, 0 failed, 1 rollback refused, 0 cancelled");
        assertThat(engine.progress(c.id()).total().finishedPercent()).isEqualTo(100.0);
        assertThatThrownBy(() -> engine.cancel(c.id())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_device_that_succeeded_is_known_with_the_new_version_and_counter() {
        Campaign c = engine.create(spec("", 100, 100));
        engine.start(c.id());
        engine.advance();
        rig.jobs.accept("IMEI:000", null);
        rig.jobs.report("IMEI:000", 200);
        engine.advance();

        assertThat(engine.preview(new DeviceFilter(null, null, "2.0", null, Set.of(), Set.of()), 10))
                .containsExactly("IMEI:000");
        rig.catalog.add("fw-1.bin", org.cardinaldm.pkg.trust.api.PackageKind.FIRMWARE, "1.0", 3L);
        Campaign downgrade = engine.create(CampaignSpec.simple("down", "fw-1.bin", DeviceFilter.all()));
        assertThat(row(downgrade.id(), "IMEI:000").state()).isEqualTo(DeviceUpdateState.ROLLBACK_REFUSED);
        assertThat(row(downgrade.id(), "IMEI:001").state()).isEqualTo(DeviceUpdateState.QUEUED);
    }

    @Test
    void pause_stops_new_starts_and_resume_goes_on() {
        Campaign c = engine.create(spec("", 100, 100));
        engine.start(c.id());
        engine.pause(c.id());
        engine.advance();
        assertThat(rig.jobs.submitted).isZero();
        assertThat(engine.campaign(c.id()).orElseThrow().reason()).isEqualTo("paused by an operator");

        engine.resume(c.id());
        engine.advance();
        assertThat(rig.jobs.submitted).isEqualTo(10);
    }

    @Test
    void actions_in_the_wrong_state_are_refused_with_a_sentence() {
        Campaign c = engine.create(spec("", 100, 100));
        assertThatThrownBy(() -> engine.pause(c.id())).isInstanceOf(IllegalStateException.class)
                .hasMessage("campaign " + c.id() + " is created: only a running campaign can be paused");
        assertThatThrownBy(() -> engine.resume(c.id())).isInstanceOf(IllegalStateException.class);
        engine.start(c.id());
        assertThatThrownBy(() -> engine.start(c.id())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> engine.start(999)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no campaign 999");
        assertThatThrownBy(() -> engine.devices(c.id(), Set.of(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cancel_drops_queued_devices_and_unsent_jobs_and_keeps_following_updating_devices() {
        Campaign c = engine.create(spec("3", 0, 100)); // waves 3, 3, 3, 1 ... success threshold 0
        engine.start(c.id());
        engine.advance();
        rig.jobs.accept("IMEI:000", null);
        engine.advance();
        assertThat(state(c.id(), "IMEI:000")).isEqualTo(DeviceUpdateState.UPDATING);

        Campaign cancelled = engine.cancel(c.id());
        assertThat(cancelled.state()).isEqualTo(CampaignState.CANCELLED);
        assertThat(state(c.id(), "IMEI:001")).as("pending job cancelled").isEqualTo(DeviceUpdateState.CANCELLED);
        assertThat(rig.jobs.of("IMEI:001").state()).isEqualTo(JobState.CANCELLED);
        assertThat(state(c.id(), "IMEI:009")).isEqualTo(DeviceUpdateState.CANCELLED);

        rig.jobs.report("IMEI:000", 200);
        engine.advance();
        assertThat(state(c.id(), "IMEI:000")).isEqualTo(DeviceUpdateState.SUCCEEDED);
        int before = rig.jobs.submitted;
        engine.advance();
        assertThat(rig.jobs.submitted).isEqualTo(before);
    }

    @Test
    void no_device_starts_outside_the_maintenance_window() {
        // 2026-12-07 is a Monday; the rig's clock is 10:00 UTC
        MaintenanceWindow night = new MaintenanceWindow(EnumSet.of(DayOfWeek.MONDAY), LocalTime.of(22, 0),
                LocalTime.of(5, 0), ZoneOffset.UTC);
        Campaign c = engine.create(new CampaignSpec("night", "fw-2.bin", DeviceFilter.all(), List.of(), 100, 100, night,
                null, false, null));
        engine.start(c.id());
        engine.advance();
        assertThat(rig.jobs.submitted).isZero();

        rig.clock.advance(Duration.ofHours(12)); // 22:00
        engine.advance();
        assertThat(rig.jobs.submitted).isEqualTo(10);
    }

    @Test
    void a_round_starts_at_most_the_batch_per_campaign() {
        CampaignEngine small = rig.engine("node-a", 4);
        Campaign c = small.create(spec("", 100, 100));
        small.start(c.id());
        small.advance();
        assertThat(rig.jobs.submitted).isEqualTo(4);
        small.advance();
        assertThat(rig.jobs.submitted).isEqualTo(8);
    }

    @Test
    void a_device_left_starting_by_a_stopped_node_is_recovered_without_a_second_job() {
        Campaign c = engine.create(spec("", 100, 100));
        engine.start(c.id());
        // node b claimed two devices and stopped: one after submitting its job, one before
        List<CampaignDevice> claimed = rig.store.claimQueued(c.id(), 0, "node-b", 2, rig.clock.instant());
        rig.jobs.submit(claimed.get(0).deviceId(), "fumo campaign " + c.id(), List.of(Operation.get("./X")));
        rig.clock.advance(Duration.ofMinutes(6));
        engine.advance();
        engine.advance();

        assertThat(rig.jobs.jobs.values()).filteredOn(j -> j.deviceId().equals(claimed.get(0).deviceId())).hasSize(1);
        assertThat(rig.jobs.jobs.values()).filteredOn(j -> j.deviceId().equals(claimed.get(1).deviceId())).hasSize(1);
        assertThat(engine.devices(c.id(), Set.of(DeviceUpdateState.STARTING), 100)).isEmpty();
    }

    @Test
    void two_engines_on_one_store_never_start_a_device_twice() throws Exception {
        Rig many = new Rig().devices(200);
        CampaignEngine a = many.engine("node-a", 7);
        CampaignEngine b = many.engine("node-b", 7);
        Campaign c = a.create(spec("", 100, 100));
        b.start(c.id());
        Thread other = new Thread(() -> {
            for (int i = 0; i < 40; i++) {
                b.advance();
            }
        });
        other.start();
        for (int i = 0; i < 40; i++) {
            a.advance();
        }
        other.join();

        assertThat(many.jobs.submitted).isEqualTo(200);
        assertThat(many.jobs.jobs.values().stream().map(Job::deviceId).distinct().count()).isEqualTo(200);
        assertThat(a.devices(c.id(), Set.of(), 1000)).extracting(CampaignDevice::owner)
                .containsOnly("node-a", "node-b");
    }

    @Test
    void two_engines_running_rounds_at_once_start_each_wave_once_and_never_ahead_of_the_current_one()
            throws Exception {
        Rig many = new Rig().devices(30);
        CampaignEngine a = many.engine("node-a", 4);
        CampaignEngine b = many.engine("node-b", 4);
        Campaign c = a.create(spec("10,10,10", 100, 100));
        b.start(c.id());
        java.util.Set<String> answered = new java.util.HashSet<>();
        for (int round = 0; round < 30; round++) {
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
            Thread other = new Thread(() -> {
                try {
                    together.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                b.advance();
            });
            other.start();
            together.await();
            a.advance();
            other.join();
            Campaign now = a.campaign(c.id()).orElseThrow();
            for (CampaignDevice d : a.devices(c.id(), Set.of(), 100)) {
                if (d.state() != DeviceUpdateState.QUEUED) {
                    assertThat(d.wave()).as("started in round " + round).isLessThanOrEqualTo(now.currentWave());
                }
            }
            assertThat(many.jobs.jobs.values().stream().map(Job::deviceId).distinct().count())
                    .isEqualTo(many.jobs.submitted);
            for (Job j : List.copyOf(many.jobs.jobs.values())) {
                if (answered.add(j.deviceId())) {
                    many.jobs.accept(j.deviceId(), null);
                    many.jobs.report(j.deviceId(), 200);
                }
            }
        }
        Campaign end = a.campaign(c.id()).orElseThrow();
        assertThat(end.state()).isEqualTo(CampaignState.FINISHED);
        assertThat(end.currentWave()).isEqualTo(2);
        assertThat(end.version()).as("created, started, two waves, finished: each change made once")
                .isEqualTo(c.version() + 4);
        assertThat(many.jobs.submitted).isEqualTo(30);
    }

    @Test
    void a_job_of_another_device_never_moves_a_device_of_the_campaign() {
        Campaign c = engine.create(spec("", 100, 100));
        engine.start(c.id());
        engine.advance();
        CampaignDevice d = row(c.id(), "IMEI:000");
        rig.jobs.accept("IMEI:001", null);
        rig.jobs.report("IMEI:001", 200);
        Job foreign = rig.jobs.of("IMEI:001");
        // a row pointing at another device's job (a forged or corrupted reference) is never a success
        CampaignDevice forged = d.with(DeviceUpdateState.NOTIFIED, foreign.id(), null, null, rig.clock.instant());
        CampaignDevice next = JobTracker.follow(forged, java.util.Optional.of(foreign), "./FUMO/Gateway/State",
                rig.clock.instant());
        assertThat(next.state()).isEqualTo(DeviceUpdateState.FAILED);
        assertThat(next.detail()).contains("belongs to another device");
    }
}
