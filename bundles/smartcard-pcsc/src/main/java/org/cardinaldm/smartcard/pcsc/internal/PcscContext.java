package org.cardinaldm.smartcard.pcsc.internal;

import java.lang.reflect.Field;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.CardTerminals;
import javax.smartcardio.TerminalFactory;

import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.api.SmartCardException.Code;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM's one PC/SC context, shared by all {@link PcscCardBackend}s, and the thread that watches the readers
 * ({@code dm-card-pcsc-monitor}).
 *
 * <p>Two properties of javax.smartcardio on pcsc-lite shape this class (both measured, see
 * {@code docs/smartcard-profile.md}):
 * <ul>
 * <li>The JDK keeps a single, static PC/SC context, and pcsc-lite serialises all calls on a context: while one
 * thread waits in {@code SCardGetStatusChange} ({@code waitForChange}, {@code waitForCardPresent}) every
 * {@code connect} and {@code transmit} of the JVM waits too. So the monitor waits for reader changes with a
 * bounded timeout ({@code event.wait.millis}) and only while no connection is open; while a card is in use it
 * only checks card presence without blocking, once per timeout, and the connection itself notices removal.</li>
 * <li>When pcscd restarts, the cached context stays dead ({@code SCARD_E_NO_SERVICE}) even for new
 * {@code TerminalFactory} instances. The context is re-established by resetting the JDK's cached context
 * handle, which needs {@code --add-opens java.smartcardio/sun.security.smartcardio=ALL-UNNAMED}; without it
 * the readers stay unavailable until the JVM restarts, and a warning says so.</li>
 * </ul>
 * Reader appearance is seen through the same wait (a new reader ends it at once); with no reader at all,
 * pcsc-lite cannot be waited on, and the reader list is read again every {@code retry.millis}.
 */
@Component(service = PcscContext.class, configurationPid = PcscContext.PID)
@Designate(ocd = PcscContext.Config.class)
public final class PcscContext {
    /** Configuration PID (singleton). */
    public static final String PID = "org.cardinaldm.smartcard.pcsc.context";
    /** The JDK system property that names the PC/SC library. */
    static final String LIBRARY_PROPERTY = "sun.security.smartcardio.library";

    private static final Logger LOG = LoggerFactory.getLogger(PcscContext.class);

    /** Settings shared by all PC/SC readers of this JVM. */
    @ObjectClassDefinition(name = "Cardinal PC/SC context",
            description = "Settings of the JVM's PC/SC context, shared by all PC/SC card readers")
    public @interface Config {
        /** @return the PC/SC library; empty to let the JDK find libpcsclite */
        @AttributeDefinition(name = "PC/SC library",
                description = "Path of libpcsclite (sets sun.security.smartcardio.library before first use); empty: JDK default")
        String library_path() default "";

        /** @return the longest blocking wait for reader changes, which is also the longest delay of a new session */
        @AttributeDefinition(name = "Event wait (ms)", min = "50", max = "60000")
        int event_wait_millis() default 500;

        /** @return how often to retry when pcscd or every reader is unavailable */
        @AttributeDefinition(name = "Retry interval (ms)", min = "100", max = "600000")
        int retry_millis() default 2000;
    }

    private final List<PcscCardBackend> backends = new CopyOnWriteArrayList<>();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final Object park = new Object();
    private volatile CardTerminals terminals;
    private volatile boolean running;
    private volatile String unavailable = "not started";
    private boolean warnedDeadContext;
    private boolean warnedUnavailable;
    private int eventWaitMillis;
    private int retryMillis;
    private Thread monitor;

    /**
     * Applies the configuration and starts the monitor thread.
     *
     * @param config the configuration
     */
    @Activate
    public void activate(Config config) {
        eventWaitMillis = Math.max(50, config.event_wait_millis());
        retryMillis = Math.max(100, config.retry_millis());
        String library = config.library_path() == null ? "" : config.library_path().trim();
        if (!library.isEmpty()) {
            String before = System.getProperty(LIBRARY_PROPERTY);
            if (before != null && !before.equals(library)) {
                LOG.warn("{} was already {}; it takes effect only before javax.smartcardio is first used",
                        LIBRARY_PROPERTY, before);
            }
            System.setProperty(LIBRARY_PROPERTY, library);
        }
        running = true;
        monitor = new Thread(this::monitor, "dm-card-pcsc-monitor");
        monitor.setDaemon(true);
        monitor.start();
        LOG.info("PC/SC context started (event wait {} ms)", eventWaitMillis);
    }

    /** Stops the monitor thread (waits at most one event wait). */
    @Deactivate
    public void deactivate() {
        running = false;
        wake();
        if (monitor != null) {
            try {
                monitor.join(eventWaitMillis + 2000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void register(PcscCardBackend backend) {
        backends.add(backend);
        wake();
    }

    void unregister(PcscCardBackend backend) {
        backends.remove(backend);
    }

    /** A connection is about to be opened: the monitor must not start a blocking wait. */
    void connectionOpening() {
        openConnections.incrementAndGet();
    }

    /** A connection was closed (or failed to open). */
    void connectionClosed() {
        if (openConnections.decrementAndGet() <= 0) {
            wake();
        }
    }

    /** @return the number of open connections */
    int openConnections() {
        return openConnections.get();
    }

    private void wake() {
        synchronized (park) {
            park.notifyAll();
        }
    }

    private void pause(long millis) {
        synchronized (park) {
            if (!running) {
                return;
            }
            try {
                park.wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    /**
     * @return the JVM's PC/SC terminals, establishing the context if needed
     * @throws SmartCardException {@link Code#IO_ERROR} if PC/SC is not available (pcscd not running)
     */
    CardTerminals terminals() throws SmartCardException {
        CardTerminals t = terminals;
        if (t != null) {
            return t;
        }
        synchronized (this) {
            if (terminals == null) {
                try {
                    terminals = TerminalFactory.getInstance("PC/SC", null).terminals();
                    unavailable = null;
                    warnedUnavailable = false;
                } catch (NoSuchAlgorithmException | RuntimeException e) {
                    unavailable = PcscErrors.pcscCode(e).isEmpty() ? String.valueOf(e.getMessage()) : PcscErrors.pcscCode(e);
                    throw new SmartCardException(Code.IO_ERROR, "PC/SC is not available (" + unavailable
                            + "); is pcscd running?", e);
                }
            }
            return terminals;
        }
    }

    /**
     * @param name a reader name
     * @return its terminal
     * @throws SmartCardException {@link Code#READER_ABSENT} if PC/SC does not know it, {@link Code#IO_ERROR}
     */
    CardTerminal terminal(String name) throws SmartCardException {
        CardTerminals t = terminals();
        try {
            // not getTerminal(name): it turns every failure, a dead daemon included, into "no such reader"
            for (CardTerminal terminal : t.list()) {
                if (terminal.getName().equals(name)) {
                    return terminal;
                }
            }
            throw new SmartCardException(Code.READER_ABSENT, "PC/SC has no reader named '" + name + "'");
        } catch (CardException e) {
            checkContext(t, e);
            throw PcscErrors.map(e, "Listing the PC/SC readers", true);
        }
    }

    /** If the failure says the daemon went away, forget the context so that the next use makes a new one. */
    void checkContext(CardTerminals stale, Throwable e) {
        if (!PcscErrors.serviceGone(e)) {
            return;
        }
        synchronized (this) {
            if (terminals != stale) {
                return;
            }
            terminals = null;
            try {
                // The JDK caches the context handle statically, and every TerminalImpl it has handed out keeps a
                // copy of it (in a static cache by reader name): both must go, or the stale handle lives on.
                Class<?> type = stale.getClass();
                Field contextId = type.getDeclaredField("contextId");
                Field cache = type.getDeclaredField("terminals");
                contextId.setAccessible(true);
                cache.setAccessible(true);
                synchronized (type) { // the JDK's static methods on this class synchronise on it
                    ((Map<?, ?>) cache.get(null)).clear();
                    contextId.setLong(null, 0L);
                }
                LOG.info("pcscd went away; the PC/SC context will be re-established");
            } catch (ReflectiveOperationException | RuntimeException ex) {
                if (!warnedDeadContext) {
                    warnedDeadContext = true;
                    LOG.warn("pcscd was restarted, and javax.smartcardio cannot re-establish its PC/SC context: PC/SC"
                            + " readers stay unavailable until the JVM restarts. Start the JVM with --add-opens"
                            + " java.smartcardio/sun.security.smartcardio=ALL-UNNAMED to recover automatically.");
                }
            }
        }
    }

    private void monitor() {
        while (running) {
            if (backends.isEmpty()) {
                pause(retryMillis); // woken by register()
                continue;
            }
            CardTerminals t;
            try {
                t = terminals();
            } catch (SmartCardException e) {
                if (!warnedUnavailable) {
                    warnedUnavailable = true;
                    LOG.warn("{}; PC/SC readers are unavailable until it is", e.getMessage());
                }
                publishAll(PcscCardBackend.State.noReader());
                pause(retryMillis);
                continue;
            }
            boolean waited = false;
            if (openConnections.get() == 0) {
                try {
                    t.waitForChange(eventWaitMillis);
                    waited = true;
                } catch (IllegalStateException e) {
                    // no reader at all: pcsc-lite cannot wait on nothing
                    refresh(t);
                    pause(retryMillis);
                    continue;
                } catch (CardException e) {
                    checkContext(t, e);
                    LOG.debug("Waiting for PC/SC reader changes failed: {}", PcscErrors.pcscCode(e));
                    refresh(t);
                    pause(retryMillis);
                    continue;
                }
            }
            if (!waited) {
                pause(eventWaitMillis);
            }
            refresh(t);
        }
    }

    /** Reads the reader list and card presence (both non-blocking) and tells every backend. */
    private void refresh(CardTerminals t) {
        if (backends.isEmpty() || !running) {
            return;
        }
        Map<String, CardTerminal> names = new HashMap<>();
        try {
            for (CardTerminal terminal : t.list()) {
                names.put(terminal.getName(), terminal);
            }
        } catch (CardException e) {
            checkContext(t, e);
            if (!"SCARD_E_NO_READERS_AVAILABLE".equals(PcscErrors.pcscCode(e))) {
                LOG.debug("Listing PC/SC readers failed: {}", PcscErrors.pcscCode(e));
            }
            publishAll(PcscCardBackend.State.noReader());
            return;
        }
        for (PcscCardBackend backend : backends) {
            String name = backend.readerName();
            CardTerminal terminal = names.get(name);
            if (terminal == null) {
                backend.observed(PcscCardBackend.State.noReader());
                continue;
            }
            try {
                boolean present = terminal.isCardPresent();
                backend.observed(present ? PcscCardBackend.State.present() : PcscCardBackend.State.absent());
            } catch (CardException e) {
                checkContext(t, e);
                backend.observed(PcscCardBackend.State.noReader());
            }
        }
    }

    private void publishAll(PcscCardBackend.State state) {
        for (PcscCardBackend backend : backends) {
            backend.observed(state);
        }
    }

    /** @return why PC/SC is unavailable, or {@code null} */
    String unavailable() {
        return unavailable;
    }

    @Override
    public String toString() {
        return "PC/SC context (" + (unavailable == null ? "available" : Objects.toString(unavailable)) + ")";
    }
}
