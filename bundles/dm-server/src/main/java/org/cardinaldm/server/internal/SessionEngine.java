package org.cardinaldm.server.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.SessionInfo;
import org.cardinaldm.server.api.SessionMonitor;
import org.cardinaldm.server.api.spi.ServerStore;
import org.cardinaldm.server.api.spi.StoreException;
import org.cardinaldm.server.api.transport.InboundMessage;
import org.cardinaldm.server.api.transport.OutboundMessage;
import org.cardinaldm.server.api.transport.ServerEndpoint;
import org.cardinaldm.server.internal.session.AnonymousBudget;
import org.cardinaldm.server.internal.session.AuthGuard;
import org.cardinaldm.server.internal.session.ClientCommands;
import org.cardinaldm.server.internal.session.DeviceAuthenticator;
import org.cardinaldm.server.internal.session.FirstContact;
import org.cardinaldm.server.internal.session.Inbound;
import org.cardinaldm.server.internal.session.Reply;
import org.cardinaldm.server.internal.session.ServerPackage;
import org.cardinaldm.server.internal.session.ServerSession;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.AlertCodes;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server session engine: authenticates devices, answers every command with a Status, sends the
 * devices' jobs and records what comes back (OMA-TS-DM_Protocol-V1_2; digest sections 1 and 3).
 *
 * <p>Sessions live in memory on this node and are found by the token of their RespURI, which starts with the node id
 * and a dot ({@code node1.<random>}) so that a load balancer in front of several nodes sends a session's messages
 * to the node that holds it. The token changes
 * when the device authenticates, so the one in a challenge's RespURI opens nothing afterwards. A token names one
 * session: with another DevId or SessionID it grants nothing. Every package 1 (Alert 1200/1201) that does not
 * carry its session's token opens a session of its own, unauthenticated ("anonymous") until its credentials are
 * accepted; so a stranger's package 1 never joins, ends or reroutes a session of someone else. An authenticated
 * session replaces an older authenticated one of the same DevId and SessionID (the device restarted). Only with
 * {@code session.require.token=false} is a message without the token matched to an authenticated session by
 * DevId and SessionID, and then only when it carries valid credentials of that device.
 *
 * <p>What a sender that has not authenticated may cost is bounded ({@link ServerConfig.Strangers}): header
 * values longer than the limits are answered 414 and nothing is kept; anonymous sessions are kept only within
 * the {@link AnonymousBudget} (per source and in total, in number and in bytes), keep no cached answer, and
 * past the budget get their challenge without a RespURI and are forgotten. Failures are throttled per (DevId,
 * source) in the {@link AuthGuard}. Each session is processed under its own lock, so sessions never wait for
 * each other except in the store.
 *
 * <p>This class routes messages to sessions, expires idle ones and runs the loop of one message; the
 * protocol roles are in {@code internal.session}: {@link DeviceAuthenticator} (credentials both ways,
 * nonces, lock-out), {@link ClientCommands} (what the device sends), {@link ServerPackage} (what the
 * server sends), {@code JobLedger} (jobs and their answers), {@code LargeObjects} (chunked objects both
 * ways) and {@link FirstContact} (the card-id read and first-contact provisioning).
 */
public final class SessionEngine implements ServerEndpoint, SessionMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(SessionEngine.class);
    private static final java.time.Duration ANONYMOUS_IDLE = java.time.Duration.ofSeconds(60);
    private static final OutboundMessage TOO_MANY_SESSIONS = OutboundMessage.refusal(503, "too many open sessions");

    private final ServerStore store;
    private final ServerConfig config;
    private final Clock clock;
    private final SecureRandom random;
    private final Function<String, Optional<MessageCodec>> codecs;
    /** Every session kept: authenticated ones and anonymous ones within the budget. */
    private final ConcurrentMap<String, ServerSession> byToken = new ConcurrentHashMap<>();
    /** The authenticated sessions by DevId and SessionID. */
    private final ConcurrentMap<String, ServerSession> byKey = new ConcurrentHashMap<>();
    private final AuthGuard guard;
    private final AnonymousBudget budget;
    private volatile java.util.function.BiConsumer<String, String> serverInitiated = (device, session) -> {
    };
    /** The start of the owner of the jobs new sessions claim: the node and, once it joined, its incarnation. */
    private volatile String claimPrefix;
    private final DeviceAuthenticator authenticator;
    private final FirstContact firstContact;
    private final ClientCommands commands;
    private final ServerPackage serverPackage;

    /**
     * What first-contact provisioning answers for a device that presents a new card.
     */
    @FunctionalInterface
    public interface Provisioner {
        /**
         * @param device the device
         * @param cardId its card now
         * @param previousCardId its card before, or null
         * @return the jobs to create, each named
         */
        List<Provision> provision(org.cardinaldm.server.api.Device device, String cardId, String previousCardId);
    }

    /**
     * One job of first-contact provisioning.
     *
     * @param name the policy's name
     * @param operations the operations
     */
    public record Provision(String name, List<Operation> operations) {
    }

    /**
     * @param store the registry
     * @param config the settings
     * @param clock the time source
     * @param random the source of nonces and session tokens
     * @param codecs finds the codec of a bare media type
     */
    public SessionEngine(ServerStore store, ServerConfig config, Clock clock, SecureRandom random,
            Function<String, Optional<MessageCodec>> codecs) {
        this(store, config, clock, random, codecs, new AuthGuard(config));
    }

    /**
     * @param store the registry
     * @param config the settings
     * @param clock the time source
     * @param random the source of nonces and session tokens
     * @param codecs finds the codec of a bare media type
     * @param guard the node's failure throttle and attempt log, shared with the {@link Registry}
     */
    public SessionEngine(ServerStore store, ServerConfig config, Clock clock, SecureRandom random,
            Function<String, Optional<MessageCodec>> codecs, AuthGuard guard) {
        this.guard = Objects.requireNonNull(guard, "guard");
        this.budget = new AnonymousBudget(config);
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.codecs = Objects.requireNonNull(codecs, "codecs");
        this.authenticator = new DeviceAuthenticator(store, config, random, guard);
        this.firstContact = new FirstContact(store, config.cardIdUri());
        this.commands = new ClientCommands(store, authenticator, firstContact);
        this.serverPackage = new ServerPackage(config, authenticator, firstContact);
        this.claimPrefix = config.nodeId() + "/";
    }

    /**
     * @param prefix the start of the owner new sessions write on the jobs they claim ({@code <node>/<incarnation>/},
     *        see {@link org.cardinaldm.server.api.ServerNode#claimPrefix()})
     */
    public void claimPrefix(String prefix) {
        this.claimPrefix = Objects.requireNonNull(prefix, "prefix");
    }

    /**
     * This node was declared lost by another node, which released the jobs its sessions had claimed: every session
     * ends without touching its jobs again.
     *
     * @param why what is logged
     * @return how many sessions ended
     */
    public int abandonSessions(String why) {
        Instant now = clock.instant();
        int n = 0;
        for (ServerSession s : byToken.values()) {
            synchronized (s) {
                if (!s.ended()) {
                    s.jobs().abandon();
                    end(s, now, why);
                    n++;
                }
            }
        }
        return n;
    }

    /** @return the node's failure throttle and attempt log */
    public AuthGuard guard() {
        return guard;
    }

    /** @return the link between Execs answered 202 and their Generic Alerts: timeouts and the sweeper */
    public org.cardinaldm.server.internal.async.AsyncExecs asyncExecs() {
        return commands.asyncExecs();
    }

    /**
     * @param value what to do when a device presents a card it was not seen with (first contact)
     */
    public void onFirstContact(Provisioner value) {
        firstContact.provisioner(value);
    }

    /**
     * @param listener told (DevId, SessionID) when a device authenticates in a session it opened with
     *        Alert 1200, i.e. in answer to a notification
     */
    public void onServerInitiatedSession(java.util.function.BiConsumer<String, String> listener) {
        this.serverInitiated = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public int maxMessageBytes() {
        return config.maxMessageBytes();
    }

    @Override
    public List<SessionInfo> sessions() {
        List<SessionInfo> out = new ArrayList<>();
        for (ServerSession s : byToken.values()) {
            synchronized (s) {
                if (!s.ended()) {
                    out.add(s.info());
                }
            }
        }
        out.sort(Comparator.comparing(SessionInfo::started));
        return out;
    }

    /**
     * Ends the sessions idle for longer than the configured timeout and interrupts jobs whose claims
     * outlived any session.
     *
     * @return how many sessions were ended
     */
    public int expireIdle() {
        Instant now = clock.instant();
        Instant limit = now.minus(config.idleTimeout());
        // sessions that never authenticated cost memory without proving anything: they go sooner
        Instant anonymousLimit = now.minus(min(config.idleTimeout(), ANONYMOUS_IDLE));
        int n = 0;
        for (ServerSession s : byToken.values()) {
            synchronized (s) {
                if (!s.ended() && s.lastActivity().isBefore(s.authenticated() ? limit : anonymousLimit)) {
                    end(s, now, "idle for " + config.idleTimeout().toSeconds() + " s");
                    n++;
                }
            }
        }
        try {
            store.interruptStaleClaims(now.minus(config.idleTimeout().multipliedBy(4)), now);
            store.sync();
        } catch (StoreException e) {
            LOG.warn("Cannot interrupt stale job claims: {}", e.getMessage());
        }
        return n;
    }

    private static java.time.Duration min(java.time.Duration a, java.time.Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Ends every session (the server stops); claimed jobs that were not sent go back to pending. */
    public void shutdown() {
        shutdown(false);
    }

    /**
     * Ends every session (the server stops): claimed jobs that were not sent go back to pending, complete ones
     * complete; the others are interrupted, or with {@code handOver} stay claimed for the node's claim recovery,
     * which the caller runs next ({@code NodeMembership#releaseOwnClaims}: retried when safe to repeat).
     *
     * @param handOver whether the caller settles the jobs that may have reached their devices
     */
    public void shutdown(boolean handOver) {
        Instant now = clock.instant();
        for (ServerSession s : byToken.values()) {
            synchronized (s) {
                if (!s.ended()) {
                    end(s, now, "server stopping", handOver);
                }
            }
        }
        try {
            store.sync();
        } catch (StoreException e) {
            LOG.warn("Cannot make the ended sessions' job states durable: {}", e.getMessage());
        }
    }

    @Override
    public OutboundMessage process(InboundMessage message) {
        try {
            return doProcess(message);
        } catch (StoreException e) {
            LOG.warn("Registry unavailable while serving {}: {}", message.remoteAddress(), e.getMessage());
            return OutboundMessage.refusal(503, "device registry unavailable");
        } catch (RuntimeException e) {
            LOG.warn("Failure while serving {}", message.remoteAddress(), e);
            return OutboundMessage.refusal(500, "internal server error");
        }
    }

    private OutboundMessage doProcess(InboundMessage in) {
        byte[] body = in.body();
        if (body.length > config.maxMessageBytes()) {
            return OutboundMessage.refusal(413, "message of " + body.length + " bytes exceeds MaxMsgSize "
                    + config.maxMessageBytes());
        }
        String media = MediaTypes.normalize(in.contentType());
        Optional<MessageCodec> found = codecs.apply(media);
        if (found.isEmpty()) {
            return OutboundMessage.refusal(415, "unsupported media type " + media);
        }
        MessageCodec codec = found.get();
        SyncMessage msg;
        try {
            msg = codec.decode(body);
        } catch (CodecException e) {
            LOG.debug("Undecodable message from {}: {}", in.remoteAddress(), e.getMessage());
            int status = e.status() == 413 ? 413 : e.status() == 415 ? 415 : 400;
            return OutboundMessage.refusal(status, "not a SyncML DM message: " + e.toDisplayString());
        }
        SyncHeader h = msg.header();
        String tooLong = tooLong(h);
        if (tooLong != null) {
            LOG.debug("Header value too long ({}) from {}", tooLong, in.remoteAddress());
            ServerConfig.Strangers l = config.strangers();
            return ServerPackage.standalone(codec, media, h, StatusCodes.URI_TOO_LONG,
                    Math.min(l.maxDeviceIdChars(), Math.min(l.maxUriChars(), l.maxHeaderChars())));
        }
        if (!SyncHeader.VER_DTD_1_2.equals(h.verDtd().trim())) {
            return ServerPackage.standalone(codec, media, h, StatusCodes.DTD_VERSION_NOT_SUPPORTED);
        }
        if (!SyncHeader.VER_PROTO_DM_1_2.equalsIgnoreCase(h.verProto().trim())) {
            return ServerPackage.standalone(codec, media, h, StatusCodes.PROTOCOL_VERSION_NOT_SUPPORTED);
        }
        String deviceId = h.source().locUri().trim();
        if (deviceId.isEmpty() || h.sessionId().isBlank()) {
            return ServerPackage.standalone(codec, media, h, StatusCodes.INCOMPLETE_COMMAND);
        }
        Instant now = clock.instant();
        String source = AuthGuard.source(in.remoteAddress());
        Route route = route(in.sessionToken(), deviceId, h.sessionId().trim(), msg, now);
        if (route == null) {
            return ServerPackage.standalone(codec, media, h, StatusCodes.NOT_FOUND);
        }
        if (route.session() == null) {
            return TOO_MANY_SESSIONS;
        }
        ServerSession s = route.session();
        ServerSession.Fingerprint print = ServerSession.Fingerprint.of(h.msgId(), body);
        OutboundMessage out;
        ServerSession displaced;
        StoreException notDurable = null;
        synchronized (s) {
            if (s.ended()) {
                return ServerPackage.standalone(codec, media, h, StatusCodes.NOT_FOUND);
            }
            if (route.viaToken() && s.isRetransmission(print)) {
                // kept only once it was durable (below), so it is sent again as it is
                LOG.debug("Retransmission of message {} in session {} of {}", h.msgId(), s.sessionId(), s.deviceId());
                return s.lastResponse();
            }
            out = processLocked(s, msg, body, in, codec, media, source, route, now);
            if (out == null) {
                return ServerPackage.standalone(codec, media, h, StatusCodes.NOT_FOUND);
            }
            displaced = s.takeDisplaced();
            if (s.authenticated() || s.jobs().claimedAny()) {
                // nothing an answer acknowledges (results, a new nonce, claimed jobs) may be lost once it is sent:
                // what this thread wrote is made durable first, under the session's lock, so that a retransmission
                // answered from the session is durable too (a stranger's answer changed nothing and waits for nobody)
                try {
                    store.sync();
                } catch (StoreException e) {
                    notDurable = e;
                }
            }
            if (s.authenticated() && notDurable == null) {
                s.answered(print, out); // anonymous sessions keep no answer
            }
        }
        if (displaced != null) {
            synchronized (displaced) {
                end(displaced, now, "the device opened a new session with the same SessionID");
            }
        }
        if (notDurable != null) {
            throw notDurable; // 503: the device sends the message again, and it is processed again
        }
        return out;
    }

    /**
     * Processes a message for its session, whose lock the caller holds.
     *
     * @return the answer, or null when the message reached an authenticated session without its token or valid
     *         credentials
     */
    private OutboundMessage processLocked(ServerSession s, SyncMessage msg, byte[] body, InboundMessage in,
            MessageCodec codec, String media, String source, Route route, Instant now) {
        if (route.recheck() && !authenticator.verifies(s, msg, body, in.hmacHeader(), source, now)) {
            LOG.debug("Message for the authenticated session {} of {} without its token or valid credentials",
                    s.sessionId(), s.deviceId());
            return null;
        }
        String base = config.respUriBase() != null ? config.respUriBase() : in.requestUrl();
        if (route.fresh()) {
            long chars = (long) s.deviceId().length() + s.sessionId().length()
                    + msg.header().target().locUri().length() + base.length() + SESSION_PARAMETER.length() + 24;
            s.charge(budget.tryCharge(source, AnonymousBudget.estimate(chars)));
        }
        OutboundMessage out;
        try {
            out = handle(s, msg, body, in, codec, media, base, source, route, now);
        } catch (CodecException e) {
            LOG.warn("Cannot encode the answer in session {} of {}: {}", s.sessionId(), s.deviceId(),
                    e.getMessage());
            end(s, now, "answer not encodable");
            out = OutboundMessage.refusal(500, "answer not encodable");
        } catch (RuntimeException e) {
            end(s, now, "failure: " + e.getClass().getSimpleName());
            throw e;
        }
        if (!s.authenticated() && route.fresh() && !s.ended()) {
            byToken.put(s.token(), s); // within the anonymous budget
            LOG.debug("Session {} of {} from {} kept unauthenticated", s.sessionId(), s.deviceId(), source);
        }
        if (s.ended()) {
            forget(s);
        }
        return out;
    }

    /** @return the first header value longer than its limit, named, or null when all fit */
    private String tooLong(SyncHeader h) {
        ServerConfig.Strangers l = config.strangers();
        if (longer(h.source().locUri(), l.maxDeviceIdChars()) || longer(h.source().locName(), l.maxDeviceIdChars())) {
            return "Source";
        }
        if (longer(h.target().locUri(), l.maxUriChars()) || longer(h.target().locName(), l.maxUriChars())
                || longer(h.respUri(), l.maxUriChars())) {
            return "Target";
        }
        if (longer(h.sessionId(), l.maxHeaderChars()) || longer(h.msgId(), l.maxHeaderChars())) {
            return "SessionID or MsgID";
        }
        return null;
    }

    private static boolean longer(String value, int max) {
        return value != null && value.length() > max;
    }

    /**
     * Where a message goes.
     *
     * @param session the session, or null when there is no room for another one
     * @param viaToken whether it came with the session's current token
     * @param fresh whether the session was just opened for it (not kept yet)
     * @param recheck whether it reached an authenticated session without its token (its credentials decide)
     */
    private record Route(ServerSession session, boolean viaToken, boolean fresh, boolean recheck) {
    }

    /** @return the route, or null when the message belongs to no session */
    private Route route(String token, String deviceId, String sessionId, SyncMessage msg, Instant now) {
        if (token != null) {
            ServerSession s = byToken.get(token);
            if (s != null && s.deviceId().equals(deviceId) && s.sessionId().equals(sessionId)) {
                return new Route(s, true, false, false);
            }
            // the token of another session, or of none: it grants nothing
        }
        if (!opensSession(msg)) {
            if (!config.requireToken()) {
                ServerSession s = byKey.get(key(deviceId, sessionId));
                if (s != null) {
                    return new Route(s, false, false, true);
                }
            }
            LOG.debug("Message for unknown session {} of {}", sessionId, deviceId);
            return null;
        }
        if (byKey.size() >= config.maxSessions()) {
            LOG.warn("Refusing a session of {}: {} authenticated sessions open", deviceId, byKey.size());
            return new Route(null, false, false, false);
        }
        byte[] o = new byte[12];
        random.nextBytes(o);
        String owner = claimPrefix + Base64.getUrlEncoder().withoutPadding().encodeToString(o);
        return new Route(new ServerSession(newToken(), deviceId, sessionId, owner, now, store, config), false, true,
                false);
    }

    private String newToken() {
        byte[] t = new byte[16];
        random.nextBytes(t);
        return config.nodeId() + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(t);
    }

    /**
     * The device just authenticated in {@code s}: a new token (the challenge's is forgotten), the session
     * leaves the anonymous budget and is found by DevId and SessionID; an older authenticated session with the
     * same ones is ended once {@code s}'s lock is released.
     */
    private void authenticated(ServerSession s) {
        s.releaseCharge();
        String old = s.token();
        s.rotateToken(newToken());
        byToken.remove(old, s);
        byToken.put(s.token(), s);
        ServerSession previous = byKey.put(key(s.deviceId(), s.sessionId()), s);
        if (previous != null && previous != s) {
            s.displaced(previous);
        }
        LOG.info("Session {} of {} opened", s.sessionId(), s.deviceId());
    }

    private static boolean opensSession(SyncMessage msg) {
        for (Command c : msg.commands()) {
            if (c instanceof Alert a && (a.code() == AlertCodes.CLIENT_INITIATED_MGMT
                    || a.code() == AlertCodes.SERVER_INITIATED_MGMT)) {
                return true;
            }
        }
        return false;
    }

    private static String key(String deviceId, String sessionId) {
        return deviceId + '\u0000' + sessionId;
    }

    private void forget(ServerSession s) {
        byToken.remove(s.token(), s);
        byKey.remove(key(s.deviceId(), s.sessionId()), s);
        s.releaseCharge();
    }

    // ------------------------------------------------------------------ one message

    private OutboundMessage handle(ServerSession s, SyncMessage msg, byte[] body, InboundMessage in,
            MessageCodec codec, String media, String base, String source, Route route, Instant now)
            throws CodecException {
        SyncHeader h = msg.header();
        Reply reply = new Reply(s.accept(h, codec, media, base, SESSION_PARAMETER, now));
        Status.Builder hdr = Status.builder().cmdId(s.nextCmdId()).msgRef(h.msgId()).answeringHeader()
                .addTargetRef(h.target().locUri()).addSourceRef(h.source().locUri());

        boolean wasAuthenticated = s.authenticated();
        DeviceAuthenticator.Verdict auth = authenticator.authenticate(s, msg, body, in.hmacHeader(), source, now,
                route.recheck());
        if (auth.accepted() && !wasAuthenticated) {
            authenticated(s);
        }
        hdr.code(auth.code());
        if (auth.chal() != null) {
            hdr.chal(auth.chal());
        }
        reply.header(hdr.build());
        if (!auth.accepted()) {
            commands.refuseAll(s, msg, reply, auth.code());
            if (auth.closes()) {
                s.jobs().record(now); // before the session ends: a failure must reach the device
                end(s, now, "authentication refused");
            } else if (route.fresh() && !s.charged()) {
                end(s, now, "no room for another unauthenticated session from " + source);
            }
            return serverPackage.encode(s, reply, now);
        }

        if (commands.announces(s, msg)) {
            serverInitiated.accept(s.deviceId(), s.sessionId());
        }
        Inbound inbound = commands.process(s, msg, reply, now);

        if (inbound.aborted()) {
            LOG.info("Session {} of {} aborted by the device", s.sessionId(), s.deviceId());
            s.jobs().record(now); // before the session ends: a failure must reach the device
            end(s, now, "aborted by the device (1223)");
            return serverPackage.encode(s, reply, now);
        }
        boolean serverPackageOpen = serverPackage.open(s);
        if (!msg.isFinal() && !(inbound.wantsMore() && serverPackageOpen)) {
            reply.command(Alert.of(s.nextCmdId(), AlertCodes.NEXT_MESSAGE));
            reply.setFinal(false);
            return serverPackage.encode(s, reply, now);
        }
        if (authenticator.serverRejections(s) > 2) {
            LOG.info("Session {} of {}: the device refused the server's credentials {} times", s.sessionId(),
                    s.deviceId(), authenticator.serverRejections(s));
            reply.command(Alert.of(s.nextCmdId(), AlertCodes.SESSION_ABORT));
            s.jobs().record(now); // before the session ends: a failure must reach the device
            end(s, now, "the device refused the server's credentials");
            return serverPackage.encode(s, reply, now);
        }
        if (msg.isFinal()) {
            commands.packageClosed(s, now);
        }
        serverPackage.fill(s, reply, now);
        if (reply.isFinal() && !reply.hasCommands()) {
            s.jobs().record(now); // before the session ends: a failure must reach the device
            end(s, now, "completed");
        }
        return serverPackage.encode(s, reply, now);
    }

    // ------------------------------------------------------------------ end of a session

    /** Ends a session: its jobs are settled ({@link ServerSession#close}) and it is no longer found. */
    private void end(ServerSession s, Instant now, String why) {
        end(s, now, why, false);
    }

    private void end(ServerSession s, Instant now, String why, boolean handOver) {
        if (!s.close(now, why, handOver)) {
            return;
        }
        forget(s);
        if (s.authenticated()) {
            LOG.info("Session {} of {} closed: {}", s.sessionId(), s.deviceId(), why);
        } else {
            LOG.debug("Unauthenticated session {} of {} closed: {}", s.sessionId(), s.deviceId(), why);
        }
    }

}
