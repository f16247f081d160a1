package org.cardinaldm.transport.push.internal.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.cardinaldm.client.api.DmClient;
import org.cardinaldm.client.api.NotificationOutcome;
import org.cardinaldm.client.api.SessionRequest;
import org.cardinaldm.client.api.SessionResult;
import org.cardinaldm.syncml.api.notification.Notification;
import org.cardinaldm.syncml.api.notification.UiMode;
import org.cardinaldm.syncml.api.notification.WspPush;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

class UdpNotificationListenerTest {
    private final BlockingQueue<byte[]> handed = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> sources = new LinkedBlockingQueue<>();
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
        public NotificationOutcome acceptNotification(byte[] pkg0, String source) {
            sources.add(source);
            return acceptNotification(pkg0);
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

    private UdpNotificationListener start(Object... kv) throws Exception {
        Map<String, Object> m = new HashMap<>();
        m.put("port", 0);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        listener = new UdpNotificationListener(client,
                Converters.standardConverter().convert(m).to(UdpNotificationListener.Config.class));
        return listener;
    }

    private void send(byte[] data, int port, String from) throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(from), 0))) {
            s.send(new DatagramPacket(data, data.length, InetAddress.getLoopbackAddress(), port));
        }
    }

    private void send(byte[] data, int port) throws Exception {
        try (DatagramSocket s = new DatagramSocket()) {
            s.send(new DatagramPacket(data, data.length, InetAddress.getLoopbackAddress(), port));
        }
    }

    @Test
    void bare_and_wsp_wrapped_notifications_reach_the_client_as_package_0() throws Exception {
        int port = start().localPort();
        byte[] pkg0 = Notification.of("dms.example.com", 0x1234, UiMode.BACKGROUND).encode("secret", new byte[4]);

        send(pkg0, port);
        send(WspPush.wrap(pkg0), port);

        assertThat(handed.poll(10, TimeUnit.SECONDS)).containsExactly(pkg0);
        assertThat(handed.poll(10, TimeUnit.SECONDS)).containsExactly(pkg0);
    }

    @Test
    void the_default_binding_is_the_loopback_address_on_port_2948() {
        UdpNotificationListener.Config c = Converters.standardConverter().convert(new HashMap<String, Object>())
                .to(UdpNotificationListener.Config.class);
        assertThat(c.bind_address()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(2948);
        assertThat(c.enabled()).isTrue();
    }

    @Test
    void a_disabled_listener_binds_nothing() throws Exception {
        assertThat(start("enabled", false).localPort()).isZero();
    }

    @Test
    void a_flood_beyond_the_rate_limit_is_dropped_unread() throws Exception {
        int port = start("max.per.second", 3).localPort();
        byte[] datagram = new byte[] {9, 9, 9};
        for (int i = 0; i < 100; i++) {
            send(datagram, port);
        }
        assertThat(handed.poll(10, TimeUnit.SECONDS)).isNotNull();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (listener.received() < 20 && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // waits for the listener thread, asserts nothing about time
        }
        assertThat(listener.dropped()).isPositive();
        assertThat(handed.size() + 1 + listener.dropped()).isLessThanOrEqualTo(listener.received());
    }

    @Test
    void a_flood_from_one_address_does_not_crowd_out_another_and_the_client_learns_the_source() throws Exception {
        AtomicLong frozen = new AtomicLong();
        Map<String, Object> m = new HashMap<>();
        m.put("port", 0);
        listener = new UdpNotificationListener(client,
                Converters.standardConverter().convert(m).to(UdpNotificationListener.Config.class), frozen::get);
        int port = listener.localPort();
        byte[] forged = new byte[40];
        for (int i = 0; i < 100; i++) {
            send(forged, port, "127.0.0.2");
        }
        byte[] genuine = Notification.of("dms.example.com", 0x1234, UiMode.BACKGROUND).encode("secret", new byte[4]);
        send(genuine, port, "127.0.0.1");

        await().atMost(Duration.ofSeconds(30)).until(() -> sources.contains("udp:127.0.0.1"));
        assertThat(sources.stream().filter("udp:127.0.0.2"::equals).count()).as("the burst of one address")
                .isLessThanOrEqualTo(5);
        assertThat(handed).anySatisfy(p -> assertThat(p).containsExactly(genuine));
    }
}
