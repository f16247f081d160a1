package org.cardinaldm.mo.devinfo.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class HostDefaultsTest {
    private static final String MACHINE_ID = "3d1219c7c4c5404aaa1f6d2a48adfda4";

    @Test
    void name_uuid_matches_the_rfc_4122_version_5_test_vector() {
        UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        assertThat(HostDefaults.nameUuid(dns, "python.org"))
                .isEqualTo(UUID.fromString("886313e1-3b8a-5372-9b90-0c9aee199e5d"));
    }

    @Test
    void dev_id_is_a_version_5_uuid_urn_derived_from_the_machine_id() {
        String devId = new HostDefaults(new FakeHost().file("/etc/machine-id", MACHINE_ID + "\n")).devId();
        assertThat(devId).startsWith("urn:uuid:");
        UUID uuid = UUID.fromString(devId.substring("urn:uuid:".length()));
        assertThat(uuid.version()).isEqualTo(5);
        assertThat(uuid.variant()).isEqualTo(2);
        assertThat(devId).doesNotContainIgnoringCase(MACHINE_ID);
    }

    @Test
    void dev_id_is_stable_and_differs_between_machines() {
        String a1 = new HostDefaults(new FakeHost().file("/etc/machine-id", MACHINE_ID)).devId();
        String a2 = new HostDefaults(new FakeHost().file("/var/lib/dbus/machine-id", MACHINE_ID.toUpperCase(Locale.ROOT))).devId();
        String b = new HostDefaults(new FakeHost().file("/etc/machine-id", "00000000000000000000000000000001")).devId();
        assertThat(a1).isEqualTo(a2).isNotEqualTo(b);
    }

    @Test
    void dev_id_falls_back_to_the_host_name_when_the_machine_id_is_missing_or_malformed() {
        String byName = new HostDefaults(new FakeHost().file("/etc/machine-id", "uninitialized")
                .file("/proc/sys/kernel/hostname", "gw-17")).devId();
        String byOtherName = new HostDefaults(new FakeHost().file("/etc/hostname", "gw-18")).devId();
        assertThat(byName).startsWith("urn:uuid:").isNotEqualTo(byOtherName);
        assertThat(new HostDefaults(new FakeHost().file("/etc/hostname", "GW-17")).devId()).isEqualTo(byName);
    }

    @Test
    void dev_id_passes_over_a_placeholder_host_name_to_the_next_file() {
        String placeholderFirst = new HostDefaults(new FakeHost().file("/proc/sys/kernel/hostname", "None\n")
                .file("/etc/hostname", "gw-17")).devId();
        assertThat(placeholderFirst).isEqualTo(new HostDefaults(new FakeHost().file("/etc/hostname", "gw-17")).devId());
    }

    @Test
    void dev_id_exists_even_on_a_host_with_nothing_to_read() {
        assertThat(new HostDefaults(new FakeHost()).devId()).matches("urn:uuid:[0-9a-f-]{36}");
    }

    @Test
    void man_and_mod_come_from_dmi() {
        HostDefaults d = new HostDefaults(new FakeHost().file("/sys/class/dmi/id/sys_vendor", "ACME Corp\n")
                .file("/sys/class/dmi/id/product_name", "Gateway 9000").property("os.name", "Linux"));
        assertThat(d.man()).isEqualTo("ACME Corp");
        assertThat(d.mod()).isEqualTo("Gateway 9000");
    }

    @Test
    void firmware_placeholders_are_ignored_in_favour_of_the_next_source() {
        HostDefaults d = new HostDefaults(new FakeHost()
                .file("/sys/class/dmi/id/sys_vendor", "To Be Filled By O.E.M.")
                .file("/sys/class/dmi/id/board_vendor", "Board Maker")
                .file("/sys/class/dmi/id/product_name", "System Product Name")
                .file("/sys/class/dmi/id/board_name", "Default string")
                .file("/proc/device-tree/model", "Raspberry Pi 4 Model B Rev 1.4\u0000"));
        assertThat(d.man()).isEqualTo("Board Maker");
        assertThat(d.mod()).isEqualTo("Raspberry Pi 4 Model B Rev 1.4");
    }

    @Test
    void without_dmi_man_and_mod_come_from_os_properties() {
        HostDefaults d = new HostDefaults(new FakeHost().property("os.name", "Linux").property("os.arch", "aarch64"));
        assertThat(d.man()).isEqualTo("Linux");
        assertThat(d.mod()).isEqualTo("aarch64");
        assertThat(new HostDefaults(new FakeHost()).man()).isEqualTo("Unknown");
    }

    @Test
    void lang_is_an_rfc_1766_tag_of_the_locale() {
        assertThat(HostDefaults.toRfc1766(new Locale("de", "CH"))).isEqualTo("de-CH");
        assertThat(HostDefaults.toRfc1766(Locale.ENGLISH)).isEqualTo("en");
        assertThat(HostDefaults.toRfc1766(Locale.ROOT)).isEqualTo("en");
        assertThat(HostDefaults.toRfc1766(Locale.forLanguageTag("es-419"))).isEqualTo("es");
        assertThat(HostDefaults.toRfc1766(Locale.forLanguageTag("zh-Hans-CN"))).isEqualTo("zh-CN");
        assertThat(new HostDefaults(new FakeHost().locale(Locale.JAPAN)).lang()).isEqualTo("ja-JP");
    }

    @Test
    void rfc_1766_syntax_check_rejects_digits_and_empty_subtags() {
        assertThat(HostDefaults.isRfc1766("en-GB")).isTrue();
        assertThat(HostDefaults.isRfc1766("i-klingon")).isTrue();
        assertThat(HostDefaults.isRfc1766("es-419")).isFalse();
        assertThat(HostDefaults.isRfc1766("en-")).isFalse();
        assertThat(HostDefaults.isRfc1766("english_GB")).isFalse();
    }

    @Test
    void cardinal_version_is_filled_in_by_the_build() {
        assertThat(HostDefaults.cardinalVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
    }
}
