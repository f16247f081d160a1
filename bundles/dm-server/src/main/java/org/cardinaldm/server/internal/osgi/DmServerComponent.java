package org.cardinaldm.server.internal.osgi;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.cardinaldm.server.api.AuthAttempt;
import org.cardinaldm.server.api.Device;
import org.cardinaldm.server.api.DeviceAlert;
import org.cardinaldm.server.api.DeviceManager;
import org.cardinaldm.server.api.DevicePage;
import org.cardinaldm.server.api.DeviceState;
import org.cardinaldm.server.api.FleetStats;
import org.cardinaldm.server.api.DeviceRegistration;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobManager;
import org.cardinaldm.server.api.NotificationManager;
import org.cardinaldm.server.api.NotificationRecord;
import org.cardinaldm.server.api.NotificationUi;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.ServerNode;
import org.cardinaldm.server.api.SessionInfo;
import org.cardinaldm.server.api.SessionMonitor;
import org.cardinaldm.server.api.spi.ProvisioningPolicy;
import org.cardinaldm.server.api.spi.PushSender;
import org.cardinaldm.server.api.spi.ServerStore;
import org.cardinaldm.server.api.spi.StoreException;
import org.cardinaldm.server.api.transport.InboundMessage;
import org.cardinaldm.server.api.transport.OutboundMessage;
import org.cardinaldm.server.api.transport.ServerEndpoint;
import org.cardinaldm.server.internal.JobRetention;
import org.cardinaldm.server.internal.Registry;
import org.cardinaldm.server.internal.ServerConfig;
import org.cardinaldm.server.internal.Notifier;
import org.cardinaldm.server.internal.SessionEngine;
import org.cardinaldm.server.internal.async.AsyncTimeouts;
import org.cardinaldm.server.internal.cluster.NodeMembership;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.api.SyncML;
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
 * The DM server as OSGi services: the transport endpoint, the registry, the jobs and the session
 * monitor, on whatever {@link ServerStore} is registered (dm-server-jdbc by default).
 */
@Component(service = {ServerEndpoint.class, DeviceManager.class, JobManager.class, SessionMonitor.class,
    NotificationManager.class},
        configurationPid = "org.cardinaldm.server")
@Designate(ocd = DmServerComponent.Config.class)
public final class DmServerComponent
        implements ServerEndpoint, DeviceManager, JobManager, SessionMonitor, NotificationManager {
    private static final Logger LOG = LoggerFactory.getLogger(DmServerComponent.class);
    /** Minutes between two runs of the job retention (the first a minute after the start). */
    private static final long RETENTION_MINUTES = 10;

    /** Configuration of the DM server. */
    @ObjectClassDefinition(name = "Cardinal DM server", description = "OMA DM 1.2 server sessions and registry")
    public @interface Config {
        /** @return the ServerID */
        @AttributeDefinition(description = "ServerID: the name the server authenticates with towards devices")
        String server_id() default "cardinal";

        /** @return this node's name */
        @AttributeDefinition(description = "Name of this node (letters, digits, '-', '_'; unique among the nodes "
                + "sharing a registry): written on the jobs its sessions claim, and the start of its sessions' RespURI "
                + "token, on which a load balancer routes a session to its node")
        String node_id() default "node1";

        /** @return the heartbeat period */
        @AttributeDefinition(description = "Seconds between two beats of this node in the registry (it also looks at "
                + "the other nodes' beats then)")
        int node_heartbeat_seconds() default 5;

        /** @return the lease */
        @AttributeDefinition(description = "Seconds a node's beats may stop before another node (or this one, "
                + "restarted) declares it dead and releases its sessions' jobs; at least three heartbeats")
        int node_lease_seconds() default 30;

        /** @return how often a job is retried after its node was lost */
        @AttributeDefinition(description = "How many times a job whose commands may have reached the device goes "
                + "back to pending after its node was lost, when all its operations are safe to repeat (Get, Replace)")
        int job_recovery_max() default 3;

        /** @return how long a job that ended is kept */
        @AttributeDefinition(description = "Days a job that ended (succeeded, failed, interrupted, cancelled) is "
                + "kept with its results before the registry removes it; 0 keeps every job")
        int job_retention_days() default 90;

        /** @return the MaxMsgSize */
        @AttributeDefinition(description = "Largest accepted message in bytes (announced as MaxMsgSize)")
        int max_message_bytes() default 256 * 1024;

        /** @return the MaxObjSize */
        @AttributeDefinition(description = "Largest accepted large object in bytes (announced as MaxObjSize)")
        int max_object_bytes() default 4 * 1024 * 1024;

        /** @return the idle timeout */
        @AttributeDefinition(description = "Seconds a session may stay silent before it is closed")
        int session_idle_seconds() default 300;

        /** @return the session limit */
        @AttributeDefinition(description = "Most sessions open at once on this node")
        int max_sessions() default 10_000;

        /** @return the failures before a lock-out */
        @AttributeDefinition(description = "Authentication failures before a device is locked out")
        int auth_max_failures() default 5;

        /** @return the lock-out length */
        @AttributeDefinition(description = "Seconds a lock-out lasts")
        int auth_lockout_seconds() default 900;

        /** @return credentials tried per session */
        @AttributeDefinition(description = "Credentials a device may try in one session")
        int auth_attempts_per_session() default 3;

        /** @return jobs claimed per session */
        @AttributeDefinition(description = "Most jobs one session sends")
        int max_jobs_per_session() default 50;

        /** @return the notification retry delay */
        @AttributeDefinition(description = "Seconds to wait for the session a notification asked for before "
                + "sending it again")
        int notification_retry_seconds() default 120;

        /** @return the notification attempts */
        @AttributeDefinition(description = "How many times a notification is sent at most")
        int notification_max_attempts() default 3;

        /** @return whether the RespURI token is required */
        @AttributeDefinition(description = "Continue an authenticated session only through its RespURI token "
                + "(false admits clients that ignore RespURI, and anyone who knows DevId and SessionID)")
        boolean session_require_token() default true;

        /** @return the card id node */
        @AttributeDefinition(description = "Node read at the start of each session to learn the device's card "
                + "(first-contact provisioning); empty not to read it")
        String card_id_uri() default "./SmartCard/Info/CardId";

        /** @return the RespURI base */
        @AttributeDefinition(description = "Base URL of the RespURI; empty for the URL the device posted to")
        String resp_uri_base() default "";

        /** @return the longest DevId read */
        @AttributeDefinition(description = "Longest DevId (SyncHdr Source LocURI) and LocName read; longer is "
                + "answered 414 and nothing is kept")
        int preauth_max_devid_chars() default 256;

        /** @return the longest Target LocURI read */
        @AttributeDefinition(description = "Longest SyncHdr Target LocURI (and RespURI) read; longer is 414")
        int preauth_max_uri_chars() default 256;

        /** @return the longest SessionID and MsgID read */
        @AttributeDefinition(description = "Longest SessionID and MsgID read; longer is 414")
        int preauth_max_header_chars() default 64;

        /** @return the most anonymous sessions */
        @AttributeDefinition(description = "Most unauthenticated sessions kept on this node (past it a challenge "
                + "is answered without RespURI and forgotten)")
        int anonymous_max_sessions() default 5000;

        /** @return the most anonymous sessions per source */
        @AttributeDefinition(description = "Most unauthenticated sessions kept for one source address")
        int anonymous_max_sessions_per_source() default 1000;

        /** @return the most KiB of anonymous sessions */
        @AttributeDefinition(description = "Most KiB (estimated) unauthenticated sessions hold on this node")
        int anonymous_max_kib() default 8192;

        /** @return the most KiB of anonymous sessions per source */
        @AttributeDefinition(description = "Most KiB (estimated) unauthenticated sessions of one source hold")
        int anonymous_max_kib_per_source() default 2048;

        /** @return the most throttled pairs remembered */
        @AttributeDefinition(description = "Most (DevId, source) pairs whose authentication failures this node "
                + "remembers (least recently used forgotten first)")
        int auth_throttle_max_entries() default 10_000;

        /** @return the key of derived nonces */
        @AttributeDefinition(type = AttributeType.PASSWORD, description = "Key of the nonces given to DevIds "
                + "without a stored nonce (unregistered ones); set the same on every node; empty for a random key "
                + "per start")
        String _auth_nonce_key() default "";

        /** @return the wait for the result of an Exec answered 202 */
        @AttributeDefinition(description = "How long the server waits for the Generic Alert 1226 of an Exec the "
                + "device answered 202 before the job fails (ISO-8601 duration)")
        String async_timeout_default() default "P1D";

        /** @return the wait for the result of a firmware Exec */
        @AttributeDefinition(description = "The same wait for Execs under a FUMO root (ISO-8601 duration)")
        String async_timeout_firmware() default "P7D";

        /** @return the FUMO roots */
        @AttributeDefinition(description = "Roots whose Execs are firmware updates (async.timeout.firmware)")
        String[] async_firmware_roots() default {"./FUMO"};

        /** @return the most overdue Execs failed per sweep */
        @AttributeDefinition(description = "Most overdue asynchronous Execs the sweeper fails per run")
        int async_sweep_batch() default 100;
    }

    private final Registry registry;
    private final SessionEngine engine;
    private final Map<String, MessageCodec> codecs = new ConcurrentHashMap<>();
    private final Map<String, PushSender> senders = new ConcurrentHashMap<>();
    private final Map<ProvisioningPolicy, PolicyEntry> policies = new ConcurrentHashMap<>();
    private final Notifier notifier;
    private final ScheduledExecutorService timer;
    private final ScheduledExecutorService heart;
    private final NodeMembership membership;
    private final ServerStore store;

    /**
     * @param store the registry store
     * @param config the configuration
     */
    @Activate
    public DmServerComponent(@Reference ServerStore store, Config config) {
        // first: a negative job.retention.days is refused before any timer starts
        JobRetention retention = new JobRetention(store, Duration.ofDays(config.job_retention_days()));
        ServerConfig c = new ServerConfig(config.server_id(), config.node_id(), config.max_message_bytes(),
                config.max_object_bytes(), Duration.ofSeconds(config.session_idle_seconds()), config.max_sessions(),
                config.auth_max_failures(), Duration.ofSeconds(config.auth_lockout_seconds()),
                config.auth_attempts_per_session(), config.max_jobs_per_session(),
                config.resp_uri_base().isBlank() ? null : config.resp_uri_base(), config.session_require_token(),
                config.card_id_uri().isBlank() ? null : config.card_id_uri(),
                new ServerConfig.Strangers(config.preauth_max_devid_chars(), config.preauth_max_uri_chars(),
                        config.preauth_max_header_chars(), config.anonymous_max_sessions(),
                        config.anonymous_max_sessions_per_source(), 1024L * config.anonymous_max_kib(),
                        1024L * config.anonymous_max_kib_per_source(), config.auth_throttle_max_entries(),
                        config._auth_nonce_key()));
        SecureRandom random = new SecureRandom();
        Clock clock = Clock.systemUTC();
        this.store = store;
        this.engine = new SessionEngine(store, c, clock, random, this::codec);
        NodeMembership.Settings nodeSettings = new NodeMembership.Settings(
                Duration.ofSeconds(config.node_heartbeat_seconds()), Duration.ofSeconds(config.node_lease_seconds()),
                config.job_recovery_max(), NodeMembership.Settings.DEFAULT.keepEnded());
        this.membership = new NodeMembership(store, c.nodeId(), nodeSettings, clock, System::nanoTime, random,
                new NodeMembership.Listener() {
                    @Override
                    public void joined(ServerNode self) {
                        engine.claimPrefix(self.claimPrefix());
                    }

                    @Override
                    public void lost(ServerNode self) {
                        engine.abandonSessions("another node declared this node dead");
                    }
                });
        try {
            membership.join();
        } catch (StoreException e) {
            LOG.warn("Node {} could not join the registry yet (tried again at the next heartbeat): {}", c.nodeId(),
                    e.getMessage());
        }
        engine.asyncExecs().timeouts(AsyncTimeouts.parse(config.async_timeout_default(),
                config.async_timeout_firmware(), config.async_firmware_roots(), config.async_sweep_batch()));
        this.registry = new Registry(store, c, clock, random, engine.guard());
        this.notifier = new Notifier(store, c, clock, random, scheme -> Optional.ofNullable(senders.get(scheme)),
                Duration.ofSeconds(Math.max(1, config.notification_retry_seconds())),
                Math.max(1, config.notification_max_attempts()));
        engine.onServerInitiatedSession(notifier::sessionOpened);
        engine.onFirstContact(this::provision);
        AtomicInteger n = new AtomicInteger();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dm-server-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(5, Math.min(60, config.session_idle_seconds() / 4));
        timer.scheduleWithFixedDelay(this::expire, period, period, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(() -> retain(retention), 1, RETENTION_MINUTES, TimeUnit.MINUTES);
        this.heart = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dm-server-node-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        long beat = nodeSettings.heartbeat().toMillis();
        heart.scheduleWithFixedDelay(this::beat, beat, beat, TimeUnit.MILLISECONDS);
        LOG.info("DM server {} started (MaxMsgSize {}, node {})", c.serverId(), c.maxMessageBytes(), c.nodeId());
    }

    private void expire() {
        try {
            engine.expireIdle();
            notifier.retry();
            engine.asyncExecs().sweep(Instant.now());
        } catch (RuntimeException e) {
            LOG.warn("Session expiry failed", e);
        }
    }

    private static void retain(JobRetention retention) {
        try {
            retention.run(Instant.now());
        } catch (RuntimeException e) {
            LOG.warn("Job retention failed: {}", e.getMessage());
        }
    }

    private void beat() {
        try {
            membership.tick();
        } catch (RuntimeException e) {
            LOG.warn("Heartbeat failed", e);
        }
    }

    /** Stops the timers, closes the sessions and leaves the node registry. */
    @Deactivate
    void deactivate() {
        // no interrupts: a thread interrupted inside embedded H2's file I/O closes its FileChannel, and the registry,
        // which outlives this component, could no longer read its file; a running task is let finish
        timer.shutdown();
        heart.shutdown();
        try {
            timer.awaitTermination(30, TimeUnit.SECONDS);
            heart.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engine.shutdown(true);
        membership.releaseOwnClaims();
        membership.leave();
        LOG.info("DM server stopped");
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(" + MessageCodec.MEDIA_TYPE_PROPERTY + "=*)")
    void addCodec(MessageCodec codec, Map<String, Object> props) {
        for (String type : types(props)) {
            codecs.put(MediaTypes.normalize(type), codec);
        }
    }

    void removeCodec(MessageCodec codec, Map<String, Object> props) {
        for (String type : types(props)) {
            codecs.remove(MediaTypes.normalize(type), codec);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(" + PushSender.SCHEME_PROPERTY + "=*)")
    void addSender(PushSender sender, Map<String, Object> props) {
        for (String scheme : strings(props.get(PushSender.SCHEME_PROPERTY))) {
            senders.put(scheme.toLowerCase(java.util.Locale.ROOT), sender);
        }
    }

    void removeSender(PushSender sender, Map<String, Object> props) {
        for (String scheme : strings(props.get(PushSender.SCHEME_PROPERTY))) {
            senders.remove(scheme.toLowerCase(java.util.Locale.ROOT), sender);
        }
    }

    /**
     * @param policy a first-contact provisioning policy
     * @param props its service properties (ranking, name)
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addPolicy(ProvisioningPolicy policy, Map<String, Object> props) {
        policies.put(policy, new PolicyEntry(policy, String.valueOf(props.getOrDefault(ProvisioningPolicy.NAME_PROPERTY,
                props.getOrDefault("component.name", "policy"))), ranking(props), id(props)));
    }

    void removePolicy(ProvisioningPolicy policy, Map<String, Object> props) {
        policies.remove(policy);
    }

    private record PolicyEntry(ProvisioningPolicy policy, String name, int ranking, long id) {
    }

    private static int ranking(Map<String, Object> props) {
        return props.get("service.ranking") instanceof Integer i ? i : 0;
    }

    private static long id(Map<String, Object> props) {
        return props.get("service.id") instanceof Long l ? l : 0L;
    }

    private List<SessionEngine.Provision> provision(Device device, String cardId, String previous) {
        List<PolicyEntry> ordered = new java.util.ArrayList<>(policies.values());
        ordered.sort(java.util.Comparator.comparingInt(PolicyEntry::ranking).reversed()
                .thenComparingLong(PolicyEntry::id));
        List<SessionEngine.Provision> out = new java.util.ArrayList<>();
        for (PolicyEntry e : ordered) {
            out.add(new SessionEngine.Provision(e.name(), e.policy().firstContact(device, cardId, previous)));
        }
        return out;
    }

    private static List<String> types(Map<String, Object> props) {
        return strings(props.get(MessageCodec.MEDIA_TYPE_PROPERTY));
    }

    private static List<String> strings(Object v) {
        if (v instanceof String s) {
            return List.of(s);
        }
        if (v instanceof String[] a) {
            return List.of(a);
        }
        if (v instanceof java.util.Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    private Optional<MessageCodec> codec(String mediaType) {
        MessageCodec c = codecs.get(mediaType);
        return c != null ? Optional.of(c) : SyncML.forMediaType(mediaType);
    }

    @Override
    public NotificationRecord notify(String deviceId, NotificationUi ui) {
        return notifier.notify(deviceId, ui);
    }

    @Override
    public List<NotificationRecord> notifications(String deviceId, int limit) {
        return notifier.notifications(deviceId, limit);
    }

    @Override
    public OutboundMessage process(InboundMessage message) {
        return engine.process(message);
    }

    @Override
    public int maxMessageBytes() {
        return engine.maxMessageBytes();
    }

    @Override
    public List<SessionInfo> sessions() {
        return engine.sessions();
    }

    @Override
    public List<ServerNode> nodes() {
        return store.nodes();
    }

    @Override
    public List<Device> devices() {
        return registry.devices();
    }

    @Override
    public Optional<Device> device(String deviceId) {
        return registry.device(deviceId);
    }

    @Override
    public Device register(DeviceRegistration registration) {
        return registry.register(registration);
    }

    @Override
    public Device updateCredentials(DeviceRegistration registration) {
        return registry.updateCredentials(registration);
    }

    @Override
    public boolean unlock(String deviceId) {
        return registry.unlock(deviceId);
    }

    @Override
    public boolean setEnabled(String deviceId, boolean enabled) {
        return registry.setEnabled(deviceId, enabled);
    }

    @Override
    public boolean remove(String deviceId) {
        return registry.remove(deviceId);
    }

    @Override
    public List<DeviceAlert> alerts(String deviceId, int limit) {
        return registry.alerts(deviceId, limit);
    }

    @Override
    public List<AuthAttempt> failedAttempts(String deviceId) {
        return registry.failedAttempts(deviceId);
    }

    @Override
    public DevicePage search(String query, DeviceState state, String afterDeviceId, int limit) {
        return registry.search(query, state, afterDeviceId, limit); // the store's search, not the interface's whole read
    }

    @Override
    public FleetStats fleetStats(int hours) {
        return registry.fleetStats(hours);
    }

    @Override
    public Job submit(String deviceId, String description, List<Operation> operations) {
        return registry.submit(deviceId, description, operations);
    }

    @Override
    public Optional<Job> job(long jobId) {
        return registry.job(jobId);
    }

    @Override
    public List<Job> jobs(String deviceId, int limit) {
        return registry.jobs(deviceId, limit);
    }

    @Override
    public boolean cancel(long jobId) {
        return registry.cancel(jobId);
    }
}
