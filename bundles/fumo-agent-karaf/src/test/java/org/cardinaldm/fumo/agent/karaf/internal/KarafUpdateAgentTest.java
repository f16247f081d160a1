package org.cardinaldm.fumo.agent.karaf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.cardinaldm.fumo.api.FumoResult;
import org.cardinaldm.fumo.api.spi.FirmwarePackage;
import org.cardinaldm.fumo.api.spi.UpdateException;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

class KarafUpdateAgentTest {
    static final String FEATURE = "acme-gateway";

    @TempDir
    Path tmp;
    Path storage;
    Path stateFile;
    URI factoryRepo;
    final FakeKaraf karaf = new FakeKaraf();
    final Map<String, Object> props = new HashMap<>();
    final List<Duration> pauses = new ArrayList<>();
    List<String> problems = List.of();
    int probes;

    @BeforeEach
    void setUp() throws Exception {
        storage = tmp.resolve("data/kar");
        stateFile = tmp.resolve("bundle-data/pending-update.state");
        props.put("fumo.component", "Gateway");
        props.put("feature.name", FEATURE);
        props.put("kar.storage", storage.toString());
        props.put("health.timeout.seconds", 1);
        // the distribution's gateway 1.0.0, from a repository this agent did not make
        Path system = Files.createDirectories(tmp.resolve("system"));
        factoryRepo = Files.writeString(system.resolve("gw-1.0.0-features.xml"),
                Kars.features(FEATURE, "1.0.0", "", "mvn:com.acme/gw-core/1.0.0")).toUri();
        karaf.addRepository(factoryRepo);
        karaf.installed.put(FEATURE, "1.0.0");
        karaf.installed.put("scr", "4.4.10");
        karaf.calls.clear();
    }

    KarafUpdateAgent agent() {
        KarafAgentConfig c = Converters.standardConverter().convert(props).to(KarafAgentConfig.class);
        return new KarafUpdateAgent(KarafAgentConfig.Settings.of(c, "org.cardinaldm.fumo.agent.karaf", null), karaf,
                locations -> {
                    probes++;
                    return problems;
                }, stateFile, pauses::add);
    }

    FirmwarePackage gateway(String version) throws Exception {
        return Kars.pkg(Kars.zip(tmp.resolve("gw-" + version + ".kar"), Kars.gateway(version)), PackageKind.FIRMWARE,
                FEATURE, version);
    }

    Path dir(String version) {
        return storage.resolve("cardinal-fumo-" + FEATURE + "-" + version);
    }

    URI repo(String version) {
        return dir(version).resolve("com/acme/gw-features/" + version + "/gw-features-" + version
                + "-features.xml").toUri();
    }

    static FumoResult code(Throwable e) {
        return ((UpdateException) e).result();
    }

    @Test
    void apply_installs_the_new_feature_beside_the_old_repository_and_switches_to_it() throws Exception {
        KarafUpdateAgent a = agent();
        assertThat(a.installedVersion()).isEqualTo("1.0.0");
        a.apply(gateway("2.0.0"));
        assertThat(karaf.installed).containsEntry(FEATURE, "2.0.0");
        assertThat(karaf.repositories).containsKeys(factoryRepo, repo("2.0.0"));
        assertThat(karaf.calls).contains("switchTo " + FEATURE + " 2.0.0");
        assertThat(Files.isRegularFile(dir("2.0.0").resolve("com/acme/gw-core/2.0.0/gw-core-2.0.0.jar")))
                .isTrue();
        assertThat(a.installedVersion()).isEqualTo("2.0.0");
        assertThat(a.pendingVersion()).contains("2.0.0");
        assertThat(a.healthy()).isTrue();
        a.commit();
        assertThat(a.pendingVersion()).isEmpty();
        assertThat(karaf.repositories).as("the factory repository is not ours to remove").containsKey(factoryRepo);
    }

    @Test
    void a_snapshot_distribution_can_be_updated() throws Exception {
        karaf.installed.put(FEATURE, "0.1.0-SNAPSHOT");
        KarafUpdateAgent a = agent();
        a.apply(gateway("2.0.0"));
        assertThat(karaf.installed).containsEntry(FEATURE, "2.0.0");
    }

    @Test
    void commit_removes_the_previous_kar_this_agent_installed() throws Exception {
        KarafUpdateAgent a = agent();
        a.apply(gateway("2.0.0"));
        a.commit();
        a.apply(gateway("3.0.0"));
        assertThat(karaf.repositories).containsKeys(repo("2.0.0"), repo("3.0.0"));
        a.commit();
        assertThat(karaf.repositories).doesNotContainKey(repo("2.0.0")).containsKey(repo("3.0.0"));
        assertThat(dir("2.0.0")).doesNotExist();
        assertThat(dir("3.0.0")).isDirectory();
        assertThat(a.installedVersion()).isEqualTo("3.0.0");
    }

    @Test
    void rollback_reinstalls_the_previous_set_and_removes_the_new_one() throws Exception {
        KarafUpdateAgent a = agent();
        a.apply(gateway("2.0.0"));
        a.rollback();
        assertThat(karaf.installed).containsEntry(FEATURE, "1.0.0");
        assertThat(karaf.repositories).containsKey(factoryRepo).doesNotContainKey(repo("2.0.0"));
        assertThat(dir("2.0.0")).doesNotExist();
        assertThat(a.pendingVersion()).isEmpty();
        assertThat(a.installedVersion()).isEqualTo("1.0.0");
        a.rollback(); // nothing pending: nothing happens
        assertThat(karaf.installed).containsEntry(FEATURE, "1.0.0");
    }

    @Test
    void a_first_install_is_rolled_back_by_uninstalling_the_feature() throws Exception {
        karaf.installed.remove(FEATURE);
        KarafUpdateAgent a = agent();
        assertThat(a.installedVersion()).isEmpty();
        assertThat(a.healthy()).isFalse();
        a.apply(gateway("2.0.0"));
        assertThat(a.installedVersion()).isEqualTo("2.0.0");
        a.rollback();
        assertThat(karaf.installed).doesNotContainKey(FEATURE);
        assertThat(karaf.calls).contains("uninstall " + FEATURE + " 2.0.0");
    }

    @Test
    void an_unhealthy_feature_is_reported_after_the_bounded_wait_without_sleeping() throws Exception {
        KarafUpdateAgent a = agent();
        a.apply(gateway("2.0.0"));
        problems = List.of("com.acme.gw.web is RESOLVED (not started)");
        assertThat(a.healthy()).isFalse();
        assertThat(probes).isEqualTo(5);
        assertThat(pauses).hasSize(4).allMatch(d -> d.toMillis() == 250);
        a.rollback();
        assertThat(karaf.installed).containsEntry(FEATURE, "1.0.0");
    }

    @Test
    void the_health_check_passes_once_the_bundles_have_started() throws Exception {
        KarafUpdateAgent a = agent();
        a.apply(gateway("2.0.0"));
        List<List<String>> answers = new ArrayList<>(List.of(List.of("starting"), List.of("starting"), List.of()));
        KarafAgentConfig c = Converters.standardConverter().convert(props).to(KarafAgentConfig.class);
        KarafUpdateAgent b = new KarafUpdateAgent(KarafAgentConfig.Settings.of(c, "x", null), karaf,
                l -> answers.remove(0), stateFile, pauses::add);
        assertThat(b.healthy()).isTrue();
        assertThat(pauses).hasSize(2);
    }

    @Test
    void a_crash_while_the_kar_is_checked_is_reported_after_restart_and_rolled_back() throws Exception {
        karaf.crashIn = "isInstalled scr";
        assertThatThrownBy(() -> agent().apply(gateway("2.0.0"))).isInstanceOf(FakeKaraf.Crash.class);
        KarafUpdateAgent restarted = agent();
        assertThat(restarted.pendingVersion()).contains("2.0.0");
        try (Stream<Path> left = Files.list(storage)) {
            assertThat(left).as("staging folders are removed at start").isEmpty();
        }
        restarted.rollback();
        assertThat(restarted.pendingVersion()).isEmpty();
        assertThat(karaf.installed).containsEntry(FEATURE, "1.0.0");
        assertThat(karaf.repositories).containsOnlyKeys(factoryRepo);
    }

    @Test
    void a_crash_while_the_repository_is_added_is_rolled_back_after_restart() throws Exception {
        karaf.crashIn = "addRepository";
        assertThatThrownBy(() -> agent().apply(gateway("2.0.0"))).isInstanceOf(FakeKaraf.Crash.class);
        KarafUpdateAgent restarted = agent();
        assertThat(restarted.pendingVersion()).contains("2.0.0");
        assertThatThrownBy(restarted::commit).extracting(KarafUpdateAgentTest::code)
                .isEqualTo(FumoResult.UPDATE_FAILED);
        restarted.rollback();
        assertThat(karaf.repositories).containsOnlyKeys(factoryRepo);
        assertThat(dir("2.0.0")).doesNotExist();
    }

    @Test
    void a_crash_right_after_karaf_switched_is_rolled_back_after_restart() throws Exception {
        karaf.crashAfterSwitch = true;
        assertThatThrownBy(() -> agent().apply(gateway("2.0.0"))).isInstanceOf(FakeKaraf.Crash.class);
        KarafUpdateAgent restarted = agent();
        assertThat(restarted.installedVersion()).isEqualTo("2.0.0");
        assertThat(restarted.pendingVersion()).contains("2.0.0");
        assertThatThrownBy(restarted::commit).isInstanceOf(UpdateException.class);
        restarted.rollback();
        assertThat(karaf.installed).containsEntry(FEATURE, "1.0.0");
        assertThat(karaf.repositories).containsOnlyKeys(factoryRepo);
    }

    @Test
    void a_restart_after_the_switch_and_before_commit_keeps_the_pending_update() throws Exception {
        agent().apply(gateway("2.0.0"));
        KarafUpdateAgent restarted = agent();
        assertThat(restarted.pendingVersion()).contains("2.0.0");
        assertThat(restarted.healthy()).isTrue();
        restarted.commit();
        assertThat(restarted.pendingVersion()).isEmpty();
        assertThat(restarted.installedVersion()).isEqualTo("2.0.0");
    }

    @Test
    void rollback_fails_with_410_when_the_previous_set_is_missing() throws Exception {
        KarafUpdateAgent a = agent();
        a.apply(gateway("2.0.0"));
        karaf.repositories.remove(factoryRepo);
        Files.delete(Path.of(factoryRepo));
        assertThatThrownBy(a::rollback).hasMessageContaining("previous set").extracting(KarafUpdateAgentTest::code)
                .isEqualTo(FumoResult.UPDATE_FAILED);
        assertThat(a.pendingVersion()).as("kept for another try").contains("2.0.0");
        assertThat(karaf.installed).containsEntry(FEATURE, "2.0.0");
    }

    @Test
    void rollback_registers_the_previous_repository_again_when_karaf_forgot_it() throws Exception {
        KarafUpdateAgent a = agent();
        a.apply(gateway("2.0.0"));
        a.commit();
        a.apply(gateway("3.0.0"));
        karaf.repositories.remove(repo("2.0.0"));
        a.rollback();
        assertThat(karaf.installed).containsEntry(FEATURE, "2.0.0");
        assertThat(karaf.repositories).containsKey(repo("2.0.0")).doesNotContainKey(repo("3.0.0"));
    }

    @Test
    void a_failed_karaf_deployment_is_410_and_leaves_the_old_version_running() throws Exception {
        karaf.failIn = "switchTo " + FEATURE + " 2.0.0";
        KarafUpdateAgent a = agent();
        assertThatThrownBy(() -> a.apply(gateway("2.0.0"))).extracting(KarafUpdateAgentTest::code)
                .isEqualTo(FumoResult.UPDATE_FAILED);
        assertThat(karaf.installed).containsEntry(FEATURE, "1.0.0");
        assertThat(karaf.repositories).containsOnlyKeys(factoryRepo);
        assertThat(a.pendingVersion()).isEmpty();
        assertThat(dir("2.0.0")).doesNotExist();
    }

    @Test
    void packages_for_something_else_are_403_and_touch_nothing() throws Exception {
        KarafUpdateAgent a = agent();
        Path kar = Kars.zip(tmp.resolve("x.kar"), Kars.gateway("2.0.0"));
        assertThatThrownBy(() -> a.apply(Kars.pkg(kar, PackageKind.APPLICATION, FEATURE, "2.0.0")))
                .extracting(KarafUpdateAgentTest::code).isEqualTo(FumoResult.PACKAGE_MISMATCH);
        assertThatThrownBy(() -> a.apply(Kars.pkg(kar, PackageKind.FIRMWARE, "modem", "2.0.0")))
                .extracting(KarafUpdateAgentTest::code).isEqualTo(FumoResult.PACKAGE_MISMATCH);
        assertThatThrownBy(() -> a.apply(Kars.pkg(kar, PackageKind.FIRMWARE, FEATURE, "2.1.0")))
                .hasMessageContaining("signed version").extracting(KarafUpdateAgentTest::code)
                .isEqualTo(FumoResult.PACKAGE_MISMATCH);
        Path same = Kars.zip(tmp.resolve("same.kar"), Kars.gateway("1.0.0"));
        assertThatThrownBy(() -> a.apply(Kars.pkg(same, PackageKind.FIRMWARE, FEATURE, "1.0")))
                .hasMessageContaining("already runs");
        assertThat(karaf.calls).noneMatch(c -> c.startsWith("switchTo") || c.startsWith("addRepository"));
        assertThat(a.pendingVersion()).isEmpty();
    }

    @Test
    void a_second_apply_while_one_is_pending_is_refused() throws Exception {
        KarafUpdateAgent a = agent();
        a.apply(gateway("2.0.0"));
        assertThatThrownBy(() -> a.apply(gateway("3.0.0"))).hasMessageContaining("pending")
                .extracting(KarafUpdateAgentTest::code).isEqualTo(FumoResult.UPDATE_FAILED);
    }

    @Test
    void a_payload_that_is_not_the_signed_length_is_402_and_an_oversized_one_502() throws Exception {
        KarafUpdateAgent a = agent();
        FirmwarePackage p = gateway("2.0.0");
        Files.write(p.payload(), new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> a.apply(p)).extracting(KarafUpdateAgentTest::code)
                .isEqualTo(FumoResult.CORRUPTED_PACKAGE);
        props.put("max.payload.bytes", 100L);
        assertThatThrownBy(() -> agent().apply(gateway("2.0.0"))).extracting(KarafUpdateAgentTest::code)
                .isEqualTo(FumoResult.UPDATE_OUT_OF_MEMORY);
    }

    @Test
    void a_corrupt_state_file_is_set_aside_and_reported_as_an_unknown_pending_update() throws Exception {
        Files.createDirectories(stateFile.getParent());
        Files.writeString(stateFile, "garbage\n");
        KarafUpdateAgent a = agent();
        assertThat(a.pendingVersion()).contains("unknown");
        assertThat(Files.exists(stateFile.resolveSibling("pending-update.state.corrupt"))).isTrue();
    }

    @Test
    void configuration_names_the_missing_key() {
        props.remove("feature.name");
        assertThatThrownBy(this::agent).hasMessageContaining("feature.name");
        props.put("feature.name", FEATURE);
        props.remove("kar.storage");
        assertThatThrownBy(this::agent).hasMessageContaining("kar.storage");
        props.put("kar.storage", storage.toString());
        props.put("is.firmware", false);
        assertThat(agent().isFirmware()).isFalse();
        assertThat(agent().protectedNames()).contains("org.cardinaldm.fumo.agent.karaf", "org.cardinaldm.fumo.core");
        props.put("protected.bundles", "a.b, c.d");
        assertThat(agent().protectedNames()).containsExactlyInAnyOrder("a.b", "c.d", "org.cardinaldm.fumo.agent.karaf");
    }

    @Test
    void an_interrupted_health_check_ends_unhealthy_at_once() throws Exception {
        agent().apply(gateway("2.0.0"));
        problems = List.of("starting");
        KarafAgentConfig c = Converters.standardConverter().convert(props).to(KarafAgentConfig.class);
        KarafUpdateAgent b = new KarafUpdateAgent(KarafAgentConfig.Settings.of(c, "x", null), karaf, l -> {
            probes++;
            return problems;
        }, stateFile, d -> false);
        assertThat(b.healthy()).isFalse();
        assertThat(probes).isEqualTo(1);
    }

    @Test
    void the_features_xml_in_the_kar_is_what_karaf_is_given() throws Exception {
        agent().apply(gateway("2.0.0"));
        String xml = Files.readString(Path.of(repo("2.0.0")), StandardCharsets.UTF_8);
        assertThat(xml).contains("mvn:com.acme/gw-core/2.0.0");
    }
}
