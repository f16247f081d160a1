package org.cardinaldm.client.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.DmTree;
import org.cardinaldm.api.spi.transport.DmTransport;
import org.cardinaldm.client.api.DmClient;
import org.cardinaldm.client.api.GenericAlert;
import org.cardinaldm.client.api.GenericAlertQueue;
import org.cardinaldm.client.api.NotificationOutcome;
import org.cardinaldm.client.api.QueuedAlert;
import org.cardinaldm.client.api.SessionListener;
import org.cardinaldm.client.api.SessionOutcome;
import org.cardinaldm.client.api.SessionRequest;
import org.cardinaldm.client.api.SessionResult;
import org.cardinaldm.client.api.spi.AccountCredentials;
import org.cardinaldm.client.api.spi.AuthScheme;
import org.cardinaldm.client.api.spi.CredentialException;
import org.cardinaldm.client.api.spi.CredentialProvider;
import org.cardinaldm.client.api.spi.UserPrompt;
import org.cardinaldm.client.api.spi.UserResponse;
import org.cardinaldm.client.internal.alerts.FileAlertQueue;
import org.cardinaldm.client.internal.auth.DmAccCredentials;
import org.cardinaldm.client.internal.auth.NonceStore;
import org.cardinaldm.client.internal.notify.NotificationVerifier;
import org.cardinaldm.client.internal.session.Session;
import org.cardinaldm.client.internal.session.SessionContext;
import org.cardinaldm.client.internal.ui.UiAlerts;
import org.cardinaldm.mo.dmacc.api.AppAddress;
import org.cardinaldm.mo.dmacc.api.DmAccount;
import org.cardinaldm.mo.dmacc.api.DmAccounts;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.api.model.UiAlertKind;
import org.cardinaldm.syncml.api.notification.UiMode;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DM client component: queues sessions on one thread of its own, looks up the account, its
 * credentials (a {@link CredentialProvider} first, else {@code ./DMAcc}), the transport for its
 * address and runs a {@link Session}; checks package-0 notifications; keeps the Generic Alert queue
 * in a file. Plugins (transports, codecs, credential providers, UIs, listeners) are whiteboard
 * services, tracked dynamically. Configuration PID {@value #PID}.
 */
@Component(service = {DmClient.class, GenericAlertQueue.class}, configurationPid = DmClientImpl.PID)
@Designate(ocd = DmClientImpl.Config.class)
public final class DmClientImpl extends ClientComponent implements DmClient, GenericAlertQueue {
    /** The configuration PID. */
    public static final String PID = "org.cardinaldm.client";

    private static final Logger LOG = LoggerFactory.getLogger(DmClientImpl.class);
    /** What the notification check remembers (replays, nonces tried), next to the Generic Alert queue. */
    static final String NOTIFICATION_STATE_FILE = "notification-state.txt";

    /** The client's configuration. */
    @ObjectClassDefinition(name = "Cardinal DM client", description = "The device agent's sessions with DM servers")
    public @interface Config {
        /** @return the encoding */
        @AttributeDefinition(name = "Encoding", description = "wbxml or xml: how the client writes its messages")
        String encoding() default "wbxml";

        /** @return MaxMsgSize */
        @AttributeDefinition(name = "MaxMsgSize", min = "1024",
                description = "Largest server message accepted (bytes), announced in every SyncHdr")
        int max_msg_size() default 65_536;

        /** @return MaxObjSize */
        @AttributeDefinition(name = "MaxObjSize", min = "1",
                description = "Largest large object accepted (bytes), announced in every SyncHdr")
        long max_obj_size() default 1 << 20;

        /** @return the response timeout */
        @AttributeDefinition(name = "Response timeout (ms)", min = "1", description = "How long to wait for each answer")
        int response_timeout_ms() default 60_000;

        /** @return retries */
        @AttributeDefinition(name = "Retries", min = "0",
                description = "How many times a message is sent again when the server is unreachable, slow or busy")
        int retries() default 3;

        /** @return first back-off */
        @AttributeDefinition(name = "First back-off (ms)", min = "0", description = "Delay before the first retry; doubles")
        int backoff_initial_ms() default 2_000;

        /** @return longest back-off */
        @AttributeDefinition(name = "Longest back-off (ms)", min = "0")
        int backoff_max_ms() default 30_000;

        /** @return most messages */
        @AttributeDefinition(name = "Messages per session", min = "2",
                description = "A session with more server messages is ended as a protocol error")
        int max_messages() default 100;

        /** @return authentication attempts */
        @AttributeDefinition(name = "Authentication attempts", min = "1",
                description = "How many challenges either side may issue in one session")
        int auth_attempts() default 3;

        /** @return UI timeout */
        @AttributeDefinition(name = "UI timeout (s)", min = "1",
                description = "How long a user-interaction alert waits when the server sent no MAXDT")
        int ui_timeout_s() default 300;

        /** @return whether servers must authenticate */
        @AttributeDefinition(name = "Servers must authenticate",
                description = "Refuse sessions with servers that neither have SRVCRED credentials nor use HTTPS")
        boolean server_auth_required() default true;

        /** @return the queue file */
        @AttributeDefinition(name = "Generic Alert queue file", required = false,
                description = "Where queued Generic Alerts are kept; empty: <karaf.data>/cardinal/generic-alerts.bin")
        String alert_queue_file() default "";

        /** @return queue size */
        @AttributeDefinition(name = "Generic Alert queue size", min = "1")
        int alert_max_entries() default 256;

        /** @return delivery attempts */
        @AttributeDefinition(name = "Generic Alert delivery attempts", min = "1",
                description = "Sessions that may try to deliver one alert before it is dropped")
        int alert_max_attempts() default 5;

        /** @return delay before an asynchronous result's session */
        @AttributeDefinition(name = "Asynchronous result delivery delay (ms)", min = "0",
                description = "How long after a plugin reports an asynchronous result (AsyncResults) the session "
                        + "with its server is started; reports within this window share one session")
        long async_delivery_delay_ms() default 5_000;

        /** @return longest back-off between delivery sessions */
        @AttributeDefinition(name = "Asynchronous result longest back-off (ms)", min = "0",
                description = "While reported results stay queued after a session (server unreachable or busy), "
                        + "the next session waits twice as long each time, up to this")
        long async_delivery_max_delay_ms() default 3_600_000;

        /** @return replay window */
        @AttributeDefinition(name = "Notification replay window (s)", min = "1",
                description = "How long a notification's digest is remembered to drop replays")
        int notification_replay_window_s() default 86_400;
    }

    private final DmTree tree;
    private final DmAccounts accounts;
    private final Settings settings;
    private final FileAlertQueue queue;
    private final ExecutorService sessions;
    private final ExecutorService uiThreads;
    private final SessionContext context;
    private final NotificationVerifier verifier;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, CompletableFuture<SessionResult>> pending = new ConcurrentHashMap<>();
    private final Map<NotificationOutcome, AtomicLong> notificationCounts = new EnumMap<>(NotificationOutcome.class);

    private final Map<String, DmTransport> transports = new ConcurrentHashMap<>();
    private final Map<DmTransport, List<String>> transportSchemes = new ConcurrentHashMap<>();
    private final Map<String, MessageCodec> codecs = new ConcurrentHashMap<>();
    private final List<Ranked<CredentialProvider>> providers = new CopyOnWriteArrayList<>();
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();

    /** A service with its {@code service.ranking} (an Integer, as the framework reads it; anything else is 0). */
    record Ranked<T>(T service, int ranking) {
    }

    /**
     * @param tree the DM tree
     * @param accounts the DMAcc accounts
     * @param config the configuration
     */
    @Activate
    public DmClientImpl(@Reference DmTree tree, @Reference DmAccounts accounts, Config config) {
        this(tree, accounts, Settings.from(config), queueFile(config), config.alert_max_entries(),
                Duration.ofSeconds(config.notification_replay_window_s()), Clock.systemUTC(), SessionContext.Sleeper.REAL);
    }

    /**
     * For tests and plain Java.
     *
     * @param tree the DM tree
     * @param accounts the accounts
     * @param settings the settings
     * @param queueFile the Generic Alert queue file; the notification state file is kept next to it
     * @param maxQueued the queue's size
     * @param replayWindow how long notifications are remembered
     * @param clock the clock
     * @param sleeper waits between retries
     */
    public DmClientImpl(DmTree tree, DmAccounts accounts, Settings settings, Path queueFile, int maxQueued,
            Duration replayWindow, Clock clock, SessionContext.Sleeper sleeper) {
        this.tree = Objects.requireNonNull(tree, "tree");
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.queue = new FileAlertQueue(queueFile, Math.max(1, maxQueued), settings.maxAlertAttempts(), clock);
        AtomicInteger n = new AtomicInteger();
        this.sessions = Executors.newSingleThreadExecutor(r -> daemon(r, "cardinal-dm-session"));
        this.uiThreads = Executors.newCachedThreadPool(r -> daemon(r, "cardinal-dm-ui-" + n.incrementAndGet()));
        UiAlerts ui = new UiAlerts(uis::current, uiThreads, settings.uiTimeout());
        this.context = new SessionContext(tree, this::serialization, this::tnds, ui, new NonceStore(tree), queue,
                type -> Optional.ofNullable(codecs.get(MediaTypes.normalize(type))), settings, clock, sleeper);
        this.verifier = new NotificationVerifier(accounts::byServerId, this::credentials, clock, replayWindow,
                queueFile.resolveSibling(NOTIFICATION_STATE_FILE));
        for (NotificationOutcome o : NotificationOutcome.values()) {
            notificationCounts.put(o, new AtomicLong());
        }
        LOG.info("DM client started: {}, MaxMsgSize {}, MaxObjSize {}", settings.wbxml() ? "WBXML" : "XML",
                settings.maxMsgSize(), settings.maxObjSize());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static Path queueFile(Config c) {
        if (!c.alert_queue_file().isBlank()) {
            return Path.of(c.alert_queue_file().trim());
        }
        return Path.of(System.getProperty("karaf.data", "data"), "cardinal", "generic-alerts.bin");
    }

    @Deactivate
    void deactivate() {
        sessions.shutdownNow();
        uiThreads.shutdownNow();
        pending.values().forEach(f -> f.cancel(false));
        LOG.info("DM client stopped");
    }

    // ------------------------------------------------------------------------------------------
    // Plugins

    /** @param t a transport @param props its service properties */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void bindTransport(DmTransport t, Map<String, Object> props) {
        List<String> schemes = strings(props.get(DmTransport.SCHEME_PROPERTY));
        transportSchemes.put(t, schemes);
        for (String s : schemes) {
            transports.put(s.toLowerCase(Locale.ROOT), t);
        }
    }

    /** @param t a transport @param props its service properties */
    public void unbindTransport(DmTransport t, Map<String, Object> props) {
        List<String> schemes = transportSchemes.remove(t);
        if (schemes != null) {
            schemes.forEach(s -> transports.remove(s.toLowerCase(Locale.ROOT), t));
        }
    }

    /** @param c a codec @param props its service properties */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void bindCodec(MessageCodec c, Map<String, Object> props) {
        List<String> types = strings(props.get(MessageCodec.MEDIA_TYPE_PROPERTY));
        (types.isEmpty() ? c.mediaTypes() : types).forEach(t -> codecs.put(MediaTypes.normalize(t), c));
    }

    /** @param c a codec @param props its service properties */
    public void unbindCodec(MessageCodec c, Map<String, Object> props) {
        codecs.values().removeIf(x -> x == c);
    }

    /** @param p a credential provider @param props its service properties */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void bindCredentialProvider(CredentialProvider p, Map<String, Object> props) {
        providers.add(new Ranked<>(p, ranking(props)));
        providers.sort((a, b) -> Integer.compare(b.ranking(), a.ranking()));
    }

    /** @param p a credential provider @param props its service properties */
    public void unbindCredentialProvider(CredentialProvider p, Map<String, Object> props) {
        providers.removeIf(r -> r.service() == p);
    }

    /** @param l a listener */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void bindListener(SessionListener l) {
        listeners.add(l);
    }

    /** @param l a listener */
    public void unbindListener(SessionListener l) {
        listeners.remove(l);
    }

    static int ranking(Map<String, Object> props) {
        Object r = props.get("service.ranking");
        return r instanceof Integer ? (Integer) r : 0;
    }

    private static List<String> strings(Object value) {
        if (value instanceof String s) {
            return List.of(s);
        }
        if (value instanceof String[] a) {
            return List.of(a);
        }
        if (value instanceof java.util.Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    // ------------------------------------------------------------------------------------------
    // Sessions

    @Override
    public CompletableFuture<SessionResult> startSession(SessionRequest request) {
        Objects.requireNonNull(request, "request");
        String sessionId = request.sessionId().orElseGet(this::newSessionId);
        return submit(new Session.Plan(request.serverId(), request.initiator(), sessionId, false), UiMode.NOT_SPECIFIED);
    }

    private String newSessionId() {
        return Integer.toHexString(1 + random.nextInt(0xFFFF)).toUpperCase(Locale.ROOT);
    }

    private CompletableFuture<SessionResult> submit(Session.Plan plan, UiMode uiMode) {
        CompletableFuture<SessionResult> mine = new CompletableFuture<>();
        CompletableFuture<SessionResult> existing = pending.putIfAbsent(plan.serverId(), mine);
        if (existing != null) {
            LOG.info("A session with {} is already queued; joining it", plan.serverId());
            return existing;
        }
        try {
            sessions.execute(() -> {
                SessionResult r;
                try {
                    r = runOne(plan, uiMode);
                } finally {
                    pending.remove(plan.serverId(), mine);
                }
                mine.complete(r);
            });
        } catch (RejectedExecutionException e) {
            pending.remove(plan.serverId(), mine);
            mine.cancel(false);
        }
        return mine;
    }

    /**
     * Runs one session on the calling thread.
     *
     * @param plan the session's plan
     * @param uiMode the notification's ui-mode
     * @return its result
     */
    SessionResult runOne(Session.Plan plan, UiMode uiMode) {
        Instant start = context.clock().instant();
        SessionResult.Builder failed = SessionResult.builder(plan.serverId(), plan.initiator()).sessionId(plan.sessionId());
        try {
            Optional<DmAccount> account = accounts.byServerId(plan.serverId());
            if (account.isEmpty()) {
                return end(failed, SessionOutcome.NO_ACCOUNT, "no DM account with ServerID " + plan.serverId(), start);
            }
            DmAccount acc = account.get();
            AccountCredentials creds;
            try {
                creds = credentials(acc);
            } catch (CredentialException e) {
                return end(failed, SessionOutcome.AUTHENTICATION_FAILED, "credentials unavailable: " + e.reason(), start);
            }
            if (creds instanceof DmAccCredentials d && d.clientSecretMissing()) {
                return end(failed, SessionOutcome.AUTHENTICATION_FAILED, "the account has no client secret", start);
            }
            Optional<URI> address = address(acc);
            if (address.isEmpty()) {
                return end(failed, SessionOutcome.NO_ACCOUNT, "the account has no usable server address", start);
            }
            String scheme = address.get().getScheme().toLowerCase(Locale.ROOT);
            DmTransport transport = transports.get(scheme);
            if (transport == null) {
                return end(failed, SessionOutcome.NO_TRANSPORT, "no transport for '" + scheme + "'", start);
            }
            if (settings.serverAuthRequired() && creds.serverScheme() == AuthScheme.NONE && !scheme.equals("https")) {
                return end(failed, SessionOutcome.AUTHENTICATION_FAILED,
                        "the server cannot be authenticated (no SRVCRED credentials, not HTTPS)", start);
            }
            if (creds instanceof DmAccCredentials d && d.serverSecretMissing()) {
                return end(failed, SessionOutcome.AUTHENTICATION_FAILED, "the account has no server secret", start);
            }
            if (uiMode == UiMode.USER_INTERACTION && !askUser(plan.serverId())) {
                count(NotificationOutcome.REFUSED_BY_USER);
                return end(failed, SessionOutcome.ABORTED_BY_USER, "the user refused the session", start);
            }
            for (SessionListener l : listeners) {
                try {
                    l.sessionStarted(plan.serverId(), plan.sessionId(), plan.initiator());
                } catch (RuntimeException e) {
                    LOG.warn("Session listener failed", e);
                }
            }
            LOG.info("DM session {} with {} at {} ({})", plan.sessionId(), plan.serverId(), address.get().getHost(),
                    plan.initiator());
            SessionResult r = new Session(context, acc, creds, transport, address.get(), plan).run();
            notifyEnded(r);
            return r;
        } catch (DmException e) {
            return end(failed, SessionOutcome.INTERNAL_ERROR, "accounts cannot be read: " + e.toDisplayString(), start);
        } catch (RuntimeException e) {
            LOG.error("DM session with {} failed", plan.serverId(), e);
            return end(failed, SessionOutcome.INTERNAL_ERROR, e.getClass().getSimpleName(), start);
        }
    }

    private boolean askUser(String serverId) {
        if (uis.current() == null) {
            return true;
        }
        UserPrompt prompt = UserPrompt.builder(UiAlertKind.CONFIRM, serverId,
                "The management server " + serverId + " asks to start a session. Allow?")
                .maxDisplayTime(settings.uiTimeout()).defaultResponse("0").build();
        return uis.ask(prompt, uiThreads, settings.uiTimeout()).map(r -> r.kind() == UserResponse.Kind.YES)
                .orElse(Boolean.FALSE);
    }

    private SessionResult end(SessionResult.Builder b, SessionOutcome outcome, String detail, Instant start) {
        SessionResult r = b.outcome(outcome, detail).times(start, context.clock().instant()).build();
        LOG.warn("DM session not run: {}", r);
        notifyEnded(r);
        return r;
    }

    private void notifyEnded(SessionResult r) {
        for (SessionListener l : listeners) {
            try {
                l.sessionEnded(r);
            } catch (RuntimeException e) {
                LOG.warn("Session listener failed", e);
            }
        }
    }

    private AccountCredentials credentials(DmAccount account) throws CredentialException {
        for (Ranked<CredentialProvider> p : providers) {
            Optional<AccountCredentials> c = p.service().credentials(account);
            if (c.isPresent()) {
                return c.get();
            }
        }
        return DmAccCredentials.of(account);
    }

    /**
     * @param account an account
     * @return its first AppAddr of type URI that parses as an absolute URI with a host, with the
     *     first PortNbr applied when the URI names no port
     */
    static Optional<URI> address(DmAccount account) {
        for (AppAddress a : account.addresses()) {
            if (!a.addressType().isEmpty() && !a.addressType().equalsIgnoreCase("URI")) {
                continue;
            }
            try {
                URI u = new URI(a.address().trim());
                if (!u.isAbsolute() || u.getHost() == null) {
                    continue;
                }
                if (u.getPort() < 0 && !a.ports().isEmpty()) {
                    u = new URI(u.getScheme(), u.getUserInfo(), u.getHost(), a.ports().get(0), u.getPath(),
                            u.getQuery(), u.getFragment());
                }
                return Optional.of(u);
            } catch (URISyntaxException e) {
                LOG.debug("Skipping an unusable AppAddr of {}", account.serverId());
            }
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------------------------------
    // Notifications

    @Override
    public NotificationOutcome acceptNotification(byte[] pkg0) {
        return acceptNotification(pkg0, "");
    }

    @Override
    public NotificationOutcome acceptNotification(byte[] pkg0, String source) {
        Objects.requireNonNull(pkg0, "pkg0");
        NotificationVerifier.Check check = verifier.check(pkg0, source == null ? "" : source);
        if (check.outcome() != NotificationOutcome.ACCEPTED) {
            count(check.outcome());
            return check.outcome();
        }
        var n = check.verified().notification();
        CompletableFuture<SessionResult> queued = pending.get(n.serverId());
        if (queued != null) {
            count(NotificationOutcome.REPLAYED);
            LOG.info("A session with {} is already queued; notification for session {} dropped", n.serverId(),
                    n.sessionIdHex());
            return NotificationOutcome.REPLAYED;
        }
        count(NotificationOutcome.ACCEPTED);
        submit(new Session.Plan(n.serverId(), SessionRequest.Initiator.SERVER, n.sessionIdHex(),
                check.verified().resync()), n.uiMode());
        return NotificationOutcome.ACCEPTED;
    }

    private void count(NotificationOutcome o) {
        notificationCounts.get(o).incrementAndGet();
    }

    @Override
    public Map<NotificationOutcome, Long> notificationCounts() {
        Map<NotificationOutcome, Long> out = new EnumMap<>(NotificationOutcome.class);
        notificationCounts.forEach((k, v) -> out.put(k, v.get()));
        return Collections.unmodifiableMap(out);
    }

    // ------------------------------------------------------------------------------------------
    // Generic Alerts

    @Override
    public String enqueue(GenericAlert alert) {
        return queue.enqueue(alert);
    }

    @Override
    public List<QueuedAlert> pending() {
        return queue.pending();
    }

    @Override
    public List<QueuedAlert> pending(String serverId) {
        return queue.pending(serverId);
    }

    @Override
    public boolean remove(String id) {
        return queue.remove(id);
    }
}
