package org.cardinaldm.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import org.cardinaldm.api.spi.transport.TransportException;
import org.cardinaldm.client.api.GenericAlert;
import org.cardinaldm.client.api.QueuedAlert;
import org.cardinaldm.client.api.SessionOutcome;
import org.cardinaldm.client.api.SessionResult;
import org.cardinaldm.client.internal.alerts.FileAlertQueue.Settlement;
import org.cardinaldm.client.internal.alerts.FileAlertQueue;
import org.cardinaldm.stacktest.DeviceRig;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.AlertCodes;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generic Alerts (1226): queued persistently, delivered in the next session, settled by the server's status. */
class GenericAlertTest {
    @TempDir
    Path dir;

    private static GenericAlert fumo(String serverId, String data) {
        return GenericAlert.builder(serverId, "org.openmobilealliance.dm.firmwareupdate.download").format("int")
                .data(data).source("./FUMO/fw1").correlator("corr-7").mark("critical").build();
    }

    /** Answers package 1 giving each Generic Alert the code {@code alertCode}. */
    private static FakeServer answeringAlerts(int alertCode) {
        FakeServer s = new FakeServer();
        s.thenReply(c -> {
            SyncMessage.Builder b = s.reply(c, StatusCodes.AUTHENTICATION_ACCEPTED);
            for (Command x : c.commands()) {
                int code = x instanceof Alert a && a.code() == AlertCodes.GENERIC_ALERT ? alertCode : StatusCodes.OK;
                b.add(Status.builder().cmdId(b.nextCmdId()).msgRef("1").answering(x).code(code).build());
            }
            return b.build();
        });
        return s;
    }

    @Test
    void a_queued_alert_is_sent_in_package_1_and_removed_when_the_server_accepts_it() throws Exception {
        DeviceRig d = DeviceRig.builder(dir).build();
        d.basicAccount();
        d.client().enqueue(fumo(DeviceRig.SERVER, "200"));
        d.client().enqueue(fumo("other.example.com", "500"));
        FakeServer s = answeringAlerts(StatusCodes.ACCEPTED);
        d.transport(s);

        SessionResult r = d.run(DeviceRig.SERVER);

        assertThat(r.outcome()).as(r.toString()).isEqualTo(SessionOutcome.COMPLETED);
        assertThat(r.alertsDelivered()).isEqualTo(1);
        Alert sent = s.received.get(0).commands().stream().filter(c -> c instanceof Alert a && a.code() == 1226)
                .map(c -> (Alert) c).findFirst().orElseThrow();
        assertThat(sent.correlator()).isEqualTo("corr-7");
        assertThat(sent.items().get(0).source().locUri()).isEqualTo("./FUMO/fw1");
        assertThat(sent.items().get(0).meta().type()).isEqualTo("org.openmobilealliance.dm.firmwareupdate.download");
        assertThat(sent.items().get(0).meta().format()).isEqualTo("int");
        assertThat(sent.items().get(0).meta().mark()).isEqualTo("critical");
        assertThat(sent.items().get(0).data().asText()).isEqualTo("200");
        assertThat(s.received.get(0).commands()).filteredOn(c -> c instanceof Alert a && a.code() == 1226).hasSize(1);
        assertThat(d.client().pending()).extracting(q -> q.alert().serverId()).containsExactly("other.example.com");
    }

    @Test
    void an_alert_the_server_cannot_take_now_stays_and_one_it_refuses_is_dropped() throws Exception {
        DeviceRig d = DeviceRig.builder(dir).build();
        d.basicAccount();
        String id = d.client().enqueue(fumo(DeviceRig.SERVER, "200"));
        d.transport(answeringAlerts(StatusCodes.SERVICE_UNAVAILABLE));

        d.run(DeviceRig.SERVER);
        assertThat(d.client().pending()).singleElement().satisfies(q -> {
            assertThat(q.id()).isEqualTo(id);
            assertThat(q.attempts()).isEqualTo(1);
        });

        d.transport(answeringAlerts(StatusCodes.UNSUPPORTED_MEDIA_TYPE));
        d.run(DeviceRig.SERVER);
        assertThat(d.client().pending()).isEmpty();
    }

    @Test
    void an_unreachable_server_does_not_use_up_delivery_attempts() throws Exception {
        DeviceRig d = DeviceRig.builder(dir).settings(Settings.DEFAULT.withRetries(0, java.time.Duration.ZERO, java.time.Duration.ZERO)).build();
        d.basicAccount();
        d.client().enqueue(fumo(DeviceRig.SERVER, "200"));
        FakeServer s = new FakeServer();
        s.then((c, req, srv) -> {
            throw new TransportException(TransportException.Reason.UNREACHABLE, "down");
        });
        d.transport(s);

        assertThat(d.run(DeviceRig.SERVER).outcome()).isEqualTo(SessionOutcome.UNREACHABLE);
        assertThat(d.client().pending()).singleElement().satisfies(q -> assertThat(q.attempts()).isZero());
    }

    @Test
    void the_queue_survives_a_restart_and_a_corrupt_file_is_moved_aside() throws Exception {
        Path file = dir.resolve("q/alerts.bin");
        FileAlertQueue q = new FileAlertQueue(file, 8, 3, Clock.systemUTC());
        String id = q.enqueue(fumo("a.example.com", "200"));
        q.enqueue(GenericAlert.builder("b.example.com", "urn:x").build());

        FileAlertQueue again = new FileAlertQueue(file, 8, 3, Clock.systemUTC());
        assertThat(again.pending()).hasSize(2);
        assertThat(again.pending("a.example.com")).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo(id);
            assertThat(a.alert()).isEqualTo(fumo("a.example.com", "200"));
        });

        Files.write(file, new byte[] {1, 2, 3});
        FileAlertQueue broken = new FileAlertQueue(file, 8, 3, Clock.systemUTC());
        assertThat(broken.pending()).isEmpty();
        assertThat(file.resolveSibling("alerts.bin.corrupt")).exists();
    }

    @Test
    void the_queue_is_bounded_and_drops_an_alert_after_its_attempts() throws Exception {
        FileAlertQueue q = new FileAlertQueue(dir.resolve("alerts.bin"), 2, 2, Clock.systemUTC());
        String a = q.enqueue(fumo("s", "1"));
        q.enqueue(fumo("s", "2"));
        assertThatThrownBy(() -> q.enqueue(fumo("s", "3"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("full");
        q.settle(Map.of(a, Settlement.RETRY));
        assertThat(q.pending()).extracting(QueuedAlert::attempts).containsExactly(1, 0);
        q.settle(Map.of(a, Settlement.RETRY));
        assertThat(q.pending()).hasSize(1);
        assertThat(q.remove(q.pending().get(0).id())).isTrue();
        assertThat(q.remove("nope")).isFalse();
    }

    @Test
    void generic_alert_fields_are_checked() {
        assertThatThrownBy(() -> GenericAlert.builder("s", " ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GenericAlert.builder("s", "t").mark("urgent")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GenericAlert.builder("s", "t").data("x".repeat(GenericAlert.MAX_DATA_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(fumo("s", "secret-result").toString()).doesNotContain("secret-result");
    }
}
