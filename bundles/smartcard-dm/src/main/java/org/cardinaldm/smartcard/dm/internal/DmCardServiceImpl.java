package org.cardinaldm.smartcard.dm.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.cardinaldm.smartcard.api.CardEvent;
import org.cardinaldm.smartcard.api.CardListener;
import org.cardinaldm.smartcard.api.CardService;
import org.cardinaldm.smartcard.api.CardSession;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.dm.api.DmCard;
import org.cardinaldm.smartcard.dm.api.DmCardEvent;
import org.cardinaldm.smartcard.dm.api.DmCardListener;
import org.cardinaldm.smartcard.dm.api.DmCards;
import org.cardinaldm.smartcard.dm.internal.card.ApduStats;
import org.cardinaldm.smartcard.dm.internal.card.CardCommands;
import org.cardinaldm.smartcard.dm.internal.card.CardContents;
import org.cardinaldm.smartcard.dm.internal.card.CardIo;
import org.cardinaldm.smartcard.dm.internal.card.Discovery;
import org.cardinaldm.smartcard.dm.internal.card.TearSafe;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15Exception;
import org.cardinaldm.smartcard.dm.internal.profile.ProfileCodec.SlotControl;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DM cards of the device: listens to card events, discovers each inserted card's DM data on its own
 * thread ({@code dm-smartcard-N}), keeps it current with the change counter, tells {@link DmCardListener}s,
 * and gives the {@code ./SmartCard} plugin its cached, counter-checked view of the MO store.
 *
 * <p>Its {@link CardListener} is registered by the component itself at the end of activation, not declared
 * as a DS service: the card service has a dynamic reference to every {@code CardListener}, and a component
 * that both provides a {@code CardListener} and needs the {@code CardService} makes SCR walk a circular
 * reference (logged as an ERROR) whenever the two are activated together.
 *
 * <p><b>The card is held for the DM session.</b> A successful VERIFY SERVER DIGEST opens the card's {@code dm}
 * security state, which lives only while the card is powered; a PC/SC reader powers an idle card off about
 * half a second after the last connection closed (pcscd), long before the server's writes arrive. So the
 * successful verification takes a {@link org.cardinaldm.smartcard.api.CardHold} on the card (before its
 * session gives the card back), and the hold keeps the card connected and powered, without exclusive access,
 * until
 * {@link DmCard#endDmSession()}, the card's removal, or {@code dm.session.hold.seconds} without any DM card
 * operation on the card (each one extends it). Outside a DM session the card is given back after every
 * operation, as before.
 *
 * <p><b>The device key</b> (profile 1.1, cards with {@link DmCard#CAPABILITY_SERVER_CHALLENGE}). The card computes
 * the device's credentials, hands out its server challenge and checks servers only on a logical channel where
 * the device key was verified. The key is the PASSWORD property {@code .device.key} (hex); the service verifies
 * it on the basic channel before the first credential operation of a card session, again if the card answers
 * {@code 6982} (it was reset or powered off meanwhile), and never without it (fail closed). The card session ends
 * with {@link DmCard#endDmSession()}, the card's removal, or the <b>idle limit</b>: {@code dm.session.hold.seconds}
 * (300 s when 0) without a DM card operation, after which the service sends END DM SESSION itself, so neither the
 * {@code dm} state nor the device's authorisation outlives an abandoned DM session. A package-0 check outside a
 * card session verifies the key for that check only and forgets it at once ({@code 80 20 FF 00}).
 */
@Component(service = {DmCards.class, CardAccess.class}, configurationPid = DmCardServiceImpl.PID,
        immediate = true)
@Designate(ocd = DmCardServiceImpl.Config.class)
public final class DmCardServiceImpl implements DmCards, CardListener, CardAccess {
    /** Configuration PID. */
    public static final String PID = "org.cardinaldm.smartcard.dm";

    private static final Logger LOG = LoggerFactory.getLogger(DmCardServiceImpl.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** Configuration of the DM card service. */
    @ObjectClassDefinition(name = "Cardinal DM smart cards",
            description = "Discovery and caching of the DM data of smart cards (Cardinal DM smart-card profile)")
    public @interface Config {
        /** @return how long a check of the change counter stays valid */
        @AttributeDefinition(name = "Re-check window (ms)", min = "0",
                description = "Reads within this time after a change-counter check are served without a new check; 0: check every time")
        long revalidate_millis() default 0;

        /** @return how long to wait for another session on the reader */
        @AttributeDefinition(name = "Session wait (ms)", min = "0")
        long session_wait_millis() default 10_000;

        /** @return how long the card stays held for a DM session without any use; 0: never held */
        @AttributeDefinition(name = "DM session hold (s)", min = "0",
                description = "After the card verified a DM server, the card is kept connected and powered (its dm"
                        + " security state would be lost when a PC/SC reader powers the idle card off) until END DM"
                        + " SESSION, its removal, or this many seconds without a DM card operation on it; 0: never held")
        long dm_session_hold_seconds() default 300;

        /** @return the device key, hex; empty: none (card credentials are refused) */
        @AttributeDefinition(name = "Device key", type = AttributeType.PASSWORD,
                description = "The key (hex) the card's credentials need (profile 1.1, key of usage dm-device). Empty:"
                        + " the card computes no credentials for this device. The demo card's is published in"
                        + " docs/smartcard-profile.md")
        String _device_key() default "";
    }

    /** What is known about one reader's DM card. */
    private static final class Entry {
        final String reader;
        final long insertion;
        volatile CardContents contents;
        volatile long checkedNanos;
        volatile CardAccess.MoStore mo;
        /** The card's DM session: its hold and the server that opened it (never locked while opening a session). */
        final SessionHold session = new SessionHold();
        /** Whether the device key is verified on the card's basic channel in this card session. */
        volatile boolean deviceAuthorised;
        /** When the last DM card operation ran (the clock's nanoseconds). */
        volatile long lastUseNanos;

        Entry(String reader, long insertion, CardContents contents) {
            this.reader = reader;
            this.insertion = insertion;
            this.contents = contents;
            this.checkedNanos = System.nanoTime();
        }
    }

    private final CardService cards;
    private final long revalidateNanos;
    private final Duration sessionWait;
    private final Duration holdTime;
    private final long idleNanos;
    private final byte[] deviceKey;
    private final LongSupplier clock;
    private final AtomicBoolean idleCheckPending = new AtomicBoolean();
    private final ScheduledExecutorService executor;
    private final ApduStats stats = new ApduStats();
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, Long> insertions = new ConcurrentHashMap<>();
    private final AtomicLong insertionCounter = new AtomicLong();
    private final List<DmCardListener> listeners = new CopyOnWriteArrayList<>();
    private volatile ServiceRegistration<CardListener> listenerRegistration;

    /**
     * @param cards the card service
     * @param config the configuration
     * @param context the bundle context, used to register this component's card listener
     */
    @Activate
    public DmCardServiceImpl(@Reference CardService cards, Config config, BundleContext context) {
        this(cards, config);
        listenerRegistration = context.registerService(CardListener.class, this, null);
    }

    /**
     * For tests and plain Java: the caller delivers card events to {@link #cardChanged}.
     *
     * @param cards the card service
     * @param config the configuration
     */
    public DmCardServiceImpl(CardService cards, Config config) {
        this(cards, config, System::nanoTime);
    }

    /**
     * For tests: a clock for the idle limit.
     *
     * @param cards the card service
     * @param config the configuration
     * @param clock nanoseconds, as {@link System#nanoTime()}
     */
    DmCardServiceImpl(CardService cards, Config config, LongSupplier clock) {
        this.cards = cards;
        this.clock = clock;
        this.deviceKey = parseKey(config._device_key());
        this.idleNanos = TimeUnit.SECONDS.toNanos(config.dm_session_hold_seconds() > 0 ? config.dm_session_hold_seconds() : 300);
        this.revalidateNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, config.revalidate_millis()));
        this.sessionWait = Duration.ofMillis(Math.max(0, config.session_wait_millis()));
        this.holdTime = Duration.ofSeconds(Math.max(0, config.dm_session_hold_seconds()));
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dm-smartcard-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        LOG.info("DM smart-card service started");
    }

    private static byte[] parseKey(String hex) {
        String h = hex == null ? "" : hex.replaceAll("[\\s:]", "");
        if (h.isEmpty()) {
            return null;
        }
        if (h.length() % 2 != 0 || h.length() < 8 || h.length() > 510 || !h.matches("[0-9A-Fa-f]+")) {
            LOG.warn("Ignoring .device.key of {}: it is not hex of 4 to 255 bytes; the card will compute no credentials",
                    PID);
            return null;
        }
        return HexFormat.of().parseHex(h);
    }

    /** Stops the discovery thread. */
    @Deactivate
    public void deactivate() {
        ServiceRegistration<CardListener> registration = listenerRegistration;
        listenerRegistration = null;
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                LOG.debug("Card listener was already unregistered");
            }
        }
        executor.shutdownNow();
        for (Entry e : entries.values()) {
            release(e);
        }
        entries.clear();
    }

    // ---------------------------------------------------------------- listeners

    /**
     * @param listener a DM card listener; told about the present cards first
     * @param props its service properties
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addListener(DmCardListener listener, Map<String, Object> props) {
        submit(() -> {
            listeners.add(listener);
            for (Entry e : sortedEntries()) {
                tell(listener, DmCardEvent.of(DmCardEvent.Type.INSERTED, view(e)));
            }
        });
    }

    /**
     * @param listener a listener added before
     * @param props its service properties
     */
    public void removeListener(DmCardListener listener, Map<String, Object> props) {
        listeners.remove(listener);
    }

    private void fire(DmCardEvent event) {
        for (DmCardListener l : listeners) {
            tell(l, event);
        }
    }

    private static void tell(DmCardListener l, DmCardEvent event) {
        try {
            l.dmCardChanged(event);
        } catch (RuntimeException e) {
            LOG.warn("DM card listener {} failed on {}", l.getClass().getName(), event, e);
        }
    }

    private void submit(Runnable task) {
        try {
            executor.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("DM smart-card service stopped; dropped a task");
        }
    }

    // ---------------------------------------------------------------- card events

    @Override
    public void cardChanged(CardEvent event) {
        String reader = event.reader();
        switch (event.type()) {
            case CARD_INSERTED: {
                long insertion = insertionCounter.incrementAndGet();
                insertions.put(reader, insertion);
                submit(() -> discover(reader, insertion));
                break;
            }
            case CARD_REMOVED:
            case READER_REMOVED:
                insertions.remove(reader);
                submit(() -> forget(reader));
                break;
            default:
                break;
        }
    }

    private void discover(String reader, long insertion) {
        if (!Long.valueOf(insertion).equals(insertions.get(reader))) {
            return; // removed (or replaced) before we got to it
        }
        try (CardSession s = cards.openSession(reader, sessionWait)) {
            CardContents c = Discovery.cold(new CardIo(s.basicChannel(), stats), reader, s.atr());
            if (!Long.valueOf(insertion).equals(insertions.get(reader))) {
                return;
            }
            Entry old = entries.put(reader, new Entry(reader, insertion, c));
            if (old != null) {
                release(old);
                fire(DmCardEvent.removed(reader, old.contents.cardId()));
            }
            for (String p : c.problems()) {
                LOG.debug("Card {} in {}: {}", c.cardId(), reader, p);
            }
            LOG.info("DM card {} found in {} (profile {})", c.cardId(), reader,
                    c.profileVersion().isEmpty() ? "bootstrap only" : c.profileVersion());
            fire(DmCardEvent.of(DmCardEvent.Type.INSERTED, view(entries.get(reader))));
        } catch (Discovery.NotDmCardException e) {
            LOG.debug("Card in {} has no DM data: {}", reader, e.getMessage());
        } catch (SmartCardException e) {
            LOG.debug("Could not read the card in {}: {}", reader, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Reading the card in {} failed", reader, e);
        }
    }

    private void forget(String reader) {
        Entry e = entries.remove(reader);
        if (e != null) {
            release(e);
            LOG.info("DM card {} removed from {}", e.contents.cardId(), reader);
            fire(DmCardEvent.removed(reader, e.contents.cardId()));
        }
    }

    // ---------------------------------------------------------------- DmCards

    private List<Entry> sortedEntries() {
        List<Entry> list = new ArrayList<>(entries.values());
        list.sort((a, b) -> a.reader.compareTo(b.reader));
        return list;
    }

    private LiveDmCard view(Entry e) {
        return new LiveDmCard(this, e.reader, e.insertion, e.contents);
    }

    @Override
    public List<DmCard> cards() {
        List<DmCard> out = new ArrayList<>();
        for (Entry e : sortedEntries()) {
            out.add(view(e));
        }
        return out;
    }

    @Override
    public Optional<DmCard> card(String reader) {
        Entry e = entries.get(reader);
        return e == null ? Optional.empty() : Optional.of(view(e));
    }

    @Override
    public Optional<DmCard> refresh(String reader) {
        Entry e = entries.get(reader);
        if (e == null) {
            return Optional.empty();
        }
        try {
            check(e, true);
        } catch (SmartCardException x) {
            LOG.debug("Re-check of {} failed: {}", reader, x.getMessage());
        }
        Entry now = entries.get(reader);
        return now == null ? Optional.empty() : Optional.of(view(now));
    }

    // ---------------------------------------------------------------- CardAccess

    @Override
    public List<String> readers() {
        return sortedEntries().stream().map(e -> e.reader).toList();
    }

    @Override
    public ApduStats stats() {
        return stats;
    }

    @Override
    public Optional<CardContents> validated(String reader) throws SmartCardException {
        Entry e = entries.get(reader);
        if (e == null) {
            return Optional.empty();
        }
        check(e, false);
        Entry now = entries.get(reader);
        return now == null ? Optional.empty() : Optional.of(now.contents);
    }

    /** Re-checks the change counter (unless checked recently and not forced); drops a card that went away. */
    private void check(Entry e, boolean force) throws SmartCardException {
        if (!force && System.nanoTime() - e.checkedNanos < revalidateNanos) {
            return;
        }
        synchronized (e) {
            if (entries.get(e.reader) != e) {
                return;
            }
            try (CardSession s = cards.openSession(e.reader, sessionWait)) {
                touch(e);
                refreshIn(e, new CardIo(s.basicChannel(), stats));
            } catch (SmartCardException x) {
                if (gone(x)) {
                    dropIfCurrent(e);
                    return;
                }
                throw x;
            }
        }
    }

    private void refreshIn(Entry e, CardIo io) throws SmartCardException {
        CardContents old = e.contents;
        CardContents now;
        try {
            now = Discovery.refresh(io, old);
        } catch (Discovery.NotDmCardException x) {
            LOG.debug("Card in {} no longer has DM data: {}", e.reader, x.getMessage());
            dropIfCurrent(e);
            return;
        }
        e.checkedNanos = System.nanoTime();
        if (now != old) {
            if (!now.cardId().equals(old.cardId())) {
                entries.remove(e.reader, e);
                release(e);
                Entry fresh = new Entry(e.reader, e.insertion, now);
                entries.put(e.reader, fresh);
                submit(() -> {
                    fire(DmCardEvent.removed(e.reader, old.cardId()));
                    fire(DmCardEvent.of(DmCardEvent.Type.INSERTED, view(fresh)));
                });
                return;
            }
            e.contents = now;
            if (!sameControl(old.moControl(), now.moControl())) {
                boolean inUse = e.mo != null;
                e.mo = null;
                if (inUse && now.moControl() != null) {
                    // the store is being read: fetch the new content in this session (application selected)
                    TearSafe.Read r = TearSafe.readContent(io, now.moPath(), now.moControl());
                    e.mo = new MoStore(e.reader, now.cardId(), r.control(), r.content());
                }
            }
            submit(() -> fire(DmCardEvent.of(DmCardEvent.Type.CHANGED, view(e))));
        }
    }

    private void dropIfCurrent(Entry e) {
        if (entries.remove(e.reader, e)) {
            release(e);
            submit(() -> fire(DmCardEvent.removed(e.reader, e.contents.cardId())));
        }
    }

    private static boolean gone(SmartCardException x) {
        switch (x.code()) {
            case CARD_ABSENT:
            case CARD_REMOVED:
            case READER_ABSENT:
                return true;
            default:
                return false;
        }
    }

    private static boolean sameControl(SlotControl a, SlotControl b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.generation() == b.generation() && a.active() == b.active() && Arrays.equals(a.sha256(), b.sha256());
    }

    @Override
    public Optional<MoStore> moStore(String reader) throws SmartCardException, Pkcs15Exception {
        return moStore(reader, true);
    }

    @Override
    public Optional<MoStore> moStore(String reader, boolean checkFirst) throws SmartCardException, Pkcs15Exception {
        Entry e = entries.get(reader);
        if (e == null) {
            return Optional.empty();
        }
        if (checkFirst) {
            check(e, false);
        }
        Entry now = entries.get(reader);
        if (now == null) {
            return Optional.empty();
        }
        MoStore cached = now.mo;
        CardContents c = now.contents;
        if (c.moPath() == null || c.moControl() == null) {
            throw new Pkcs15Exception("The card has no readable MO store");
        }
        if (cached != null && sameControl(cached.control(), c.moControl())) {
            return Optional.of(cached);
        }
        synchronized (now) {
            try (CardSession s = cards.openSession(reader, sessionWait)) {
                touch(now);
                CardIo io = new CardIo(s.basicChannel(), stats);
                io.useState(c.state());
                io.selectApplication(c.application() == null ? Pkcs15.AID : c.application().aid());
                io.applicationPath(c.application() == null ? null : c.application().path());
                TearSafe.Read r = TearSafe.readContent(io, c.moPath(), c.moControl());
                MoStore store = new MoStore(reader, c.cardId(), r.control(), r.content());
                now.mo = store;
                return Optional.of(store);
            } catch (SmartCardException x) {
                if (gone(x)) {
                    dropIfCurrent(now);
                    return Optional.empty();
                }
                throw x;
            }
        }
    }

    @Override
    public MoStore writeMoStore(MoStore base, byte[] content) throws SmartCardException, StaleStoreException {
        Entry e = entries.get(base.reader());
        if (e == null || !e.contents.cardId().equals(base.cardId())) {
            throw new SmartCardException(SmartCardException.Code.CARD_REMOVED, "The card is no longer in " + base.reader());
        }
        synchronized (e) {
            try (CardSession s = cards.openSession(e.reader, sessionWait)) {
                touch(e);
                CardIo io = new CardIo(s.basicChannel(), stats);
                refreshIn(e, io);
                CardContents c = e.contents;
                if (entries.get(e.reader) != e || !c.cardId().equals(base.cardId())) {
                    throw new SmartCardException(SmartCardException.Code.CARD_REMOVED, "The card in " + e.reader + " changed");
                }
                if (!sameControl(c.moControl(), base.control())) {
                    throw new StaleStoreException();
                }
                io.useState(c.state());
                io.selectApplication(c.application() == null ? Pkcs15.AID : c.application().aid());
                io.applicationPath(c.application() == null ? null : c.application().path());
                TearSafe.Written w;
                try {
                    w = TearSafe.write(io, c.moPath(), c.moControl(), content);
                } catch (SmartCardException x) {
                    e.checkedNanos = 0; // whatever happened, look again next time
                    e.mo = null;
                    throw x;
                }
                CardContents next = new CardContents(c.reader(), c.atr(),
                        c.state() == null ? null : c.state().afterWrites(w.fids()), c.cardId(), c.application(), c.odf(),
                        c.dataObjects(), c.bootstrapPath(), c.bootstrap(), c.policyPath(), c.policyControl(), c.policy(),
                        c.fumoPath(), c.fumoControl(), c.fumo(), c.credentialsPath(), c.credentials(), c.moPath(),
                        w.control(), c.problems());
                e.contents = next;
                MoStore store = new MoStore(e.reader, c.cardId(), w.control(), content.clone());
                e.mo = store;
                LOG.debug("MO store of card {} written: generation {}, {} bytes, {} APDUs", c.cardId(),
                        w.control().generation(), content.length, w.fids().size());
                return store;
            } catch (SmartCardException x) {
                if (gone(x)) {
                    dropIfCurrent(e);
                }
                throw x;
            }
        }
    }

    // ---------------------------------------------------------------- for LiveDmCard

    /** Runs a card operation for a view; fails if the view's card is no longer the one inserted. */
    <T> T withCard(String reader, long insertion, CardOperation<T> op) throws SmartCardException {
        Entry e = entries.get(reader);
        if (e == null || e.insertion != insertion) {
            throw new SmartCardException(SmartCardException.Code.CARD_REMOVED, "The card was removed from " + reader);
        }
        try (CardSession s = cards.openSession(reader, sessionWait)) {
            if (!Arrays.equals(s.atr(), e.contents.atr())) {
                throw new SmartCardException(SmartCardException.Code.CARD_REMOVED, "Another card is in " + reader);
            }
            touch(e);
            return op.run(new CardIo(s.basicChannel(), stats), e.contents);
        }
    }

    /**
     * Runs a card operation that needs the device key (profile 1.1 cards; others run it as it is): verifies the
     * key first unless this card session already did, and once more if the card answers {@code 6982}.
     *
     * @param transientUse true for an operation outside a DM session (a package-0 check): a key verified for it
     *        is forgotten right after it
     */
    <T> T withDevice(String reader, long insertion, boolean transientUse, CardOperation<T> op) throws SmartCardException {
        Entry e = entries.get(reader);
        if (e == null || e.insertion != insertion) {
            throw new SmartCardException(SmartCardException.Code.CARD_REMOVED, "The card was removed from " + reader);
        }
        if (!e.contents.capabilities().contains(DmCard.CAPABILITY_SERVER_CHALLENGE)) {
            return withCard(reader, insertion, op);
        }
        return withCard(reader, insertion, (io, contents) -> {
            boolean verifiedHere = false;
            if (!e.deviceAuthorised) {
                authorise(e, io);
                verifiedHere = true;
            }
            try {
                try {
                    return op.run(io, contents);
                } catch (SmartCardException x) {
                    if (x.code() != SmartCardException.Code.SECURITY_STATUS_NOT_SATISFIED || verifiedHere) {
                        throw x;
                    }
                    authorise(e, io); // the card lost the authorisation (reset, power-off): once more
                    verifiedHere = true;
                    return op.run(io, contents);
                }
            } finally {
                if (transientUse && verifiedHere) {
                    e.deviceAuthorised = false;
                    CardCommands.forgetDevice(io);
                }
            }
        });
    }

    private void authorise(Entry e, CardIo io) throws SmartCardException {
        e.deviceAuthorised = false;
        if (deviceKey == null) {
            throw new SmartCardException(SmartCardException.Code.SECURITY_STATUS_NOT_SATISFIED, "Card " + e.contents.cardId()
                    + " computes credentials only for the device agent; no .device.key is configured in " + PID);
        }
        CardCommands.verifyDevice(io, deviceKey);
        e.deviceAuthorised = true;
        scheduleIdleCheck(idleNanos);
    }

    // ---------------------------------------------------------------- the idle limit

    private void scheduleIdleCheck(long delayNanos) {
        if (idleCheckPending.compareAndSet(false, true)) {
            try {
                executor.schedule(this::idleCheck, Math.max(1, delayNanos), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                idleCheckPending.set(false);
            }
        }
    }

    private void idleCheck() {
        idleCheckPending.set(false);
        long next = endIdleSessions();
        if (next > 0) {
            scheduleIdleCheck(next);
        }
    }

    /**
     * Ends every card session (device authorisation or {@code dm} state) idle for the idle limit: END DM SESSION on
     * the card, the hold given back.
     *
     * @return nanoseconds until the next card session may expire, or 0 if none is open
     */
    long endIdleSessions() {
        long now = clock.getAsLong();
        long next = 0;
        for (Entry e : entries.values()) {
            if (!e.deviceAuthorised && !e.session.isHeld()) {
                continue;
            }
            long idle = now - e.lastUseNanos;
            if (idle < idleNanos) {
                long left = idleNanos - idle;
                next = next == 0 ? left : Math.min(next, left);
                continue;
            }
            LOG.debug("DM card session on card {} in {} idle for {} s: ended", e.contents.cardId(), e.reader,
                    TimeUnit.NANOSECONDS.toSeconds(idleNanos));
            try {
                withCard(e.reader, e.insertion, (io, c) -> {
                    CardCommands.endSession(io);
                    return null;
                });
            } catch (SmartCardException x) {
                LOG.debug("END DM SESSION on idle card in {} failed: {}", e.reader, x.getMessage());
            } finally {
                e.deviceAuthorised = false;
                release(e);
            }
        }
        return next;
    }

    // ---------------------------------------------------------------- the DM session's hold

    /**
     * The card verified a server: hold it (or extend the hold) so that its {@code dm} state survives until the
     * DM session ends. Called inside the session that verified, so the card is never idle in between. A card
     * that cannot be held still verified: the verification stands, and the failure is logged.
     */
    void holdForDmSession(String reader, long insertion, String serverId) {
        Entry e = entries.get(reader);
        if (e == null || e.insertion != insertion) {
            return;
        }
        try {
            if (e.session.proven(serverId, holdTime, t -> cards.holdCard(reader, t))) {
                scheduleIdleCheck(idleNanos);
                LOG.debug("Card {} in {} held for the DM session (at most {} s idle)", e.contents.cardId(), reader,
                        holdTime.toSeconds());
            }
        } catch (SmartCardException x) {
            LOG.warn("The card in {} cannot be kept powered for the DM session ({}): a reader that powers idle "
                    + "cards off will close the card's dm state before the server's changes", reader, x.getMessage());
        }
    }

    /** The DM session on a card ended (or the card went away): give the card back. */
    void endOfDmSession(String reader, long insertion) {
        Entry e = entries.get(reader);
        if (e != null && e.insertion == insertion) {
            e.deviceAuthorised = false;
            release(e);
        }
    }

    private static void release(Entry e) {
        if (e.session.end()) {
            LOG.debug("Card {} in {} released", e.contents.cardId(), e.reader);
        }
    }

    /**
     * @param reader a reader
     * @return the ServerID whose digest the card in that reader verified in the DM session open now, if any
     */
    @Override
    public Optional<String> dmSessionServer(String reader) {
        Entry e = entries.get(reader);
        return e == null ? Optional.empty() : e.session.server();
    }

    /** A DM card operation on the card: a DM session's hold lasts another full hold time. */
    private void touch(Entry e) {
        e.lastUseNanos = clock.getAsLong();
        e.session.touched(holdTime);
    }

    /**
     * @param reader a reader
     * @return whether the DM card service holds that reader's card for a DM session (for tests)
     */
    boolean holdsCard(String reader) {
        Entry e = entries.get(reader);
        return e != null && e.session.isActive();
    }

    /** A card operation. */
    @FunctionalInterface
    interface CardOperation<T> {
        T run(CardIo io, CardContents contents) throws SmartCardException;
    }
}
