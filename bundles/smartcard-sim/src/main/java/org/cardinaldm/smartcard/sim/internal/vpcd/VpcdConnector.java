package org.cardinaldm.smartcard.sim.internal.vpcd;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketOption;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.cardinaldm.smartcard.sim.internal.SimCardHandle;
import org.cardinaldm.smartcard.sim.internal.card.Uicc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plugs a simulated card into {@code pcscd} through vsmartcard's {@code vpcd} driver, which listens on TCP
 * (35963 for reader "Virtual PCD 00 00", 35964 for "… 00 01"); the card connects to it as a client.
 *
 * <p>Protocol: every message is a 2-byte big-endian length and a payload, in both directions. A 1-byte payload
 * from vpcd is a control code: 0 power off, 1 power on, 2 reset, 4 get ATR (answered with the ATR). Any longer
 * payload is a command APDU, answered with the response APDU. Power on, off and reset get no answer.
 *
 * <p>A connected card is a present card: {@link #pull()} closes the connection, which pcscd reports as a card
 * removal, and {@link #insert()} connects again. The connection is retried (0.2 s to 5 s back-off) while the
 * card is inserted, so the card survives a pcscd restart.
 *
 * <p>Latency: vpcd sends the length and the APDU in separate segments without {@code TCP_NODELAY}, so without
 * care every APDU waits for a delayed ACK (about 44 ms on Linux). The connector sets {@code TCP_QUICKACK} before
 * each read and answers in one write with {@code TCP_NODELAY}, which brings an APDU round trip through pcscd
 * to well under a millisecond.
 */
public final class VpcdConnector implements Closeable {
    /** vpcd's first port (reader "Virtual PCD 00 00"); the second reader is on the next port. */
    public static final int FIRST_PORT = 35963;

    private static final Logger LOG = LoggerFactory.getLogger(VpcdConnector.class);
    private static final int CTRL_OFF = 0;
    private static final int CTRL_ON = 1;
    private static final int CTRL_RESET = 2;
    private static final int CTRL_ATR = 4;

    private final String host;
    private final int port;
    private final SimCardHandle card;
    private final Thread thread;
    private final Object lock = new Object();
    private volatile boolean running = true;
    private boolean inserted;
    private Socket socket;
    private long apdus;
    private long tearAt;
    private boolean tearAfterProcessing;
    private CountDownLatch connected = new CountDownLatch(1);

    /**
     * @param host vpcd's host, normally 127.0.0.1
     * @param port vpcd's port, 35963 for the first virtual reader
     * @param card the card
     * @param inserted whether to connect at once
     */
    public VpcdConnector(String host, int port, SimCardHandle card, boolean inserted) {
        this.host = Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535: " + port);
        }
        this.port = port;
        this.card = Objects.requireNonNull(card, "card");
        this.inserted = inserted;
        this.thread = new Thread(this::run, "dm-card-vpcd-" + port);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** @return the card */
    public SimCardHandle card() {
        return card;
    }

    /** @return how many APDUs were answered since the start */
    public long apduCount() {
        synchronized (lock) {
            return apdus;
        }
    }

    /**
     * Waits until the card is connected to vpcd (bounded).
     *
     * @param timeoutMillis how long to wait
     * @return whether it is connected
     * @throws InterruptedException if interrupted
     */
    public boolean awaitConnected(long timeoutMillis) throws InterruptedException {
        CountDownLatch latch;
        synchronized (lock) {
            latch = connected;
        }
        return latch.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Arms a tear (tests): when APDU number {@code apduNumber} (counted like {@link #apduCount()}, 1-based)
     * arrives, the card is pulled: the connection to vpcd is dropped and the card loses power, either before
     * the card sees the APDU or after it processed (and stored) it but before the response is sent. The card
     * stays out until {@link #insert()}.
     *
     * @param apduNumber the APDU to tear at; 0 disarms
     * @param afterProcessing whether the card processes the APDU first
     */
    public void tearAt(long apduNumber, boolean afterProcessing) {
        synchronized (lock) {
            tearAt = apduNumber;
            tearAfterProcessing = afterProcessing;
        }
    }

    /** Pulls the card if a tear is armed for the current APDU at this point. */
    private void tearIfArmed(boolean processed) throws IOException {
        synchronized (lock) {
            long number = processed ? apdus : apdus + 1;
            if (tearAt == 0 || number != tearAt || processed != tearAfterProcessing) {
                return;
            }
            tearAt = 0;
            inserted = false;
            closeSocket();
            connected = new CountDownLatch(1);
            card.uicc().powerOff();
        }
        LOG.debug("Tear: card pulled from vpcd {}:{} {} an APDU", host, port, processed ? "after" : "before");
        throw new IOException("card pulled (tear)");
    }

    /** @return whether the card is inserted (connected to vpcd, or trying to connect) */
    public boolean isInserted() {
        synchronized (lock) {
            return inserted;
        }
    }

    /** Pulls the card: closes the connection; pcscd sees the card removed. */
    public void pull() {
        synchronized (lock) {
            inserted = false;
            closeSocket();
            connected = new CountDownLatch(1);
            card.uicc().powerOff();
        }
    }

    /** Inserts the card: the connector connects to vpcd again. */
    public void insert() {
        synchronized (lock) {
            if (!inserted) {
                inserted = true;
                lock.notifyAll();
            }
        }
    }

    private void closeSocket() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
            socket = null;
        }
    }

    private void run() {
        long backoff = 200;
        while (running) {
            Socket s;
            try {
                synchronized (lock) {
                    while (running && !inserted) {
                        lock.wait();
                    }
                    if (!running) {
                        return;
                    }
                }
                s = new Socket();
                s.setTcpNoDelay(true);
                s.connect(new InetSocketAddress(host, port), 2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException e) {
                LOG.debug("vpcd {}:{} not reachable ({}); retrying in {} ms", host, port, e.getMessage(), backoff);
                if (!pause(backoff)) {
                    return;
                }
                backoff = Math.min(backoff * 2, 5000);
                continue;
            }
            synchronized (lock) {
                if (!inserted || !running) {
                    try {
                        s.close();
                    } catch (IOException e) {
                        // not used
                    }
                    continue;
                }
                socket = s;
                connected.countDown();
            }
            backoff = 200;
            LOG.info("Simulated card connected to vpcd {}:{}", host, port);
            try {
                serve(s);
            } catch (EOFException e) {
                LOG.info("vpcd {}:{} closed the connection", host, port);
            } catch (IOException e) {
                if (running && inserted()) {
                    LOG.info("Connection to vpcd {}:{} lost: {}", host, port, e.getMessage());
                }
            } catch (Uicc.CardPowerLostException e) {
                LOG.info("Simulated card lost power during a write; it is pulled from vpcd {}:{}", host, port);
                synchronized (lock) {
                    inserted = false;
                }
            } finally {
                synchronized (lock) {
                    if (socket == s) {
                        closeSocket();
                        connected = new CountDownLatch(1);
                    }
                }
            }
        }
    }

    private boolean inserted() {
        synchronized (lock) {
            return inserted;
        }
    }

    private boolean pause(long millis) {
        synchronized (lock) {
            try {
                lock.wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            return running;
        }
    }

    private void serve(Socket s) throws IOException {
        SocketOption<Boolean> quickAck = quickAckOption(s);
        InputStream raw = s.getInputStream();
        DataInputStream in = new DataInputStream(raw);
        OutputStream out = s.getOutputStream();
        while (running) {
            quickAck(s, quickAck);
            int length = in.readUnsignedShort();
            quickAck(s, quickAck);
            byte[] message = new byte[length];
            in.readFully(message);
            if (length == 1) {
                control(message[0] & 0xFF, out);
                continue;
            }
            Uicc uicc = card.uicc();
            if (!uicc.isPowered()) {
                LOG.debug("APDU for an unpowered card on vpcd {}:{}; powering it on", host, port);
                uicc.powerOn();
            }
            tearIfArmed(false);
            byte[] response = uicc.transmit(message);
            synchronized (lock) {
                apdus++;
            }
            tearIfArmed(true);
            send(out, response);
        }
    }

    private void control(int code, OutputStream out) throws IOException {
        Uicc uicc = card.uicc();
        switch (code) {
            case CTRL_OFF:
                LOG.debug("vpcd {}:{}: power off (the card's security state is lost)", host, port);
                uicc.powerOff();
                break;
            case CTRL_ON:
                LOG.debug("vpcd {}:{}: power on", host, port);
                uicc.powerOn();
                break;
            case CTRL_RESET:
                LOG.debug("vpcd {}:{}: reset (the card's security state is lost)", host, port);
                uicc.reset();
                break;
            case CTRL_ATR:
                send(out, uicc.atr());
                break;
            default:
                LOG.debug("Ignoring unknown vpcd control code {}", code);
        }
    }

    private static void send(OutputStream out, byte[] payload) throws IOException {
        byte[] message = new byte[payload.length + 2];
        message[0] = (byte) (payload.length >> 8);
        message[1] = (byte) payload.length;
        System.arraycopy(payload, 0, message, 2, payload.length);
        out.write(message);
        out.flush();
    }

    @SuppressWarnings("unchecked")
    private static SocketOption<Boolean> quickAckOption(Socket s) {
        // jdk.net.ExtendedSocketOptions.TCP_QUICKACK (Linux), found by name so that no jdk.net import is needed
        for (SocketOption<?> option : s.supportedOptions()) {
            if (option.name().equals("TCP_QUICKACK") && option.type() == Boolean.class) {
                return (SocketOption<Boolean>) option;
            }
        }
        return null;
    }

    private static void quickAck(Socket s, SocketOption<Boolean> option) {
        if (option != null) {
            try {
                s.setOption(option, Boolean.TRUE);
            } catch (IOException | UnsupportedOperationException e) {
                // only latency suffers
            }
        }
    }

    /** Disconnects from vpcd and stops the thread (the card image stays open; close the card separately). */
    @Override
    public void close() {
        synchronized (lock) {
            running = false;
            closeSocket();
            lock.notifyAll();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
