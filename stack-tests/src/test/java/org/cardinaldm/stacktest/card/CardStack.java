package org.cardinaldm.stacktest.card;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import javax.smartcardio.TerminalFactory;

import org.awaitility.Awaitility;
import org.cardinaldm.smartcard.api.CardListener;
import org.cardinaldm.smartcard.api.CardService;
import org.cardinaldm.smartcard.core.internal.CardServiceImpl;
import org.cardinaldm.smartcard.dm.api.DmCardEvent;
import org.cardinaldm.smartcard.dm.api.DmCardListener;
import org.cardinaldm.smartcard.dm.internal.DmCardServiceImpl;
import org.cardinaldm.smartcard.pcsc.internal.PcscCardBackend;
import org.cardinaldm.smartcard.pcsc.internal.PcscContext;
import org.cardinaldm.smartcard.sim.internal.SimCardHandle;
import org.cardinaldm.smartcard.sim.internal.backend.SimCardBackend;
import org.cardinaldm.smartcard.sim.internal.card.CardImage;
import org.cardinaldm.smartcard.sim.internal.card.CardImageCodec;
import org.cardinaldm.smartcard.sim.internal.image.MemoryImageStore;
import org.cardinaldm.smartcard.sim.internal.vpcd.VpcdConnector;
import org.cardinaldm.smartcard.sim.internal.vpcd.VpcdPortLock;
import org.osgi.util.converter.Converters;

/**
 * The one card stack of the stack tests: a software UICC (smartcard-sim) in a reader behind smartcard-core's
 * {@link CardServiceImpl}, optionally with smartcard-dm's DM card service on top and a recorder of its events.
 * The reader is either simulated in the JVM ({@link #inJvm()}, a {@link SimCardBackend}) or one of vpcd's two
 * readers behind the real pcscd ({@link #overPcscd(int)}), reached through javax.smartcardio by smartcard-pcsc's
 * {@link PcscCardBackend}; the card is then plugged into vpcd over TCP ({@link VpcdConnector}). Tests over pcscd
 * carry {@link org.cardinaldm.testing.RequiresPcscd}; the stack holds the cross-JVM vpcd port lock from
 * {@link Builder#start()} to {@link #close()} unless the caller holds it ({@link Builder#portHeldByCaller()}).
 *
 * <p>Two ways to hold cards, as the tests need them:
 * <ul>
 * <li>the stack's own card ({@link Builder#card(CardImage)}): in the JVM one reader backend for the stack's life,
 * the card taken out and put back with {@link #remove()} and {@link #insert()} (which wait for the DM card
 * service's events); over pcscd the card is connected to vpcd at the start;</li>
 * <li>cards handed in one after the other ({@link #insert(CardImage)}, {@link #pull()}): in the JVM each card
 * comes in its own reader backend, added to the card service on insertion and removed on the pull; over pcscd each
 * card is a new vpcd connection, and a pull waits until pcscd reports the reader empty.</li>
 * </ul>
 */
public final class CardStack implements AutoCloseable {
    /** The simulated reader's default name. */
    public static final String SIM_READER = "Sim 0";
    /** vpcd's first reader (TCP {@value #VPCD_PORT_0}). */
    public static final String VPCD_READER_0 = "Virtual PCD 00 00";
    /** vpcd's first reader's port. */
    public static final int VPCD_PORT_0 = 35963;
    /** vpcd's second reader (TCP {@value #VPCD_PORT_1}). */
    public static final String VPCD_READER_1 = "Virtual PCD 00 01";
    /** vpcd's second reader's port. */
    public static final int VPCD_PORT_1 = 35964;

    /** Makes the DM card service on top of the card service. */
    @FunctionalInterface
    public interface DmFactory {
        /**
         * @param cards the stack's card service
         * @param clock the stack's clock (nanoseconds), moved by {@link CardStack#advanceClock(long)}
         * @return the DM card service (the stack registers it as a card listener and deactivates it on close)
         * @throws Exception if it cannot be made
         */
        DmCardServiceImpl create(CardService cards, LongSupplier clock) throws Exception;
    }

    /** Records DM card events. */
    public static final class Events implements DmCardListener {
        private final BlockingQueue<DmCardEvent> queue = new LinkedBlockingQueue<>();

        @Override
        public void dmCardChanged(DmCardEvent event) {
            queue.add(event);
        }

        /** @return the next event, waiting up to 20 s (fails the test when none comes) */
        public DmCardEvent next() throws InterruptedException {
            DmCardEvent e = queue.poll(20, TimeUnit.SECONDS);
            assertThat(e).as("a DM card event").isNotNull();
            return e;
        }

        /** @return the next event of that type, passing over others, waiting up to 20 s for each */
        public DmCardEvent next(DmCardEvent.Type type) throws InterruptedException {
            while (true) {
                DmCardEvent e = queue.poll(20, TimeUnit.SECONDS);
                assertThat(e).as("a DM card event " + type).isNotNull();
                if (e.type() == type) {
                    return e;
                }
            }
        }

        /** Forgets the events so far. */
        public void clear() {
            queue.clear();
        }
    }

    /** What a stack is made of; {@link #start()} makes it. */
    public static final class Builder {
        private final boolean pcscd;
        private String reader;
        private final int port;
        private SimCardHandle ownCard;
        private MemoryImageStore ownMemory;
        private final List<CardListener> listeners = new ArrayList<>();
        private DmFactory dmFactory;
        private boolean recordEvents;
        private PcscContext context;
        private boolean portHeldByCaller;

        private Builder(boolean pcscd, String reader, int port) {
            this.pcscd = pcscd;
            this.reader = reader;
            this.port = port;
        }

        /** The simulated reader's name (in the JVM only; default {@value CardStack#SIM_READER}). */
        public Builder reader(String name) {
            if (pcscd) {
                throw new IllegalStateException("vpcd's readers have fixed names");
            }
            reader = Objects.requireNonNull(name);
            return this;
        }

        /** The stack's own card, its image kept in memory (so tears can be armed, {@link CardStack#memory()}). */
        public Builder card(CardImage image) throws IOException {
            ownMemory = new MemoryImageStore(CardImageCodec.encode(image));
            ownCard = SimCardHandle.inMemory(image, ownMemory);
            return this;
        }

        /** The stack's own card, as the caller opened it (for instance an image file); closed with the stack. */
        public Builder card(SimCardHandle card) {
            ownMemory = null;
            ownCard = Objects.requireNonNull(card);
            return this;
        }

        /** Listeners of the card service's own events, registered after the DM card service. */
        public Builder listeners(CardListener... more) {
            listeners.addAll(List.of(more));
            return this;
        }

        /** The DM card service on top, registered with the card service before any reader. */
        public Builder dm(DmFactory factory) {
            dmFactory = Objects.requireNonNull(factory);
            return this;
        }

        /** Registers {@link CardStack#events()} with the DM card service right away (else the caller does). */
        public Builder recordEvents() {
            recordEvents = true;
            return this;
        }

        /** Over pcscd: the caller's activated PC/SC context (not deactivated by the stack). */
        public Builder pcscContext(PcscContext shared) {
            context = Objects.requireNonNull(shared);
            return this;
        }

        /** Over pcscd: the caller holds {@link VpcdPortLock} for the stack's port. */
        public Builder portHeldByCaller() {
            portHeldByCaller = true;
            return this;
        }

        /**
         * @return the stack: the card service with its DM card service and the reader; over pcscd the own card
         *         connected to vpcd (not necessarily read yet: wait for the events)
         * @throws Exception when a part cannot be set up; what was set up is closed
         */
        public CardStack start() throws Exception {
            CardStack s = new CardStack(this);
            try {
                s.start();
                return s;
            } catch (Exception | AssertionError e) {
                s.close();
                throw e;
            }
        }
    }

    /** @return a stack whose reader is simulated in the JVM ("Sim 0" unless {@link Builder#reader(String)}) */
    public static Builder inJvm() {
        return new Builder(false, SIM_READER, -1);
    }

    /**
     * @param vpcdReader 0 for "Virtual PCD 00 00" (TCP 35963), 1 for "Virtual PCD 00 01" (TCP 35964)
     * @return a stack whose reader is vpcd's behind the real pcscd
     */
    public static Builder overPcscd(int vpcdReader) {
        return switch (vpcdReader) {
            case 0 -> new Builder(true, VPCD_READER_0, VPCD_PORT_0);
            case 1 -> new Builder(true, VPCD_READER_1, VPCD_PORT_1);
            default -> throw new IllegalArgumentException("vpcd has readers 0 and 1, not " + vpcdReader);
        };
    }

    /** @return an activated PC/SC context that polls pcscd briskly (the caller deactivates it) */
    public static PcscContext newPcscContext() {
        PcscContext context = new PcscContext();
        context.activate(Converters.standardConverter().convert(Map.of("event.wait.millis", 200, "retry.millis", 500))
                .to(PcscContext.Config.class));
        return context;
    }

    private final Builder b;
    private final CardServiceImpl cards = new CardServiceImpl();
    private final Events events = new Events();
    private volatile long clock;
    private DmCardServiceImpl dm;
    private VpcdPortLock portLock;
    private PcscContext context;
    private PcscCardBackend pcscBackend;
    private SimCardBackend simBackend;
    private SimCardHandle card;
    private VpcdConnector vpcd;
    /** whether the card in the reader now was handed in ({@link #insert(CardImage)}) rather than the own one */
    private boolean handedIn;

    private CardStack(Builder b) {
        this.b = b;
    }

    private void start() throws Exception {
        if (b.dmFactory != null) {
            dm = b.dmFactory.create(cards, () -> clock);
            if (b.recordEvents) {
                dm.addListener(events, Map.of());
            }
            cards.addListener(dm, Map.of());
        }
        for (CardListener l : b.listeners) {
            cards.addListener(l, Map.of());
        }
        card = b.ownCard;
        if (!b.pcscd) {
            if (card != null) {
                simBackend = new SimCardBackend(b.reader, card, false);
                cards.addBackend(simBackend, properties());
            }
            return;
        }
        if (!b.portHeldByCaller) {
            portLock = VpcdPortLock.acquire(b.port, Duration.ofMinutes(5));
        }
        if (card != null) {
            connect(card);
        }
        context = b.context != null ? b.context : newPcscContext();
        pcscBackend = new PcscCardBackend(context, Converters.standardConverter()
                .convert(Map.of("card.reader", b.reader, "exclusive", true)).to(PcscCardBackend.Config.class));
        cards.addBackend(pcscBackend, properties());
    }

    private void connect(SimCardHandle c) throws InterruptedException {
        vpcd = new VpcdConnector("127.0.0.1", b.port, c, true);
        assertThat(vpcd.awaitConnected(10_000)).as("card connected to vpcd on " + b.port).isTrue();
    }

    private Map<String, Object> properties() {
        return Map.of("card.reader", b.reader, "card.backend", b.pcscd ? "pcsc" : "sim");
    }

    /** @return the reader's name */
    public String reader() {
        return b.reader;
    }

    /** @return smartcard-core's card service */
    public CardServiceImpl cards() {
        return cards;
    }

    /** @return the DM card service, or {@code null} without {@link Builder#dm(DmFactory)} */
    public DmCardServiceImpl dm() {
        return dm;
    }

    /** @return the recorder of DM card events */
    public Events events() {
        return events;
    }

    /** @return the card in the reader now (or the own card), or {@code null} */
    public SimCardHandle card() {
        return card;
    }

    /** @return the own card's image store in memory (own card given as an image only) */
    public MemoryImageStore memory() {
        return b.ownMemory;
    }

    /** @return in the JVM: the reader backend holding the card now, or {@code null} */
    public SimCardBackend simBackend() {
        return simBackend;
    }

    /** @return over pcscd: the PC/SC backend */
    public PcscCardBackend pcscBackend() {
        return pcscBackend;
    }

    /** @return over pcscd: the PC/SC context the backend uses */
    public PcscContext pcscContext() {
        return context;
    }

    /** @return over pcscd: the vpcd connection of the card in the reader now, or {@code null} */
    public VpcdConnector vpcd() {
        return vpcd;
    }

    /** Moves the DM card service's clock on. */
    public void advanceClock(long nanos) {
        clock += nanos;
    }

    /** Puts the own card (back) into the simulated reader and waits until the DM card service has read it. */
    public DmCardEvent insert() throws Exception {
        ownSimCard().insert();
        return events.next(DmCardEvent.Type.INSERTED);
    }

    /** Takes the own card out of the simulated reader and waits until the DM card service has noticed. */
    public DmCardEvent remove() throws Exception {
        ownSimCard().remove();
        return events.next(DmCardEvent.Type.REMOVED);
    }

    private SimCardBackend ownSimCard() {
        if (b.pcscd || b.ownCard == null) {
            throw new IllegalStateException("no own card in a simulated reader");
        }
        return simBackend;
    }

    /** Puts a card into the reader (in memory), see {@link #insert(SimCardHandle)}. */
    public void insert(CardImage image) throws Exception {
        insert(SimCardHandle.inMemory(image, new MemoryImageStore(CardImageCodec.encode(image))));
    }

    /**
     * Puts a card into the reader: in the JVM a new reader backend holding it, over pcscd a new vpcd connection.
     * Returns once it is in; the card service reports it on its own time.
     */
    public void insert(SimCardHandle c) throws Exception {
        handedIn = true;
        card = c;
        if (b.pcscd) {
            connect(c);
        } else {
            simBackend = new SimCardBackend(b.reader, c, true);
            cards.addBackend(simBackend, properties());
        }
    }

    /**
     * Pulls the card handed in last: in the JVM its reader backend goes away; over pcscd the vpcd connection
     * closes and this waits (bounded) until pcscd itself reports the reader empty, so that the next card's
     * connection is never taken for the pulled one.
     */
    public void pull() throws IOException {
        if (b.pcscd) {
            VpcdConnector v = vpcd;
            vpcd = null;
            card = null;
            v.pull();
            v.close();
            v.card().close();
            Awaitility.await("pcscd reports " + b.reader + " empty").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                    .until(() -> !TerminalFactory.getDefault().terminals().getTerminal(b.reader).isCardPresent());
        } else {
            SimCardBackend s = simBackend;
            simBackend = null;
            card = null;
            cards.removeBackend(s, properties());
            s.close();
        }
    }

    /** Stops the DM card service, takes the reader away, stops the card service, releases the card and port. */
    @Override
    public void close() throws Exception {
        if (dm != null) {
            dm.deactivate();
        }
        if (b.pcscd && handedIn && vpcd != null) {
            pull();
        }
        if (pcscBackend != null) {
            cards.removeBackend(pcscBackend, properties());
            pcscBackend.close();
        }
        if (simBackend != null) {
            simBackend.close();
            simBackend = null;
        }
        cards.deactivate();
        if (context != null && b.context == null) {
            context.deactivate();
        }
        if (vpcd != null) {
            vpcd.close();
        }
        if (b.pcscd && b.ownCard != null) {
            b.ownCard.close();
        }
        if (portLock != null) {
            portLock.close();
        }
    }
}
