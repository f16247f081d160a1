package org.cardinaldm.smartcard.core.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.cardinaldm.smartcard.api.CardEvent;
import org.cardinaldm.smartcard.api.CardHold;
import org.cardinaldm.smartcard.api.CardListener;
import org.cardinaldm.smartcard.api.CardService;
import org.cardinaldm.smartcard.api.CardSession;
import org.cardinaldm.smartcard.api.CardState;
import org.cardinaldm.smartcard.api.ReaderStatus;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.api.SmartCardException.Code;
import org.cardinaldm.smartcard.api.spi.BackendObserver;
import org.cardinaldm.smartcard.api.spi.CardBackend;
import org.cardinaldm.smartcard.api.spi.CardConnection;
import org.cardinaldm.smartcard.api.spi.HoldingBackend;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link CardService}: tracks every {@link CardBackend} on the whiteboard (one reader each, keyed by
 * {@code card.reader}), turns the state changes they report into {@link CardEvent}s for the
 * {@link CardListener} services, and hands out exclusive {@link CardSession}s.
 *
 * <p>Events are queued and delivered in order on one thread ({@code dm-card-events-1}); the thread keeps
 * the state as delivered so far, which is what a late listener is told first. Backends and listeners come and
 * go at any time; a removed backend first reports its card removed and its reader gone.
 *
 * <p>{@linkplain #holdCard(String, Duration) Holds} are counted per reader: the first one asks a
 * {@link HoldingBackend} to keep its card connected, the end of the last one (closed, expired, card removed,
 * backend gone) releases it. Backend calls for holds run outside the state lock, serialised per reader, so a
 * backend reporting a removal from its own thread never waits for them. Expiries run on a timer thread
 * ({@code dm-card-holds}) that exists only while holds do.
 */
@Component(service = CardService.class, immediate = true, configurationPid = "org.cardinaldm.smartcard.core")
public final class CardServiceImpl implements CardService, BackendObserver {
    private static final Logger LOG = LoggerFactory.getLogger(CardServiceImpl.class);

    /** One reader: its backend, last reported state and the permit that makes sessions exclusive. */
    static final class ReaderEntry {
        final String name;
        final CardBackend backend;
        final Semaphore permit = new Semaphore(1, true);
        /** Incremented at every removal, so sessions opened on an earlier card fail fast. */
        final AtomicLong insertion = new AtomicLong();
        volatile ReaderStatus status;
        volatile boolean gone;
        /** The active holds; guarded by itself. */
        final List<Hold> holds = new ArrayList<>();
        /** Serialises the hold and release calls to the backend. */
        final Object holdCalls = new Object();

        ReaderEntry(String name, CardBackend backend, ReaderStatus status) {
            this.name = name;
            this.backend = backend;
            this.status = status;
        }
    }

    private static final class ListenerEntry {
        final CardListener listener;
        final String reader;

        ListenerEntry(CardListener listener, String reader) {
            this.listener = listener;
            this.reader = reader;
        }

        boolean wants(CardEvent event) {
            return reader == null || reader.equals(event.reader());
        }
    }

    private final Map<String, ReaderEntry> readers = new ConcurrentHashMap<>();
    private final List<ListenerEntry> listeners = new CopyOnWriteArrayList<>();
    /** The reader states as delivered to listeners; only touched on the event thread. */
    private final Map<String, ReaderStatus> delivered = new HashMap<>();
    private final ExecutorService events;
    private final Object stateLock = new Object();
    private final ScheduledThreadPoolExecutor timer;

    /** Creates the service; the event thread starts with the first event. */
    public CardServiceImpl() {
        events = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "dm-card-events-1");
                    t.setDaemon(true);
                    return t;
                });
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "dm-card-holds");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(1, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
    }

    /** Stops event delivery and ends every hold. */
    @Deactivate
    public void deactivate() {
        events.shutdown();
        for (ReaderEntry e : readers.values()) {
            endHolds(e, "card service stopped");
            e.backend.removeObserver(this);
        }
        timer.shutdownNow();
        try {
            if (!events.awaitTermination(5, TimeUnit.SECONDS)) {
                events.shutdownNow();
            }
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ backends

    /**
     * @param backend a card backend
     * @param props its service properties; {@code card.reader} names the reader
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addBackend(CardBackend backend, Map<String, Object> props) {
        String name = readerName(backend, props);
        if (name == null) {
            LOG.warn("Ignoring a card backend without reader name (service.id={})", props.get("service.id"));
            return;
        }
        ReaderStatus status = backend.status();
        ReaderEntry entry = new ReaderEntry(name, backend, ReaderStatus.of(name, status.backend(), CardState.NO_READER));
        if (readers.putIfAbsent(name, entry) != null) {
            LOG.warn("Ignoring a second card backend for reader '{}' (service.id={})", name, props.get("service.id"));
            return;
        }
        backend.addObserver(this);
        update(entry, backend.status());
        LOG.info("Card reader '{}' ({}) added", name, status.backend());
    }

    /**
     * @param backend a card backend going away
     * @param props its service properties
     */
    public void removeBackend(CardBackend backend, Map<String, Object> props) {
        String name = readerName(backend, props);
        ReaderEntry entry = name == null ? null : readers.get(name);
        if (entry == null || entry.backend != backend) {
            return;
        }
        backend.removeObserver(this);
        update(entry, entry.status.with(CardState.NO_READER, new byte[0]));
        entry.gone = true;
        readers.remove(name, entry);
        endHolds(entry, "backend removed");
        LOG.info("Card reader '{}' removed", name);
    }

    private static String readerName(CardBackend backend, Map<String, Object> props) {
        Object p = props.get(CardBackend.READER_PROPERTY);
        if (p instanceof String[] && ((String[]) p).length > 0) {
            p = ((String[]) p)[0];
        }
        if (p instanceof String && !((String) p).isBlank()) {
            return (String) p;
        }
        try {
            return backend.status().reader();
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public void stateChanged(CardBackend backend, ReaderStatus status) {
        for (ReaderEntry entry : readers.values()) {
            if (entry.backend == backend && !entry.gone) {
                update(entry, status);
                return;
            }
        }
    }

    /** Computes the events between the entry's last state and {@code next}, and queues them. */
    private void update(ReaderEntry entry, ReaderStatus reported) {
        synchronized (stateLock) {
            ReaderStatus prev = entry.status;
            ReaderStatus next = ReaderStatus.of(entry.name, reported.backend(), reported.state(), reported.atr());
            List<CardEvent> out = new ArrayList<>();
            CardState from = prev.state();
            CardState to = next.state();
            // a card whose ATR becomes known (a mute card, or one first seen while in use) is the same card
            boolean replaced = from == CardState.PRESENT && to == CardState.PRESENT
                    && !prev.atrHex().isEmpty() && !prev.atrHex().equals(next.atrHex());
            if (from == CardState.PRESENT && (to != CardState.PRESENT || replaced)) {
                out.add(CardEvent.of(CardEvent.Type.CARD_REMOVED, next.with(CardState.ABSENT, new byte[0])));
            }
            if (from != CardState.NO_READER && to == CardState.NO_READER) {
                out.add(CardEvent.of(CardEvent.Type.READER_REMOVED, next));
            }
            if (from == CardState.NO_READER && to != CardState.NO_READER) {
                out.add(CardEvent.of(CardEvent.Type.READER_ADDED, next.with(CardState.ABSENT, new byte[0])));
            }
            if (to == CardState.PRESENT && (from != CardState.PRESENT || replaced)) {
                out.add(CardEvent.of(CardEvent.Type.CARD_INSERTED, next));
            }
            if (from == CardState.PRESENT && (to != CardState.PRESENT || replaced)) {
                long ended = entry.insertion.getAndIncrement();
                // not here: a backend may report from the thread its hold calls run on
                afterwards(() -> endHolds(entry, ended, "card removed"));
            }
            entry.status = next;
            for (CardEvent e : out) {
                LOG.debug("{}", e);
                queue(() -> dispatch(e));
            }
        }
    }

    /**
     * Waits until every event queued so far has been delivered (for tests and orderly shutdown).
     *
     * @throws Exception if that takes longer than ten seconds or fails
     */
    void awaitDelivery() throws Exception {
        events.submit(() -> { }).get(10, TimeUnit.SECONDS);
    }

    private void queue(Runnable task) {
        try {
            events.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("Card service stopped; event dropped");
        }
    }

    private void dispatch(CardEvent event) {
        if (event.type() == CardEvent.Type.READER_REMOVED) {
            delivered.remove(event.reader());
        } else {
            delivered.put(event.reader(), event.status());
        }
        for (ListenerEntry l : listeners) {
            if (l.wants(event)) {
                deliver(l, event);
            }
        }
    }

    private static void deliver(ListenerEntry l, CardEvent event) {
        try {
            l.listener.cardChanged(event);
        } catch (RuntimeException e) {
            LOG.warn("Card listener {} failed on {}", l.listener.getClass().getName(), event, e);
        }
    }

    // ------------------------------------------------------------------ listeners

    /**
     * @param listener a listener
     * @param props its service properties; optional {@code card.reader} filter
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addListener(CardListener listener, Map<String, Object> props) {
        Object filter = props.get(CardListener.READER_PROPERTY);
        ListenerEntry entry = new ListenerEntry(listener, filter instanceof String ? (String) filter : null);
        queue(() -> {
            listeners.add(entry);
            List<ReaderStatus> now = new ArrayList<>(delivered.values());
            now.sort(Comparator.comparing(ReaderStatus::reader));
            for (ReaderStatus s : now) {
                CardEvent added = CardEvent.of(CardEvent.Type.READER_ADDED, s.with(CardState.ABSENT, new byte[0]));
                if (entry.wants(added)) {
                    deliver(entry, added);
                    if (s.isCardPresent()) {
                        deliver(entry, CardEvent.of(CardEvent.Type.CARD_INSERTED, s));
                    }
                }
            }
        });
    }

    /**
     * @param listener a listener going away
     * @param props its service properties
     */
    public void removeListener(CardListener listener, Map<String, Object> props) {
        listeners.removeIf(l -> l.listener == listener);
        queue(() -> listeners.removeIf(l -> l.listener == listener));
    }

    // ------------------------------------------------------------------ CardService

    @Override
    public List<ReaderStatus> readers() {
        List<ReaderStatus> out = new ArrayList<>();
        for (ReaderEntry e : readers.values()) {
            out.add(e.status);
        }
        out.sort(Comparator.comparing(ReaderStatus::reader));
        return out;
    }

    @Override
    public Optional<ReaderStatus> reader(String reader) {
        ReaderEntry e = readers.get(Objects.requireNonNull(reader, "reader"));
        return e == null ? Optional.empty() : Optional.of(e.status);
    }

    @Override
    public CardSession openSession(String reader) throws SmartCardException {
        return openSession(reader, DEFAULT_WAIT);
    }

    @Override
    public CardSession openSession(String reader, Duration maxWait) throws SmartCardException {
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(maxWait, "maxWait");
        ReaderEntry entry = readers.get(reader);
        if (entry == null) {
            throw new SmartCardException(Code.READER_ABSENT, "No card reader named '" + reader + "'");
        }
        checkPresent(entry);
        try {
            if (!entry.permit.tryAcquire(Math.max(0, maxWait.toMillis()), TimeUnit.MILLISECONDS)) {
                throw new SmartCardException(Code.READER_BUSY, "Reader '" + reader + "' is in use by another session");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SmartCardException(Code.INTERRUPTED, "Interrupted while waiting for reader '" + reader + "'");
        }
        try {
            checkPresent(entry);
            long insertion = entry.insertion.get();
            CardConnection connection = entry.backend.connect();
            LOG.debug("Session opened on '{}'", reader);
            return new Session(entry, connection, insertion);
        } catch (SmartCardException | RuntimeException e) {
            entry.permit.release();
            if (e instanceof RuntimeException) {
                throw new SmartCardException(Code.IO_ERROR, "Backend of '" + reader + "' failed to connect", e);
            }
            throw e;
        }
    }

    // ------------------------------------------------------------------ holds

    @Override
    public CardHold holdCard(String reader, Duration maxHold) throws SmartCardException {
        Objects.requireNonNull(reader, "reader");
        requirePositive(maxHold);
        ReaderEntry entry = readers.get(reader);
        if (entry == null) {
            throw new SmartCardException(Code.READER_ABSENT, "No card reader named '" + reader + "'");
        }
        checkPresent(entry);
        Hold hold = new Hold(this, entry, entry.insertion.get());
        synchronized (entry.holds) {
            entry.holds.add(hold);
        }
        try {
            syncBackend(entry);
        } catch (SmartCardException | RuntimeException e) {
            endHold(hold, "backend failed to hold");
            if (e instanceof RuntimeException) {
                throw new SmartCardException(Code.IO_ERROR, "Backend of '" + reader + "' failed to hold the card", e);
            }
            throw e;
        }
        if (!hold.isActive()) { // removed meanwhile
            endHold(hold, "card removed");
            throw new SmartCardException(Code.CARD_REMOVED, "The card was removed from '" + reader + "'");
        }
        hold.expireAfter(maxHold);
        LOG.debug("Card in '{}' held (at most {} without extension)", reader, maxHold);
        return hold;
    }

    /**
     * @param reader a reader
     * @return how many active holds it has (for tests and diagnostics)
     */
    public int activeHolds(String reader) {
        ReaderEntry entry = readers.get(reader);
        if (entry == null) {
            return 0;
        }
        synchronized (entry.holds) {
            return (int) entry.holds.stream().filter(Hold::isActive).count();
        }
    }

    static void requirePositive(Duration maxHold) {
        Objects.requireNonNull(maxHold, "maxHold");
        if (maxHold.isNegative() || maxHold.isZero()) {
            throw new IllegalArgumentException("maxHold must be positive: " + maxHold);
        }
    }

    /** @return the expiry task of a hold, or null when the service is stopping */
    ScheduledFuture<?> scheduleExpiry(Hold hold, Duration maxHold) {
        try {
            return timer.schedule(() -> endHold(hold, "expired"), Math.max(1, maxHold.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            endHold(hold, "card service stopped");
            return null;
        }
    }

    /** Ends a hold; the backend is released when it was the last one. Never throws. */
    void endHold(Hold hold, String why) {
        if (!hold.end()) {
            return;
        }
        ReaderEntry entry = hold.entry();
        synchronized (entry.holds) {
            entry.holds.remove(hold);
        }
        LOG.debug("Hold on '{}' ended ({})", entry.name, why);
        try {
            syncBackend(entry);
        } catch (SmartCardException | RuntimeException e) {
            LOG.debug("Releasing the card in '{}' failed: {}", entry.name, e.toString());
        }
    }

    private void endHolds(ReaderEntry entry, String why) {
        List<Hold> all;
        synchronized (entry.holds) {
            all = new ArrayList<>(entry.holds);
        }
        for (Hold h : all) {
            endHold(h, why);
        }
    }

    private void endHolds(ReaderEntry entry, long insertion, String why) {
        List<Hold> old;
        synchronized (entry.holds) {
            old = entry.holds.stream().filter(h -> h.insertion() == insertion).toList();
        }
        for (Hold h : old) {
            endHold(h, why);
        }
    }

    /** Brings the backend's hold in line with the holds (outside the state lock, one call at a time per reader). */
    private static void syncBackend(ReaderEntry entry) throws SmartCardException {
        if (!(entry.backend instanceof HoldingBackend)) {
            return;
        }
        HoldingBackend backend = (HoldingBackend) entry.backend;
        synchronized (entry.holdCalls) {
            boolean wanted;
            synchronized (entry.holds) {
                wanted = !entry.holds.isEmpty();
            }
            if (wanted) {
                backend.holdCard();
            } else {
                backend.releaseCard();
            }
        }
    }

    /** Runs a task on the timer thread, or at once when the service is stopping. */
    private void afterwards(Runnable task) {
        try {
            timer.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    private static void checkPresent(ReaderEntry entry) throws SmartCardException {
        if (entry.gone) {
            throw new SmartCardException(Code.READER_ABSENT, "Reader '" + entry.name + "' went away");
        }
        switch (entry.status.state()) {
            case NO_READER:
                throw new SmartCardException(Code.READER_ABSENT, "Reader '" + entry.name + "' is not available");
            case ABSENT:
                throw new SmartCardException(Code.CARD_ABSENT, "No card in reader '" + entry.name + "'");
            default:
                break;
        }
    }
}
