package org.cardinaldm.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.DeviceRegistration;
import org.cardinaldm.server.api.NotificationRecord;
import org.cardinaldm.server.api.NotificationState;
import org.cardinaldm.server.api.NotificationUi;
import org.cardinaldm.server.api.spi.PushSender;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.syncml.api.model.AlertCodes;
import org.cardinaldm.syncml.api.notification.Notification;
import org.cardinaldm.syncml.api.notification.UiMode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NotifierTest extends EngineFixture {
    private final List<String> addresses = new ArrayList<>();
    private final List<byte[]> sent = new ArrayList<>();
    private boolean failing;
    private Notifier notifier;

    @BeforeEach
    void setUp() {
        PushSender udp = (address, bytes) -> {
            if (failing) {
                throw new IOException("network unreachable");
            }
            addresses.add(address);
            sent.add(bytes);
        };
        notifier = new Notifier(store, config, clock, new SecureRandom(),
                scheme -> scheme.equals("udp") ? Optional.of(udp) : Optional.empty(), Duration.ofSeconds(60), 3);
        engine.onServerInitiatedSession(notifier::sessionOpened);
        registry.register(DeviceRegistration.builder("IMEI:1").client(AuthScheme.MD5, "IMEI:1", "pw-IMEI:1")
                .server(AuthScheme.MD5, null, "srv-IMEI:1").serverNonce("c2VydmVyLW5vbmNl")
                .pushAddress("udp:127.0.0.1:2948").build());
    }

    @Test
    void the_notification_is_signed_so_that_the_device_verifies_it_with_its_server_password() throws Exception {
        NotificationRecord r = notifier.notify("IMEI:1", NotificationUi.INFORMATIVE);
        assertThat(r.state()).isEqualTo(NotificationState.SENT);
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(addresses).containsExactly("udp:127.0.0.1:2948");
        Notification.Signed parsed = Notification.parse(sent.get(0));
        assertThat(parsed.notification().serverId()).isEqualTo("cardinal");
        assertThat(parsed.notification().uiMode()).isEqualTo(UiMode.INFORMATIVE);
        assertThat(parsed.notification().sessionIdHex()).isEqualTo(r.sessionId());
        assertThat(parsed.verify("srv-IMEI:1", Credentials.decodeNonce("c2VydmVyLW5vbmNl"))).isTrue();
        assertThat(parsed.verify("wrong", Credentials.decodeNonce("c2VydmVyLW5vbmNl"))).isFalse();
    }

    @Test
    void the_session_that_answers_is_recognised_by_its_session_id() {
        NotificationRecord r = notifier.notify("IMEI:1", NotificationUi.BACKGROUND);
        DeviceSim d = new DeviceSim(engine, true, "IMEI:1", "pw-IMEI:1", "srv-IMEI:1");
        d.clientNonce = store.device("IMEI:1").orElseThrow().clientNonce();
        d.serverNonce = "c2VydmVyLW5vbmNl";
        d.alertCode = AlertCodes.SERVER_INITIATED_MGMT;
        d.sessionId = r.sessionId();
        d.runSession();
        assertThat(notifier.notifications("IMEI:1", 5)).singleElement()
                .satisfies(x -> assertThat(x.state()).isEqualTo(NotificationState.ANSWERED));
        clock.advance(Duration.ofMinutes(5));
        assertThat(notifier.retry()).isZero();
    }

    @Test
    void silence_is_retried_a_bounded_number_of_times_then_expires() {
        NotificationRecord r = notifier.notify("IMEI:1", NotificationUi.NOT_SPECIFIED);
        clock.advance(Duration.ofSeconds(30));
        assertThat(notifier.retry()).isZero();
        clock.advance(Duration.ofSeconds(31));
        assertThat(notifier.retry()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(61));
        assertThat(notifier.retry()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(61));
        assertThat(notifier.retry()).isZero();
        NotificationRecord last = notifier.notifications(null, 1).get(0);
        assertThat(last.state()).isEqualTo(NotificationState.EXPIRED);
        assertThat(last.attempts()).isEqualTo(3);
        assertThat(sent).hasSize(3);
        // every attempt carries the same session id
        assertThat(sent).allSatisfy(b -> {
            try {
                assertThat(Notification.parse(b).notification().sessionIdHex()).isEqualTo(r.sessionId());
            } catch (org.cardinaldm.syncml.api.CodecException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void failures_are_recorded_and_bad_requests_refused() {
        failing = true;
        NotificationRecord r = notifier.notify("IMEI:1", NotificationUi.BACKGROUND);
        assertThat(r.state()).isEqualTo(NotificationState.SENT);
        assertThat(r.detail()).contains("network unreachable");
        registry.updateCredentials(DeviceRegistration.builder("IMEI:1").client(AuthScheme.MD5, "IMEI:1", "p")
                .server(AuthScheme.MD5, null, "s").pushAddress("sms:+33600000000").build());
        NotificationRecord sms = notifier.notify("IMEI:1", NotificationUi.BACKGROUND);
        assertThat(sms.state()).isEqualTo(NotificationState.FAILED);
        assertThat(sms.detail()).contains("no push sender for scheme sms");
        assertThatThrownBy(() -> notifier.notify("ghost", NotificationUi.BACKGROUND))
                .isInstanceOf(IllegalArgumentException.class);
        registry.register(DeviceRegistration.builder("IMEI:2").client(AuthScheme.MD5, "u", "p")
                .server(AuthScheme.MD5, null, "s").build());
        assertThatThrownBy(() -> notifier.notify("IMEI:2", NotificationUi.BACKGROUND))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("push address");
    }

    private Notifier nodeOn(org.cardinaldm.server.api.spi.ServerStore registry, List<String> log) {
        PushSender udp = (address, bytes) -> log.add(address);
        return new Notifier(registry, config, clock, new SecureRandom(),
                scheme -> scheme.equals("udp") ? Optional.of(udp) : Optional.empty(), Duration.ofSeconds(60), 3);
    }

    @Test
    void a_notification_sent_by_one_node_is_listed_and_answered_on_another_and_not_sent_again() {
        List<String> sentByOther = new ArrayList<>();
        Notifier other = nodeOn(store, sentByOther);
        NotificationRecord r = notifier.notify("IMEI:1", NotificationUi.BACKGROUND);
        assertThat(other.notifications("IMEI:1", 5)).containsExactly(r);
        other.sessionOpened("IMEI:1", r.sessionId().toLowerCase(java.util.Locale.ROOT));
        assertThat(notifier.notifications("IMEI:1", 5)).singleElement()
                .satisfies(x -> assertThat(x.state()).isEqualTo(NotificationState.ANSWERED));
        clock.advance(Duration.ofMinutes(5));
        assertThat(notifier.retry() + other.retry()).isZero();
        assertThat(sent).hasSize(1);
        assertThat(sentByOther).isEmpty();
    }

    @Test
    void of_two_nodes_retrying_the_same_notification_one_sends_each_retry() {
        List<String> sentByOther = new ArrayList<>();
        Notifier other = nodeOn(store, sentByOther);
        notifier.notify("IMEI:1", NotificationUi.BACKGROUND);
        for (int round = 0; round < 4; round++) {
            clock.advance(Duration.ofSeconds(61));
            other.retry();
            notifier.retry();
        }
        assertThat(sent.size() + sentByOther.size()).as("first sending and two retries, by whichever node").isEqualTo(3);
        NotificationRecord last = other.notifications("IMEI:1", 1).get(0);
        assertThat(last.state()).isEqualTo(NotificationState.EXPIRED);
        assertThat(last.attempts()).isEqualTo(3);
    }

    @Test
    void a_registry_that_keeps_no_notifications_leaves_them_in_the_sending_node() {
        List<String> log = new ArrayList<>();
        Notifier alone = nodeOn(new DelegatingStore(store), log);
        NotificationRecord r = alone.notify("IMEI:1", NotificationUi.BACKGROUND);
        assertThat(alone.notifications("IMEI:1", 5)).containsExactly(r);
        assertThat(store.notifications("IMEI:1", 5)).isEmpty();
        alone.sessionOpened("IMEI:1", r.sessionId());
        assertThat(alone.notifications("IMEI:1", 5)).singleElement()
                .satisfies(x -> assertThat(x.state()).isEqualTo(NotificationState.ANSWERED));
        clock.advance(Duration.ofMinutes(5));
        assertThat(alone.retry()).isZero();
        assertThat(log).hasSize(1);
    }

    @Test
    void stored_notifications_are_forgotten_after_a_week() {
        notifier.notify("IMEI:1", NotificationUi.BACKGROUND);
        clock.advance(Notifier.KEEP_STORED.plusMinutes(1));
        notifier.retry();
        assertThat(notifier.notifications(null, 10)).isEmpty();
    }
}
