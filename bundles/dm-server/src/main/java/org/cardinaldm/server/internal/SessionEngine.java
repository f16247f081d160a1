package org.cardinaldm.server.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.DeviceAlert;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationKind;
import org.cardinaldm.server.api.OperationResult;
import org.cardinaldm.server.api.ResultItem;
import org.cardinaldm.server.api.SessionInfo;
import org.cardinaldm.server.api.SessionMonitor;
import org.cardinaldm.server.api.spi.DeviceRecord;
import org.cardinaldm.server.api.spi.ServerStore;
import org.cardinaldm.server.api.spi.StoreException;
import org.cardinaldm.server.api.transport.InboundMessage;
import org.cardinaldm.server.api.transport.OutboundMessage;
import org.cardinaldm.server.api.transport.ServerEndpoint;
import org.cardinaldm.server.internal.ServerSession.IncomingObject;
import org.cardinaldm.server.internal.ServerSession.JobProgress;
import org.cardinaldm.server.internal.ServerSession.OutgoingObject;
import org.cardinaldm.server.internal.ServerSession.Sent;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.api.auth.HmacHeader;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.AlertCodes;
import org.cardinaldm.syncml.api.model.Atomic;
import org.cardinaldm.syncml.api.model.Chal;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.CommandContainer;
import org.cardinaldm.syncml.api.model.Copy;
import org.cardinaldm.syncml.api.model.Cred;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Delete;
import org.cardinaldm.syncml.api.model.Exec;
import org.cardinaldm.syncml.api.model.ExtensionCommand;
import org.cardinaldm.syncml.api.model.Get;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.ItemCommand;
import org.cardinaldm.syncml.api.model.Location;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.Replace;
import org.cardinaldm.syncml.api.model.Results;
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
 * <p>Sessions live in memory on this node and are found by the token of their RespURI, or by device
 * and SessionID for clients that ignore RespURI. Each session is processed under its own lock, so
 * sessions never wait for each other except in the store.
 */
public final class SessionEngine implements ServerEndpoint, SessionMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(SessionEngine.class);
    private static final int MAX_DEVINFO_ENTRIES = 256;
    private static final int MAX_DEVINFO_VALUE = 4096;
    private static final int MAX_ALERTS_PER_SESSION = 1000;
    private static final int MIN_CHUNK = 64;
    private static final java.time.Duration ANONYMOUS_IDLE = java.time.Duration.ofSeconds(60);

    private final ServerStore store;
    private final ServerConfig config;
    private final Clock clock;
    private final SecureRandom random;
    private final Function<String, Optional<MessageCodec>> codecs;
    private final ConcurrentMap<String, ServerSession> byToken = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ServerSession> byKey = new ConcurrentHashMap<>();
    private volatile java.util.function.BiConsumer<String, String> serverInitiated = (device, session) -> {
    };
    private volatile Provisioner provisioner = (device, card, previous) -> List.of();
    /** The job id of the server's own read of the card id. */
    private static final long PROBE = -1;

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
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.codecs = Objects.requireNonNull(codecs, "codecs");
    }

    /**
     * @param value what to do when a device presents a card it was not seen with (first contact)
     */
    public void onFirstContact(Provisioner value) {
        this.provisioner = Objects.requireNonNull(value, "provisioner");
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
                if (!s.ended) {
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
                if (!s.ended && s.lastActivity.isBefore(s.authenticated ? limit : anonymousLimit)) {
                    end(s, now, "idle for " + config.idleTimeout().toSeconds() + " s");
                    n++;
                }
            }
        }
        try {
            store.interruptStaleClaims(now.minus(config.idleTimeout().multipliedBy(4)), now);
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
        Instant now = clock.instant();
        for (ServerSession s : byToken.values()) {
            synchronized (s) {
                if (!s.ended) {
                    end(s, now, "server stopping");
                }
            }
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
        if (!SyncHeader.VER_DTD_1_2.equals(h.verDtd().trim())) {
            return standalone(codec, media, h, StatusCodes.DTD_VERSION_NOT_SUPPORTED);
        }
        if (!SyncHeader.VER_PROTO_DM_1_2.equalsIgnoreCase(h.verProto().trim())) {
            return standalone(codec, media, h, StatusCodes.PROTOCOL_VERSION_NOT_SUPPORTED);
        }
        String deviceId = h.source().locUri().trim();
        if (deviceId.isEmpty() || h.sessionId().isBlank()) {
            return standalone(codec, media, h, StatusCodes.INCOMPLETE_COMMAND);
        }
        Instant now = clock.instant();
        byte[] hash = sha256(body);
        ServerSession s = findSession(in.sessionToken(), deviceId, h.sessionId().trim(), msg, hash, now);
        if (s == null) {
            return standalone(codec, media, h, StatusCodes.NOT_FOUND);
        }
        if (s == CAPACITY) {
            return OutboundMessage.refusal(503, "too many open sessions");
        }
        synchronized (s) {
            if (s.ended) {
                return standalone(codec, media, h, StatusCodes.NOT_FOUND);
            }
            if (s.lastRequestHash != null && Arrays.equals(hash, s.lastRequestHash)) {
                LOG.debug("Retransmission of message {} in session {} of {}", h.msgId(), s.sessionId, s.deviceId);
                return s.lastResponse;
            }
            OutboundMessage out;
            try {
                out = handle(s, msg, body, in, codec, media, now);
            } catch (CodecException e) {
                LOG.warn("Cannot encode the answer in session {} of {}: {}", s.sessionId, s.deviceId,
                        e.getMessage());
                end(s, now, "answer not encodable");
                out = OutboundMessage.refusal(500, "answer not encodable");
            } catch (RuntimeException e) {
                end(s, now, "failure: " + e.getClass().getSimpleName());
                throw e;
            }
            s.lastRequestHash = hash;
            s.lastResponse = out;
            if (s.ended) {
                forget(s);
            }
            return out;
        }
    }

    private static final ServerSession CAPACITY = new ServerSession("", "", "", "", Instant.EPOCH);

    private ServerSession findSession(String token, String deviceId, String sessionId, SyncMessage msg, byte[] hash,
            Instant now) {
        if (token != null) {
            ServerSession s = byToken.get(token);
            if (s != null && s.deviceId.equals(deviceId) && s.sessionId.equals(sessionId)) {
                return s;
            }
        }
        String key = key(deviceId, sessionId);
        boolean opening = opensSession(msg);
        ServerSession s = byKey.get(key);
        if (s != null) {
            synchronized (s) {
                boolean retransmission = Arrays.equals(hash, s.lastRequestHash);
                boolean restart = opening && "1".equals(msg.header().msgId().trim()) && s.messagesIn > 0
                        && !retransmission;
                if (!restart && !s.ended) {
                    if (s.authenticated && config.requireToken() && !retransmission) {
                        LOG.debug("Message for the authenticated session {} of {} without its token", sessionId,
                                deviceId);
                        return null;
                    }
                    return s;
                }
                if (!s.ended) {
                    end(s, now, "the device opened a new session with the same SessionID");
                    forget(s);
                }
            }
        }
        if (!opening) {
            LOG.debug("Message for unknown session {} of {}", sessionId, deviceId);
            return null;
        }
        if (byToken.size() >= config.maxSessions()) {
            LOG.warn("Refusing a session of {}: {} sessions open", deviceId, byToken.size());
            return CAPACITY;
        }
        byte[] t = new byte[16];
        random.nextBytes(t);
        String newToken = Base64.getUrlEncoder().withoutPadding().encodeToString(t);
        ServerSession created = new ServerSession(newToken, deviceId, sessionId, config.nodeId() + "/" + newToken,
                now);
        created.clientMaxMsgSize = config.maxMessageBytes();
        ServerSession raced = byKey.putIfAbsent(key, created);
        if (raced != null) {
            return raced;
        }
        byToken.put(newToken, created);
        LOG.info("Session {} of {} opened", sessionId, deviceId);
        return created;
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
        byToken.remove(s.token, s);
        byKey.remove(key(s.deviceId, s.sessionId), s);
    }

    // ------------------------------------------------------------------ one message

    /** The answer being built. */
    private static final class Reply {
        final String msgId;
        final List<Command> statuses = new ArrayList<>();
        final List<Command> commands = new ArrayList<>();
        Status header;
        boolean isFinal = true;

        Reply(String msgId) {
            this.msgId = msgId;
        }

        List<Command> all() {
            List<Command> out = new ArrayList<>(statuses.size() + commands.size() + 1);
            out.add(header);
            out.addAll(statuses);
            out.addAll(commands);
            return out;
        }
    }

    /** Per-message facts gathered while the commands are processed. */
    private static final class Inbound {
        final SyncMessage msg;
        final Map<String, String> devInfo = new HashMap<>();
        final Set<String> refusedMessages = new LinkedHashSet<>();
        boolean abort;
        boolean wantsMore;
        boolean devInfoRejected;
        String newServerNonce;

        Inbound(SyncMessage msg) {
            this.msg = msg;
        }
    }

    private OutboundMessage handle(ServerSession s, SyncMessage msg, byte[] body, InboundMessage in,
            MessageCodec codec, String media, Instant now) throws CodecException {
        SyncHeader h = msg.header();
        s.lastActivity = now;
        s.messagesIn++;
        s.codec = codec;
        s.mediaType = media;
        s.serverUri = h.target().locUri();
        String base = config.respUriBase() != null ? config.respUriBase() : in.requestUrl();
        s.respUri = base + (base.contains("?") ? "&" : "?") + SESSION_PARAMETER + "=" + s.token;
        if (h.meta() != null) {
            if (h.meta().maxMsgSize() != null && h.meta().maxMsgSize() > 0) {
                s.clientMaxMsgSize = Math.min(h.meta().maxMsgSize(), Integer.MAX_VALUE);
            }
            if (h.meta().maxObjSize() != null && h.meta().maxObjSize() > 0) {
                s.clientMaxObjSize = h.meta().maxObjSize();
            }
        }
        Reply reply = new Reply(Long.toString(s.nextServerMsgId++));
        Status.Builder hdr = Status.builder().cmdId(nextCmdId(s)).msgRef(h.msgId()).answeringHeader()
                .addTargetRef(h.target().locUri()).addSourceRef(h.source().locUri());

        AuthResult auth = authenticate(s, msg, body, in.hmacHeader(), now);
        hdr.code(auth.code);
        if (auth.chal != null) {
            hdr.chal(auth.chal);
        }
        reply.header = hdr.build();
        if (!auth.accepted) {
            for (Command c : msg.commands()) {
                if (!(c instanceof Status) && !(c instanceof Results) && !noResp(c)) {
                    reply.statuses.add(status(s, h.msgId(), c, auth.code));
                }
            }
            if (auth.closes) {
                record(s, now); // before the session ends: a failure must reach the device
                end(s, now, "authentication refused");
            }
            return encode(s, reply, now);
        }

        if (!s.announced) {
            for (Command c : msg.commands()) {
                if (c instanceof Alert a && a.code() == AlertCodes.SERVER_INITIATED_MGMT) {
                    s.announced = true;
                    serverInitiated.accept(s.deviceId, s.sessionId);
                    break;
                }
            }
        }
        Inbound inbound = new Inbound(msg);
        for (Command c : msg.commands()) {
            if (c instanceof Status st && "0".equals(st.cmdRef().trim())) {
                onServerAuthStatus(s, st, inbound);
            }
        }
        for (Command c : msg.commands()) {
            dispatch(s, c, reply, inbound, now);
        }
        persistReports(s, inbound);
        requeueRefused(s, inbound);

        if (inbound.abort) {
            LOG.info("Session {} of {} aborted by the device", s.sessionId, s.deviceId);
            record(s, now); // before the session ends: a failure must reach the device
            end(s, now, "aborted by the device (1223)");
            return encode(s, reply, now);
        }
        boolean serverPackageOpen = !s.queue.isEmpty() || s.outgoing != null;
        if (!msg.isFinal() && !(inbound.wantsMore && serverPackageOpen)) {
            reply.commands.add(Alert.of(nextCmdId(s), AlertCodes.NEXT_MESSAGE));
            reply.isFinal = false;
            return encode(s, reply, now);
        }
        if (s.serverAuthRejections > 2) {
            LOG.info("Session {} of {}: the device refused the server's credentials {} times", s.sessionId,
                    s.deviceId, s.serverAuthRejections);
            reply.commands.add(Alert.of(nextCmdId(s), AlertCodes.SESSION_ABORT));
            record(s, now); // before the session ends: a failure must reach the device
            end(s, now, "the device refused the server's credentials");
            return encode(s, reply, now);
        }
        if (msg.isFinal()) {
            settleUnanswered(s, now);
        }
        fill(s, reply, now);
        if (reply.isFinal && reply.commands.isEmpty()) {
            record(s, now); // before the session ends: a failure must reach the device
            end(s, now, "completed");
        }
        return encode(s, reply, now);
    }

    private static boolean noResp(Command c) {
        if (c instanceof ItemCommand ic) {
            return ic.noResp();
        }
        if (c instanceof Alert a) {
            return a.noResp();
        }
        if (c instanceof Exec e) {
            return e.noResp();
        }
        if (c instanceof CommandContainer cc) {
            return cc.noResp();
        }
        return false;
    }

    private Status status(ServerSession s, String msgRef, Command c, int code) {
        return Status.of(nextCmdId(s), msgRef, c, code);
    }

    private static String nextCmdId(ServerSession s) {
        return Long.toString(s.nextCmdId++);
    }

    // ------------------------------------------------------------------ authentication

    private record AuthResult(boolean accepted, int code, Chal chal, boolean closes) {
    }

    private AuthResult authenticate(ServerSession s, SyncMessage msg, byte[] body, String hmacHeader, Instant now) {
        if (s.authenticated && s.authScheme != AuthScheme.HMAC) {
            return new AuthResult(true, StatusCodes.OK, null, false);
        }
        DeviceRecord device = s.authenticated ? s.device : store.device(s.deviceId).orElse(null);
        if (device == null) {
            s.authAttempts++;
            LOG.debug("Unknown device {} in session {}", s.deviceId, s.sessionId);
            boolean hasCred = msg.header().cred() != null || hmacHeader != null;
            Chal chal = chal(AuthScheme.MD5, Secrets.newNonce(random));
            return new AuthResult(false, hasCred ? StatusCodes.INVALID_CREDENTIALS : StatusCodes.MISSING_CREDENTIALS,
                    chal, s.authAttempts >= config.maxAuthAttemptsPerSession());
        }
        if (!device.enabled()) {
            LOG.debug("Disabled device {} refused", s.deviceId);
            return new AuthResult(false, StatusCodes.FORBIDDEN, null, true);
        }
        if (device.lockedUntil() != null && device.lockedUntil().isAfter(now)) {
            LOG.debug("Locked-out device {} refused until {}", s.deviceId, device.lockedUntil());
            return new AuthResult(false, StatusCodes.RETRY_LATER, null, true);
        }
        AuthScheme scheme = device.clientAuth();
        Boolean verdict = verify(device, msg, body, hmacHeader);
        if (verdict == null) {
            // no credentials: challenge with the current nonce, not counted as a failure
            s.authAttempts++;
            String nonce = device.clientNonce();
            if (nonce == null) {
                nonce = Secrets.newNonce(random);
                String n = nonce;
                store.updateDevice(s.deviceId, r -> r.toBuilder().clientNonce(n).build());
            }
            if (s.authenticated) {
                s.authenticated = false;
            }
            return new AuthResult(false, StatusCodes.MISSING_CREDENTIALS, chal(scheme, nonce),
                    s.authAttempts > config.maxAuthAttemptsPerSession());
        }
        if (!verdict) {
            s.authAttempts++;
            s.authenticated = false;
            String nonce = Secrets.newNonce(random);
            Optional<DeviceRecord> updated = store.updateDevice(s.deviceId, r -> {
                int failures = r.authFailures() + 1;
                DeviceRecord.Builder b = r.toBuilder().totalAuthFailures(r.totalAuthFailures() + 1);
                if (failures >= config.maxAuthFailures()) {
                    // no challenge goes out with a lock-out, so the device keeps the nonce it has
                    b.authFailures(0).lockedUntil(now.plus(config.lockout()));
                } else {
                    b.authFailures(failures).clientNonce(nonce);
                }
                return b.build();
            });
            boolean locked = updated.map(r -> r.lockedUntil() != null && r.lockedUntil().isAfter(now)).orElse(false);
            if (locked) {
                LOG.info("Device {} locked out until {} after {} authentication failures", s.deviceId,
                        updated.get().lockedUntil(), config.maxAuthFailures());
            } else {
                LOG.debug("Authentication of {} failed in session {}", s.deviceId, s.sessionId);
            }
            return new AuthResult(false, StatusCodes.INVALID_CREDENTIALS, locked ? null : chal(scheme, nonce),
                    locked || s.authAttempts >= config.maxAuthAttemptsPerSession());
        }
        // accepted: a fresh nonce for the next credentials (next message with HMAC, next session otherwise)
        String nonce = Secrets.newNonce(random);
        boolean first = !s.authenticated;
        DeviceRecord updated = store.updateDevice(s.deviceId, r -> {
            DeviceRecord.Builder b = r.toBuilder().clientNonce(nonce).authFailures(0);
            if (first) {
                b.lastContact(now);
                if (r.firstContact() == null) {
                    b.firstContact(now);
                }
            }
            return b.build();
        }).orElse(device);
        s.device = updated;
        s.authenticated = true;
        s.authScheme = scheme;
        if (first) {
            LOG.info("Device {} authenticated ({}) in session {}", s.deviceId, scheme, s.sessionId);
        }
        if (scheme == AuthScheme.HMAC) {
            return new AuthResult(true, StatusCodes.OK, chal(scheme, nonce), false);
        }
        return new AuthResult(true, StatusCodes.AUTHENTICATION_ACCEPTED,
                scheme == AuthScheme.MD5 ? chal(scheme, nonce) : null, false);
    }

    /** @return null when the message carries no credentials, else whether they are right */
    private static Boolean verify(DeviceRecord device, SyncMessage msg, byte[] body, String hmacHeader) {
        AuthScheme scheme = device.clientAuth();
        if (scheme == AuthScheme.HMAC) {
            if (hmacHeader == null) {
                return msg.header().cred() == null ? null : Boolean.FALSE;
            }
            try {
                HmacHeader hmac = HmacHeader.parse(hmacHeader);
                if (!HmacHeader.MD5.equalsIgnoreCase(hmac.algorithm()) || !hmac.username().equals(device.clientUser())) {
                    return false;
                }
                boolean ok = false;
                for (byte[] nonce : Secrets.nonceCandidates(device.clientNonce())) {
                    ok |= Secrets.same(Secrets.hmac(device.clientDigest(), nonce, body), hmac.mac());
                }
                return ok;
            } catch (CodecException e) {
                return false;
            }
        }
        Cred cred = msg.header().cred();
        if (cred == null) {
            return null;
        }
        String type = cred.meta() == null || cred.meta().type() == null ? AuthScheme.BASIC.metaType()
                : cred.meta().type();
        if (AuthScheme.parse(type).orElse(null) != scheme) {
            return false;
        }
        String data = cred.data().asText().trim();
        if (scheme == AuthScheme.BASIC) {
            String decoded;
            try {
                decoded = new String(Base64.getMimeDecoder().decode(data), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
            // the user name may itself contain ':' (IMEI:...): split after the expected one
            String prefix = device.clientUser() + ":";
            if (!decoded.startsWith(prefix)) {
                return false;
            }
            String digest = Secrets.userDigest(device.clientUser(), decoded.substring(prefix.length()));
            return Secrets.same(device.clientDigest(), digest);
        }
        String locName = msg.header().source().locName();
        if (locName != null && !locName.isBlank() && !locName.trim().equals(device.clientUser())) {
            return false;
        }
        boolean ok = false;
        for (byte[] nonce : Secrets.nonceCandidates(device.clientNonce())) {
            ok |= Secrets.same(Secrets.md5Cred(device.clientDigest(), nonce), data);
        }
        return ok;
    }

    private static Chal chal(AuthScheme scheme, String nonce) {
        Meta.Builder m = Meta.builder().type(scheme.metaType()).format("b64");
        if (scheme != AuthScheme.BASIC) {
            m.nextNonce(nonce);
        }
        return new Chal(m.build());
    }

    private void onServerAuthStatus(ServerSession s, Status st, Inbound inbound) {
        int code = st.code();
        if (code == StatusCodes.AUTHENTICATION_ACCEPTED) {
            s.serverAuthAccepted = true;
        } else if (code == StatusCodes.INVALID_CREDENTIALS || code == StatusCodes.MISSING_CREDENTIALS) {
            s.serverAuthRejections++;
            s.serverAuthAccepted = false;
            inbound.refusedMessages.add(st.msgRef().trim());
            LOG.debug("Device {} refused the server's credentials ({})", s.deviceId, code);
        }
        if (st.chal() != null && st.chal().meta().nextNonce() != null) {
            inbound.newServerNonce = st.chal().meta().nextNonce().trim();
        }
    }

    private Cred serverCred(ServerSession s) {
        DeviceRecord d = s.device;
        if (d == null || s.serverAuthAccepted || d.serverAuth() == AuthScheme.HMAC) {
            return null;
        }
        if (d.serverAuth() == AuthScheme.BASIC) {
            if (d.serverPassword() == null) {
                return null;
            }
            String v = Base64.getEncoder()
                    .encodeToString((d.serverUser() + ":" + d.serverPassword()).getBytes(StandardCharsets.UTF_8));
            return new Cred(Meta.of("b64", AuthScheme.BASIC.metaType()), Data.text(v));
        }
        String nonce = d.serverNonce() == null ? Secrets.RESYNC_NONCE : d.serverNonce();
        return new Cred(Meta.of("b64", AuthScheme.MD5.metaType()),
                Data.text(Secrets.md5Cred(d.serverDigest(), Secrets.decodeNonce(nonce))));
    }

    // ------------------------------------------------------------------ client commands

    private void dispatch(ServerSession s, Command c, Reply reply, Inbound inbound, Instant now) {
        String msgRef = inbound.msg.header().msgId();
        if (c instanceof Status st) {
            interruptIncomingIfNeeded(s, c, reply);
            onStatus(s, st, inbound, now);
        } else if (c instanceof Results r) {
            onResults(s, r, reply, inbound, now);
        } else if (c instanceof Alert a) {
            onAlert(s, a, reply, inbound, now);
        } else if (c instanceof Replace r) {
            onReplace(s, r, reply, inbound);
        } else if (c instanceof ExtensionCommand) {
            interruptIncomingIfNeeded(s, c, reply);
            if (!c.cmdId().isEmpty()) {
                reply.statuses.add(status(s, msgRef, c, StatusCodes.COMMAND_NOT_IMPLEMENTED));
            }
        } else {
            // Add, Get, Delete, Copy, Exec, Atomic, Sequence: a client never sends them to a server
            interruptIncomingIfNeeded(s, c, reply);
            if (!noResp(c)) {
                reply.statuses.add(status(s, msgRef, c, StatusCodes.COMMAND_NOT_ALLOWED));
            }
        }
    }

    private void onStatus(ServerSession s, Status st, Inbound inbound, Instant now) {
        String msgRef = st.msgRef().trim();
        if ("0".equals(st.cmdRef().trim())) {
            return;
        }
        if (inbound.refusedMessages.contains(msgRef)) {
            // the device refused the whole message: its commands are sent again (requeueRefused)
            return;
        }
        String key = msgRef + ":" + st.cmdRef().trim();
        Sent sent = s.awaiting.remove(key);
        if (sent == null) {
            LOG.debug("Status {} for unknown command {} from {}", st.code(), key, s.deviceId);
            return;
        }
        if (sent.jobId() == PROBE) {
            if (st.code() != StatusCodes.OK) {
                s.probeDone = true;
                s.expectResults.remove(key);
                LOG.debug("Device {} has no card id ({})", s.deviceId, st.code());
            }
            return;
        }
        if (sent.chunk()) {
            OutgoingObject o = s.outgoing;
            if (o != null && st.code() == StatusCodes.CHUNKED_ITEM_ACCEPTED) {
                o.acknowledged = true;
            } else if (o != null) {
                s.outgoing = null;
                answer(s, sent.jobId(), sent.index(), st.code(), items(st.items(), null), now);
            }
            return;
        }
        if (s.outgoing != null && s.outgoing.op == sent.top()) {
            s.outgoing = null;
        }
        JobProgress p = s.jobs.get(sent.jobId());
        if (sent.isGet() && p != null) {
            if (st.code() == StatusCodes.OK) {
                p.awaitingResults.add(sent.index());
            } else {
                s.expectResults.remove(key);
            }
        }
        answer(s, sent.jobId(), sent.index(), st.code(), items(st.items(), null), now);
    }

    private void answer(ServerSession s, long jobId, int index, int code, List<ResultItem> items, Instant now) {
        JobProgress p = s.jobs.get(jobId);
        if (p == null) {
            return;
        }
        p.statuses.put(index, code);
        p.unanswered.remove(index);
        if (!items.isEmpty()) {
            p.items.put(index, items);
        }
        LOG.debug("Device {} answered {} to operation {} of job {}", s.deviceId, code, index, jobId);
        unrecorded(s, new OperationResult(jobId, index, code, p.items.getOrDefault(index, List.of()), now));
        completeIfDone(s, p, now);
    }

    private void completeIfDone(ServerSession s, JobProgress p, Instant now) {
        if (p.done || !p.complete()) {
            return;
        }
        for (PendingOp q : s.queue) {
            if (q.jobId() == p.jobId) {
                return;
            }
        }
        p.done = true;
        boolean ok = p.unanswered.isEmpty();
        boolean later = false;
        for (int code : p.statuses.values()) {
            ok &= StatusCodes.isSuccess(code);
            later |= code == StatusCodes.ACCEPTED;
        }
        JobState state = !p.unanswered.isEmpty() ? JobState.INTERRUPTED
                : !ok ? JobState.FAILED : later ? JobState.ACCEPTED : JobState.SUCCEEDED;
        s.completing.put(p.jobId, state);
    }

    /**
     * Keeps an answer until the message is processed ({@link #record}); it replaces an earlier answer of
     * the same message to the same operation (a Get's Status 200, then its Results).
     */
    private static void unrecorded(ServerSession s, OperationResult r) {
        s.unrecorded.removeIf(x -> x.jobId() == r.jobId() && x.index() == r.index());
        s.unrecorded.add(r);
    }

    /**
     * Stores the answers kept for the current message in one registry transaction, then moves the jobs
     * they completed to their final states. When the answers cannot be stored, none is, their jobs can
     * no longer succeed (they are interrupted when the session ends) and the failure propagates: the
     * device gets no answer acknowledging them.
     */
    private void record(ServerSession s, Instant now) {
        if (!s.unrecorded.isEmpty()) {
            List<OperationResult> batch = List.copyOf(s.unrecorded);
            s.unrecorded.clear();
            try {
                store.recordResults(batch);
            } catch (RuntimeException e) {
                for (OperationResult r : batch) {
                    JobProgress p = s.jobs.get(r.jobId());
                    if (p != null) {
                        p.lost = true;
                    }
                }
                undoCompletions(s);
                throw e;
            }
        }
        while (!s.completing.isEmpty()) {
            Map.Entry<Long, JobState> c = s.completing.entrySet().iterator().next();
            try {
                store.transitionJob(c.getKey(), JobState.ACTIVE, c.getValue(), now);
            } catch (RuntimeException e) {
                undoCompletions(s);
                throw e;
            }
            s.completing.remove(c.getKey());
            LOG.debug("Job {} of {} ended {}", c.getKey(), s.deviceId, c.getValue());
        }
    }

    /** Completions not stored: the jobs are settled again when the session ends. */
    private static void undoCompletions(ServerSession s) {
        for (Long id : s.completing.keySet()) {
            JobProgress p = s.jobs.get(id);
            if (p != null) {
                p.done = false;
            }
        }
        s.completing.clear();
    }

    private void onResults(ServerSession s, Results r, Reply reply, Inbound inbound, Instant now) {
        String msgRef = r.msgRef() == null || r.msgRef().isBlank() ? s.lastServerMsgId : r.msgRef().trim();
        String key = msgRef + ":" + r.cmdRef().trim();
        Sent sent = s.expectResults.get(key);
        List<Item> items = r.items();
        Item last = items.get(items.size() - 1);
        IncomingObject lo = s.incoming;
        if (lo != null && !(lo.kind.equals("Results") && lo.key.equals(key))) {
            interrupt(s, reply);
            lo = null;
        }
        if (lo == null && !last.moreData()) {
            if (sent != null) {
                s.expectResults.remove(key);
                deliverResults(s, sent, items(items, r.meta()), now);
            } else {
                LOG.debug("Results for unknown command {} from {}", key, s.deviceId);
            }
            return;
        }
        String uri = last.source() != null ? last.source().locUri() : null;
        if (lo == null) {
            Long size = size(last.meta(), r.meta());
            if (size != null && size > config.maxObjectBytes()) {
                reply.statuses.add(status(s, inbound.msg.header().msgId(), r, StatusCodes.REQUEST_ENTITY_TOO_LARGE));
                if (sent != null) {
                    s.expectResults.remove(key);
                    resultsFailed(s, sent, StatusCodes.REQUEST_ENTITY_TOO_LARGE, now);
                }
                return;
            }
            lo = new IncomingObject("Results", key, uri, last.meta() != null ? last.meta() : r.meta(), size);
            lo.earlierItems.addAll(items(items.subList(0, items.size() - 1), r.meta()));
            s.incoming = lo;
        }
        int code = append(lo, last);
        if (code == StatusCodes.CHUNKED_ITEM_ACCEPTED) {
            reply.statuses.add(status(s, inbound.msg.header().msgId(), r, code));
            return;
        }
        s.incoming = null;
        if (code != StatusCodes.OK) {
            reply.statuses.add(status(s, inbound.msg.header().msgId(), r, code));
            if (sent != null) {
                s.expectResults.remove(key);
                resultsFailed(s, sent, code, now);
            }
            return;
        }
        if (sent != null) {
            s.expectResults.remove(key);
            List<ResultItem> all = new ArrayList<>(lo.earlierItems);
            all.add(assembled(lo));
            deliverResults(s, sent, all, now);
        }
    }

    private void resultsFailed(ServerSession s, Sent sent, int code, Instant now) {
        JobProgress p = s.jobs.get(sent.jobId());
        if (p != null) {
            p.awaitingResults.remove(sent.index());
        }
        answer(s, sent.jobId(), sent.index(), code, List.of(), now);
    }

    /** @return 213 for a buffered chunk, 200 for a complete object, 413 or 424 for a refused one */
    private int append(IncomingObject lo, Item chunk) {
        if (chunk.data() != null) {
            if (chunk.data() instanceof Data.Binary) {
                lo.binary = true;
            }
            byte[] b = chunk.data().asBytes();
            if (lo.bytes.size() + (long) b.length > config.maxObjectBytes()) {
                return StatusCodes.REQUEST_ENTITY_TOO_LARGE;
            }
            lo.bytes.write(b, 0, b.length);
        }
        if (chunk.moreData()) {
            return StatusCodes.CHUNKED_ITEM_ACCEPTED;
        }
        if (lo.declaredSize != null && lo.declaredSize != lo.bytes.size()) {
            return StatusCodes.SIZE_MISMATCH;
        }
        return StatusCodes.OK;
    }

    private static ResultItem assembled(IncomingObject lo) {
        byte[] b = lo.bytes.toByteArray();
        String format = lo.meta == null ? null : lo.meta.format();
        String type = lo.meta == null ? null : lo.meta.type();
        if (lo.binary) {
            return ItemValues.fromBytes(lo.uri, format, type, b);
        }
        return new ResultItem(lo.uri, format, type, new String(b, StandardCharsets.UTF_8), false);
    }

    private static Long size(Meta itemMeta, Meta cmdMeta) {
        if (itemMeta != null && itemMeta.size() != null) {
            return itemMeta.size();
        }
        return cmdMeta == null ? null : cmdMeta.size();
    }

    private void deliverResults(ServerSession s, Sent sent, List<ResultItem> items, Instant now) {
        if (sent.jobId() == PROBE) {
            s.awaiting.values().removeIf(x -> x.jobId() == PROBE);
            probeAnswered(s, items, now);
            return;
        }
        JobProgress p = s.jobs.get(sent.jobId());
        if (p == null) {
            return;
        }
        p.items.put(sent.index(), items);
        p.awaitingResults.remove(sent.index());
        int code = p.statuses.getOrDefault(sent.index(), StatusCodes.OK);
        if (!p.statuses.containsKey(sent.index())) {
            p.statuses.put(sent.index(), code);
            s.awaiting.values().removeIf(x -> x.jobId() == sent.jobId() && x.index() == sent.index());
        }
        unrecorded(s, new OperationResult(sent.jobId(), sent.index(), code, items, now));
        completeIfDone(s, p, now);
    }

    /** The device told its card: a card it was not seen with is a first contact (RD use case 5.1.2). */
    private void probeAnswered(ServerSession s, List<ResultItem> items, Instant now) {
        s.probeDone = true;
        String card = items.isEmpty() || items.get(0).value() == null ? "" : items.get(0).value().trim();
        DeviceRecord d = s.device;
        if (card.isEmpty() || card.length() > 128 || d == null || card.equals(d.cardId())) {
            return;
        }
        String previous = d.cardId();
        DeviceRecord updated = store.updateDevice(s.deviceId, r -> r.toBuilder().cardId(card).build()).orElse(d);
        s.device = updated;
        LOG.info("Device {} presents card {} (before: {})", s.deviceId, card, previous == null ? "none" : previous);
        List<Provision> provisions;
        try {
            provisions = provisioner.provision(updated.toDevice(), card, previous);
        } catch (RuntimeException e) {
            LOG.warn("First-contact provisioning of {} failed", s.deviceId, e);
            return;
        }
        for (Provision p : provisions) {
            if (!p.operations().isEmpty()) {
                Job job = store.createJob(s.deviceId, "first-contact provisioning (" + p.name() + ") for card " + card,
                        p.operations(), now);
                LOG.info("Job {} provisions {} with {} for card {}", job.id(), s.deviceId, p.name(), card);
            }
        }
    }

    private void interruptIncomingIfNeeded(ServerSession s, Command c, Reply reply) {
        if (s.incoming != null && !(c instanceof Status)) {
            interrupt(s, reply);
        }
    }

    /** A command arrived before the last chunk of a large object: drop it and tell the device (1225). */
    private void interrupt(ServerSession s, Reply reply) {
        IncomingObject lo = s.incoming;
        s.incoming = null;
        LOG.debug("Large object from {} interrupted before its last chunk", s.deviceId);
        Item item = lo.uri == null ? null : Item.builder().source(lo.uri).build();
        reply.commands.add(item == null ? Alert.of(nextCmdId(s), AlertCodes.NO_END_OF_DATA)
                : Alert.of(nextCmdId(s), AlertCodes.NO_END_OF_DATA, item));
    }

    private void onAlert(ServerSession s, Alert a, Reply reply, Inbound inbound, Instant now) {
        String msgRef = inbound.msg.header().msgId();
        int code = a.code();
        if (code != AlertCodes.NEXT_MESSAGE && code != AlertCodes.NO_END_OF_DATA) {
            interruptIncomingIfNeeded(s, a, reply);
        }
        int answer = StatusCodes.OK;
        switch (code) {
            case AlertCodes.CLIENT_INITIATED_MGMT, AlertCodes.SERVER_INITIATED_MGMT -> {
                // package 1
            }
            case AlertCodes.NEXT_MESSAGE -> inbound.wantsMore = true;
            case AlertCodes.SESSION_ABORT -> inbound.abort = true;
            case AlertCodes.NO_END_OF_DATA -> {
                s.incoming = null;
                if (s.outgoing != null) {
                    OutgoingObject o = s.outgoing;
                    s.outgoing = null;
                    s.awaiting.values().removeIf(x -> x.top() == o.op);
                    answer(s, o.op.jobId(), o.op.index(), StatusCodes.NOT_EXECUTED, List.of(), now);
                }
            }
            case AlertCodes.GENERIC_ALERT, AlertCodes.CLIENT_EVENT -> {
                for (Item item : a.items()) {
                    if (s.alertsRecorded >= MAX_ALERTS_PER_SESSION) {
                        answer = StatusCodes.REQUEST_ENTITY_TOO_LARGE;
                        break;
                    }
                    s.alertsRecorded++;
                    Meta m = item.meta();
                    store.recordAlert(new DeviceAlert(s.deviceId, now, s.sessionId, code,
                            m == null ? null : normaliseType(m.type()), m == null ? null : m.format(),
                            m == null ? null : m.mark(), item.source() == null ? null : item.source().locUri(),
                            a.correlator(), item.data() == null ? null : text(item.data())));
                }
                LOG.debug("Device {} sent alert {} with {} items", s.deviceId, code, a.items().size());
            }
            default -> answer = StatusCodes.OPTIONAL_FEATURE_NOT_SUPPORTED;
        }
        if (!a.noResp()) {
            reply.statuses.add(status(s, msgRef, a, answer));
        }
    }

    /** Strips an optional {@code Reversed-Domain-Name:} prefix and white space (digest section 1.10). */
    static String normaliseType(String type) {
        if (type == null) {
            return null;
        }
        String t = type.trim();
        String prefix = "reversed-domain-name:";
        if (t.toLowerCase(Locale.ROOT).startsWith(prefix)) {
            t = t.substring(prefix.length()).trim();
        }
        return t;
    }

    private void onReplace(ServerSession s, Replace r, Reply reply, Inbound inbound) {
        String msgRef = inbound.msg.header().msgId();
        List<Item> items = r.items();
        Item last = items.get(items.size() - 1);
        IncomingObject lo = s.incoming;
        String lastUri = uri(last);
        if (lo != null && !(lo.kind.equals("Replace") && Objects.equals(lo.uri, lastUri))) {
            interrupt(s, reply);
            lo = null;
        }
        int code = StatusCodes.OK;
        if (lo != null || last.moreData()) {
            if (lo == null) {
                Long size = size(last.meta(), r.meta());
                if (size != null && size > config.maxObjectBytes()) {
                    code = StatusCodes.REQUEST_ENTITY_TOO_LARGE;
                } else {
                    lo = new IncomingObject("Replace", lastUri, lastUri, last.meta(), size);
                    s.incoming = lo;
                }
            }
            if (lo != null) {
                for (Item i : items.subList(0, items.size() - 1)) {
                    code = report(inbound, i, code);
                }
                int c = append(lo, last);
                if (c != StatusCodes.CHUNKED_ITEM_ACCEPTED) {
                    s.incoming = null;
                    if (c == StatusCodes.OK) {
                        ResultItem a = assembled(lo);
                        code = report(inbound, lastUri, a.value(), code);
                    } else {
                        code = c;
                    }
                } else {
                    code = c;
                }
            }
        } else {
            for (Item i : items) {
                code = report(inbound, i, code);
            }
        }
        if (!r.noResp()) {
            reply.statuses.add(status(s, msgRef, r, code));
        }
    }

    private int report(Inbound inbound, Item i, int code) {
        return report(inbound, uri(i), i.data() == null ? "" : text(i.data()), code);
    }

    private int report(Inbound inbound, String uri, String value, int code) {
        if (uri == null) {
            return StatusCodes.INCOMPLETE_COMMAND;
        }
        if (value.length() > MAX_DEVINFO_VALUE || inbound.devInfo.size() >= MAX_DEVINFO_ENTRIES) {
            inbound.devInfoRejected = true;
            return StatusCodes.REQUEST_ENTITY_TOO_LARGE;
        }
        inbound.devInfo.put(uri, value);
        return code;
    }

    private static String uri(Item i) {
        if (i.source() != null) {
            return i.source().locUri();
        }
        return i.target() == null ? null : i.target().locUri();
    }

    private void persistReports(ServerSession s, Inbound inbound) {
        String nonce = inbound.newServerNonce;
        if (inbound.devInfo.isEmpty() && nonce == null) {
            return;
        }
        Map<String, String> delta = inbound.devInfo;
        store.updateDevice(s.deviceId, r -> {
            DeviceRecord.Builder b = r.toBuilder();
            if (!delta.isEmpty()) {
                Map<String, String> merged = new HashMap<>(r.devInfo());
                merged.putAll(delta);
                if (merged.size() > MAX_DEVINFO_ENTRIES) {
                    return b.serverNonce(nonce == null ? r.serverNonce() : nonce).build();
                }
                b.devInfo(merged);
            }
            if (nonce != null) {
                b.serverNonce(nonce);
            }
            return b.build();
        }).ifPresent(r -> s.device = r);
    }

    private void requeueRefused(ServerSession s, Inbound inbound) {
        if (inbound.refusedMessages.isEmpty()) {
            return;
        }
        List<PendingOp> again = new ArrayList<>();
        for (Iterator<Sent> it = s.awaiting.values().iterator(); it.hasNext();) {
            Sent x = it.next();
            if (inbound.refusedMessages.contains(x.msgId())) {
                it.remove();
                if (!again.contains(x.top())) {
                    again.add(x.top());
                }
            }
        }
        s.expectResults.values().removeIf(x -> inbound.refusedMessages.contains(x.msgId()));
        if (s.outgoing != null && again.contains(s.outgoing.op)) {
            s.outgoing = null;
        }
        again.sort(Comparator.comparingLong(PendingOp::jobId).thenComparingInt(PendingOp::index));
        for (int i = again.size() - 1; i >= 0; i--) {
            s.queue.addFirst(again.get(i));
        }
        LOG.debug("Resending {} operations to {} with new credentials", again.size(), s.deviceId);
    }

    /** The device closed its package: commands sent earlier without a status will get none. */
    private void settleUnanswered(ServerSession s, Instant now) {
        if (s.awaiting.isEmpty()) {
            return;
        }
        List<Sent> left = new ArrayList<>(s.awaiting.values());
        s.awaiting.clear();
        for (Sent x : left) {
            if (x.jobId() == PROBE) {
                s.probeDone = true;
                continue;
            }
            if (x.chunk()) {
                s.outgoing = null;
            }
            JobProgress p = s.jobs.get(x.jobId());
            if (p == null) {
                continue;
            }
            Integer parent = p.parentOf.get(x.index());
            if (parent != null && p.statuses.containsKey(parent)) {
                p.statuses.put(x.index(), p.statuses.get(parent));
            } else {
                p.unanswered.add(x.index());
                LOG.debug("Device {} sent no status for operation {} of job {}", s.deviceId, x.index(), x.jobId());
            }
            completeIfDone(s, p, now);
        }
    }

    // ------------------------------------------------------------------ server commands

    private void fill(ServerSession s, Reply reply, Instant now) throws CodecException {
        if (s.outgoing != null) {
            if (s.outgoing.acknowledged) {
                addChunk(s, reply);
            }
            reply.isFinal = false;
            return;
        }
        if (!s.awaiting.isEmpty()) {
            // statuses of the previous package are still due: send nothing new
            reply.isFinal = s.queue.isEmpty();
            return;
        }
        if (config.cardIdUri() != null && !s.probeDone) {
            if (!s.probeSent) {
                // learn the card first: a new one may bring provisioning jobs to claim with the others
                s.probeSent = true;
                PendingOp probe = new PendingOp(PROBE, 0, Operation.get(config.cardIdUri()), List.of());
                List<SentRef> sent = new ArrayList<>();
                reply.commands.add(toCommand(s, probe, probe, reply.msgId, sent));
                register(s, sent);
                reply.isFinal = true;
                return;
            }
            s.probeDone = true;
        }
        if (s.queue.isEmpty()) {
            claim(s, now);
        }
        while (!s.queue.isEmpty()) {
            PendingOp op = s.queue.peekFirst();
            long objectSize = dataBytes(op.operation()).length;
            if (s.clientMaxObjSize != null && objectSize > s.clientMaxObjSize) {
                s.queue.pollFirst();
                LOG.debug("Operation {} of job {} exceeds the device's MaxObjSize", op.index(), op.jobId());
                failUnsent(s, op, StatusCodes.REQUEST_ENTITY_TOO_LARGE, now);
                continue;
            }
            List<SentRef> sent = new ArrayList<>();
            long savedCmdId = s.nextCmdId;
            Command c = toCommand(s, op, op, reply.msgId, sent);
            reply.commands.add(c);
            if (fits(s, reply)) {
                s.queue.pollFirst();
                register(s, sent);
                continue;
            }
            reply.commands.remove(reply.commands.size() - 1);
            s.nextCmdId = savedCmdId;
            if (!reply.commands.isEmpty()) {
                break;
            }
            OperationKind kind = op.operation().kind();
            if ((kind == OperationKind.ADD || kind == OperationKind.REPLACE) && op.operation().data() != null) {
                s.queue.pollFirst();
                byte[] data = dataBytes(op.operation());
                s.outgoing = new OutgoingObject(op, data, true, itemMeta(op.operation()));
                addChunk(s, reply);
                break;
            }
            s.queue.pollFirst();
            LOG.debug("Operation {} of job {} does not fit in the device's MaxMsgSize", op.index(), op.jobId());
            failUnsent(s, op, StatusCodes.REQUEST_ENTITY_TOO_LARGE, now);
        }
        reply.isFinal = s.queue.isEmpty() && s.outgoing == null;
    }

    private void claim(ServerSession s, Instant now) {
        if (s.noMoreJobs) {
            return;
        }
        int room = config.maxJobsPerSession() - s.jobsClaimed;
        if (room <= 0) {
            s.noMoreJobs = true;
            return;
        }
        List<Job> claimed = store.claimJobs(s.deviceId, s.owner, room, now);
        for (Job j : claimed) {
            s.jobsClaimed++;
            List<PendingOp> ops = PendingOp.of(j.id(), j.operations());
            JobProgress p = new JobProgress(j.id(), j.flatOperations().size());
            for (PendingOp op : ops) {
                parents(op, p);
            }
            s.jobs.put(j.id(), p);
            s.queue.addAll(ops);
            LOG.debug("Session {} of {} claimed job {}", s.sessionId, s.deviceId, j.id());
        }
    }

    private static void parents(PendingOp op, JobProgress p) {
        for (PendingOp c : op.children()) {
            p.parentOf.put(c.index(), op.index());
            parents(c, p);
        }
    }

    private void failUnsent(ServerSession s, PendingOp op, int code, Instant now) {
        JobProgress p = s.jobs.get(op.jobId());
        if (p != null) {
            p.sentAny = true;
        }
        answer(s, op.jobId(), op.index(), code, List.of(), now);
        for (PendingOp c : op.children()) {
            answer(s, c.jobId(), c.index(), StatusCodes.NOT_EXECUTED, List.of(), now);
        }
    }

    private void register(ServerSession s, List<SentRef> sent) {
        for (SentRef x : sent) {
            String key = x.msgId() + ":" + x.cmdIdKey;
            s.awaiting.put(key, x.sent);
            if (x.sent.isGet()) {
                s.expectResults.put(key, x.sent);
            }
            JobProgress p = s.jobs.get(x.sent.jobId());
            if (p != null) {
                p.sentAny = true;
            }
        }
    }

    private record SentRef(String msgId, String cmdIdKey, Sent sent) {
    }

    private Command toCommand(ServerSession s, PendingOp top, PendingOp op, String msgId, List<SentRef> sent) {
        String id = nextCmdId(s);
        Operation o = op.operation();
        sent.add(new SentRef(msgId, id,
                new Sent(top, op.jobId(), op.index(), msgId, o.kind() == OperationKind.GET, false)));
        return switch (o.kind()) {
            case GET -> Get.of(id, Item.target(o.target()));
            case ADD -> Add.of(id, item(o, dataOf(o)));
            case REPLACE -> Replace.of(id, item(o, dataOf(o)));
            case DELETE -> Delete.of(id, Item.target(o.target()));
            case COPY -> Copy.of(id, new Item(Location.of(o.target()), Location.of(o.source()), null, null, false));
            case EXEC -> new Exec(id, false, null, null,
                    o.correlator() != null ? o.correlator() : "cardinal-" + op.jobId() + "-" + op.index(),
                    item(o, dataOf(o)));
            case ATOMIC -> {
                List<Command> children = new ArrayList<>();
                for (PendingOp c : op.children()) {
                    children.add(toCommand(s, top, c, msgId, sent));
                }
                yield new Atomic(id, false, null, children);
            }
        };
    }

    private static Data dataOf(Operation o) {
        return o.data() == null ? null : Data.text(o.data());
    }

    private static Item item(Operation o, Data data) {
        return new Item(Location.of(o.target()), null, itemMeta(o), data, false);
    }

    private static Meta itemMeta(Operation o) {
        return o.format() == null && o.type() == null ? null : Meta.of(o.format(), o.type());
    }

    private static byte[] dataBytes(Operation o) {
        return o.data() == null ? new byte[0] : o.data().getBytes(StandardCharsets.UTF_8);
    }

    private void addChunk(ServerSession s, Reply reply) throws CodecException {
        OutgoingObject o = s.outgoing;
        PendingOp op = o.op;
        String id = nextCmdId(s);
        // first guess: what is left of MaxMsgSize with an empty chunk; then shrink by the overflow
        Command empty = chunkCommand(o, id, o.offset, o.offset, true);
        reply.commands.add(empty);
        int base = s.codec.encode(message(s, reply)).length;
        reply.commands.remove(reply.commands.size() - 1);
        long room = s.clientMaxMsgSize - base - 16;
        int chunk = (int) Math.max(MIN_CHUNK, Math.min(o.data.length - o.offset, room));
        while (true) {
            int end = boundary(o.data, o.offset, o.offset + chunk);
            boolean more = end < o.data.length;
            Command c = chunkCommand(o, id, o.offset, end, more);
            reply.commands.add(c);
            int size = s.codec.encode(message(s, reply)).length;
            if (size <= s.clientMaxMsgSize) {
                Sent x = new Sent(op, op.jobId(), op.index(), reply.msgId, false, more);
                s.awaiting.put(reply.msgId + ":" + id, x);
                JobProgress p = s.jobs.get(op.jobId());
                if (p != null) {
                    p.sentAny = true;
                }
                o.offset = end;
                o.acknowledged = false;
                if (!more) {
                    s.outgoing = null;
                }
                reply.isFinal = false;
                return;
            }
            reply.commands.remove(reply.commands.size() - 1);
            if (chunk <= MIN_CHUNK) {
                throw new CodecException(org.cardinaldm.syncml.api.CodecError.MESSAGE_TOO_LARGE,
                        "the device's MaxMsgSize leaves no room for a large-object chunk");
            }
            // escaping makes the encoded payload longer than the raw bytes: scale by what the last try showed
            long payload = Math.max(1, size - base);
            long budget = Math.max(0, room);
            int scaled = (int) Math.min((long) chunk - 1, chunk * budget / payload);
            chunk = Math.max(MIN_CHUNK, scaled);
        }
    }

    private static Command chunkCommand(OutgoingObject o, String id, int from, int to, boolean more) {
        Meta meta = o.meta == null ? Meta.EMPTY : o.meta;
        if (from == 0) {
            meta = meta.toBuilder().size((long) o.data.length).build();
        }
        Item item = new Item(Location.of(o.op.operation().target()), null, meta.isEmpty() ? null : meta,
                Data.text(new String(o.data, from, to - from, StandardCharsets.UTF_8)), more);
        return o.op.operation().kind() == OperationKind.ADD ? Add.of(id, item) : Replace.of(id, item);
    }

    /** @return the largest UTF-8 code point boundary not after {@code end} (and after {@code start}) */
    private static int boundary(byte[] data, int start, int end) {
        if (end >= data.length) {
            return data.length;
        }
        int e = end;
        while (e > start + 1 && (data[e] & 0xC0) == 0x80) {
            e--;
        }
        return e;
    }

    private boolean fits(ServerSession s, Reply reply) throws CodecException {
        SyncMessage m = message(s, reply);
        return s.codec.encode(m).length <= s.clientMaxMsgSize;
    }

    private SyncMessage message(ServerSession s, Reply reply) {
        DeviceRecord d = s.device;
        Cred cred = s.authenticated ? serverCred(s) : null;
        Location source = cred != null && d != null ? Location.of(s.serverUri, d.serverUser())
                : Location.of(s.serverUri);
        SyncHeader header = SyncHeader.builder().sessionId(s.sessionId).msgId(reply.msgId)
                .target(Location.of(s.deviceId)).source(source).respUri(s.ended ? null : s.respUri).cred(cred)
                .meta(Meta.builder().maxMsgSize((long) config.maxMessageBytes())
                        .maxObjSize((long) config.maxObjectBytes()).build())
                .build();
        return new SyncMessage(header, reply.all(), reply.isFinal);
    }

    /** Records the message's answers first: the device is never told of an answer the registry lacks. */
    private OutboundMessage encode(ServerSession s, Reply reply, Instant now) throws CodecException {
        record(s, now);
        byte[] bytes = s.codec.encode(message(s, reply));
        s.messagesOut++;
        s.lastServerMsgId = reply.msgId;
        String hmac = null;
        DeviceRecord d = s.device;
        if (s.authenticated && d != null && d.serverAuth() == AuthScheme.HMAC) {
            String nonce = d.serverNonce() == null ? Secrets.RESYNC_NONCE : d.serverNonce();
            String mac = Secrets.hmac(d.serverDigest(), Secrets.decodeNonce(nonce), bytes);
            hmac = new HmacHeader(HmacHeader.MD5, d.serverUser(), mac).toHeaderValue();
        }
        return OutboundMessage.message(bytes, s.mediaType, hmac);
    }

    private OutboundMessage standalone(MessageCodec codec, String media, SyncHeader h, int code) {
        Status st = Status.builder().cmdId("1").msgRef(h.msgId()).answeringHeader().addTargetRef(h.target().locUri())
                .addSourceRef(h.source().locUri()).code(code).build();
        SyncHeader header = SyncHeader.builder().sessionId(h.sessionId()).msgId("1")
                .target(Location.of(h.source().locUri())).source(Location.of(h.target().locUri())).build();
        try {
            return OutboundMessage.message(codec.encode(new SyncMessage(header, List.of(st), true)), media, null);
        } catch (CodecException e) {
            return OutboundMessage.refusal(400, "status " + code);
        }
    }

    // ------------------------------------------------------------------ end of a session

    private void end(ServerSession s, Instant now, String why) {
        if (s.ended) {
            return;
        }
        s.ended = true;
        Set<Long> unsentJobs = new LinkedHashSet<>();
        for (PendingOp op : s.queue) {
            unsentJobs.add(op.jobId());
        }
        s.queue.clear();
        s.outgoing = null;
        s.incoming = null;
        recordQuietly(s, now);
        for (JobProgress p : s.jobs.values()) {
            if (p.done) {
                continue;
            }
            try {
                if (!p.sentAny) {
                    store.releaseJob(p.jobId, s.owner, now);
                } else if (p.complete() && !p.lost && !unsentJobs.contains(p.jobId)) {
                    completeIfDone(s, p, now);
                } else {
                    store.transitionJob(p.jobId, JobState.ACTIVE, JobState.INTERRUPTED, now);
                    LOG.info("Job {} of {} interrupted: session {} ended ({})", p.jobId, s.deviceId, s.sessionId,
                            why);
                }
            } catch (StoreException e) {
                LOG.warn("Cannot settle job {} of {}: {}", p.jobId, s.deviceId, e.getMessage());
            }
        }
        recordQuietly(s, now);
        forget(s);
        LOG.info("Session {} of {} closed: {}", s.sessionId, s.deviceId, why);
    }

    private void recordQuietly(ServerSession s, Instant now) {
        try {
            record(s, now);
        } catch (RuntimeException e) {
            LOG.warn("Cannot record the answers of session {} of {}: {}", s.sessionId, s.deviceId, e.toString());
        }
    }

    private static List<ResultItem> items(List<Item> items, Meta cmdMeta) {
        List<ResultItem> out = new ArrayList<>(items.size());
        for (Item i : items) {
            Meta m = i.meta() != null ? i.meta() : cmdMeta;
            String format = m == null ? null : m.format();
            String type = m == null ? null : m.type();
            String uri = uri(i);
            Data d = i.data();
            if (d instanceof Data.Binary b) {
                out.add(ItemValues.fromBytes(uri, format, type, b.asBytes()));
            } else {
                out.add(new ResultItem(uri, format, type, d == null ? null : text(d), false));
            }
        }
        return out;
    }

    private static String text(Data d) {
        if (d instanceof Data.Xml x) {
            StringBuilder sb = new StringBuilder();
            for (var e : x.elements()) {
                XmlWriter.write(e, sb, null);
            }
            return sb.toString();
        }
        return d.asText();
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
