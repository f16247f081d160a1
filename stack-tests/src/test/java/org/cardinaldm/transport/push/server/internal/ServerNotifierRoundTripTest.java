package org.cardinaldm.transport.push.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.cardinaldm.client.api.DmClient;
import org.cardinaldm.client.api.NotificationOutcome;
import org.cardinaldm.client.api.SessionRequest;
import org.cardinaldm.client.api.SessionResult;
import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.DeviceRegistration;
import org.cardinaldm.server.api.NotificationRecord;
import org.cardinaldm.server.api.NotificationState;
import org.cardinaldm.server.api.NotificationUi;
import org.cardinaldm.server.api.spi.PushSender;
import org.cardinaldm.server.internal.Notifier;
import org.cardinaldm.server.internal.Registry;
import org.cardinaldm.server.internal.ServerConfig;
import org.cardinaldm.server.internal.store.InMemoryServerStore;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.syncml.api.notification.Notification;
import org.cardinaldm.syncml.api.notification.UiMode;
import org.cardinaldm.transport.push.internal.device.UdpNotificationListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

/**
 * The DM server's own notifier (registry, signing, session id) sends through this sender to this
 * bundle's device listener over loopback; the device checks the digest with its server password.
 */
class ServerNotifierRoundTripTest {
    private static final String SERVER_NONCE = "c2VydmVyLW5vbmNl";
    private final BlockingQueue<byte[]> handed = new LinkedBlockingQueue<>();
    private final InMemoryServerStore store = new InMemoryServerStore();
    private UdpNotificationListener listener;

    private final DmClient client = new DmClient() {
        @Override
        public CompletableFuture<SessionResult> startSession(SessionRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public NotificationOutcome acceptNotification(byte[] pkg0) {
            handed.add(pkg0);
            return NotificationOutcome.ACCEPTED;
        }

        @Override
        public Map<NotificationOutcome, Long> notificationCounts() {
            return Map.of();
        }
    };

    @AfterEach
    void stop() throws Exception {
        if (listener != null) {
            listener.deactivate();
        }
    }

    private Notifier notifier(PushSender udp) {
        return new Notifier(store, ServerConfig.DEFAULT, Clock.systemUTC(), new SecureRandom(),
                scheme -> scheme.equals("udp") ? Optional.of(udp) : Optional.empty(), Duration.ofMinutes(2), 3);
    }

    private void register(String pushAddress) {
        new Registry(store, ServerConfig.DEFAULT, Clock.systemUTC(), new SecureRandom())
                .register(DeviceRegistration.builder("IMEI:1").client(AuthScheme.MD5, "IMEI:1", "device-secret")
                        .server(AuthScheme.MD5, null, "server-secret").serverNonce(SERVER_NONCE)
                        .pushAddress(pushAddress).build());
    }

    @Test
    void dms_notify_reaches_the_device_listener_signed_for_the_device() throws Exception {
        Map<String, Object> m = new HashMap<>();
        m.put("port", 0);
        listener = new UdpNotificationListener(client,
                Converters.standardConverter().convert(m).to(UdpNotificationListener.Config.class));
        register("udp:127.0.0.1:" + listener.localPort());
        UdpPushSender sender = new UdpPushSender(
                Converters.standardConverter().convert(Map.of()).to(UdpPushSender.Config.class));

        NotificationRecord r = notifier(sender).notify("IMEI:1", NotificationUi.USER_INTERACTION);

        assertThat(r.state()).isEqualTo(NotificationState.SENT);
        assertThat(r.detail()).isNull();
        byte[] pkg0 = handed.poll(10, TimeUnit.SECONDS);
        assertThat(pkg0).isNotNull();
        Notification.Signed signed = Notification.parse(pkg0);
        assertThat(signed.notification().serverId()).isEqualTo("cardinal");
        assertThat(signed.notification().sessionIdHex()).isEqualToIgnoringCase(r.sessionId());
        assertThat(signed.notification().uiMode()).isEqualTo(UiMode.USER_INTERACTION);
        assertThat(signed.verify("server-secret", Credentials.decodeNonce(SERVER_NONCE))).isTrue();
        assertThat(signed.verify("device-secret", Credentials.decodeNonce(SERVER_NONCE))).isFalse();
    }

    @Test
    void a_send_failure_is_recorded_by_the_server_with_the_senders_reason() throws Exception {
        register("udp://nowhere.invalid");
        UdpPushSender sender = new UdpPushSender(
                Converters.standardConverter().convert(Map.of("retries", 0)).to(UdpPushSender.Config.class));

        NotificationRecord r = notifier(sender).notify("IMEI:1", NotificationUi.BACKGROUND);

        assertThat(r.attempts()).isEqualTo(1);
        assertThat(r.detail()).startsWith("send failed: UDP push to udp:nowhere.invalid:2948 failed after 1 attempts");
    }
}
