package org.cardinaldm.fumo.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;

import org.cardinaldm.api.NodeUri;
import org.cardinaldm.fumo.api.FumoState;
import org.cardinaldm.fumo.api.FumoStatus;
import org.junit.jupiter.api.Test;

/** Resume after a cut and after a restart, rollback after a crash, and the attacks on the download. */
class DownloadTest extends FumoTestBase {

    @Test
    void a_cut_download_resumes_with_range_and_if_range_and_completes() throws Exception {
        http.cutAfter = 70_000;
        http.cuts = 2;
        set("DownloadAndUpdate/PkgURL", http.url("/fw.bin"));
        exec("DownloadAndUpdate");
        assertThat(lastCode()).isEqualTo(200);
        assertThat(http.ranges).containsExactly("", "", "bytes=70000-", "bytes=140000-");
        assertThat(agent.applied).isEqualTo(payload);
    }

    @Test
    void cuts_beyond_the_configured_resumptions_fail_with_503_and_a_new_exec_resumes() throws Exception {
        settings = new Settings("./FUMO", settings.maxPackageBytes(), settings.connectTimeout(),
                settings.readTimeout(), 0, "", false, settings.consentTimeout(), "", "", false, "", "PKCS12", "");
        http.cutAfter = 50_000;
        http.cuts = 1;
        set("DownloadAndUpdate/PkgURL", http.url("/fw.bin"));
        exec("DownloadAndUpdate");
        assertThat(lastCode()).isEqualTo(503);
        assertThat(state()).isEqualTo(20);
        assertThat(Files.size(data.resolve("instances/Gateway/payload.bin"))).isEqualTo(50_000);
        exec("DownloadAndUpdate");
        assertThat(lastCode()).isEqualTo(200);
        assertThat(http.ranges).last().isEqualTo("bytes=50000-");
        assertThat(agent.applied).isEqualTo(payload);
    }

    @Test
    void a_server_that_ignores_range_is_read_from_the_start_again() throws Exception {
        http.cutAfter = 60_000;
        http.cuts = 1;
        http.noRange = true;
        set("DownloadAndUpdate/PkgURL", http.url("/fw.bin"));
        exec("DownloadAndUpdate");
        assertThat(lastCode()).isEqualTo(200);
        assertThat(agent.applied).isEqualTo(payload);
    }

    @Test
    void a_restart_during_the_download_resumes_it_and_reports_to_the_same_server_and_correlator() throws Exception {
        onBytes = n -> {
            if (n >= 64 * 1024) {
                throw new FakeAgent.PowerCut();
            }
        };
        set("DownloadAndUpdate/PkgURL", http.url("/fw.bin"));
        assertThatThrownBy(() -> exec("DownloadAndUpdate")).isInstanceOf(FakeAgent.PowerCut.class);
        assertThat(alerts).isEmpty();
        long kept = Files.size(data.resolve("instances/Gateway/payload.bin"));
        assertThat(kept).isPositive().isLessThan(payload.length);

        onBytes = n -> { };
        FakeAgent restarted = new FakeAgent();
        agent = restarted;
        engine = newEngine();
        assertThat(engine.addAgent("Gateway", restarted)).isTrue();

        assertThat(lastCode()).isEqualTo(200);
        assertThat(lastAlert().correlator()).contains("corr-1");
        assertThat(lastAlert().serverId()).isEqualTo("srv1");
        assertThat(http.ranges).last().isEqualTo("bytes=" + kept + "-");
        assertThat(restarted.applied).isEqualTo(payload);
    }

    @Test
    void a_restart_without_the_authority_waits_for_it_then_resumes() throws Exception {
        onBytes = n -> {
            if (n >= 64 * 1024) {
                throw new FakeAgent.PowerCut();
            }
        };
        set("Download/PkgURL", http.url("/fw.bin"));
        assertThatThrownBy(() -> exec("Download")).isInstanceOf(FakeAgent.PowerCut.class);
        onBytes = n -> { };
        installedAuthority = null;
        engine = newEngine();
        engine.addAgent("Gateway", agent);
        assertThat(alerts).isEmpty();
        assertThat(state()).isEqualTo(30);
        installedAuthority = authority;
        engine.authorizerAvailable();
        assertThat(lastCode()).isEqualTo(200);
        assertThat(state()).isEqualTo(50);
    }

    @Test
    void a_crash_during_the_update_is_rolled_back_at_restart_with_410_and_the_counter_untouched() throws Exception {
        agent.cutDuringApply = true;
        set("DownloadAndUpdate/PkgURL", http.url("/fw.bin"));
        assertThatThrownBy(() -> exec("DownloadAndUpdate")).isInstanceOf(FakeAgent.PowerCut.class);
        assertThat(agent.pendingVersion()).contains("2.0.0");
        assertThat(state()).isEqualTo(60);

        engine = newEngine();
        engine.addAgent("Gateway", agent);
        assertThat(agent.calls).containsExactly("apply", "rollback");
        assertThat(agent.installed).isEqualTo("1.0.0");
        assertThat(lastCode()).isEqualTo(410);
        assertThat(lastAlert().correlator()).contains("corr-1");
        assertThat(state()).isEqualTo(FumoState.UPDATE_FAILED_NO_DATA.code());
        assertThat(authority.calls).contains("release").doesNotContain("commit");
        assertThat(authority.counter).isZero();
        assertThat(engine.history(1).get(0).operation()).isEqualTo("Recovery");
    }

    @Test
    void a_content_length_of_10_gb_is_refused_402_without_reading_it() throws Exception {
        http.fakeLength = 10L * 1024 * 1024 * 1024;
        set("DownloadAndUpdate/PkgURL", http.url("/fw.bin"));
        exec("DownloadAndUpdate");
        assertThat(lastCode()).isEqualTo(402);
        assertThat(Files.exists(data.resolve("instances/Gateway/payload.bin"))).isFalse();
    }

    @Test
    void a_server_sending_more_than_the_manifest_says_is_refused_402() throws Exception {
        http.extra = 10;
        set("DownloadAndUpdate/PkgURL", http.url("/fw.bin"));
        exec("DownloadAndUpdate");
        assertThat(lastCode()).isEqualTo(402);
        assertThat(agent.calls).isEmpty();
    }

    @Test
    void a_redirect_to_file_is_refused_411() throws Exception {
        http.redirects.put("/fw.bin", "file:///etc/passwd");
        set("DownloadAndUpdate/PkgURL", http.url("/fw.bin"));
        exec("DownloadAndUpdate");
        assertThat(lastCode()).isEqualTo(411);
    }

    @Test
    void an_http_redirect_is_followed() throws Exception {
        http.redirects.put("/old.bin", http.url("/fw.bin"));
        http.files.put("/old.bin.manifest.p7", http.files.get("/fw.bin.manifest.p7"));
        set("DownloadAndUpdate/PkgURL", http.url("/old.bin"));
        exec("DownloadAndUpdate");
        assertThat(lastCode()).isEqualTo(200);
    }

    @Test
    void a_forbidden_download_is_406() throws Exception {
        http.forbid = true;
        set("DownloadAndUpdate/PkgURL", http.url("/fw.bin"));
        exec("DownloadAndUpdate");
        assertThat(lastCode()).isEqualTo(406);
    }

    @Test
    void basic_authentication_is_answered_with_the_configured_credentials_and_wrong_ones_are_406() throws Exception {
        http.basic = "dev:s3cret";
        settings = new Settings("./FUMO", settings.maxPackageBytes(), settings.connectTimeout(),
                settings.readTimeout(), 3, "", false, settings.consentTimeout(), "dev", "s3cret", true, "", "PKCS12",
                "");
        set("DownloadAndUpdate/PkgURL", http.url("/fw.bin"));
        exec("DownloadAndUpdate");
        assertThat(lastCode()).isEqualTo(200);
        settings = new Settings("./FUMO", settings.maxPackageBytes(), settings.connectTimeout(),
                settings.readTimeout(), 3, "", false, settings.consentTimeout(), "dev", "wrong", true, "", "PKCS12",
                "");
        exec("DownloadAndUpdate");
        assertThat(lastCode()).isEqualTo(406);
    }

    @Test
    void credentials_are_not_sent_over_plain_http_unless_configured() throws Exception {
        http.basic = "dev:s3cret";
        settings = new Settings("./FUMO", settings.maxPackageBytes(), settings.connectTimeout(),
                settings.readTimeout(), 3, "", false, settings.consentTimeout(), "dev", "s3cret", false, "", "PKCS12",
                "");
        set("DownloadAndUpdate/PkgURL", http.url("/fw.bin"));
        exec("DownloadAndUpdate");
        assertThat(lastCode()).isEqualTo(406);
        assertThat(http.authorizations).allMatch(String::isEmpty);
    }

    @Test
    void an_unreachable_server_is_503() throws Exception {
        String url = http.url("/fw.bin");
        http.close();
        set("DownloadAndUpdate/PkgURL", url);
        exec("DownloadAndUpdate");
        assertThat(lastCode()).isEqualTo(503);
    }

    @Test
    void a_missing_payload_is_411() throws Exception {
        http.files.remove("/fw.bin");
        set("DownloadAndUpdate/PkgURL", http.url("/fw.bin"));
        exec("DownloadAndUpdate");
        assertThat(lastCode()).isEqualTo(411);
    }

    @Test
    void progress_is_visible_in_the_state_and_the_service_while_downloading() throws Exception {
        java.util.List<FumoStatus> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<Long> states = new java.util.concurrent.CopyOnWriteArrayList<>();
        onBytes = n -> {
            seen.add(engine.instances().get(0));
            try {
                states.add(tree.get(NodeUri.of(X + "/State")).asLong());
            } catch (org.cardinaldm.api.DmException e) {
                throw new AssertionError(e);
            }
        };
        set("Download/PkgURL", http.url("/fw.bin"));
        exec("Download");
        assertThat(states).isNotEmpty().allMatch(s -> s == 30);
        assertThat(seen).last().satisfies(s -> {
            assertThat(s.bytesDone()).isEqualTo(payload.length);
            assertThat(s.bytesTotal()).isEqualTo(payload.length);
            assertThat(s.percent()).contains(100);
        });
        assertThat(seen.get(0).percent().orElseThrow()).isLessThan(100);
        assertThat(engine.since("Gateway")).isBeforeOrEqualTo(java.time.Instant.now());
    }
}
