package org.cardinaldm.fumo.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.cardinaldm.server.api.HelpDeskReport;
import org.cardinaldm.server.api.HelpDeskReport.Entry;
import org.cardinaldm.server.api.HelpDeskReport.Group;
import org.cardinaldm.server.api.HelpDeskReport.Kind;
import org.cardinaldm.server.api.HelpDeskReport.Section;
import org.junit.jupiter.api.Test;

/** The facts a campaign reads from a help-desk report, wherever the report's version puts them. */
class DeviceFactsTest {
    private static HelpDeskReport report(Kind counterIn, Kind fwvIn) {
        List<Section> sections = new ArrayList<>();
        for (Kind k : Kind.values()) {
            List<Entry> e = new ArrayList<>();
            if (k == fwvIn) {
                e.add(new Entry("Firmware version", "1.0", DeviceFacts.FWV));
            }
            if (k == counterIn) {
                e.add(new Entry("FUMO anti-rollback counter", "7", "./SmartCard" + DeviceFacts.COUNTER_SUFFIX));
            }
            sections.add(new Section(k, null, List.of(new Group(null, e))));
        }
        return new HelpDeskReport("IMEI:1", List.of(1L), true, sections, List.of(), 0);
    }

    @Test
    void the_counter_is_found_in_the_firmware_section_and_in_the_card_section_of_older_reports() {
        for (Kind k : List.of(Kind.FIRMWARE, Kind.CARD)) {
            HelpDeskReport r = report(k, Kind.DEVICE);
            assertThat(DeviceFacts.entry(r, DeviceFacts.COUNTER_SUFFIX, true)).as(k.name()).isEqualTo("7");
            assertThat(DeviceFacts.entry(r, DeviceFacts.FWV, false)).isEqualTo("1.0");
        }
    }

    @Test
    void a_report_without_the_nodes_gives_nothing_and_a_suffix_does_not_match_a_prefix() {
        HelpDeskReport r = report(null, null);
        assertThat(DeviceFacts.entry(r, DeviceFacts.COUNTER_SUFFIX, true)).isNull();
        assertThat(DeviceFacts.entry(r, DeviceFacts.FWV, false)).isNull();
        assertThat(DeviceFacts.entry(report(Kind.FIRMWARE, null), "./DevDetail/FwV/X", false)).isNull();
    }
}
