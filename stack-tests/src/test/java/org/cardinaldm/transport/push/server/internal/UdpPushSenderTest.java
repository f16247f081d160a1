package org.cardinaldm.transport.push.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.cardinaldm.client.api.DmClient;
import org.cardinaldm.client.api.NotificationOutcome;
import org.cardinaldm.client.api.SessionRequest;
import org.cardinaldm.client.api.SessionResult;
import org.cardinaldm.syncml.api.notification.Notification;
import org.cardinaldm.syncml.api.notification.UiMode;
import org.cardinaldm.syncml.api.notification.WspPush;
import org.cardinaldm.transport.push.internal.device.UdpNotificationListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

class UdpPushSenderTest {
    private static final byte[] NONCE = {1, 2, 3, 4};
    private static final byte[] PKG0 = Notification.of("cardinal", 0x1A2B, UiMode.INFORMATIVE)
            .encode("server-secret", NONCE);

    private final BlockingQueue<byte[]> handed = new LinkedBlockingQueue<>();
    private final List<AutoCloseable> closing = new ArrayList<>();

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
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private static <T> T config(Class<T> type, Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return Converters.standardConverter().convert(m).to(type);
    }

    private static UdpPushSender sender(Object... kv) throws Exception {
        return new UdpPushSender(config(UdpPushSender.Config.class, kv));
    }

    private int listener() throws Exception {
        UdpNotificationListener l = new UdpNotificationListener(client,
                config(UdpNotificationListener.Config.class, "port", 0));
        closing.add(l::deactivate);
        return l.localPort();
    }

    private DatagramSocket receiver() throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        s.setSoTimeout(10_000);
        closing.add(s);
        return s;
    }

    private static byte[] receive(DatagramSocket s) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
        s.receive(p);
        return Arrays.copyOf(p.getData(), p.getLength());
    }

    @Test
    void a_notification_crosses_loopback_to_the_device_listener_and_verifies_with_the_server_password()
            throws Exception {
        int port = listener();
        UdpPushSender sender = sender();

        sender.send("udp:127.0.0.1:" + port, PKG0);
        sender.send("udp://127.0.0.1:" + port, PKG0);

        for (int i = 0; i < 2; i++) {
            byte[] got = handed.poll(10, TimeUnit.SECONDS);
            assertThat(got).containsExactly(PKG0);
            Notification.Signed signed = Notification.parse(got);
            assertThat(signed.verify("server-secret", NONCE)).isTrue();
            assertThat(signed.verify("another-secret", NONCE)).isFalse();
            assertThat(signed.notification().sessionIdHex()).isEqualToIgnoringCase("1A2B");
        }
        assertThat(sender.sent()).isEqualTo(2);
        assertThat(sender.failedAttempts()).isZero();
    }

    @Test
    void the_datagram_is_a_wsp_push_by_default_and_the_bare_package_0_when_configured() throws Exception {
        DatagramSocket rx = receiver();
        String address = "udp:127.0.0.1:" + rx.getLocalPort();

        sender().send(address, PKG0);
        byte[] framed = receive(rx);
        assertThat(framed[1]).isEqualTo((byte) 0x06);
        assertThat(Arrays.copyOfRange(framed, 2, WspPush.HEADER_BYTES))
                .containsExactly(0x03, 0xC4, 0xAF, 0x87);
        assertThat(WspPush.unwrap(framed)).hasValueSatisfying(b -> assertThat(b).containsExactly(PKG0));

        sender("wsp", false).send(address, PKG0);
        assertThat(receive(rx)).containsExactly(PKG0);
    }

    @Test
    void each_push_gets_a_new_wsp_transaction_id() throws Exception {
        DatagramSocket rx = receiver();
        UdpPushSender sender = sender();
        sender.send("udp:127.0.0.1:" + rx.getLocalPort(), PKG0);
        sender.send("udp:127.0.0.1:" + rx.getLocalPort(), PKG0);
        assertThat(receive(rx)[0]).isNotEqualTo(receive(rx)[0]);
    }

    @Test
    void datagrams_leave_from_the_configured_bind_address() throws Exception {
        DatagramSocket rx = receiver();
        sender("bind.address", "127.0.0.1").send("udp:127.0.0.1:" + rx.getLocalPort(), PKG0);
        DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
        rx.receive(p);
        assertThat(p.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void a_closed_port_is_reported_unreachable_after_the_configured_retries() throws Exception {
        int closed;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            closed = s.getLocalPort();
        }
        UdpPushSender sender = sender("retries", 2, "retry.delay.millis", 0, "unreachable.wait.millis", 2000);

        assertThatThrownBy(() -> sender.send("udp:127.0.0.1:" + closed, PKG0)).isInstanceOf(IOException.class)
                .hasMessageContaining("after 3 attempts");
        assertThat(sender.failedAttempts()).isEqualTo(3);
        assertThat(sender.sent()).isZero();
    }

    @Test
    void a_host_that_does_not_resolve_fails_without_reaching_the_wire() throws Exception {
        UdpPushSender sender = sender("retries", 0);
        assertThatThrownBy(() -> sender.send("udp:no-such-device.invalid:2948", PKG0))
                .isInstanceOf(IOException.class).hasMessageContaining("after 1 attempts");
        assertThat(sender.failedAttempts()).isEqualTo(1);
    }

    @Test
    void a_transient_failure_is_retried_and_then_succeeds() throws Exception {
        List<PushAddress> tries = new ArrayList<>();
        UdpPushSender sender = new UdpPushSender(
                config(UdpPushSender.Config.class, "retries", 2, "retry.delay.millis", 0), (to, bytes) -> {
                    tries.add(to);
                    if (tries.size() < 3) {
                        throw new IOException("Network is unreachable");
                    }
                });
        sender.send("udp:192.0.2.7", PKG0);
        assertThat(tries).hasSize(3).allSatisfy(t -> assertThat(t).isEqualTo(new PushAddress("192.0.2.7", 2948)));
        assertThat(sender.sent()).isEqualTo(1);
        assertThat(sender.failedAttempts()).isEqualTo(2);
    }

    @Test
    void retries_are_bounded() throws Exception {
        int[] tries = {0};
        UdpPushSender sender = new UdpPushSender(
                config(UdpPushSender.Config.class, "retries", 1, "retry.delay.millis", 0), (to, bytes) -> {
                    tries[0]++;
                    throw new IOException("Network is unreachable");
                });
        assertThatThrownBy(() -> sender.send("udp:192.0.2.7:2948", PKG0)).isInstanceOf(IOException.class)
                .hasMessageContaining("after 2 attempts").hasMessageContaining("Network is unreachable");
        assertThat(tries[0]).isEqualTo(2);
    }

    @Test
    void an_oversize_notification_is_refused_before_any_attempt() throws Exception {
        int[] tries = {0};
        UdpPushSender sender = new UdpPushSender(config(UdpPushSender.Config.class, "max.datagram.bytes", 64),
                (to, bytes) -> tries[0]++);
        byte[] big = Notification.of("x".repeat(80), 1, UiMode.BACKGROUND).encode("pw", NONCE);
        assertThatThrownBy(() -> sender.send("udp:127.0.0.1:2948", big)).isInstanceOf(IOException.class)
                .hasMessageContaining("exceeds max.datagram.bytes 64");
        assertThat(tries[0]).isZero();
    }

    @Test
    void a_notification_larger_than_a_udp_datagram_is_refused() throws Exception {
        UdpPushSender sender = sender("max.datagram.bytes", 100_000);
        byte[] huge = new byte[70_000];
        assertThatThrownBy(() -> sender.send("udp:127.0.0.1:2948", huge)).isInstanceOf(IOException.class)
                .hasMessageContaining("exceeds max.datagram.bytes 65507");
    }

    @Test
    void a_disabled_sender_refuses_every_notification() throws Exception {
        DatagramSocket rx = receiver();
        rx.setSoTimeout(1);
        UdpPushSender sender = sender("enabled", false);
        assertThatThrownBy(() -> sender.send("udp:127.0.0.1:" + rx.getLocalPort(), PKG0))
                .isInstanceOf(IOException.class).hasMessageContaining("disabled");
        assertThat(sender.sent()).isZero();
    }

    @Test
    void a_malformed_address_or_another_scheme_is_refused() throws Exception {
        UdpPushSender sender = new UdpPushSender(config(UdpPushSender.Config.class), (to, bytes) -> {
            throw new AssertionError("nothing may be sent to " + to);
        });
        for (String bad : new String[] {"sms:+4915112345678", "udp:", "udp://", "udp://user@host:2948",
            "udp:host:0", "udp:host:70000", "udp:host/path", "udp:host:2948?x=1", "udp:host:port", "127.0.0.1:2948"}) {
            assertThatThrownBy(() -> sender.send(bad, PKG0)).as(bad).isInstanceOf(IOException.class);
        }
    }

    @Test
    void the_registry_form_the_url_form_ipv6_and_the_default_port_are_understood() throws Exception {
        assertThat(PushAddress.parse("udp:127.0.0.1:2948", 1)).isEqualTo(new PushAddress("127.0.0.1", 2948));
        assertThat(PushAddress.parse("udp://device.example:9", 1)).isEqualTo(new PushAddress("device.example", 9));
        assertThat(PushAddress.parse("UDP:device.example", 2948)).isEqualTo(new PushAddress("device.example", 2948));
        assertThat(PushAddress.parse(" udp://[2001:db8::7]/ ", 2948)).isEqualTo(new PushAddress("2001:db8::7", 2948));
        assertThat(PushAddress.parse("udp:[::1]:4000", 2948)).isEqualTo(new PushAddress("::1", 4000));
        assertThat(new PushAddress("::1", 4000)).hasToString("udp:[::1]:4000");
    }

    @Test
    void a_bad_default_port_is_refused_at_activation() {
        assertThatThrownBy(() -> sender("default.port", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sender("default.port", 65536)).isInstanceOf(IllegalArgumentException.class);
    }
}
