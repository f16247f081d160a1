package org.cardinaldm.client.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.client.api.GenericAlert;
import org.cardinaldm.client.api.NotificationOutcome;
import org.cardinaldm.client.internal.Settings;
import org.cardinaldm.stacktest.DeviceRig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertsAndNotificationsTest {
    @TempDir
    Path dir;

    private DeviceRig device;
    private final CommandOutput output = new CommandOutput();

    @BeforeEach
    void device() throws Exception {
        device = DeviceRig.builder(dir)
                .settings(Settings.DEFAULT.withRetries(0, Duration.ZERO, Duration.ZERO))
                .bootstrap(Map.of(".network.id", DeviceRig.NETWORK_ID)).build();
    }

    private AlertsCommand alerts(Duration later) {
        AlertsCommand c = new AlertsCommand();
        c.queue = device.client();
        c.out = output.stream;
        c.clock = Clock.fixed(device.client().pending().stream().map(q -> q.queued()).findFirst()
                .orElse(java.time.Instant.EPOCH).plus(later), ZoneOffset.UTC);
        return c;
    }

    private List<List<String>> rows() {
        return Arrays.stream(output.text().split("\n")).skip(2)
                .map(l -> Arrays.stream(l.split("\\|", -1)).map(String::trim).toList()).toList();
    }

    @Test
    void pending_alerts_show_correlator_source_type_attempts_and_age() throws Exception {
        String id = device.client().enqueue(GenericAlert.builder("dms.example.com", "org.openmobilealliance.dm.firmwareupdate.download")
                .format("int").data("200").source("./FUMO/fw1").correlator("abc123").mark("critical").build());
        device.client().enqueue(GenericAlert.builder("other.example.com", "com.example.alarm").build());

        alerts(Duration.ofSeconds(192)).execute();

        assertThat(output.text().split("\n")[0])
                .matches("ID\\s+\\| Server\\s+\\| Correlator\\s+\\| Source\\s+\\| Type\\s+\\| Mark\\s+\\| Attempts\\s+\\| Age");
        List<List<String>> rows = rows();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsExactly(id, "dms.example.com", "abc123", "./FUMO/fw1",
                "org.openmobilealliance.dm.firmwareupdate.download", "critical", "0", "3m 12s");
        assertThat(rows.get(1).subList(1, 7)).containsExactly("other.example.com", "-", "-", "com.example.alarm", "-", "0");
    }

    @Test
    void alerts_can_be_filtered_by_server_and_none_says_so() throws Exception {
        device.client().enqueue(GenericAlert.builder("dms.example.com", "t1").build());
        device.client().enqueue(GenericAlert.builder("other.example.com", "t2").build());
        AlertsCommand c = alerts(Duration.ZERO);
        c.server = "other.example.com";

        c.execute();

        assertThat(rows()).singleElement().satisfies(r -> assertThat(r.get(4)).isEqualTo("t2"));
        c.server = "nobody";
        c.execute();
        assertThat(output.text()).contains("No Generic Alerts pending for nobody");
    }

    @Test
    void an_empty_queue_or_no_queue() throws Exception {
        alerts(Duration.ZERO).execute();
        assertThat(output.text()).contains("No Generic Alerts pending");

        AlertsCommand c = alerts(Duration.ZERO);
        c.queue = null;
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class)
                .hasMessageStartingWith("No Generic Alert queue service");
    }

    @Test
    void ages_read_naturally() {
        assertThat(Services.span(Duration.ofSeconds(-5))).isEqualTo("0s");
        assertThat(Services.span(Duration.ofSeconds(59))).isEqualTo("59s");
        assertThat(Services.span(Duration.ofMinutes(125))).isEqualTo("2h 5m");
        assertThat(Services.span(Duration.ofHours(99))).isEqualTo("4d 3h");
        assertThat(Services.shorten("line one\nline two", 12)).isEqualTo("line one li…");
    }

    @Test
    void notification_counts_list_every_outcome_and_a_total() throws Exception {
        assertThat(device.client().acceptNotification(new byte[] {1, 2, 3})).isEqualTo(NotificationOutcome.MALFORMED);
        assertThat(device.client().acceptNotification(new byte[0])).isEqualTo(NotificationOutcome.MALFORMED);
        NotificationsCommand c = new NotificationsCommand();
        c.client = device.client();
        c.out = output.stream;

        c.execute();

        List<List<String>> rows = rows();
        assertThat(rows).hasSize(NotificationOutcome.values().length + 1);
        assertThat(rows).contains(List.of("MALFORMED", "2", "not a package 0"),
                List.of("ACCEPTED", "0", "valid: the server-initiated session was queued"), List.of("TOTAL", "2", ""));

        c.client = null;
        assertThatThrownBy(c::execute).hasMessageStartingWith("No DM client service");
    }
}
