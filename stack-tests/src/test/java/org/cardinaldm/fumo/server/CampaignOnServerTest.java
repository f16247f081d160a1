package org.cardinaldm.fumo.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.cardinaldm.fumo.server.api.Campaign;
import org.cardinaldm.fumo.server.api.CampaignDevice;
import org.cardinaldm.fumo.server.api.CampaignSpec;
import org.cardinaldm.fumo.server.api.CampaignState;
import org.cardinaldm.fumo.server.api.DeviceFilter;
import org.cardinaldm.fumo.server.api.DeviceUpdateState;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Firmware campaigns on the real DM server (issue 14, server side): devices speak SyncML to the session engine,
 * the registry and the campaigns live in an H2 file database, and the campaign engine follows the jobs the server
 * recorded. A Generic Alert 1226 carrying another device's Correlator moves nothing; a 410 fails only its own
 * device and the error threshold pauses the campaign; a campaign goes on after the server restarts (a device a
 * stopped node left {@code starting} is recovered without a second job); State 30 reads as {@code downloading}.
 */
class CampaignOnServerTest {
    /** The description fumo-server gives its jobs (FumoJobs.description): how a restarted node finds them. */
    private static final String JOB_DESCRIPTION = "fumo campaign ";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    private CampaignServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Map<String, CampaignDevice> rows(long campaignId) {
        Map<String, CampaignDevice> m = new TreeMap<>();
        for (CampaignDevice d : server.fumo.devices(campaignId, Set.of(), 100)) {
            m.put(d.deviceId(), d);
        }
        return m;
    }

    private Campaign campaign(long id) {
        return server.fumo.campaign(id).orElseThrow();
    }

    private static CampaignSpec spec(int errorThreshold) {
        return new CampaignSpec("gw 2.0.0", CampaignServer.PACKAGE, DeviceFilter.all(), List.of(), 100, errorThreshold,
                null, null, false, null);
    }

    @Test
    void a_1226_with_another_devices_correlator_moves_neither_device_and_state_30_is_downloading() {
        server = new CampaignServer(dir, clock);
        FumoDeviceSim a = server.device("IMEI:001");
        FumoDeviceSim b = server.device("IMEI:002");
        a.tree.put("./FUMO/Gateway/State", "30");
        b.tree.put("./FUMO/Gateway/State", "60");
        Campaign c = server.fumo.create(spec(100));
        server.fumo.start(c.id());
        assertThat(server.fumo.advance()).isEqualTo(2);
        assertThat(rows(c.id()).values()).extracting(CampaignDevice::state)
                .containsOnly(DeviceUpdateState.NOTIFIED);

        a.session();
        b.session();
        assertThat(a.replaced).contains("./FUMO/Gateway/PkgName", "./FUMO/Gateway/PkgVersion",
                "./FUMO/Gateway/DownloadAndUpdate/PkgURL");
        assertThat(a.tree.get("./FUMO/Gateway/DownloadAndUpdate/PkgURL"))
                .isEqualTo("https://dm.example.com:8443/packages/fw-2.bin");
        server.fumo.advance();
        CampaignDevice rowA = rows(c.id()).get("IMEI:001");
        assertThat(rowA.state()).isEqualTo(DeviceUpdateState.DOWNLOADING);
        assertThat(rowA.detail()).isEqualTo("FUMO State 30");
        assertThat(rows(c.id()).get("IMEI:002").state()).isEqualTo(DeviceUpdateState.UPDATING);
        assertThat(a.correlator()).isNotEqualTo(b.correlator());

        // B reports a failure with A's correlator: the server links it to nothing of A's
        b.report(a.correlator(), 410);
        assertThat(server.fumo.advance()).isZero();
        Map<String, CampaignDevice> after = rows(c.id());
        assertThat(after.get("IMEI:001")).isEqualTo(rowA);
        assertThat(after.get("IMEI:002").state()).isEqualTo(DeviceUpdateState.UPDATING);
        assertThat(server.registry.job(rowA.jobId()).orElseThrow().state()).isEqualTo(JobState.ACCEPTED);
        assertThat(campaign(c.id()).state()).isEqualTo(CampaignState.RUNNING);

        // each device's own report completes its own entry
        a.report(a.correlator(), 200);
        b.report(b.correlator(), 200);
        server.fumo.advance();
        assertThat(rows(c.id()).values()).extracting(CampaignDevice::state)
                .containsOnly(DeviceUpdateState.SUCCEEDED);
        assertThat(rows(c.id()).get("IMEI:001").resultCode()).isEqualTo(200);
        assertThat(campaign(c.id()).state()).isEqualTo(CampaignState.FINISHED);
    }

    @Test
    void a_device_reporting_410_fails_only_its_entry_and_the_error_threshold_pauses_the_campaign() {
        server = new CampaignServer(dir, clock);
        List<FumoDeviceSim> devices = List.of(server.device("IMEI:101"), server.device("IMEI:102"),
                server.device("IMEI:103"), server.device("IMEI:104"));
        Campaign c = server.fumo.create(spec(20));
        server.fumo.start(c.id());
        server.fumo.advance();
        devices.forEach(FumoDeviceSim::session);
        server.fumo.advance();

        FumoDeviceSim failing = devices.get(0);
        failing.report(failing.correlator(), 410);
        server.fumo.advance();
        Map<String, CampaignDevice> r = rows(c.id());
        assertThat(r.get("IMEI:101").state()).isEqualTo(DeviceUpdateState.FAILED);
        assertThat(r.get("IMEI:101").resultCode()).isEqualTo(410);
        assertThat(r.get("IMEI:101").stateText()).isEqualTo("failed 410");
        assertThat(List.of(r.get("IMEI:102"), r.get("IMEI:103"), r.get("IMEI:104")))
                .extracting(CampaignDevice::state).containsOnly(DeviceUpdateState.UPDATING);
        Campaign paused = campaign(c.id());
        assertThat(paused.state()).isEqualTo(CampaignState.PAUSED);
        assertThat(paused.reason()).startsWith("error threshold: 1 of 4 devices of wave 1 failed");

        // the devices already updating still report; the campaign stays paused until an operator resumes
        for (FumoDeviceSim d : devices.subList(1, 4)) {
            d.report(d.correlator(), 200);
        }
        server.fumo.advance();
        assertThat(rows(c.id()).values()).extracting(CampaignDevice::state).containsExactly(
                DeviceUpdateState.FAILED, DeviceUpdateState.SUCCEEDED, DeviceUpdateState.SUCCEEDED,
                DeviceUpdateState.SUCCEEDED);
        assertThat(campaign(c.id()).state()).isEqualTo(CampaignState.PAUSED);
        server.fumo.resume(c.id());
        server.fumo.advance();
        assertThat(campaign(c.id()).state()).isEqualTo(CampaignState.FINISHED);
        assertThat(campaign(c.id()).reason()).isEqualTo("3 succeeded, 1 failed, 0 rollback refused, 0 cancelled");
    }

    @Test
    void a_restarted_server_on_the_h2_file_continues_the_campaign_and_recovers_a_device_left_starting() {
        server = new CampaignServer(dir, clock);
        for (String id : List.of("IMEI:201", "IMEI:202", "IMEI:203")) {
            server.device(id);
        }
        Campaign c = server.fumo.create(spec(100));
        server.fumo.start(c.id());
        // a node claims two devices, submits the job of the first, and stops before recording anything
        List<CampaignDevice> claimed = server.campaigns.claimQueued(c.id(), 0, "node-dead", 2, clock.instant());
        assertThat(claimed).extracting(CampaignDevice::deviceId).containsExactly("IMEI:201", "IMEI:202");
        String g = "./FUMO/Gateway";
        Job orphan = server.registry.submit("IMEI:201", JOB_DESCRIPTION + c.id(), List.of(
                Operation.replace(g + "/DownloadAndUpdate/PkgURL", "https://dm.example.com:8443/packages/fw-2.bin",
                        "chr"), Operation.exec(g + "/DownloadAndUpdate", null, null), Operation.get(g + "/State")));
        server.close();

        server = new CampaignServer(dir, clock);
        assertThat(campaign(c.id()).state()).isEqualTo(CampaignState.RUNNING);
        assertThat(rows(c.id()).get("IMEI:201").state()).isEqualTo(DeviceUpdateState.STARTING);
        // not stale yet: nothing is recovered and the claimed devices are not started again
        server.fumo.advance();
        assertThat(rows(c.id()).get("IMEI:201").state()).isEqualTo(DeviceUpdateState.STARTING);
        assertThat(rows(c.id()).get("IMEI:203").state()).isEqualTo(DeviceUpdateState.NOTIFIED);

        clock.advance(Duration.ofMinutes(6));
        server.fumo.advance();
        Map<String, CampaignDevice> r = rows(c.id());
        assertThat(r.values()).extracting(CampaignDevice::state).containsOnly(DeviceUpdateState.NOTIFIED);
        assertThat(r.get("IMEI:201").jobId()).isEqualTo(orphan.id());
        assertThat(fumoJobs("IMEI:201", c.id())).hasSize(1);
        assertThat(fumoJobs("IMEI:202", c.id())).hasSize(1);

        for (String id : r.keySet()) {
            FumoDeviceSim d = server.device(id);
            d.session();
            d.report(d.correlator(), 200);
        }
        server.fumo.advance();
        assertThat(rows(c.id()).values()).extracting(CampaignDevice::state)
                .containsOnly(DeviceUpdateState.SUCCEEDED);
        assertThat(campaign(c.id()).state()).isEqualTo(CampaignState.FINISHED);
    }

    private List<Job> fumoJobs(String deviceId, long campaignId) {
        return server.registry.jobs(deviceId, 50).stream()
                .filter(j -> (JOB_DESCRIPTION + campaignId).equals(j.description())).toList();
    }
}
