package org.cardinaldm.fumo.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValuesTest {
    @Test
    void wave_sizes_parse_counts_and_percentages_and_split_with_a_remainder_wave() {
        assertThat(WaveSize.parseList("1, 10%,50%")).containsExactly(new WaveSize(1, false), new WaveSize(10, true),
                new WaveSize(50, true));
        assertThat(WaveSize.split(WaveSize.parseList("1,10%,50%"), 100)).containsExactly(1, 10, 50, 39);
        assertThat(WaveSize.split(WaveSize.parseList("5,5"), 7)).containsExactly(5, 2);
        assertThat(WaveSize.split(List.of(), 7)).containsExactly(7);
        assertThat(WaveSize.split(WaveSize.parseList("1%"), 3)).as("at least one device").containsExactly(1, 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "101%", "-1", "abc", "1e3", "123456789", "%"})
    void malformed_wave_sizes_are_refused(String text) {
        assertThatThrownBy(() -> WaveSize.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void more_than_a_hundred_waves_are_refused() {
        assertThatThrownBy(() -> WaveSize.parseList("1,".repeat(101) + "1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 100");
    }

    @Test
    void a_window_across_midnight_is_open_until_the_next_morning() {
        MaintenanceWindow w = MaintenanceWindow.parse("Fri 22:00-05:00 Europe/Paris");
        // 2026-12-11 is a Friday; Paris is UTC+1 in December
        assertThat(w.isOpen(Instant.parse("2026-12-11T20:59:00Z"))).isFalse();
        assertThat(w.isOpen(Instant.parse("2026-12-11T21:00:00Z"))).isTrue();
        assertThat(w.isOpen(Instant.parse("2026-12-12T03:59:00Z"))).as("Saturday 04:59").isTrue();
        assertThat(w.isOpen(Instant.parse("2026-12-12T04:00:00Z"))).isFalse();
        assertThat(w.isOpen(Instant.parse("2026-12-12T21:30:00Z"))).as("Saturday evening").isFalse();
        assertThat(w.toString()).isEqualTo("Fri 22:00-05:00 Europe/Paris");
    }

    @Test
    void a_window_parses_ranges_lists_and_every_day() {
        assertThat(MaintenanceWindow.parse("Mon-Wed,Sat 01:00-04:00 UTC").days()).containsExactlyInAnyOrder(
                DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.SATURDAY);
        assertThat(MaintenanceWindow.parse("Sat-Mon 00:00-00:00 UTC").days()).hasSize(3);
        MaintenanceWindow all = MaintenanceWindow.parse("* 00:00-00:00 UTC");
        assertThat(all.isOpen(Instant.parse("2026-12-09T13:00:00Z"))).isTrue();
        assertThat(all.toString()).startsWith("* ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mon 22:00 UTC", "Xyz 01:00-02:00 UTC", "Mon 25:00-02:00 UTC", "Mon 01:00-02:00 Mars/Base",
            "Mon-Tue-Wed 01:00-02:00 UTC", "Mon 01:00-02:00-03:00 UTC"})
    void malformed_windows_are_refused_with_a_sentence(String text) {
        assertThatThrownBy(() -> MaintenanceWindow.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("Exception");
    }

    @Test
    void a_spec_checks_what_an_operator_can_get_wrong() {
        DeviceFilter all = DeviceFilter.all();
        assertThat(CampaignSpec.simple("n", "fw.bin", all).fumoInstance()).isEqualTo("Gateway");
        assertThatThrownBy(() -> new CampaignSpec("", "fw.bin", all, List.of(), 1, 1, null, null, false, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CampaignSpec("n\u0007", "fw.bin", all, List.of(), 1, 1, null, null, false, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CampaignSpec("n", "fw.bin", all, List.of(), 101, 1, null, null, false, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 to 100");
        assertThatThrownBy(() -> new CampaignSpec("n", "fw.bin", all, List.of(), 1, 1, null, "../x", false, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FUMO instance");
        assertThatThrownBy(() -> new CampaignSpec("n", "fw.bin", all, List.of(), 1, 1, null, null, true, "x".repeat(201)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_filter_checks_tags_and_bounds() {
        assertThatThrownBy(() -> new DeviceFilter(null, null, null, null, Set.of("a b"), Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeviceFilter("x".repeat(257), null, null, null, Set.of(), Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new DeviceFilter(null, "GW-1", "1.0", true, Set.of("eu", "lab"), Set.of()).toString())
                .isEqualTo("model=GW-1 fwv=1.0 card=yes tags=eu,lab");
        assertThat(DeviceFilter.all().toString()).isEqualTo("all devices");
    }

    @Test
    void progress_counts_percentages_without_rollback_refusals() {
        CampaignProgress.Counts c = new CampaignProgress.Counts(0, 10, java.util.Map.of(DeviceUpdateState.SUCCEEDED, 3,
                DeviceUpdateState.FAILED, 1, DeviceUpdateState.ROLLBACK_REFUSED, 2, DeviceUpdateState.QUEUED, 4));
        assertThat(c.succeededPercent()).isEqualTo(37.5);
        assertThat(c.failedPercent()).isEqualTo(12.5);
        assertThat(c.started()).isEqualTo(4);
        assertThat(c.finishedPercent()).isEqualTo(60.0);
    }
}
