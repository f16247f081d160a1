package org.cardinaldm.client.internal.alerts;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.spi.mo.AsyncResult;
import org.cardinaldm.api.spi.mo.AsyncResults;
import org.cardinaldm.client.api.DmClient;
import org.cardinaldm.client.api.GenericAlert;
import org.cardinaldm.client.api.GenericAlertQueue;
import org.cardinaldm.client.api.QueuedAlert;
import org.cardinaldm.client.api.SessionRequest;
import org.cardinaldm.client.api.SessionResult;
import org.cardinaldm.client.internal.DmClientImpl;
import org.cardinaldm.mo.dmacc.api.DmAccount;
import org.cardinaldm.mo.dmacc.api.DmAccounts;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device agent's {@link AsyncResults}: a plugin's report of an Exec it answered with 202 becomes a Generic
 * Alert 1226 in the persistent {@link GenericAlertQueue} (Type, Format, Mark, Source, Target, Correlator and Data
 * as reported), and a client-initiated session with the report's server is asked for soon after, so that the
 * queue is drained in its package 1.
 *
 * <p>Delivery, per server:
 * <ul>
 * <li>a report schedules one delivery {@code async.delivery.delay.ms} later; reports arriving before it runs
 * ride on it (one session for many reports);</li>
 * <li>when it runs and the server's alerts are still queued, it asks {@link DmClient#startSession} for a
 * session; when a session with that server is already queued or running, the client joins it instead of
 * starting a second one;</li>
 * <li>when that session has ended and alerts for the server are still queued (the session failed, the server
 * answered an error that retrying can fix, or the report came after the session's package 1), one more
 * delivery is scheduled after a back-off that doubles from twice the delay up to
 * {@code async.delivery.max.delay.ms}; an empty queue resets the back-off.</li>
 * </ul>
 * So there is at most one delivery scheduled per server at any time, and never more than one session per
 * delay (or back-off) and server. On activation, servers that already have queued alerts (from before a
 * restart) get a delivery too.
 *
 * <p>A report for a ServerID that no {@code ./DMAcc} account has is refused ({@link IllegalArgumentException})
 * and logged without its Data. Configuration: the DM client's PID {@value DmClientImpl#PID}.
 */
@Component(service = AsyncResults.class, configurationPid = DmClientImpl.PID, reference = {
        @Reference(name = "queue", service = GenericAlertQueue.class),
        @Reference(name = "client", service = DmClient.class),
        @Reference(name = "accounts", service = DmAccounts.class)})
public final class AsyncResultsImpl implements AsyncResults {
    /** Runs a task after a delay; the component's own executor in OSGi, a manual one in tests. */
    @FunctionalInterface
    public interface Scheduler {
        /**
         * @param task what to run
         * @param delay after how long
         */
        void schedule(Runnable task, Duration delay);
    }

    private static final Logger LOG = LoggerFactory.getLogger(AsyncResultsImpl.class);

    // Looked up when used, never at activation: the tree mounts the MO plugins that use this service, and the
    // client and the accounts need the tree, so binding them here would close a cycle at startup.
    private final Supplier<GenericAlertQueue> queue;
    private final Supplier<DmClient> client;
    private final Supplier<DmAccounts> accounts;
    private final Duration delay;
    private final Duration maxDelay;
    private final Scheduler scheduler;
    private final ScheduledExecutorService executor;
    /** Servers with a delivery scheduled and not yet run. */
    private final Set<String> scheduled = ConcurrentHashMap.newKeySet();
    /** Servers with a session asked for and not yet ended. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /** The next back-off per server, while its alerts stay queued after a session. */
    private final Map<String, Duration> backoff = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param queue the Generic Alert queue
     * @param client the DM client
     * @param accounts the DMAcc accounts
     * @param config the DM client's configuration ({@code async.delivery.delay.ms},
     *               {@code async.delivery.max.delay.ms})
     */
    @Activate
    public AsyncResultsImpl(ComponentContext context, DmClientImpl.Config config) {
        this(() -> (GenericAlertQueue) context.locateService("queue"), () -> (DmClient) context.locateService("client"),
                () -> (DmAccounts) context.locateService("accounts"),
                Duration.ofMillis(Math.max(0, config.async_delivery_delay_ms())),
                Duration.ofMillis(Math.max(0, config.async_delivery_max_delay_ms())), null, false);
    }

    /**
     * For tests and plain Java.
     *
     * @param queue the Generic Alert queue
     * @param client the DM client
     * @param accounts the DMAcc accounts
     * @param delay how long after a report the session is asked for
     * @param maxDelay the longest back-off between sessions while alerts stay queued
     * @param scheduler where deliveries are scheduled; null for a thread of the component's own
     */
    public AsyncResultsImpl(GenericAlertQueue queue, DmClient client, DmAccounts accounts, Duration delay,
            Duration maxDelay, Scheduler scheduler) {
        this(constant(queue, "queue"), constant(client, "client"), constant(accounts, "accounts"), delay, maxDelay,
                scheduler, true);
    }

    private static <T> Supplier<T> constant(T value, String name) {
        Objects.requireNonNull(value, name);
        return () -> value;
    }

    private AsyncResultsImpl(Supplier<GenericAlertQueue> queue, Supplier<DmClient> client,
            Supplier<DmAccounts> accounts, Duration delay, Duration maxDelay, Scheduler scheduler,
            boolean resumeNow) {
        this.queue = queue;
        this.client = client;
        this.accounts = accounts;
        this.delay = Objects.requireNonNull(delay, "delay");
        this.maxDelay = maxDelay.compareTo(delay) < 0 ? delay : maxDelay;
        if (scheduler == null) {
            AtomicInteger n = new AtomicInteger();
            executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "dm-async-results-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            this.scheduler = (task, d) -> executor.schedule(task, d.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            executor = null;
            this.scheduler = scheduler;
        }
        if (resumeNow) {
            resumeQueued();
        } else {
            this.scheduler.schedule(this::resumeQueued, Duration.ZERO); // after activation, off its thread
        }
    }

    /** Schedules a delivery for every known server that has alerts queued from before a restart. */
    private void resumeQueued() {
        GenericAlertQueue q0 = closed ? null : queue.get();
        if (q0 == null) {
            return; // deactivated meanwhile
        }
        Set<String> waiting = new LinkedHashSet<>();
        for (QueuedAlert q : q0.pending()) {
            waiting.add(q.alert().serverId());
        }
        for (String serverId : waiting) {
            if (known(serverId)) {
                LOG.info("Generic Alerts from before the restart are queued for {}: delivery scheduled", serverId);
                schedule(serverId, this.delay);
            }
        }
    }

    @Deactivate
    void deactivate() {
        closed = true;
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    @Override
    public String report(AsyncResult result) {
        Objects.requireNonNull(result, "result");
        if (!known(result.serverId())) {
            LOG.warn("Asynchronous result for unknown server {} refused ({}, source {}, correlator {})",
                    result.serverId(), result.type(), result.source().orElse("-"), result.correlator().orElse("-"));
            throw new IllegalArgumentException("No DM account has ServerID " + result.serverId());
        }
        // IllegalArgumentException for a Mark that is no Generic Alert Mark; IllegalStateException when the queue
        // is full or not writable
        String id = queue.get().enqueue(GenericAlert.of(result));
        LOG.debug("Asynchronous result {} queued as {}", result, id);
        backoff.remove(result.serverId());
        schedule(result.serverId(), delay);
        return id;
    }

    private boolean known(String serverId) {
        try {
            Optional<DmAccount> account = accounts.get().byServerId(serverId);
            return account.isPresent();
        } catch (DmException e) {
            LOG.warn("The DM accounts cannot be read ({}): asynchronous result for {} refused", e.toDisplayString(),
                    serverId);
            return false;
        }
    }

    private void schedule(String serverId, Duration after) {
        if (closed || inFlight.contains(serverId) || !scheduled.add(serverId)) {
            return; // a delivery is already coming, or a session asked for will be followed up when it ends
        }
        try {
            scheduler.schedule(() -> deliver(serverId), after);
        } catch (RejectedExecutionException e) {
            scheduled.remove(serverId);
        }
    }

    /** Runs a scheduled delivery: asks for a session with the server when its alerts are still queued. */
    private void deliver(String serverId) {
        scheduled.remove(serverId);
        if (closed) {
            return;
        }
        if (queue.get().pending(serverId).isEmpty()) {
            backoff.remove(serverId);
            return;
        }
        inFlight.add(serverId);
        CompletableFuture<SessionResult> session;
        try {
            session = client.get().startSession(SessionRequest.clientInitiated(serverId));
        } catch (RuntimeException e) {
            inFlight.remove(serverId);
            LOG.warn("Cannot ask for a session with {} to deliver asynchronous results: {}", serverId, e.toString());
            followUp(serverId);
            return;
        }
        session.whenComplete((r, failure) -> {
            inFlight.remove(serverId);
            LOG.debug("Session with {} for asynchronous results ended: {}", serverId, r == null ? failure : r);
            followUp(serverId);
        });
    }

    private void followUp(String serverId) {
        if (closed) {
            return;
        }
        if (queue.get().pending(serverId).isEmpty()) {
            backoff.remove(serverId);
            return;
        }
        Duration next = backoff.getOrDefault(serverId, delay.multipliedBy(2));
        if (next.isZero()) {
            next = Duration.ofMillis(1);
        }
        Duration after = next.compareTo(maxDelay) > 0 ? maxDelay : next;
        backoff.put(serverId, after.multipliedBy(2));
        LOG.debug("Generic Alerts still queued for {}: next session in {}", serverId, after);
        schedule(serverId, after);
    }
}
