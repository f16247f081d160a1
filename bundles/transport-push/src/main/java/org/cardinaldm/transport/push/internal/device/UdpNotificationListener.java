package org.cardinaldm.transport.push.internal.device;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.cardinaldm.client.api.DmClient;
import org.cardinaldm.client.api.NotificationOutcome;
import org.cardinaldm.syncml.api.notification.WspPush;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device's package-0 listener on UDP (WDP port 2948 by default; digest 4.4): every datagram, a
 * WSP push of a DM notification or a bare package 0, is handed to the DM client, which checks its
 * digest before anything else happens, with the sender's address as its source ({@code udp:<ip>}).
 * Bound to the loopback address unless configured otherwise, so that a device does not accept
 * notifications from the network by accident. Token buckets per source address and for all sources
 * bound the work a flood can cause, and keep one noisy sender from crowding out the others
 * ({@link SourceRateLimiter}, at most {@value #MAX_SOURCES} addresses remembered). Configuration PID
 * {@value #PID}.
 */
@Component(immediate = true, service = {}, configurationPid = UdpNotificationListener.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = UdpNotificationListener.Config.class)
public final class UdpNotificationListener {
    /** The configuration PID. */
    public static final String PID = "org.cardinaldm.transport.push.udp";

    private static final Logger LOG = LoggerFactory.getLogger(UdpNotificationListener.class);
    private static final int MAX_DATAGRAM = 2048;
    /** The most source addresses the rate limit remembers. */
    static final int MAX_SOURCES = 1024;

    /** The listener's configuration. */
    @ObjectClassDefinition(name = "Cardinal DM notification listener (UDP)",
            description = "Receives package-0 notifications over UDP/WDP and hands them to the DM client")
    public @interface Config {
        /** @return whether to listen */
        @AttributeDefinition(name = "Enabled")
        boolean enabled() default true;

        /** @return the address to bind */
        @AttributeDefinition(name = "Bind address",
                description = "127.0.0.1 (default) accepts only local senders; 0.0.0.0 accepts the network")
        String bind_address() default "127.0.0.1";

        /** @return the port */
        @AttributeDefinition(name = "Port", min = "0", max = "65535", description = "WDP port of DM notifications: 2948")
        int port() default 2948;

        /** @return the rate limit */
        @AttributeDefinition(name = "Notifications per second", min = "1",
                description = "Datagrams from all senders beyond this rate are dropped unread")
        int max_per_second() default 20;

        /** @return the rate limit of one source address */
        @AttributeDefinition(name = "Notifications per second per sender", min = "1",
                description = "Datagrams from one address beyond this rate are dropped unread")
        int max_per_source_per_second() default 1;

        /** @return the burst of one source address */
        @AttributeDefinition(name = "Burst per sender", min = "1",
                description = "Datagrams one address may send at once before its rate applies")
        int max_per_source_burst() default 5;
    }

    private final DmClient client;
    private final DatagramSocket socket;
    private final Thread thread;
    private final SourceRateLimiter limiter;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    /**
     * @param client the DM client
     * @param config the configuration
     * @throws IOException when the port cannot be bound
     */
    @Activate
    public UdpNotificationListener(@Reference DmClient client, Config config) throws IOException {
        this(client, config, System::nanoTime);
    }

    /**
     * @param client the DM client
     * @param config the configuration
     * @param nanoTime the rate limit's clock
     * @throws IOException when the port cannot be bound
     */
    UdpNotificationListener(DmClient client, Config config, LongSupplier nanoTime) throws IOException {
        this.client = Objects.requireNonNull(client, "client");
        int global = Math.max(1, config.max_per_second());
        this.limiter = new SourceRateLimiter(Math.max(1, config.max_per_source_per_second()),
                Math.max(1, config.max_per_source_burst()), global, global, MAX_SOURCES, nanoTime);
        if (!config.enabled()) {
            socket = null;
            thread = null;
            LOG.info("DM notification listener (UDP) disabled");
            return;
        }
        InetAddress bind = InetAddress.getByName(config.bind_address().trim());
        socket = new DatagramSocket(null);
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(bind, config.port()));
        thread = new Thread(this::loop, "cardinal-dm-push-udp");
        thread.setDaemon(true);
        thread.start();
        LOG.info("DM notification listener on UDP {}:{}", bind.getHostAddress(), socket.getLocalPort());
    }

    /** @return the bound port (0 when disabled) */
    public int localPort() {
        return socket == null ? 0 : socket.getLocalPort();
    }

    /** @return datagrams received and dealt with (handed over or dropped) */
    long received() {
        return received.get();
    }

    /** @return datagrams dropped by the rate limit */
    long dropped() {
        return dropped.get();
    }

    /**
     * Closes the socket and waits for the receiving thread.
     *
     * @throws InterruptedException when interrupted while waiting
     */
    @Deactivate
    public void deactivate() throws InterruptedException {
        if (socket != null) {
            socket.close();
            thread.join(5000);
        }
    }

    private void loop() {
        byte[] buffer = new byte[MAX_DATAGRAM + 1];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                LOG.warn("Notification listener: {}", e.toString());
                continue;
            }
            String source = "udp:" + packet.getAddress().getHostAddress();
            if (!limiter.admit(source)) {
                dropped.incrementAndGet();
                received.incrementAndGet();
                continue;
            }
            if (packet.getLength() > MAX_DATAGRAM) {
                LOG.debug("Dropped a datagram of more than {} bytes from {}", MAX_DATAGRAM, source);
                received.incrementAndGet();
                continue;
            }
            byte[] data = Arrays.copyOf(packet.getData(), packet.getLength());
            byte[] pkg0 = WspPush.unwrap(data).orElse(data);
            try {
                NotificationOutcome o = client.acceptNotification(pkg0, source);
                LOG.debug("Notification from {}: {}", source, o);
            } catch (RuntimeException e) {
                LOG.warn("The DM client failed on a notification", e);
            }
            received.incrementAndGet();
        }
    }
}
