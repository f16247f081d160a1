package org.cardinaldm.mo.scomo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.spi.mo.AsyncResult;
import org.cardinaldm.api.spi.mo.AsyncResults;
import org.cardinaldm.api.spi.mo.MoContext;
import org.cardinaldm.pkg.trust.api.ManifestVerifier;
import org.cardinaldm.pkg.trust.api.TrustedSigners;
import org.cardinaldm.testing.osgi.FelixExtension;
import org.cardinaldm.testing.osgi.FelixHarness;
import org.cardinaldm.testing.osgi.TestBundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osgi.framework.Bundle;

/**
 * SCOMO operations on OSGi bundle packages end to end (the fixture is {@link ScomoTestBase}).
 */
class ScomoOperationsTest extends ScomoTestBase {
    // ------------------------------------------------------------------ happy paths

    @Test
    void download_install_from_a_server_answers_202_starts_the_bundle_and_reports_1200_with_correlator_source_and_target()
            throws Exception {
        descriptor("hello", publish("/apps/hello.jar", bundle("com.acme.hello", "1.0.0"), "com.acme.hello", "1.0.0"));
        String op = DL + "/hello/Operations/DownloadInstall";

        assertThat(plugin.exec(uri(op), NodeValue.ofNull(), "corr-1", SERVER)).isEqualTo(StatusCode.ACCEPTED);

        AsyncResult r = nextReport();
        assertThat(r.serverId()).isEqualTo("srv1");
        assertThat(r.type()).isEqualTo("urn:oma:at:scomo:1.0:OperationComplete");
        assertThat(r.correlator()).contains("corr-1");
        assertThat(r.source()).contains(op);
        assertThat(r.target()).contains(DEPLOYED + "/com.acme.hello");
        assertThat(r.data()).isEqualTo("<ResultCode>1200</ResultCode><Identifier>com.acme.hello</Identifier>");
        assertThat(r.format()).isEqualTo("xml");
        assertThat(r.mark()).contains("informational");
        Bundle b = bundleNamed("com.acme.hello");
        assertThat(b.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(b.getLocation()).isEqualTo("scomo:com.acme.hello");
        assertThat(value(DEPLOYED + "/com.acme.hello/State")).isEqualTo(20);
        // done: the descriptor is gone, so the same <X> can be added again (an upgrade)
        assertThat(plugin.children(uri(DL), SERVER)).isEmpty();
        // the manifest was fetched before the payload
        assertThat(http.requested()).containsExactly("/apps/hello.jar.manifest.p7", "/apps/hello.jar");
    }

    @Test
    void download_install_inactive_installs_the_bundle_without_starting_it() throws Exception {
        descriptor("hello", publish("/hello.jar", bundle("com.acme.hello", "1.0.0"), "com.acme.hello", "1.0.0"));
        plugin.exec(uri(DL + "/hello/Operations/DownloadInstallInactive"), NodeValue.ofNull(), "c", SERVER);
        assertThat(nextReport().data()).startsWith("<ResultCode>1200</ResultCode>");
        assertThat(bundleNamed("com.acme.hello").getState()).isNotEqualTo(Bundle.ACTIVE);
        assertThat(value(DEPLOYED + "/com.acme.hello/State")).isEqualTo(10);
    }

    @Test
    void download_delivers_the_package_then_install_from_delivered_starts_it() throws Exception {
        descriptor("hello", publish("/hello.jar", bundle("com.acme.hello", "1.2.0"), "com.acme.hello", "1.2.0"));
        plugin.exec(uri(DL + "/hello/Operations/Download"), NodeValue.ofNull(), "c1", SERVER);
        AsyncResult r = nextReport();
        assertThat(r.data()).isEqualTo("<ResultCode>1200</ResultCode><Identifier>hello@1.0.0</Identifier>");
        assertThat(r.target()).isEmpty();
        assertNothingInstalled("com.acme.hello");
        assertThat(plugin.children(uri(DL), SERVER)).as("the package moved to Delivered").isEmpty();
        assertThat(plugin.children(uri(DELIVERED), SERVER)).containsExactly("hello");
        assertThat(plugin.children(uri(DELIVERED + "/hello"), SERVER))
                .containsExactly("PkgID", "Name", "Version", "Data", "Ext", "State", "Status", "Operations");
        assertThat(plugin.children(uri(DELIVERED + "/hello/Ext"), SERVER)).containsExactly("Manifest");
        assertThat(plugin.get(uri(DELIVERED + "/hello/Version"), SERVER).asString()).isEqualTo("1.2.0");
        assertThat(value(DELIVERED + "/hello/State")).isEqualTo(10);
        assertThat(plugin.children(uri(DELIVERED + "/hello/Operations"), SERVER))
                .containsExactly("Install", "InstallInactive", "Remove");

        plugin.exec(uri(DELIVERED + "/hello/Operations/Install"), NodeValue.ofNull(), "c2", SERVER);
        AsyncResult installed = nextReport();
        assertThat(installed.data()).startsWith("<ResultCode>1200</ResultCode>");
        assertThat(installed.target()).contains(DEPLOYED + "/com.acme.hello");
        assertThat(installed.correlator()).contains("c2");
        assertThat(bundleNamed("com.acme.hello").getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(value(DELIVERED + "/hello/State")).isEqualTo(20);
        // installed once: a second Install is refused at once
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED,
                () -> plugin.exec(uri(DELIVERED + "/hello/Operations/Install"), NodeValue.ofNull(), "c3", SERVER));
    }

    @Test
    void install_inactive_from_delivered_leaves_the_bundle_stopped_and_remove_deletes_a_delivered_package()
            throws Exception {
        descriptor("a", publish("/a.jar", bundle("com.acme.a", "1.0.0"), "com.acme.a", "1.0.0"));
        descriptor("b", publish("/b.jar", bundle("com.acme.b", "1.0.0"), "com.acme.b", "1.0.0"));
        plugin.exec(uri(DL + "/a/Operations/Download"), NodeValue.ofNull(), "", SERVER);
        plugin.exec(uri(DL + "/b/Operations/Download"), NodeValue.ofNull(), "", SERVER);
        nextReport();
        nextReport();

        plugin.exec(uri(DELIVERED + "/a/Operations/InstallInactive"), NodeValue.ofNull(), "", SERVER);
        assertThat(nextReport().data()).startsWith("<ResultCode>1200");
        assertThat(bundleNamed("com.acme.a").getState()).isEqualTo(Bundle.INSTALLED);

        plugin.exec(uri(DELIVERED + "/b/Operations/Remove"), NodeValue.ofNull(), "rm", SERVER);
        AsyncResult removed = nextReport();
        assertThat(removed.data()).isEqualTo("<ResultCode>1200</ResultCode><Identifier>b@1.0.0</Identifier>");
        assertThat(removed.correlator()).contains("rm");
        assertThat(plugin.children(uri(DELIVERED), SERVER)).containsExactly("a");
        assertNothingInstalled("com.acme.b");
    }

    // ------------------------------------------------------------------ trust: nothing installed

    private void assertRefused(String x, int code) throws Exception {
        assertRefused(x, code, 20);
    }

    /** DownloadInstall of x ends with code, nothing deployed, and Status (20 download failed, 70 install failed). */
    private void assertRefused(String x, int code, int status) throws Exception {
        plugin.exec(uri(DL + "/" + x + "/Operations/DownloadInstall"), NodeValue.ofNull(), "c", SERVER);
        AsyncResult r = nextReport();
        assertThat(r.data()).startsWith("<ResultCode>" + code + "</ResultCode>");
        assertThat(r.target()).isEmpty();
        assertThat(r.mark()).contains("critical");
        assertThat(value(DL + "/" + x + "/Status")).isEqualTo(status);
    }

    @Test
    void an_unsigned_package_is_refused_with_1407_and_nothing_is_installed() throws Exception {
        http.put("/u.jar", bundle("com.acme.u", "1.0.0"));
        descriptor("u", http.url("/u.jar"));
        assertRefused("u", 1407);
        assertNothingInstalled("com.acme.u");
        assertThat(http.requested()).as("the payload is never fetched").containsExactly("/u.jar.manifest.p7");
    }

    @Test
    void a_package_signed_by_an_untrusted_key_is_refused_with_1407() throws Exception {
        byte[] jar = bundle("com.acme.s", "1.0.0");
        http.put("/s.jar", jar);
        http.put("/s.jar.manifest.p7", stranger.sign(jar, "com.acme.s", "1.0.0", DEVICE));
        descriptor("s", http.url("/s.jar"));
        assertRefused("s", 1407);
        assertNothingInstalled("com.acme.s");
    }

    @Test
    void without_any_trusted_signer_every_package_is_refused() throws Exception {
        trusted = TrustedSigners.none();
        descriptor("t", publish("/t.jar", bundle("com.acme.t", "1.0.0"), "com.acme.t", "1.0.0"));
        assertRefused("t", 1407);
        assertNothingInstalled("com.acme.t");
    }

    @Test
    void a_tampered_payload_is_refused_with_1407_and_nothing_is_installed() throws Exception {
        byte[] jar = bundle("com.acme.t", "1.0.0");
        String url = publish("/t.jar", jar, "com.acme.t", "1.0.0");
        byte[] evil = bundle("com.acme.t", "6.6.6");
        http.put("/t.jar", evil);
        descriptor("t", url);
        assertRefused("t", 1407);
        assertNothingInstalled("com.acme.t");
    }

    @Test
    void a_package_signed_for_another_device_class_is_refused_with_1407() throws Exception {
        byte[] jar = bundle("com.acme.w", "1.0.0");
        http.put("/w.jar", jar);
        http.put("/w.jar.manifest.p7", signer.sign(jar, "com.acme.w", "1.0.0", "Other/Router"));
        descriptor("w", http.url("/w.jar"));
        assertRefused("w", 1407);
        assertNothingInstalled("com.acme.w");
    }

    @Test
    void a_signed_name_that_is_not_the_bundle_symbolic_name_is_refused_with_1407() throws Exception {
        descriptor("n", publish("/n.jar", bundle("com.acme.real", "1.0.0"), "com.acme.claimed", "1.0.0"));
        assertRefused("n", 1407); // a validation failure: Status 20, as for a bad signature
        assertNothingInstalled("com.acme.real");
    }

    @Test
    void a_signed_package_that_is_not_a_bundle_is_refused_with_1413() throws Exception {
        byte[] notAJar = "just text".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        descriptor("x", publish("/x.txt", notAJar, "com.acme.x", "1.0.0"));
        assertRefused("x", 1413, 70);
    }

    @Test
    void a_package_shadowing_a_platform_bundle_is_refused_with_1405() throws Exception {
        felix.harness().install("file:platform.jar", bundle("com.acme.platform", "1.0.0"));
        descriptor("p", publish("/p.jar", bundle("com.acme.platform", "2.0.0"), "com.acme.platform", "2.0.0"));
        assertRefused("p", 1405, 70);
        assertThat(bundleNamed("com.acme.platform").getVersion().toString()).isEqualTo("1.0.0");
    }

    @Test
    void a_missing_package_reports_1402() throws Exception {
        byte[] jar = bundle("com.acme.m", "1.0.0");
        http.put("/m.jar.manifest.p7", signer.sign(jar, "com.acme.m", "1.0.0", DEVICE));
        descriptor("m", http.url("/m.jar"));
        assertRefused("m", 1402);
        assertNothingInstalled("com.acme.m");
    }

    @Test
    void a_package_over_the_configured_size_reports_1402_before_its_download() throws Exception {
        plugin.deactivate();
        config.put("download.max.bytes", 100L);
        plugin = newPlugin();
        descriptor("big", publish("/big.jar", bundle("com.acme.big", "1.0.0"), "com.acme.big", "1.0.0"));
        assertRefused("big", 1402);
        assertThat(http.requested()).containsExactly("/big.jar.manifest.p7");
        assertNothingInstalled("com.acme.big");
    }

    // ------------------------------------------------------------------ deployed components

    private Bundle deployViaScomo(String bsn) throws Exception {
        String x = bsn.replace('.', '-');
        descriptor(x, publish("/" + x + ".jar", bundle(bsn, "1.0.0"), bsn, "1.0.0"));
        plugin.exec(uri(DL + "/" + x + "/Operations/DownloadInstall"), NodeValue.ofNull(), "", SERVER);
        assertThat(nextReport().data()).startsWith("<ResultCode>1200");
        return bundleNamed(bsn);
    }

    @Test
    void a_server_deactivates_activates_and_removes_a_component_scomo_installed() throws Exception {
        Bundle b = deployViaScomo("com.acme.app");
        String x = DEPLOYED + "/com.acme.app";
        assertThat(plugin.children(uri(x + "/Operations"), SERVER)).containsExactly("Activate", "Deactivate", "Remove");

        assertThat(plugin.exec(uri(x + "/Operations/Deactivate"), NodeValue.ofNull(), "d", SERVER))
                .isEqualTo(StatusCode.ACCEPTED);
        AsyncResult d = nextReport();
        assertThat(d.data()).isEqualTo("<ResultCode>1200</ResultCode><Identifier>com.acme.app</Identifier>");
        assertThat(d.source()).contains(x + "/Operations/Deactivate");
        assertThat(d.target()).contains(x);
        assertThat(b.getState()).isEqualTo(Bundle.RESOLVED);
        assertThat(value(x + "/State")).isEqualTo(10);
        assertThat(value(x + "/Status")).isEqualTo(10);

        plugin.exec(uri(x + "/Operations/Activate"), NodeValue.ofNull(), "a", SERVER);
        assertThat(nextReport().data()).startsWith("<ResultCode>1200");
        assertThat(b.getState()).isEqualTo(Bundle.ACTIVE);

        plugin.exec(uri(x + "/Operations/Remove"), NodeValue.ofNull(), "r", SERVER);
        AsyncResult r = nextReport();
        assertThat(r.data()).startsWith("<ResultCode>1200");
        assertThat(r.target()).contains(x);
        assertThat(b.getState()).isEqualTo(Bundle.UNINSTALLED);
        assertThat(plugin.children(uri(DEPLOYED), SERVER)).doesNotContain("com.acme.app");
    }

    @Test
    void an_activation_that_fails_reports_1409_and_sets_status_40() throws Exception {
        descriptor("bad", publish("/bad.jar", TestBundle.named("com.acme.bad").header("Bundle-Version", "1.0.0")
                .header("Import-Package", "com.acme.missing").bytes(), "com.acme.bad", "1.0.0"));
        plugin.exec(uri(DL + "/bad/Operations/DownloadInstallInactive"), NodeValue.ofNull(), "", SERVER);
        assertThat(nextReport().data()).startsWith("<ResultCode>1200");
        String x = DEPLOYED + "/com.acme.bad";
        plugin.exec(uri(x + "/Operations/Activate"), NodeValue.ofNull(), "", SERVER);
        assertThat(nextReport().data()).startsWith("<ResultCode>1409");
        assertThat(value(x + "/Status")).isEqualTo(40);
        assertThat(value(x + "/State")).isEqualTo(10);
    }

    @Test
    void the_status_of_a_deployed_component_survives_a_restart_and_progressing_becomes_failed() throws Exception {
        descriptor("bad", publish("/bad.jar", TestBundle.named("com.acme.bad").header("Bundle-Version", "1.0.0")
                .header("Import-Package", "com.acme.missing").bytes(), "com.acme.bad", "1.0.0"));
        plugin.exec(uri(DL + "/bad/Operations/DownloadInstallInactive"), NodeValue.ofNull(), "", SERVER);
        assertThat(nextReport().data()).startsWith("<ResultCode>1200");
        long badId = bundleNamed("com.acme.bad").getBundleId();
        Bundle good = deployViaScomo("com.acme.good");
        String bad = DEPLOYED + "/com.acme.bad";
        plugin.exec(uri(bad + "/Operations/Activate"), NodeValue.ofNull(), "", SERVER);
        assertThat(nextReport().data()).startsWith("<ResultCode>1409");
        assertThat(kept(badId)).exists();
        plugin.deactivate();
        // a deactivation cut short by the restart (as a crash would leave it)
        Path kept = kept(good.getBundleId());
        java.nio.file.Files.writeString(kept, "Status=70\n");

        plugin = newPlugin();
        assertThat(value(bad + "/Status")).as("activate failed, kept").isEqualTo(40);
        assertThat(value(DEPLOYED + "/com.acme.good/Status")).as("deactivate progressing -> failed").isEqualTo(60);
        // a successful operation makes it idle again, and an uninstalled bundle's Status is forgotten
        plugin.exec(uri(DEPLOYED + "/com.acme.good/Operations/Deactivate"), NodeValue.ofNull(), "", SERVER);
        nextReport();
        assertThat(value(DEPLOYED + "/com.acme.good/Status")).isEqualTo(10);
        assertThat(kept).doesNotExist();
        plugin.exec(uri(bad + "/Operations/Remove"), NodeValue.ofNull(), "", SERVER);
        assertThat(nextReport().data()).startsWith("<ResultCode>1200");
        assertThat(kept(badId)).doesNotExist();
    }

    private Path kept(long bundleId) {
        return felix.harness().context().getDataFile("scomo").toPath().resolve("deployed")
                .resolve("bundle-" + bundleId + ".properties");
    }

    @Test
    void a_server_cannot_deactivate_or_remove_a_platform_component_405_and_it_keeps_running() throws Exception {
        Bundle platform = felix.harness().install("file:platform.jar", bundle("com.acme.platform", "1.0.0"));
        platform.start();
        String x = DEPLOYED + "/com.acme.platform";
        for (String op : List.of("Deactivate", "Remove", "Activate")) {
            assertStatus(StatusCode.COMMAND_NOT_ALLOWED,
                    () -> plugin.exec(uri(x + "/Operations/" + op), NodeValue.ofNull(), "", SERVER));
        }
        // the real platform bundles too (pkg-trust, SCR): listed, refused
        assertThat(plugin.children(uri(DEPLOYED), SERVER)).contains("org.cardinaldm.pkg.trust", "org.apache.felix.scr");
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> plugin.exec(
                uri(DEPLOYED + "/org.cardinaldm.pkg.trust/Operations/Remove"), NodeValue.ofNull(), "", SERVER));
        assertThat(platform.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(bundleNamed("org.cardinaldm.pkg.trust").getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(reports).isEmpty();
    }

    // ------------------------------------------------------------------ the local administrator

    @Test
    void the_local_administrator_runs_operations_synchronously_200_or_an_error_and_no_report() throws Exception {
        descriptor("hello", publish("/hello.jar", bundle("com.acme.hello", "1.0.0"), "com.acme.hello", "1.0.0"));
        assertThat(plugin.exec(uri(DL + "/hello/Operations/DownloadInstall"), NodeValue.ofNull(), "", ADMIN))
                .isEqualTo(StatusCode.OK);
        assertThat(bundleNamed("com.acme.hello").getState()).isEqualTo(Bundle.ACTIVE);

        // the administrator may stop a platform bundle (it can with bundle:stop anyway)
        Bundle platform = felix.harness().install("file:platform.jar", bundle("com.acme.platform", "1.0.0"));
        platform.start();
        assertThat(plugin.exec(uri(DEPLOYED + "/com.acme.platform/Operations/Deactivate"), NodeValue.ofNull(), "",
                ADMIN)).isEqualTo(StatusCode.OK);
        assertThat(platform.getState()).isEqualTo(Bundle.RESOLVED);

        http.put("/u.jar", bundle("com.acme.u", "1.0.0"));
        descriptor("u", http.url("/u.jar"));
        assertThatThrownBy(() -> plugin.exec(uri(DL + "/u/Operations/DownloadInstall"), NodeValue.ofNull(), "", ADMIN))
                .isInstanceOfSatisfying(DmException.class, e -> {
                    assertThat(e.status()).isEqualTo(StatusCode.COMMAND_FAILED);
                    assertThat(e.getMessage()).contains("1407");
                });
        assertNothingInstalled("com.acme.u");
        assertThat(reports).isEmpty();
    }

    // ------------------------------------------------------------------ busy, no DM client, persistence, refresh

    @Test
    void a_second_exec_on_a_busy_entry_answers_417_and_the_entry_cannot_change_meanwhile() throws Exception {
        descriptor("slow", publish("/slow.jar", bundle("com.acme.slow", "1.0.0"), "com.acme.slow", "1.0.0"));
        http.hold();
        plugin.exec(uri(DL + "/slow/Operations/DownloadInstall"), NodeValue.ofNull(), "1", SERVER);
        http.awaitHeld();
        assertThat(value(DL + "/slow/Status")).isEqualTo(30);
        assertStatus(StatusCode.RETRY_LATER,
                () -> plugin.exec(uri(DL + "/slow/Operations/Download"), NodeValue.ofNull(), "2", SERVER));
        assertStatus(StatusCode.RETRY_LATER, () -> plugin.delete(uri(DL + "/slow"), SERVER));
        assertStatus(StatusCode.RETRY_LATER, () -> plugin.replace(uri(DL + "/slow/PkgURL"),
                NodeValue.ofString("https://elsewhere.example/x.jar"), SERVER));
        http.release();
        assertThat(nextReport().correlator()).contains("1");
        assertThat(reports).isEmpty();
    }

    @Test
    void without_a_dm_client_the_outcome_is_kept_in_status_only() throws Exception {
        plugin.unsetResults(results);
        descriptor("u", http.url("/nothing.jar"));
        assertThat(plugin.exec(uri(DL + "/u/Operations/Download"), NodeValue.ofNull(), "c", SERVER))
                .isEqualTo(StatusCode.ACCEPTED);
        await().atMost(Duration.ofSeconds(30)).until(() -> value(DL + "/u/Status") == 20);
        assertThat(reports).isEmpty();
    }

    @Test
    void download_and_delivered_entries_survive_a_restart_of_the_plugin() throws Exception {
        descriptor("keep", publish("/keep.jar", bundle("com.acme.keep", "1.0.0"), "com.acme.keep", "1.0.0"));
        plugin.add(uri(DL + "/keep/Description"), NodeValue.ofString("Kept across restarts"), SERVER);
        descriptor("later", http.url("/later.jar"));
        plugin.exec(uri(DL + "/keep/Operations/Download"), NodeValue.ofNull(), "", SERVER);
        nextReport();
        plugin.deactivate();

        plugin = newPlugin();
        assertThat(plugin.children(uri(DL), SERVER)).containsExactly("later");
        assertThat(plugin.get(uri(DL + "/later/PkgURL"), SERVER).asString()).isEqualTo(http.url("/later.jar"));
        assertThat(plugin.get(uri(DL + "/later/Name"), SERVER).asString()).isEqualTo("later");
        assertThat(plugin.children(uri(DELIVERED), SERVER)).containsExactly("keep");
        assertThat(plugin.get(uri(DELIVERED + "/keep/Description"), SERVER).asString())
                .isEqualTo("Kept across restarts");
        assertThat(value(DELIVERED + "/keep/State")).isEqualTo(10);
        plugin.exec(uri(DELIVERED + "/keep/Operations/Install"), NodeValue.ofNull(), "", SERVER);
        assertThat(nextReport().data()).startsWith("<ResultCode>1200");
        assertThat(bundleNamed("com.acme.keep").getState()).isEqualTo(Bundle.ACTIVE);
    }

    @Test
    void installing_and_removing_never_refreshes_or_touches_other_bundles() throws Exception {
        Bundle other = felix.harness().install("file:other.jar", TestBundle.named("com.acme.lib")
                .header("Bundle-Version", "1.0.0").header("Export-Package", "com.acme.lib;version=1.0").bytes());
        other.start();
        Map<Long, String> before = picture();

        Bundle b = deployViaScomo("com.acme.app");
        plugin.exec(uri(DEPLOYED + "/com.acme.app/Operations/Remove"), NodeValue.ofNull(), "", SERVER);
        nextReport();

        assertThat(b.getState()).isEqualTo(Bundle.UNINSTALLED);
        assertThat(picture()).isEqualTo(before);
    }


    // ------------------------------------------------------------------ hostile values

    @Test
    void hostile_values_are_refused_with_4xx_and_change_nothing() throws Exception {
        descriptor("ok", "https://repo.example/ok.jar");
        String leaf = DL + "/ok/PkgURL";
        assertStatus(StatusCode.BAD_REQUEST, () -> plugin.replace(uri(leaf), NodeValue.ofString("file:///etc/passwd"), SERVER));
        assertStatus(StatusCode.BAD_REQUEST, () -> plugin.replace(uri(leaf), NodeValue.ofString("ftp://h/x.jar"), SERVER));
        assertStatus(StatusCode.BAD_REQUEST,
                () -> plugin.replace(uri(leaf), NodeValue.ofString("https://user:secret@h/x.jar"), SERVER));
        assertStatus(StatusCode.BAD_REQUEST, () -> plugin.replace(uri(leaf), NodeValue.ofString("https:///x"), SERVER));
        assertStatus(StatusCode.REQUEST_ENTITY_TOO_LARGE,
                () -> plugin.replace(uri(leaf), NodeValue.ofString("https://h/" + "a".repeat(3000)), SERVER));
        assertStatus(StatusCode.REQUEST_ENTITY_TOO_LARGE,
                () -> plugin.replace(uri(DL + "/ok/Name"), NodeValue.ofString("n".repeat(300)), SERVER));
        assertStatus(StatusCode.BAD_REQUEST,
                () -> plugin.replace(uri(DL + "/ok/Name"), NodeValue.ofString("a\u0000b"), SERVER));
        assertThat(plugin.get(uri(leaf), SERVER).asString()).isEqualTo("https://repo.example/ok.jar");

        assertThat(NodeUri.isValid(DL + "/..")).as("the URI rules refuse '..' before any plugin").isFalse();
        assertStatus(StatusCode.BAD_REQUEST, () -> plugin.add(uri(DL + "/..."), NodeValue.interior(), SERVER));
        assertStatus(StatusCode.BAD_REQUEST, () -> plugin.add(uri(DL + "/" + "x".repeat(65)), NodeValue.interior(), SERVER));
        assertStatus(StatusCode.BAD_REQUEST, () -> plugin.add(uri(DL + "/a$b"), NodeValue.interior(), SERVER));
        assertStatus(StatusCode.ALREADY_EXISTS, () -> plugin.add(uri(DL + "/ok"), NodeValue.interior(), SERVER));
        assertStatus(StatusCode.ALREADY_EXISTS, () -> plugin.add(uri(leaf), NodeValue.ofString("https://h/y"), SERVER));
        assertStatus(StatusCode.NOT_FOUND, () -> plugin.add(uri(DL + "/none/PkgURL"), NodeValue.ofString("https://h/y"), SERVER));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> plugin.replace(uri(DL + "/ok/Status"), NodeValue.ofInt(40), SERVER));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> plugin.add(uri(DL + "/ok/Other"), NodeValue.ofString("x"), SERVER));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> plugin.delete(uri(DL + "/ok/Operations"), SERVER));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> plugin.add(uri(DEPLOYED + "/x"), NodeValue.interior(), SERVER));
        assertStatus(StatusCode.COMMAND_NOT_ALLOWED, () -> plugin.exec(uri(DL + "/ok"), NodeValue.ofNull(), "", SERVER));
        assertStatus(StatusCode.NOT_FOUND,
                () -> plugin.exec(uri(DL + "/none/Operations/Download"), NodeValue.ofNull(), "", SERVER));
        assertStatus(StatusCode.NOT_FOUND,
                () -> plugin.exec(uri(DL + "/Delivered/ok/Operations/Install"), NodeValue.ofNull(), "", SERVER));
    }

    @Test
    void the_number_of_download_entries_is_bounded_420_and_an_exec_without_pkgurl_is_412() throws Exception {
        plugin.deactivate();
        config.put("max.entries", 2);
        plugin = newPlugin();
        plugin.add(uri(DL + "/a"), NodeValue.interior(), SERVER);
        plugin.add(uri(DL + "/b"), NodeValue.interior(), SERVER);
        assertStatus(StatusCode.DEVICE_FULL, () -> plugin.add(uri(DL + "/c"), NodeValue.interior(), SERVER));
        assertStatus(StatusCode.INCOMPLETE_COMMAND,
                () -> plugin.exec(uri(DL + "/a/Operations/Download"), NodeValue.ofNull(), "", SERVER));
        plugin.delete(uri(DL + "/a"), SERVER);
        plugin.add(uri(DL + "/c"), NodeValue.interior(), SERVER);
        assertThat(plugin.children(uri(DL), SERVER)).containsExactly("b", "c");
        assertThat(plugin.children(uri(DL + "/c"), SERVER)).containsExactly("Status", "Operations");
    }

    @Test
    void a_second_download_install_of_the_same_name_upgrades_the_bundle_in_place() throws Exception {
        descriptor("app", publish("/app-1.jar", bundle("com.acme.app", "1.0.0"), "com.acme.app", "1.0.0"));
        plugin.exec(uri(DL + "/app/Operations/DownloadInstall"), NodeValue.ofNull(), "", SERVER);
        assertThat(nextReport().data()).startsWith("<ResultCode>1200");
        Bundle first = bundleNamed("com.acme.app");

        descriptor("app", publish("/app-2.jar", bundle("com.acme.app", "2.0.0"), "com.acme.app", "2.0.0"));
        plugin.exec(uri(DL + "/app/Operations/DownloadInstall"), NodeValue.ofNull(), "", SERVER);
        AsyncResult r = nextReport();
        assertThat(r.data()).startsWith("<ResultCode>1200");
        assertThat(r.target()).contains(DEPLOYED + "/com.acme.app");
        Bundle second = bundleNamed("com.acme.app");
        assertThat(second.getBundleId()).isEqualTo(first.getBundleId());
        assertThat(second.getVersion().toString()).isEqualTo("2.0.0");
        assertThat(second.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(plugin.get(uri(DEPLOYED + "/com.acme.app/Version"), SERVER).asString()).isEqualTo("2.0.0");
    }

    @Test
    void https_downloads_trust_the_configured_trust_store_and_nothing_else() throws Exception {
        TlsFixture tls = new TlsFixture();
        try (PackageServer https = new PackageServer(tls.serverContext())) {
            byte[] jar = bundle("com.acme.tls", "1.0.0");
            https.put("/tls.jar", jar);
            https.put("/tls.jar.manifest.p7", signer.sign(jar, "com.acme.tls", "1.0.0", DEVICE));

            // the JVM's trust store does not know the server's self-signed certificate: download failed
            descriptor("tls", https.url("/tls.jar"));
            assertRefused("tls", 1402);
            assertNothingInstalled("com.acme.tls");
            plugin.delete(uri(DL + "/tls"), SERVER);

            plugin.deactivate();
            config.put("truststore.path", tls.trustStore(Path.of("target")).toString());
            config.put("truststore.type", "PKCS12");
            config.put(".truststore.password", TlsFixture.PASSWORD);
            plugin = newPlugin();
            descriptor("tls", https.url("/tls.jar"));
            plugin.exec(uri(DL + "/tls/Operations/DownloadInstall"), NodeValue.ofNull(), "", SERVER);
            assertThat(nextReport().data()).startsWith("<ResultCode>1200");
            assertThat(bundleNamed("com.acme.tls").getState()).isEqualTo(Bundle.ACTIVE);
        }
    }
}
