package org.cardinaldm.fumo.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.mo.AsyncResult;
import org.cardinaldm.client.api.spi.UserResponse;
import org.cardinaldm.fumo.api.FumoAlerts;
import org.cardinaldm.fumo.api.FumoResult;
import org.cardinaldm.fumo.api.FumoState;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.PackageVersion;
import org.cardinaldm.pkg.trust.api.sign.ManifestSigner;
import org.junit.jupiter.api.Test;

/** The operations end to end against a local HTTP server, a software authority and an in-memory agent. */
class FumoEngineTest extends FumoTestBase {

    private void dlu() throws DmException {
        set("DownloadAndUpdate/PkgURL", http.url("/fw.bin"));
        assertThat(exec("DownloadAndUpdate")).isEqualTo(StatusCode.ACCEPTED);
    }

    @Test
    void download_and_update_installs_commits_the_counter_and_reports_200_to_the_executing_server() throws Exception {
        dlu();
        AsyncResult a = lastAlert();
        assertThat(a.type()).isEqualTo(FumoAlerts.DOWNLOAD_AND_UPDATE);
        assertThat(a.data()).isEqualTo("200");
        assertThat(a.serverId()).isEqualTo("srv1");
        assertThat(a.source()).contains(X);
        assertThat(a.correlator()).contains("corr-1");
        assertThat(a.format()).isEqualTo("int");
        assertThat(a.mark()).contains("informational");
        assertThat(state()).isEqualTo(FumoState.UPDATE_SUCCESSFUL_NO_DATA.code());
        assertThat(agent.installed).isEqualTo("2.0.0");
        assertThat(agent.applied).isEqualTo(payload);
        assertThat(agent.calls).containsExactly("apply", "healthy", "commit");
        assertThat(authority.calls).containsSubsequence("admit srv1", "signers", "authorise", "commit");
        assertThat(authority.calls).doesNotContain("release");
        assertThat(authority.counter).isEqualTo(5);
        assertThat(tree.get(NodeUri.of(X + "/PkgName")).asString()).isEqualTo("gateway");
        assertThat(tree.get(NodeUri.of(X + "/PkgVersion")).asString()).isEqualTo("2.0.0");
        assertThat(Files.exists(data.resolve("instances/Gateway/payload.bin"))).isFalse();
        assertThat(engine.history(10)).first().satisfies(h -> {
            assertThat(h.result()).isEqualTo(200);
            assertThat(h.fromVersion()).isEqualTo("1.0.0");
            assertThat(h.toVersion()).isEqualTo("2.0.0");
            assertThat(h.operation()).isEqualTo("DownloadAndUpdate");
        });
    }

    @Test
    void download_then_update_goes_through_ready_to_update_with_two_grants() throws Exception {
        set("Download/PkgURL", http.url("/fw.bin"));
        assertThat(exec("Download")).isEqualTo(StatusCode.ACCEPTED);
        assertThat(lastAlert().type()).isEqualTo(FumoAlerts.DOWNLOAD);
        assertThat(lastCode()).isEqualTo(200);
        assertThat(state()).isEqualTo(50);
        assertThat(agent.calls).isEmpty();
        assertThat(authority.calls).containsSubsequence("admit srv1", "authorise", "release");
        assertThat(exec("Update")).isEqualTo(StatusCode.ACCEPTED);
        assertThat(lastAlert().type()).isEqualTo(FumoAlerts.UPDATE);
        assertThat(lastCode()).isEqualTo(200);
        assertThat(state()).isEqualTo(100);
        assertThat(authority.calls.stream().filter(c -> c.startsWith("admit"))).hasSize(2);
    }

    @Test
    void an_inline_package_in_pkgdata_is_ready_to_update_and_installs_on_exec_update() throws Exception {
        byte[] fw = "inline firmware".getBytes();
        byte[] frame = PkgDataFrame.of(signer.firmware(fw, "3.0", DEVICE, 7), fw);
        tree.replace(NodeUri.of(X + "/Update/PkgData"), NodeValue.ofBinary(frame, "application/octet-stream"));
        assertThat(state()).isEqualTo(50);
        assertThat(exec("Update")).isEqualTo(StatusCode.ACCEPTED);
        assertThat(lastCode()).isEqualTo(200);
        assertThat(agent.applied).isEqualTo(fw);
        assertThat(agent.installed).isEqualTo("3.0");
    }

    @Test
    void pkgdata_that_is_not_a_frame_is_refused_with_400_and_nothing_changes() throws Exception {
        assertThatThrownBy(() -> tree.replace(NodeUri.of(X + "/Update/PkgData"),
                NodeValue.ofBinary(new byte[] {1, 2, 3}, "application/octet-stream")))
                .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.status()).isEqualTo(StatusCode.BAD_REQUEST));
        assertThat(state()).isEqualTo(10);
    }

    @Test
    void a_tampered_inline_payload_is_reported_402_and_deleted() throws Exception {
        byte[] fw = "inline firmware".getBytes();
        byte[] frame = PkgDataFrame.of(signer.firmware(fw, "3.0", DEVICE, 7), "inline firmwarE".getBytes());
        tree.replace(NodeUri.of(X + "/Update/PkgData"), NodeValue.ofBinary(frame, "application/octet-stream"));
        exec("Update");
        assertThat(lastCode()).isEqualTo(402);
        assertThat(state()).isEqualTo(80);
        assertThat(agent.calls).isEmpty();
        assertThat(Files.exists(data.resolve("instances/Gateway/payload.bin"))).isFalse();
    }

    @Test
    void an_unhealthy_update_is_rolled_back_reported_410_and_the_counter_stays() throws Exception {
        agent.healthy = false;
        dlu();
        assertThat(lastCode()).isEqualTo(410);
        assertThat(lastAlert().mark()).contains("critical");
        assertThat(state()).isEqualTo(80);
        assertThat(agent.calls).containsExactly("apply", "healthy", "rollback");
        assertThat(agent.installed).isEqualTo("1.0.0");
        assertThat(authority.calls).contains("release").doesNotContain("commit");
        assertThat(authority.counter).isZero();
    }

    @Test
    void a_failing_apply_reports_the_agents_code() throws Exception {
        agent.failApply = FumoResult.UPDATE_OUT_OF_MEMORY;
        dlu();
        assertThat(lastCode()).isEqualTo(502);
        assertThat(agent.calls).containsExactly("apply", "rollback");
        assertThat(authority.calls).contains("release");
    }

    @Test
    void an_authority_that_cannot_commit_makes_the_update_roll_back_with_410() throws Exception {
        authority.failCommit = true;
        dlu();
        assertThat(lastCode()).isEqualTo(410);
        assertThat(agent.calls).containsExactly("apply", "healthy", "rollback");
        assertThat(agent.installed).isEqualTo("1.0.0");
    }

    @Test
    void no_authorizer_means_202_and_409_without_download() throws Exception {
        installedAuthority = null;
        dlu();
        assertThat(lastCode()).isEqualTo(409);
        assertThat(state()).isEqualTo(20);
        assertThat(http.paths).isEmpty();
    }

    @Test
    void a_server_the_authority_does_not_allow_gets_405_and_nothing_is_downloaded() throws Exception {
        authority.allowedServers = java.util.List.of("other");
        dlu();
        assertThat(lastCode()).isEqualTo(405);
        assertThat(http.paths).isEmpty();
    }

    @Test
    void a_rollback_attempt_refused_by_the_authority_is_405_and_the_package_is_deleted() throws Exception {
        authority.counter = 9;
        dlu();
        assertThat(lastCode()).isEqualTo(405);
        assertThat(state()).isEqualTo(80);
        assertThat(agent.calls).isEmpty();
        assertThat(Files.exists(data.resolve("instances/Gateway/payload.bin"))).isFalse();
        assertThat(Files.exists(data.resolve("instances/Gateway/manifest.p7"))).isFalse();
    }

    @Test
    void a_package_signed_by_an_unknown_key_is_404_before_the_payload_is_fetched() throws Exception {
        TestSigner stranger = new TestSigner();
        http.files.put("/fw.bin.manifest.p7", stranger.firmware(payload, "2.0.0", DEVICE, 5));
        dlu();
        assertThat(lastCode()).isEqualTo(404);
        assertThat(http.paths).containsExactly("/fw.bin.manifest.p7");
    }

    @Test
    void a_package_for_another_device_class_is_403() throws Exception {
        http.files.put("/fw.bin.manifest.p7", signer.firmware(payload, "2.0.0", "Other/Box", 5));
        dlu();
        assertThat(lastCode()).isEqualTo(403);
    }

    @Test
    void a_missing_manifest_is_an_unsigned_package_402() throws Exception {
        http.files.remove("/fw.bin.manifest.p7");
        dlu();
        assertThat(lastCode()).isEqualTo(402);
    }

    @Test
    void a_manifest_without_security_counter_is_405() throws Exception {
        http.files.put("/fw.bin.manifest.p7", signer.sign(ManifestSigner.describe(new java.io.ByteArrayInputStream(
                payload)).kind(PackageKind.FIRMWARE).name("gateway").version(PackageVersion.parse("2.0.0"))
                .deviceClass(DEVICE).build()));
        dlu();
        assertThat(lastCode()).isEqualTo(405);
    }

    @Test
    void a_payload_that_differs_from_the_manifest_is_402() throws Exception {
        byte[] other = payload.clone();
        other[1000] ^= 1;
        http.files.put("/fw.bin", other);
        dlu();
        assertThat(lastCode()).isEqualTo(402);
        assertThat(state()).isEqualTo(20);
    }

    @Test
    void an_authorisation_that_does_not_verify_is_refused_409_and_nothing_is_applied() throws Exception {
        authority.forgeAuthorisation = true;
        dlu();
        assertThat(lastCode()).isEqualTo(409);
        assertThat(agent.calls).isEmpty();
    }

    @Test
    void an_authority_refusal_at_authorise_maps_to_its_code() throws Exception {
        authority.refuseAuthorise = FumoResult.PACKAGE_MISMATCH;
        dlu();
        assertThat(lastCode()).isEqualTo(403);
        assertThat(authority.calls).contains("release");
    }

    @Test
    void a_package_larger_than_the_configured_maximum_is_501_before_the_payload_is_fetched() throws Exception {
        settings = new Settings("./FUMO", 1000, settings.connectTimeout(), settings.readTimeout(), 3, "", false,
                settings.consentTimeout(), "", "", false, "", "PKCS12", "");
        dlu();
        assertThat(lastCode()).isEqualTo(501);
        assertThat(http.paths).doesNotContain("/fw.bin");
    }

    @Test
    void the_user_saying_no_is_401_and_nothing_is_applied() throws Exception {
        tree.replace(NodeUri.of(X + "/Ext/UserConsent"), NodeValue.ofBool(true));
        ui = prompt -> UserResponse.no();
        dlu();
        assertThat(lastCode()).isEqualTo(401);
        assertThat(agent.calls).isEmpty();
    }

    @Test
    void consent_asked_without_any_user_interface_is_401() throws Exception {
        settings = new Settings("./FUMO", settings.maxPackageBytes(), settings.connectTimeout(),
                settings.readTimeout(), 3, "", true, settings.consentTimeout(), "", "", false, "", "PKCS12", "");
        dlu();
        assertThat(lastCode()).isEqualTo(401);
    }

    @Test
    void the_user_saying_yes_lets_the_update_run() throws Exception {
        tree.replace(NodeUri.of(X + "/Ext/UserConsent"), NodeValue.ofBool(true));
        java.util.List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        ui = prompt -> {
            asked.add(prompt.text());
            return UserResponse.yes();
        };
        dlu();
        assertThat(lastCode()).isEqualTo(200);
        assertThat(asked).singleElement().asString().contains("gateway 2.0.0", "now 1.0.0");
    }

    @Test
    void exec_of_the_local_administrator_or_the_system_is_405() {
        for (Principal p : new Principal[] {Principal.localAdmin(), Principal.system(), null}) {
            assertThatThrownBy(() -> tree.exec(NodeUri.of(X + "/Download"), "", p))
                    .isInstanceOfSatisfying(DmException.class,
                            e -> assertThat(e.status()).isEqualTo(StatusCode.COMMAND_NOT_ALLOWED));
        }
        assertThat(authority.calls).isEmpty();
    }

    @Test
    void update_without_a_package_is_405_and_download_without_url_is_412() {
        assertThatThrownBy(() -> exec("Update")).isInstanceOfSatisfying(DmException.class,
                e -> assertThat(e.status()).isEqualTo(StatusCode.COMMAND_NOT_ALLOWED));
        assertThatThrownBy(() -> exec("Download")).isInstanceOfSatisfying(DmException.class,
                e -> assertThat(e.status()).isEqualTo(StatusCode.INCOMPLETE_COMMAND));
        assertThat(alerts).isEmpty();
    }

    @Test
    void an_exec_while_an_operation_runs_is_417() throws Exception {
        set("Download/PkgURL", http.url("/fw.bin"));
        java.util.concurrent.atomic.AtomicReference<StatusCode> second = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<DmException> refused = new java.util.concurrent.atomic.AtomicReference<>();
        onBytes = n -> {
            if (second.get() == null && refused.get() == null) {
                try {
                    second.set(exec("Download"));
                } catch (DmException e) {
                    refused.set(e);
                }
            }
        };
        exec("Download");
        assertThat(refused.get().status()).isEqualTo(StatusCode.RETRY_LATER);
        assertThat(second.get()).isNull();
        assertThat(lastCode()).isEqualTo(200);
    }

    @Test
    void a_pkgurl_of_100_kb_is_refused_with_413() {
        String huge = "http://h/" + "a".repeat(100 * 1024);
        assertThatThrownBy(() -> set("Download/PkgURL", huge)).isInstanceOfSatisfying(DmException.class,
                e -> assertThat(e.status()).isEqualTo(StatusCode.REQUEST_ENTITY_TOO_LARGE));
    }

    @Test
    void a_malformed_or_non_http_url_is_411() throws Exception {
        for (String url : new String[] {"file:///etc/passwd", "ftp://h/fw", "not a url", "http:///nohost"}) {
            set("DownloadAndUpdate/PkgURL", url);
            exec("DownloadAndUpdate");
            assertThat(lastCode()).as(url).isEqualTo(411);
        }
    }

    @Test
    void client_initiated_requests_queue_the_alert_of_their_kind() {
        engine.requestUpdate("Gateway", "srv1", true);
        assertThat(lastAlert().type()).isEqualTo(FumoAlerts.USER_REQUEST);
        assertThat(lastAlert().source()).contains(X);
        assertThat(lastAlert().data()).isEmpty();
        engine.requestUpdate("Gateway", "srv1", false);
        assertThat(lastAlert().type()).isEqualTo(FumoAlerts.DEVICE_REQUEST);
        assertThatThrownBy(() -> engine.requestUpdate("Nope", "srv1", true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> engine.requestUpdate("Gateway", " ", true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_result_the_dm_client_cannot_take_is_kept_and_offered_again() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean full = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.List<AsyncResult> delivered = new java.util.ArrayList<>();
        FumoEngine failing = new FumoEngine(data.resolve("other"), () -> settings, new Environment() {
            public org.cardinaldm.fumo.api.spi.FumoAuthorizer authorizer() { return authority; }
            public org.cardinaldm.pkg.trust.api.ManifestVerifier verifier() { return verifier; }
            public org.cardinaldm.api.spi.mo.AsyncResults results() {
                return r -> {
                    if (full.get()) {
                        throw new IllegalStateException("queue full");
                    }
                    delivered.add(r);
                    return "1";
                };
            }
            public String deviceClass() { return DEVICE; }
            public Consent consent() { return null; }
        }, Runnable::run, java.time.Clock.systemUTC());
        FakeAgent other = new FakeAgent();
        failing.addAgent("Gateway", other);
        FumoTree t = new FumoTree(failing);
        t.replace(NodeUri.of(X + "/DownloadAndUpdate/PkgURL"), NodeValue.ofString(http.url("/fw.bin")));
        t.exec(NodeUri.of(X + "/DownloadAndUpdate"), "c", SERVER);
        assertThat(delivered).isEmpty();
        full.set(false);
        failing.deliverAll();
        assertThat(delivered).singleElement().satisfies(r -> assertThat(r.data()).isEqualTo("200"));
        failing.deliverAll();
        assertThat(delivered).hasSize(1);
    }
}
