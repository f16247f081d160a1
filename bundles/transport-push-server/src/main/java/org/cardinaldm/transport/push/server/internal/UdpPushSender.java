package org.cardinaldm.transport.push.server.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.cardinaldm.server.api.spi.PushScheme;
import org.cardinaldm.server.api.spi.PushSender;
import org.cardinaldm.syncml.api.notification.WspPush;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's package-0 sender on UDP/WDP (digest 4.4): the notification, framed as a connectionless
 * WSP Push PDU (content type 0x44, X-WAP-Application-ID 0x07) unless configured bare, goes in one
 * datagram to the device's push address ({@code udp:host[:port]} or {@code udp://host[:port]}, port
 * 2948 by default; see {@link PushAddress}). A send that fails (no route, name not resolved, ICMP port
 * unreachable seen within {@code unreachable.wait.millis}) is tried again at most {@code retries} times
 * before the {@link IOException} reaches the DM server, which records it and retries the notification
 * later on its own schedule. A malformed address or a datagram above {@code max.datagram.bytes} fails
 * at once. Configuration PID {@value #PID}.
 *
 * <p>Registered as a {@link PushSender} for the scheme {@code udp} ({@link PushScheme}).
 */
@Component(service = PushSender.class, configurationPid = UdpPushSender.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@PushScheme("udp")
@Designate(ocd = UdpPushSender.Config.class)
public final class UdpPushSender implements PushSender {
    /** The configuration PID. */
    public static final String PID = "org.cardinaldm.transport.push.sender.udp";

    private static final Logger LOG = LoggerFactory.getLogger(UdpPushSender.class);

    /** The sender's configuration. */
    @ObjectClassDefinition(name = "Cardinal DM notification sender (UDP)",
            description = "Sends package-0 notifications to devices over UDP/WDP")
    public @interface Config {
        /** @return whether to send */
        @AttributeDefinition(name = "Enabled", description = "false: every notification fails with 'disabled'")
        boolean enabled() default true;

        /** @return the local address to send from */
        @AttributeDefinition(name = "Bind address",
                description = "Local address the datagrams leave from; empty: any (the system chooses)")
        String bind_address() default "";

        /** @return the port when the address names none */
        @AttributeDefinition(name = "Default port", min = "1", max = "65535",
                description = "WDP port of DM notifications: 2948")
        int default_port() default 2948;

        /** @return further attempts after a failed send */
        @AttributeDefinition(name = "Retries", min = "0", max = "10",
                description = "Further attempts after a failed send (the server also re-notifies silent devices)")
        int retries() default 2;

        /** @return pause before the first retry, doubled each time */
        @AttributeDefinition(name = "Retry delay (ms)", min = "0", max = "10000")
        long retry_delay_millis() default 200;

        /** @return how long to listen for an ICMP port-unreachable after a send */
        @AttributeDefinition(name = "Unreachable wait (ms)", min = "0", max = "2000",
                description = "After sending, wait this long for an ICMP 'port unreachable'; 0: do not wait")
        int unreachable_wait_millis() default 50;

        /** @return the largest datagram */
        @AttributeDefinition(name = "Largest datagram (bytes)", min = "64", max = "65507")
        int max_datagram_bytes() default 2048;

        /** @return whether to wrap in a WSP Push PDU */
        @AttributeDefinition(name = "WSP framing",
                description = "true: a connectionless WSP Push PDU as on WDP port 2948; false: the bare package 0")
        boolean wsp() default true;
    }

    private final boolean enabled;
    private final InetAddress bind;
    private final int defaultPort;
    private final int retries;
    private final long retryDelayMillis;
    private final int unreachableWaitMillis;
    private final int maxDatagram;
    private final boolean wsp;
    private final AtomicInteger tid = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final Datagrams datagrams;

    /** Puts one datagram on the wire (replaced in tests to fail on purpose). */
    @FunctionalInterface
    interface Datagrams {
        /**
         * @param target where to
         * @param datagram what
         * @throws IOException when it could not be sent
         */
        void send(PushAddress target, byte[] datagram) throws IOException;
    }

    /**
     * @param config the configuration
     * @throws UnknownHostException when the bind address is not an address of this host's syntax
     */
    @Activate
    public UdpPushSender(Config config) throws UnknownHostException {
        this(config, null);
    }

    /**
     * @param config the configuration
     * @param datagrams the wire, or null for UDP
     * @throws UnknownHostException when the bind address is not an address of this host's syntax
     */
    UdpPushSender(Config config, Datagrams datagrams) throws UnknownHostException {
        Objects.requireNonNull(config, "config");
        this.datagrams = datagrams == null ? this::sendOnce : datagrams;
        this.enabled = config.enabled();
        String b = config.bind_address() == null ? "" : config.bind_address().trim();
        this.bind = b.isEmpty() ? null : InetAddress.getByName(b);
        this.defaultPort = config.default_port();
        if (defaultPort < 1 || defaultPort > 65535) {
            throw new IllegalArgumentException("default.port must be 1..65535, not " + defaultPort);
        }
        this.retries = Math.max(0, Math.min(10, config.retries()));
        this.retryDelayMillis = Math.max(0, config.retry_delay_millis());
        this.unreachableWaitMillis = Math.max(0, config.unreachable_wait_millis());
        this.maxDatagram = Math.max(64, Math.min(65507, config.max_datagram_bytes()));
        this.wsp = config.wsp();
        LOG.info("DM notification sender (UDP) {}", enabled ? "ready" : "disabled");
    }

    @Override
    public void send(String address, byte[] notification) throws IOException {
        Objects.requireNonNull(notification, "notification");
        if (!enabled) {
            throw new IOException("the UDP push sender is disabled by configuration");
        }
        PushAddress target = PushAddress.parse(address, defaultPort);
        byte[] datagram = wsp ? WspPush.wrap(tid.incrementAndGet(), notification) : notification.clone();
        if (datagram.length > maxDatagram) {
            throw new IOException("notification of " + datagram.length + " bytes exceeds max.datagram.bytes "
                    + maxDatagram);
        }
        IOException last = null;
        for (int attempt = 0; attempt <= retries; attempt++) {
            if (attempt > 0) {
                pause(retryDelayMillis << (attempt - 1));
            }
            try {
                datagrams.send(target, datagram);
                sent.incrementAndGet();
                LOG.debug("Notification of {} bytes sent to {} (attempt {})", datagram.length, target, attempt + 1);
                return;
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                failedAttempts.incrementAndGet();
                LOG.debug("Notification to {} failed (attempt {}): {}", target, attempt + 1, e.toString());
                last = e;
            }
        }
        throw new IOException("UDP push to " + target + " failed after " + (retries + 1) + " attempts: "
                + last.getMessage(), last);
    }

    private void sendOnce(PushAddress target, byte[] datagram) throws IOException {
        InetSocketAddress to = new InetSocketAddress(target.host(), target.port());
        if (to.isUnresolved()) {
            throw new UnknownHostException("cannot resolve " + target.host());
        }
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(bind, 0))) {
            socket.connect(to);
            socket.send(new DatagramPacket(datagram, datagram.length));
            if (unreachableWaitMillis > 0) {
                // a connected socket reports an ICMP port unreachable as PortUnreachableException here
                socket.setSoTimeout(unreachableWaitMillis);
                try {
                    socket.receive(new DatagramPacket(new byte[1], 1));
                } catch (SocketTimeoutException quiet) {
                    // no error came back: as delivered as UDP allows
                }
            }
        }
    }

    private static void pause(long millis) throws InterruptedIOException {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted between notification attempts");
        }
    }

    /** @return datagrams sent */
    long sent() {
        return sent.get();
    }

    /** @return attempts that failed */
    long failedAttempts() {
        return failedAttempts.get();
    }
}
