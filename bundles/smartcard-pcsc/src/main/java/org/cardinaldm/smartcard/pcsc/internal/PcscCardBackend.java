package org.cardinaldm.smartcard.pcsc.internal;

import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.smartcardio.Card;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;

import org.cardinaldm.smartcard.api.CardState;
import org.cardinaldm.smartcard.api.ReaderStatus;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.api.SmartCardException.Code;
import org.cardinaldm.smartcard.api.spi.support.AbstractCardBackend;
import org.cardinaldm.smartcard.api.spi.CardBackend;
import org.cardinaldm.smartcard.api.spi.CardBackendProperties;
import org.cardinaldm.smartcard.api.spi.CardConnection;
import org.cardinaldm.smartcard.api.spi.HoldingBackend;
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
 * One PC/SC reader as a {@link CardBackend}; one factory configuration per reader
 * ({@code etc/org.cardinaldm.smartcard.pcsc-<name>.cfg} with {@code card.reader = <PC/SC reader name>}).
 *
 * <p>All javax.smartcardio calls for this reader's card run on one thread of its own
 * ({@code dm-card-pcsc-io-N}), because javax.smartcardio ties a card's exclusive access (the PC/SC
 * transaction held for the length of a session) to the thread that began it. The reader's state comes from
 * the shared {@link PcscContext} monitor; the ATR of a newly inserted card is read by a short connection.
 *
 * <p>A session connects, begins a PC/SC transaction (unless {@code exclusive = false}) and, if that reports
 * that the card was reset or removed and inserted since the last use, reconnects once. Closing the session
 * ends the transaction and disconnects, leaving the card powered — until pcscd powers it off, about half a
 * second after the last PC/SC connection to it closed, which clears the card's volatile security state.
 *
 * <p>So the backend is a {@link HoldingBackend}: while the card service holds the card, the backend keeps one
 * shared connection (no transaction) to it. javax.smartcardio hands out one {@link Card} per reader and JVM
 * (a second {@code connect} returns the same object while it is valid), so a held connection and a session's
 * connection are the same handle: a session ending during a hold ends its transaction but does not
 * disconnect. The monitor counts a hold as an open connection (it then checks card presence without blocking,
 * so sessions start at once and a removal is seen within one event wait); a removal, or the card seen absent,
 * ends the hold and disconnects the stale handle.
 */
@Component(service = CardBackend.class, configurationPid = PcscCardBackend.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = PcscCardBackend.Config.class, factory = true)
@CardBackendProperties(backend = PcscCardBackend.BACKEND)
public final class PcscCardBackend extends AbstractCardBackend implements HoldingBackend {
    /** Factory configuration PID. */
    public static final String PID = "org.cardinaldm.smartcard.pcsc";
    /** The {@code card.backend} value. */
    public static final String BACKEND = "pcsc";

    private static final Logger LOG = LoggerFactory.getLogger(PcscCardBackend.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final Set<String> PROTOCOLS = Set.of("*", "T=0", "T=1", "T=CL");

    /** Configuration of one PC/SC reader. */
    @ObjectClassDefinition(name = "Cardinal PC/SC card reader", description = "One card reader known to pcscd")
    public @interface Config {
        /** @return the PC/SC reader name, e.g. "Virtual PCD 00 00"; also the service property card.reader */
        @AttributeDefinition(name = "Reader name", description = "The PC/SC reader name, as pcsc_scan lists it")
        String card_reader();

        /** @return the protocol to connect with */
        @AttributeDefinition(name = "Protocol", options = {
            @org.osgi.service.metatype.annotations.Option(label = "any", value = "*"),
            @org.osgi.service.metatype.annotations.Option(label = "T=0", value = "T=0"),
            @org.osgi.service.metatype.annotations.Option(label = "T=1", value = "T=1"),
            @org.osgi.service.metatype.annotations.Option(label = "T=CL", value = "T=CL")})
        String protocol() default "*";

        /** @return whether a session holds a PC/SC transaction, keeping other applications off the card */
        @AttributeDefinition(name = "Exclusive sessions")
        boolean exclusive() default true;
    }

    /** What the monitor saw: reader missing, empty, or holding a card. */
    static final class State {
        private static final State NO_READER = new State(CardState.NO_READER);
        private static final State ABSENT = new State(CardState.ABSENT);
        private static final State PRESENT = new State(CardState.PRESENT);
        final CardState state;

        private State(CardState state) {
            this.state = state;
        }

        static State noReader() {
            return NO_READER;
        }

        static State absent() {
            return ABSENT;
        }

        static State present() {
            return PRESENT;
        }
    }

    private final PcscContext context;
    private final String reader;
    private final String protocol;
    private final boolean exclusive;
    private final ExecutorService io;
    private final Object lock = new Object();
    private volatile ReaderStatus status;
    private int connections;
    private boolean atrPending;
    /** Whether the card is held (guarded by {@link #lock}); the context counts a hold as a connection. */
    private boolean holding;
    /** The held connection (I/O thread only); may be the same object as a session's. */
    private Card heldCard;
    /** The card of the open session's connection (I/O thread only). */
    private Card sessionCard;

    /**
     * @param context the shared PC/SC context
     * @param config this reader's configuration
     */
    @Activate
    public PcscCardBackend(@Reference PcscContext context, Config config) {
        this.context = context;
        this.reader = config.card_reader() == null ? "" : config.card_reader().trim();
        if (reader.isEmpty()) {
            throw new IllegalArgumentException("card.reader must name a PC/SC reader");
        }
        this.protocol = config.protocol() == null ? "*" : config.protocol().trim();
        if (!PROTOCOLS.contains(protocol)) {
            throw new IllegalArgumentException("protocol must be one of " + PROTOCOLS + ": " + protocol);
        }
        this.exclusive = config.exclusive();
        this.status = ReaderStatus.of(reader, BACKEND, CardState.NO_READER);
        int n = THREADS.incrementAndGet();
        this.io = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "dm-card-pcsc-io-" + n);
            t.setDaemon(true);
            return t;
        });
        context.register(this);
        LOG.info("PC/SC reader '{}' configured", reader);
    }

    /** Stops watching the reader; a held connection is closed. */
    @Deactivate
    public void close() {
        context.unregister(this);
        releaseCard();
        io.shutdown();
        try {
            if (!io.awaitTermination(5, TimeUnit.SECONDS)) {
                io.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String readerName() {
        return reader;
    }

    @Override
    protected void observerFailed(ReaderStatus about, RuntimeException failure) {
        LOG.warn("Card observer failed on {}", about, failure);
    }

    @Override
    public ReaderStatus status() {
        return status;
    }

    /** Called by the monitor with what it saw. */
    void observed(State seen) {
        boolean readAtr = false;
        synchronized (lock) {
            CardState now = status.state();
            if (seen.state == CardState.PRESENT) {
                if (now != CardState.PRESENT && !atrPending) {
                    if (connections > 0 || holding) {
                        publish(status.with(CardState.PRESENT, new byte[0]));
                    } else {
                        atrPending = true;
                        readAtr = true;
                    }
                }
            } else if (now != seen.state) {
                publish(ReaderStatus.of(reader, BACKEND, seen.state));
            }
        }
        if (readAtr) {
            try {
                io.execute(this::readAtr);
            } catch (RejectedExecutionException e) {
                // closing
            }
        }
    }

    /** On the I/O thread: a short connection to learn the ATR of a newly inserted card. */
    private void readAtr() {
        byte[] atr = null;
        boolean absent = false;
        try {
            CardTerminal terminal = context.terminal(reader);
            context.connectionOpening();
            try {
                Card card = terminal.connect(protocol);
                atr = card.getATR().getBytes();
                if (card != heldCard && card != sessionCard) {
                    card.disconnect(false);
                }
            } finally {
                context.connectionClosed();
            }
        } catch (SmartCardException e) {
            absent = e.code() == Code.CARD_ABSENT || e.code() == Code.READER_ABSENT;
            LOG.debug("Reading the ATR in '{}' failed: {}", reader, e.getMessage());
        } catch (CardException | RuntimeException e) {
            SmartCardException m = PcscErrors.map(e, "Reading the ATR", true);
            absent = m.code() == Code.CARD_ABSENT || m.code() == Code.READER_ABSENT;
            LOG.debug("Reading the ATR in '{}' failed: {}", reader, m.getMessage());
        }
        synchronized (lock) {
            atrPending = false;
            if (atr != null) {
                publish(ReaderStatus.of(reader, BACKEND, CardState.PRESENT, atr));
            } else if (absent) {
                publish(ReaderStatus.of(reader, BACKEND, CardState.ABSENT));
            } else {
                publish(ReaderStatus.of(reader, BACKEND, CardState.PRESENT, new byte[0])); // a mute card
            }
        }
    }

    /** A connection found the card gone. */
    void cardGone() {
        synchronized (lock) {
            if (status.state() == CardState.PRESENT) {
                publish(ReaderStatus.of(reader, BACKEND, CardState.ABSENT));
            }
        }
    }

    private void publish(ReaderStatus next) {
        if (next.equals(status)) {
            return;
        }
        status = next;
        if (holding && next.state() != CardState.PRESENT) {
            LOG.debug("Card in '{}' gone while held; the hold ends", reader);
            endHold();
        }
        LOG.debug("{}", next);
        fireStateChanged(next);
    }

    @Override
    public CardConnection connect() throws SmartCardException {
        synchronized (lock) {
            connections++;
        }
        context.connectionOpening();
        boolean ok = false;
        try {
            Card card = onIoThread(() -> {
                Card c = connectCard(context.terminal(reader));
                sessionCard = c;
                return c;
            });
            ok = true;
            byte[] atr = card.getATR().getBytes();
            synchronized (lock) {
                if (status.state() != CardState.PRESENT || !java.util.Arrays.equals(status.atr(), atr)) {
                    publish(ReaderStatus.of(reader, BACKEND, CardState.PRESENT, atr));
                }
            }
            return new PcscConnection(this, card);
        } finally {
            if (!ok) {
                connectionEnded();
            }
        }
    }

    void connectionEnded() {
        synchronized (lock) {
            connections--;
        }
        context.connectionClosed();
    }

    /** On the I/O thread: connects and begins the transaction, reconnecting once after a reset or re-insertion. */
    Card connectCard(CardTerminal terminal) throws SmartCardException {
        for (int attempt = 1; ; attempt++) {
            Card card;
            try {
                card = terminal.connect(protocol);
            } catch (CardException | RuntimeException e) {
                SmartCardException m = PcscErrors.map(e, "Connecting to '" + reader + "'", true);
                if (m.code() == Code.CARD_ABSENT) {
                    cardGone();
                }
                throw m;
            }
            if (!exclusive) {
                adoptHeld(card);
                return card;
            }
            try {
                card.beginExclusive();
                adoptHeld(card);
                return card;
            } catch (CardException | RuntimeException e) {
                SmartCardException m = PcscErrors.map(e, "Beginning a PC/SC transaction on '" + reader + "'", false);
                quietDisconnect(card, false);
                if ((m.code() == Code.CARD_RESET || m.code() == Code.CARD_REMOVED) && attempt < 2) {
                    LOG.debug("Card in '{}' was {} since the last use; reconnecting", reader,
                            m.code() == Code.CARD_RESET ? "reset" : "replaced");
                    continue;
                }
                throw m;
            }
        }
    }

    /**
     * On the I/O thread: a connection was made while the card is held. javax.smartcardio returned the held
     * {@link Card} if it was still valid; another one means the held handle went stale (the card was reset by
     * someone, or the backend reset it): the new one is held from now on.
     */
    private void adoptHeld(Card card) {
        synchronized (lock) {
            if (!holding || heldCard == card) {
                return;
            }
        }
        Card stale = heldCard;
        heldCard = card;
        if (stale != null) {
            LOG.debug("The held connection to '{}' went stale (card reset); holding the new one", reader);
            quietDisconnect(stale, false);
        }
    }

    /** On the I/O thread: a session's connection was reset and made again. */
    void sessionReconnected(Card old, Card fresh) {
        if (sessionCard == old) {
            sessionCard = fresh;
        }
    }

    /** On the I/O thread: a session's connection ends; its card stays connected if it is the held one. */
    void sessionEnded(Card card) {
        if (sessionCard == card) {
            sessionCard = null;
        }
        boolean keep;
        synchronized (lock) {
            keep = holding && card == heldCard;
        }
        if (!keep) {
            quietDisconnect(card, false);
        }
    }

    @Override
    public void holdCard() throws SmartCardException {
        synchronized (lock) {
            if (status.state() == CardState.NO_READER) {
                throw new SmartCardException(Code.READER_ABSENT, "PC/SC reader '" + reader + "' is not available");
            }
            if (status.state() != CardState.PRESENT) {
                throw new SmartCardException(Code.CARD_ABSENT, "No card in '" + reader + "'");
            }
        }
        onIoThread(() -> {
            synchronized (lock) {
                if (holding && heldCard != null) {
                    return null;
                }
            }
            Card card;
            try {
                card = context.terminal(reader).connect(protocol); // shared; the session's card if one is open
            } catch (CardException | RuntimeException e) {
                SmartCardException m = PcscErrors.map(e, "Connecting to '" + reader + "' to hold the card", true);
                if (m.code() == Code.CARD_ABSENT) {
                    cardGone();
                }
                throw m;
            }
            synchronized (lock) {
                if (status.state() != CardState.PRESENT) {
                    if (card != sessionCard) {
                        quietDisconnect(card, false);
                    }
                    throw new SmartCardException(Code.CARD_ABSENT, "No card in '" + reader + "'");
                }
                heldCard = card;
                if (!holding) {
                    holding = true;
                    context.connectionOpening();
                }
            }
            LOG.debug("Card in '{}' held: pcscd keeps it powered", reader);
            return null;
        });
    }

    @Override
    public void releaseCard() {
        synchronized (lock) {
            if (!holding) {
                return;
            }
            LOG.debug("Card in '{}' released", reader);
            endHold();
        }
    }

    @Override
    public boolean isHoldingCard() {
        synchronized (lock) {
            return holding;
        }
    }

    /** Under the lock: the hold ends now; its connection is closed on the I/O thread unless a session uses it. */
    private void endHold() {
        holding = false;
        context.connectionClosed();
        Runnable disconnect = () -> {
            Card c = heldCard;
            synchronized (lock) {
                if (holding) {
                    return; // held again meanwhile: keep it
                }
            }
            heldCard = null;
            if (c != null && c != sessionCard) {
                quietDisconnect(c, false);
            }
        };
        try {
            io.execute(disconnect);
        } catch (RejectedExecutionException e) {
            disconnect.run(); // shutting down
        }
    }

    static void quietDisconnect(Card card, boolean reset) {
        try {
            card.disconnect(reset);
        } catch (CardException | RuntimeException e) {
            // the card or connection is gone already
        }
    }

    boolean exclusive() {
        return exclusive;
    }

    String protocolSetting() {
        return protocol;
    }

    PcscContext context() {
        return context;
    }

    /** Runs a javax.smartcardio call on this reader's I/O thread. */
    <T> T onIoThread(Callable<T> call) throws SmartCardException {
        Future<T> f;
        try {
            f = io.submit(call);
        } catch (RejectedExecutionException e) {
            throw new SmartCardException(Code.READER_ABSENT, "PC/SC reader '" + reader + "' is shutting down");
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(false);
            Thread.currentThread().interrupt();
            throw new SmartCardException(Code.INTERRUPTED, "Interrupted while using '" + reader + "'");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SmartCardException) {
                throw (SmartCardException) cause;
            }
            throw PcscErrors.map(cause, "Using '" + reader + "'", false);
        }
    }

    @Override
    public String toString() {
        return "PC/SC reader '" + reader + "'";
    }
}
