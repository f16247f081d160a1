package org.cardinaldm.fumo.agent.file.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.cardinaldm.fumo.api.FumoResult;
import org.cardinaldm.fumo.api.spi.Authorisation;
import org.cardinaldm.fumo.api.spi.FirmwarePackage;
import org.cardinaldm.fumo.api.spi.UpdateException;
import org.cardinaldm.pkg.trust.api.PackageKind;
import org.cardinaldm.pkg.trust.api.PackageManifest;
import org.cardinaldm.pkg.trust.api.PackageVersion;
import org.cardinaldm.pkg.trust.api.SignedManifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

class FileSlotAgentTest {
    @TempDir
    Path tmp;
    Path base;
    final Map<String, Object> props = new HashMap<>();

    @BeforeEach
    void setUp() {
        base = tmp.resolve("slots");
        props.put("fumo.component", "Firmware");
        props.put("base.dir", base.toString());
    }

    static FileSlotAgent.Config config(Map<String, Object> props) {
        return Converters.standardConverter().convert(props).to(FileSlotAgent.Config.class);
    }

    FileSlotAgent agent() throws IOException {
        return new FileSlotAgent(config(props), d -> { });
    }

    /** A package whose manifest describes {@code signed} while the payload file holds {@code actual}. */
    FirmwarePackage pkg(PackageKind kind, String name, String version, byte[] signed, byte[] actual) throws Exception {
        Path payload = Files.createTempFile(tmp, "payload", ".bin");
        Files.write(payload, actual);
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(signed);
        PackageManifest m = PackageManifest.builder().kind(kind).name(name).version(PackageVersion.parse(version))
                .deviceClass("Acme/GW1").payload(signed.length, sha).securityCounter(7).build();
        byte[] encoded = ("manifest of " + version).getBytes(StandardCharsets.UTF_8);
        SignedManifest sm = SignedManifest.of(m, "ab".repeat(32), "CN=test signer", null, encoded);
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair k = g.generateKeyPair();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(encoded);
        byte[] n1 = new byte[Authorisation.NONCE_LENGTH];
        byte[] n2 = new byte[Authorisation.NONCE_LENGTH];
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(k.getPrivate());
        s.update(Authorisation.signedBytes(digest, 7, n1, n2));
        return new FirmwarePackage(payload, sm,
                new Authorisation(digest, 7, n1, n2, "SHA256withECDSA", s.sign(), k.getPublic()));
    }

    FirmwarePackage pkg(String version, byte[] payload) throws Exception {
        return pkg(PackageKind.FIRMWARE, "Firmware", version, payload, payload);
    }

    String activeSlot() throws IOException {
        return Files.readString(base.resolve("active")).strip();
    }

    @Test
    void first_start_points_at_slot_a_with_the_factory_version() throws Exception {
        props.put("initial.version", "1.0.0");
        FileSlotAgent a = agent();
        assertThat(activeSlot()).isEqualTo("A");
        assertThat(a.installedVersion()).isEqualTo("1.0.0");
        assertThat(a.pendingVersion()).isEmpty();
        assertThat(a.isFirmware()).isTrue();
        assertThat(a.healthy()).isTrue();
    }

    @Test
    void apply_writes_the_inactive_slot_and_switches_to_it_and_commit_forgets_the_pending_record() throws Exception {
        FileSlotAgent a = agent();
        byte[] image = "image 2.0".getBytes(StandardCharsets.UTF_8);
        a.apply(pkg("2.0.0", image));
        assertThat(activeSlot()).isEqualTo("B");
        assertThat(Files.readAllBytes(base.resolve("B/image.bin"))).isEqualTo(image);
        assertThat(a.installedVersion()).isEqualTo("2.0.0");
        assertThat(a.pendingVersion()).contains("2.0.0");
        assertThat(a.healthy()).isTrue();
        a.commit();
        assertThat(a.pendingVersion()).isEmpty();
        assertThat(a.installedVersion()).isEqualTo("2.0.0");
        assertThat(Files.exists(base.resolve("B/image.bin.part"))).isFalse();

        a.apply(pkg("3.0.0", "image 3".getBytes(StandardCharsets.UTF_8)));
        assertThat(activeSlot()).isEqualTo("A");
        a.commit();
        assertThat(a.installedVersion()).isEqualTo("3.0.0");
    }

    @Test
    void rollback_flips_back_and_empties_the_failed_slot() throws Exception {
        props.put("initial.version", "1.0.0");
        FileSlotAgent a = agent();
        a.apply(pkg("2.0.0", new byte[] {1, 2, 3}));
        a.rollback();
        assertThat(activeSlot()).isEqualTo("A");
        assertThat(a.installedVersion()).isEqualTo("1.0.0");
        assertThat(a.pendingVersion()).isEmpty();
        try (var files = Files.list(base.resolve("B"))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void rollback_and_commit_without_a_pending_update_change_nothing() throws Exception {
        FileSlotAgent a = agent();
        a.rollback();
        a.commit();
        assertThat(activeSlot()).isEqualTo("A");
    }

    @Test
    void a_crash_after_the_record_and_before_the_switch_is_reported_and_rolled_back_by_a_new_agent()
            throws Exception {
        props.put("initial.version", "1.0.0");
        agent();
        // what apply leaves when the power goes after the record was written and while slot B was half written
        Files.writeString(base.resolve("pending.state"), "cardinal-fumo-file-agent-state 1\nphase=WRITING\nfrom=A\n"
                + "to=B\nversion=2.0.0\nprevious=1.0.0\n");
        Files.write(base.resolve("B/image.bin.part"), new byte[10]);

        FileSlotAgent restarted = agent();
        assertThat(restarted.pendingVersion()).contains("2.0.0");
        assertThat(restarted.installedVersion()).isEqualTo("1.0.0");
        assertThatThrownBy(restarted::commit).isInstanceOf(UpdateException.class)
                .extracting(e -> ((UpdateException) e).result()).isEqualTo(FumoResult.UPDATE_FAILED);
        restarted.rollback();
        assertThat(restarted.pendingVersion()).isEmpty();
        assertThat(activeSlot()).isEqualTo("A");
        assertThat(Files.exists(base.resolve("B/image.bin.part"))).isFalse();
    }

    @Test
    void a_crash_after_the_switch_before_commit_is_reported_and_rolled_back_after_a_restart() throws Exception {
        props.put("initial.version", "1.0.0");
        FileSlotAgent a = agent();
        a.apply(pkg("2.0.0", new byte[] {9}));
        FileSlotAgent restarted = agent();  // the JVM died before FUMO's health check
        assertThat(restarted.pendingVersion()).contains("2.0.0");
        assertThat(restarted.installedVersion()).isEqualTo("2.0.0");
        restarted.rollback();
        assertThat(restarted.installedVersion()).isEqualTo("1.0.0");
    }

    @Test
    void a_switched_update_survives_a_restart_and_can_be_committed() throws Exception {
        agent().apply(pkg("2.0.0", new byte[] {9}));
        FileSlotAgent restarted = agent();
        restarted.commit();
        assertThat(restarted.pendingVersion()).isEmpty();
        assertThat(restarted.installedVersion()).isEqualTo("2.0.0");
    }

    @Test
    void rollback_refuses_when_the_previous_slot_is_gone() throws Exception {
        FileSlotAgent a = agent();
        a.apply(pkg("2.0.0", new byte[] {1}));
        Files.delete(base.resolve("A"));
        assertThatThrownBy(a::rollback).isInstanceOf(UpdateException.class)
                .hasMessageContaining("previous set").extracting(e -> ((UpdateException) e).result())
                .isEqualTo(FumoResult.UPDATE_FAILED);
        assertThat(a.pendingVersion()).contains("2.0.0");
    }

    @Test
    void rollback_refuses_when_the_previous_slot_was_overwritten() throws Exception {
        FileSlotAgent a = agent();
        a.apply(pkg("2.0.0", new byte[] {1}));
        a.commit();
        a.apply(pkg("3.0.0", new byte[] {2}));
        Files.writeString(base.resolve("B/VERSION"), "9.9.9\n");
        assertThatThrownBy(a::rollback).isInstanceOf(UpdateException.class).hasMessageContaining("missing");
    }

    @Test
    void a_second_apply_while_one_is_pending_is_refused() throws Exception {
        FileSlotAgent a = agent();
        a.apply(pkg("2.0.0", new byte[] {1}));
        assertThatThrownBy(() -> a.apply(pkg("3.0.0", new byte[] {2}))).isInstanceOf(UpdateException.class)
                .hasMessageContaining("pending");
        assertThat(a.pendingVersion()).contains("2.0.0");
    }

    @Test
    void an_application_package_or_another_components_package_is_403_and_changes_nothing() throws Exception {
        FileSlotAgent a = agent();
        byte[] p = {1, 2};
        assertThatThrownBy(() -> a.apply(pkg(PackageKind.APPLICATION, "Firmware", "2.0", p, p)))
                .extracting(e -> ((UpdateException) e).result()).isEqualTo(FumoResult.PACKAGE_MISMATCH);
        assertThatThrownBy(() -> a.apply(pkg(PackageKind.FIRMWARE, "Modem", "2.0", p, p)))
                .extracting(e -> ((UpdateException) e).result()).isEqualTo(FumoResult.PACKAGE_MISMATCH);
        assertThat(activeSlot()).isEqualTo("A");
        assertThat(a.pendingVersion()).isEmpty();
    }

    @Test
    void a_payload_that_differs_from_its_manifest_is_402_and_the_old_slot_stays_active() throws Exception {
        FileSlotAgent a = agent();
        byte[] signed = "good image".getBytes(StandardCharsets.UTF_8);
        byte[] tampered = "evil image".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> a.apply(pkg(PackageKind.FIRMWARE, "Firmware", "2.0", signed, tampered)))
                .extracting(e -> ((UpdateException) e).result()).isEqualTo(FumoResult.CORRUPTED_PACKAGE);
        assertThat(activeSlot()).isEqualTo("A");
        assertThat(a.pendingVersion()).isEmpty();
        try (var files = Files.list(base.resolve("B"))) {
            assertThat(files).isEmpty();
        }
        byte[] longer = "good image and more".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> a.apply(pkg(PackageKind.FIRMWARE, "Firmware", "2.0", signed, longer)))
                .extracting(e -> ((UpdateException) e).result()).isEqualTo(FumoResult.CORRUPTED_PACKAGE);
    }

    @Test
    void a_payload_over_the_limit_is_502() throws Exception {
        props.put("max.payload.bytes", 4L);
        FileSlotAgent a = agent();
        assertThatThrownBy(() -> a.apply(pkg("2.0", new byte[5]))).extracting(e -> ((UpdateException) e).result())
                .isEqualTo(FumoResult.UPDATE_OUT_OF_MEMORY);
        assertThat(a.pendingVersion()).isEmpty();
    }

    @Test
    void a_version_text_that_could_name_other_files_or_options_is_refused() throws Exception {
        FileSlotAgent a = agent();
        byte[] p = {1};
        PackageVersion odd = PackageVersion.of("2.0/../../x", List.of(2L));
        Path payload = Files.write(tmp.resolve("p"), p);
        PackageManifest m = PackageManifest.builder().kind(PackageKind.FIRMWARE).name("Firmware").version(odd)
                .deviceClass("Acme/GW1").payload(1, MessageDigest.getInstance("SHA-256").digest(p)).build();
        FirmwarePackage good = pkg("2.0", p);
        FirmwarePackage bad = new FirmwarePackage(payload, SignedManifest.of(m, "ab".repeat(32), "CN=x", null,
                new byte[] {1}), good.authorisation());
        assertThatThrownBy(() -> a.apply(bad)).extracting(e -> ((UpdateException) e).result())
                .isEqualTo(FumoResult.PACKAGE_MISMATCH);
    }

    @Test
    void a_corrupt_pending_record_is_set_aside_and_reported_as_unknown() throws Exception {
        agent();
        Files.writeString(base.resolve("pending.state"), "something else\n");
        FileSlotAgent a = agent();
        assertThat(a.pendingVersion()).contains("unknown");
        assertThat(Files.exists(base.resolve("pending.state.corrupt"))).isTrue();
        assertThat(a.pendingVersion()).isEmpty();
    }

    @Test
    void a_broken_active_pointer_fails_apply_with_410_and_reports_an_unknown_version() throws Exception {
        agent();
        Files.writeString(base.resolve("active"), "C\n");
        FileSlotAgent a = agent();
        assertThat(a.installedVersion()).isEqualTo("unknown");
        assertThat(a.healthy()).isFalse();
        assertThatThrownBy(() -> a.apply(pkg("2.0", new byte[] {1}))).extracting(e -> ((UpdateException) e).result())
                .isEqualTo(FumoResult.UPDATE_FAILED);
    }

    @Test
    void a_failing_marker_health_check_leads_to_rollback() throws Exception {
        props.put("health.check", "marker");
        props.put("health.marker", "booted-ok");
        props.put("health.timeout.seconds", 1);
        props.put("initial.version", "1.0.0");
        FileSlotAgent a = agent();
        a.apply(pkg("2.0.0", new byte[] {1}));
        assertThat(a.healthy()).isFalse();
        a.rollback();
        assertThat(a.installedVersion()).isEqualTo("1.0.0");

        a.apply(pkg("2.0.0", new byte[] {1}));
        Files.writeString(base.resolve(activeSlot()).resolve("booted-ok"), "");
        assertThat(a.healthy()).isTrue();
    }

    @Test
    void the_marker_must_stay_inside_the_slot() {
        props.put("health.check", "marker");
        for (String bad : List.of("../outside", "/etc/passwd", " ")) {
            props.put("health.marker", bad);
            assertThatThrownBy(this::agent).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void unusable_configuration_is_refused_with_the_key_named() {
        props.put("health.check", "shell");
        assertThatThrownBy(this::agent).hasMessageContaining("health.check");
        props.put("health.check", "command");
        assertThatThrownBy(this::agent).hasMessageContaining("health.command");
        props.put("health.check", "none");
        props.put("payload.file.name", "../x");
        assertThatThrownBy(this::agent).hasMessageContaining("payload.file.name");
        props.put("payload.file.name", "image.bin");
        props.remove("base.dir");
        assertThatThrownBy(this::agent).hasMessageContaining("base.dir");
    }

    @Test
    void is_firmware_follows_the_configuration() throws Exception {
        props.put("is.firmware", false);
        assertThat(agent().isFirmware()).isFalse();
    }
}
