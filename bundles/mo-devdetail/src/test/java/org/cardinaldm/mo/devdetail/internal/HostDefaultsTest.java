package org.cardinaldm.mo.devdetail.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostDefaultsTest {
    @Test
    void versions_come_from_dmi_when_present() {
        HostDefaults d = new HostDefaults(new FakeHost().file("/sys/class/dmi/id/sys_vendor", "ACME")
                .file("/sys/class/dmi/id/bios_version", "1.07.2\n").file("/sys/class/dmi/id/product_version", "Rev C")
                .property("os.name", "Linux").property("os.version", "6.1.0-18-amd64"));
        assertThat(d.oem()).isEqualTo("ACME");
        assertThat(d.fwV()).isEqualTo("1.07.2");
        assertThat(d.hwV()).isEqualTo("Rev C");
        assertThat(d.swV()).isEqualTo("Linux 6.1.0-18-amd64");
    }

    @Test
    void placeholders_fall_through_to_the_next_source() {
        HostDefaults d = new HostDefaults(new FakeHost().file("/sys/class/dmi/id/sys_vendor", "System manufacturer")
                .file("/sys/class/dmi/id/board_vendor", "Board Co").file("/sys/class/dmi/id/product_version", "System Version")
                .file("/sys/class/dmi/id/board_version", "1.0").file("/sys/class/dmi/id/bios_version", "Default string")
                .file("/proc/device-tree/firmware/revision", "fw-42\u0000"));
        assertThat(d.oem()).isEqualTo("Board Co");
        assertThat(d.hwV()).isEqualTo("1.0");
        assertThat(d.fwV()).isEqualTo("fw-42");
    }

    @Test
    void placeholders_of_the_version_fields_count_as_absent_too() {
        HostDefaults d = new HostDefaults(new FakeHost().file("/sys/class/dmi/id/product_version", "Type1ProductConfigId")
                .file("/sys/class/dmi/id/board_version", "Type2 - Board Version")
                .file("/sys/class/dmi/id/bios_version", "To Be Filled By O.E.M."));
        assertThat(d.hwV()).isEqualTo("Unknown");
        assertThat(d.fwV()).isEqualTo("Unknown");
    }

    @Test
    void a_bare_host_gives_os_properties_and_unknown() {
        HostDefaults d = new HostDefaults(new FakeHost().property("os.name", "Linux"));
        assertThat(d.oem()).isEqualTo("Linux");
        assertThat(d.swV()).isEqualTo("Linux");
        assertThat(d.fwV()).isEqualTo("Unknown");
        assertThat(d.hwV()).isEqualTo("Unknown");
        assertThat(d.devTyp()).isEqualTo("gateway");
        assertThat(new HostDefaults(new FakeHost()).swV()).isEqualTo("Unknown");
    }
}
