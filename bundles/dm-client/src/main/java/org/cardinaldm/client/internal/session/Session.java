package org.cardinaldm.client.internal.session;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.api.spi.transport.DmTransport;
import org.cardinaldm.api.spi.transport.TransportException;
import org.cardinaldm.api.spi.transport.TransportRequest;
import org.cardinaldm.api.spi.transport.TransportResponse;
import org.cardinaldm.client.api.QueuedAlert;
import org.cardinaldm.client.api.SessionOutcome;
import org.cardinaldm.client.api.SessionRequest;
import org.cardinaldm.client.api.SessionResult;
import org.cardinaldm.client.api.spi.AccountCredentials;
import org.cardinaldm.client.api.spi.AuthScheme;
import org.cardinaldm.client.api.spi.CredentialException;
import org.cardinaldm.client.internal.alerts.FileAlertQueue.Settlement;
import org.cardinaldm.client.internal.auth.NonceStore;
import org.cardinaldm.mo.dmacc.api.AppAuth;
import org.cardinaldm.mo.dmacc.api.AuthLevel;
import org.cardinaldm.mo.dmacc.api.DmAccount;
import org.cardinaldm.syncml.api.CodecError;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.MediaTypes;
import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.auth.AuthType;
import org.cardinaldm.syncml.api.auth.HmacHeader;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.AlertCodes;
import org.cardinaldm.syncml.api.model.Chal;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.Cred;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Item;
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
 * One OMA DM 1.2 management session, client side (digest 1.6): package 1 (Alert 1201 or 1200,
 * DevInfo, queued Generic Alerts), then for every server package the statuses and results of its
 * commands, until the server sends a final package with nothing to answer, aborts (1223), or
 * something fails. Authentication both ways per the account's AppAuth (digest 3), multi-message
 * packages (1222), large objects both ways, RespURI. The server's credentials are checked by a
 * {@link ServerAuthenticator}, the server's commands run in a {@link CommandProcessor}. Single-threaded;
 * {@link #run()} once.
 */
public final class Session {
    /** How a session was planned. */
    public record Plan(String serverId, SessionRequest.Initiator initiator, String sessionId, boolean resync) {
    }

    /** Ends the session. */
    static final class End extends Exception {
        private static final long serialVersionUID = 1L;
        final transient SessionOutcome outcome;

        final boolean abort;

        End(SessionOutcome outcome, String detail) {
            this(outcome, detail, false);
        }

        /** @param abort whether the server should be told with Alert 1223 (it answered, but the client gives up) */
        End(SessionOutcome outcome, String detail, boolean abort) {
            super(detail, null, false, false);
            this.outcome = outcome;
            this.abort = abort;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final NodeUri DEVINFO = NodeUri.of("./DevInfo");

    private final SessionContext ctx;
    private final DmAccount account;
    private final AccountCredentials creds;
    private final DmTransport transport;
    private final Plan plan;
    private final String serverLocUri;
    private final MessageCodec codec;
    private final String mediaType;
    private final Outbox outbox = new Outbox();
    private final CommandProcessor processor;
    private final Map<String, Map<String, Outbox.Sent>> sentByMsg = new HashMap<>();
    private final Map<String, Settlement> alertOutcomes = new LinkedHashMap<>();

    private URI target;
    private int nextMsgId = 1;
    private int messagesSent;
    private int messagesReceived;
    private long serverMaxMsgSize = Long.MAX_VALUE;
    private long serverMaxObjSize = Long.MAX_VALUE;
    private boolean skipRest;
    private List<Item> devInfo = List.of();
    private String devId = "";

    private Optional<String> lastResponseHmac = Optional.empty();
    private String lastServerMsgId;

    private AuthScheme clientScheme;
    private byte[] clientNonce;
    private boolean clientNonceChanged;
    private boolean clientAuthenticated;
    private int clientChallenges;

    private final ServerAuthenticator server;

    /**
     * @param ctx what sessions share
     * @param account the server's account
     * @param creds its credentials
     * @param transport the bearer for the server's address
     * @param serverUri the server's address
     * @param plan SessionID, initiator, nonce re-synchronisation
     */
    public Session(SessionContext ctx, DmAccount account, AccountCredentials creds, DmTransport transport, URI serverUri,
            Plan plan) {
        this.ctx = ctx;
        this.account = account;
        this.creds = creds;
        this.transport = transport;
        this.plan = plan;
        this.serverLocUri = serverUri.toString();
        this.target = serverUri;
        this.mediaType = ctx.settings().wbxml() ? MediaTypes.DM_WBXML : MediaTypes.DM_XML;
        this.codec = ctx.codecs().apply(mediaType).orElse(ctx.settings().wbxml() ? SyncML.wbxml() : SyncML.xml());
        TreeAccess access = ctx.tree().as(Principal.server(account.serverId()));
        this.processor = new CommandProcessor(access, ctx.serialization().get(), ctx.tnds().get(), ctx.ui(),
                account.serverId(), !ctx.settings().wbxml(), ctx.settings().maxObjSize(), () -> serverMaxObjSize);
        this.clientScheme = creds.clientScheme();
        this.clientNonce = plan.resync() ? NonceStore.RESYNC.clone()
                : account.credential(AuthLevel.CLCRED).map(AppAuth::data).orElse(new byte[0]);
        this.server = new ServerAuthenticator(ctx, account, creds, plan.resync());
    }

    /** @return how the session went; never throws */
    public SessionResult run() {
        Instant started = ctx.clock().instant();
        SessionOutcome outcome;
        String detail;
        try {
            readDevInfo();
            queuePackage1();
            loop();
            outcome = SessionOutcome.COMPLETED;
            detail = "";
        } catch (End e) {
            outcome = e.outcome;
            detail = e.getMessage();
            if (e.abort) {
                sendAbort();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = SessionOutcome.CANCELLED;
            detail = "the client was stopped";
        } catch (RuntimeException e) {
            LOG.error("DM session {} with {} failed", plan.sessionId(), account.serverId(), e);
            outcome = SessionOutcome.INTERNAL_ERROR;
            detail = e.getClass().getSimpleName();
        }
        int delivered = settleAlerts();
        persistClientNonce();
        CommandProcessor.Counters c = processor.counters();
        SessionResult r = SessionResult.builder(account.serverId(), plan.initiator()).sessionId(plan.sessionId())
                .outcome(outcome, detail).times(started, ctx.clock().instant()).messages(messagesSent, messagesReceived)
                .commands(c.executed, c.failed).alertsDelivered(delivered).build();
        if (r.isSuccess()) {
            LOG.info("DM session ended: {}", r);
        } else {
            LOG.warn("DM session ended: {}", r);
        }
        return r;
    }

    // ------------------------------------------------------------------------------------------
    // Package 1

    private void readDevInfo() throws End {
        TreeAccess system = ctx.tree().as(Principal.system());
        List<Item> items = new ArrayList<>();
        try {
            if (system.exists(DEVINFO)) {
                for (String name : system.children(DEVINFO)) {
                    NodeUri uri = DEVINFO.child(name);
                    NodeValue v = system.get(uri);
                    if (v.isInterior()) {
                        continue;
                    }
                    if (name.equals("DevId")) {
                        devId = v.asString();
                    }
                    Values.Encoded e = Values.encode(v, !ctx.settings().wbxml());
                    items.add(Item.builder().source(uri.toString())
                            .meta(Meta.of(e.format(), v.type().isEmpty() ? "text/plain" : v.type())).data(e.data()).build());
                }
            }
        } catch (DmException e) {
            throw new End(SessionOutcome.INTERNAL_ERROR, "./DevInfo cannot be read: " + e.toDisplayString());
        }
        if (devId.isEmpty()) {
            throw new End(SessionOutcome.INTERNAL_ERROR, "./DevInfo/DevId is missing");
        }
        devInfo = List.copyOf(items);
    }

    private void queuePackage1() {
        int code = plan.initiator() == SessionRequest.Initiator.SERVER ? AlertCodes.SERVER_INITIATED_MGMT
                : AlertCodes.CLIENT_INITIATED_MGMT;
        outbox.add(new Outbox.Simple(id -> Alert.of(id, code), Outbox.Kind.SESSION_ALERT, null));
        List<Item> items = devInfo;
        if (!items.isEmpty()) {
            outbox.add(new Outbox.Simple(id -> new Replace(id, false, null, null, items), Outbox.Kind.DEVINFO, null));
        }
        for (QueuedAlert q : ctx.alerts().pending(account.serverId())) {
            outbox.add(new Outbox.Simple(id -> genericAlert(id, q), Outbox.Kind.GENERIC_ALERT, q.id()));
            alertOutcomes.putIfAbsent(q.id(), Settlement.RETRY);
        }
    }

    private static Alert genericAlert(String cmdId, QueuedAlert q) {
        var a = q.alert();
        Meta meta = Meta.builder().type(a.type()).format(a.format()).mark(a.mark().orElse(null)).build();
        Item.Builder item = Item.builder().meta(meta).data(a.data());
        a.source().ifPresent(item::source);
        a.target().ifPresent(item::target);
        return new Alert(cmdId, false, null, AlertCodes.GENERIC_ALERT, a.correlator().orElse(null), List.of(item.build()));
    }

    // ------------------------------------------------------------------------------------------
    // The loop

    private void loop() throws End, InterruptedException {
        boolean finalIfDrained = true;
        for (int round = 0;; round++) {
            if (round >= ctx.settings().maxMessages()) {
                throw new End(SessionOutcome.PROTOCOL_ERROR, "more than " + ctx.settings().maxMessages()
                        + " messages in one session", true);
            }
            SyncHeader header = header();
            Outbox.Packed packed;
            try {
                packed = outbox.pack(header, finalIfDrained, serverMaxMsgSize, codec);
            } catch (CodecException e) {
                throw new End(SessionOutcome.INTERNAL_ERROR, "a reply cannot be encoded: " + e.toDisplayString());
            }
            sentByMsg.put(header.msgId(), packed.sent());
            TransportResponse response = exchange(packed.bytes());
            messagesSent++;
            SyncMessage in = decode(response);
            messagesReceived++;
            lastResponseHmac = response.header(HmacHeader.HEADER);
            if (!receive(in, response.body())) {
                return;
            }
            finalIfDrained = in.isFinal() || waitsForClient(in);
        }
    }

    private SyncHeader header() throws End {
        String name = creds.clientName();
        SyncHeader.Builder b = SyncHeader.builder().sessionId(plan.sessionId()).msgId(Integer.toString(nextMsgId++))
                .target(Location.of(serverLocUri)).source(Location.of(devId, name.isEmpty() ? null : name))
                .meta(Meta.builder().maxMsgSize((long) ctx.settings().maxMsgSize())
                        .maxObjSize(ctx.settings().maxObjSize()).build());
        if ((clientScheme == AuthScheme.BASIC || clientScheme == AuthScheme.MD5) && !clientAuthenticated) {
            try {
                String data = creds.clientCredential(clientScheme, clientNonce);
                AuthType type = clientScheme == AuthScheme.BASIC ? AuthType.BASIC : AuthType.MD5;
                b.cred(new Cred(Meta.of("b64", type.metaType()), Data.text(data)));
            } catch (CredentialException e) {
                throw new End(SessionOutcome.AUTHENTICATION_FAILED, "the device's credentials are unavailable: "
                        + e.reason());
            }
        }
        return b.build();
    }

    private TransportResponse exchange(byte[] body) throws End, InterruptedException {
        TransportRequest.Builder b = TransportRequest.builder(target, mediaType, body)
                .accept(mediaType, ctx.settings().wbxml() ? MediaTypes.DM_XML : MediaTypes.DM_WBXML)
                .timeout(ctx.settings().responseTimeout()).maxResponseBytes(ctx.settings().maxMsgSize());
        if (clientScheme == AuthScheme.HMAC) {
            try {
                String mac = creds.clientMac(clientNonce, body);
                b.header(HmacHeader.HEADER, new HmacHeader(HmacHeader.MD5, creds.clientName(), mac).toHeaderValue());
            } catch (CredentialException e) {
                throw new End(SessionOutcome.AUTHENTICATION_FAILED, "the device's credentials are unavailable: "
                        + e.reason());
            }
        }
        TransportRequest request = b.build();
        Duration delay = ctx.settings().backoffInitial();
        for (int attempt = 0;; attempt++) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            try {
                return transport.exchange(request);
            } catch (TransportException e) {
                if (e.reason() == TransportException.Reason.INTERRUPTED) {
                    throw new InterruptedException();
                }
                if (!e.isRetryable() || attempt >= ctx.settings().retries()) {
                    throw new End(outcome(e), e.toDisplayString() + (attempt > 0 ? " (after " + (attempt + 1)
                            + " attempts)" : ""));
                }
                LOG.info("Message {} to {}: {}; retrying in {} ms", nextMsgId - 1, account.serverId(),
                        e.toDisplayString(), delay.toMillis());
                ctx.sleeper().sleep(delay);
                delay = delay.multipliedBy(2);
                if (delay.compareTo(ctx.settings().backoffMax()) > 0) {
                    delay = ctx.settings().backoffMax();
                }
            } catch (RuntimeException e) {
                LOG.error("Transport failed for {}", account.serverId(), e);
                throw new End(SessionOutcome.INTERNAL_ERROR, "the transport failed: " + e.getClass().getSimpleName());
            }
        }
    }

    private static SessionOutcome outcome(TransportException e) {
        switch (e.reason()) {
            case UNREACHABLE:
                return SessionOutcome.UNREACHABLE;
            case TIMEOUT:
                return SessionOutcome.TIMEOUT;
            case PEER_STATUS:
                return SessionOutcome.SERVER_ERROR;
            case RESPONSE_TOO_LARGE:
                return SessionOutcome.MESSAGE_TOO_LARGE;
            case SECURITY:
                return SessionOutcome.AUTHENTICATION_FAILED;
            case UNSUPPORTED:
                return SessionOutcome.NO_TRANSPORT;
            default:
                return SessionOutcome.PROTOCOL_ERROR;
        }
    }

    private SyncMessage decode(TransportResponse response) throws End {
        byte[] body = response.body();
        String type = response.mediaType().isEmpty() ? "" : MediaTypes.normalize(response.mediaType());
        Optional<MessageCodec> c = type.isEmpty() ? Optional.empty() : ctx.codecs().apply(type);
        if (c.isEmpty() && !type.isEmpty()) {
            c = SyncML.forMediaType(type);
        }
        MessageCodec decoder = c.orElse(SyncML.isWbxml(body) ? SyncML.wbxml() : SyncML.xml());
        try {
            return decoder.decode(body);
        } catch (CodecException e) {
            SessionOutcome o = e.error() == CodecError.MESSAGE_TOO_LARGE ? SessionOutcome.MESSAGE_TOO_LARGE
                    : SessionOutcome.PROTOCOL_ERROR;
            throw new End(o, "the server's message cannot be decoded: " + e.toDisplayString(), true);
        } catch (RuntimeException e) {
            throw new End(SessionOutcome.PROTOCOL_ERROR, "the server's message cannot be decoded: "
                    + e.getClass().getSimpleName());
        }
    }

    /**
     * Tells the server that the client gives up (Alert 1223 with Final; digest 1.6), once, without
     * retries, ignoring the answer: the session is over either way.
     */
    private void sendAbort() {
        try {
            SyncHeader header = header();
            List<Command> commands = new ArrayList<>();
            if (lastServerMsgId != null) {
                commands.add(Status.builder().cmdId("1").msgRef(lastServerMsgId).answeringHeader()
                        .code(StatusCodes.OK).build());
            }
            commands.add(Alert.of(Integer.toString(commands.size() + 1), AlertCodes.SESSION_ABORT));
            byte[] body = codec.encode(new SyncMessage(header, commands, true));
            TransportRequest.Builder b = TransportRequest.builder(target, mediaType, body)
                    .timeout(ctx.settings().responseTimeout()).maxResponseBytes(ctx.settings().maxMsgSize());
            if (clientScheme == AuthScheme.HMAC) {
                b.header(HmacHeader.HEADER, new HmacHeader(HmacHeader.MD5, creds.clientName(),
                        creds.clientMac(clientNonce, body)).toHeaderValue());
            }
            transport.exchange(b.build());
            messagesSent++;
            LOG.debug("Sent Alert 1223 to {}", account.serverId());
        } catch (End | CodecException | CredentialException | TransportException | RuntimeException e) {
            LOG.debug("Alert 1223 to {} not delivered: {}", account.serverId(), e.toString());
        }
    }

    // ------------------------------------------------------------------------------------------
    // One server message

    /** @return false when the session is over */
    private boolean receive(SyncMessage in, byte[] raw) throws End, InterruptedException {
        SyncHeader h = in.header();
        lastServerMsgId = h.msgId();
        if (!SyncHeader.VER_DTD_1_2.equals(h.verDtd()) || !SyncHeader.VER_PROTO_DM_1_2.equalsIgnoreCase(h.verProto())) {
            throw new End(SessionOutcome.PROTOCOL_ERROR, "the server speaks VerDTD " + Values.shorten(h.verDtd())
                    + " / VerProto " + Values.shorten(h.verProto()) + ", not 1.2 / DM/1.2", true);
        }
        if (!plan.sessionId().equals(h.sessionId())) {
            throw new End(SessionOutcome.PROTOCOL_ERROR, "the server answered for session "
                    + Values.shorten(h.sessionId()) + ", not " + plan.sessionId(), true);
        }
        if (h.meta() != null) {
            if (h.meta().maxMsgSize() != null && h.meta().maxMsgSize() > 0) {
                serverMaxMsgSize = h.meta().maxMsgSize();
            }
            if (h.meta().maxObjSize() != null && h.meta().maxObjSize() > 0) {
                serverMaxObjSize = h.meta().maxObjSize();
            }
        }
        ServerAuthenticator.Check check = server.check(h, raw, lastResponseHmac, target);
        boolean resendPackage1 = false;
        boolean aborted = false;
        for (Command c : in.commands()) {
            if (c instanceof Status s) {
                resendPackage1 |= status(s, check.authorized());
            } else if (c instanceof Alert a && a.code() == AlertCodes.SESSION_ABORT && check.authorized()) {
                aborted = true;
            }
        }
        if (aborted) {
            throw new End(SessionOutcome.ABORTED_BY_SERVER, "the server aborted the session (Alert 1223)");
        }
        if (h.respUri() != null && !h.respUri().isBlank()) {
            respUri(h.respUri().trim(), check.verified());
        }
        boolean hasCommands = false;
        for (Command c : in.commands()) {
            if (c instanceof Status || c instanceof Results) {
                continue;
            }
            hasCommands = true;
            if (!check.authorized()) {
                processor.refuse(c, h.msgId(), check.code(), outbox);
            } else if (skipRest) {
                processor.refuse(c, h.msgId(), StatusCodes.NOT_EXECUTED, outbox);
            } else if (processor.process(c, h.msgId(), outbox) == CommandProcessor.Flow.SKIP_REST) {
                skipRest = true;
            }
        }
        if (processor.takeChunksInterrupted()) {
            outbox.abortChunks();
        }
        if (in.isFinal()) {
            skipRest = false;
        }
        if (resendPackage1) {
            queuePackage1();
        }
        if (!in.isFinal() && !waitsForClient(in)) {
            // the server's package goes on: ask for its next message
            outbox.add(Outbox.Simple.of(id -> Alert.of(id, AlertCodes.NEXT_MESSAGE)));
        }
        boolean nothingToSay = outbox.isEmpty();
        Status.Builder hdr = Status.builder().msgRef(h.msgId()).answeringHeader().code(check.code())
                .addTargetRef(h.target().locUri()).addSourceRef(h.source().locUri()).chal(check.chal());
        outbox.addFirst(Outbox.Simple.of(id -> hdr.cmdId(id).build()));
        if (in.isFinal() && !hasCommands && check.authorized() && !resendPackage1 && nothingToSay) {
            LOG.debug("Server closed session {} with {}", plan.sessionId(), account.serverId());
            if (check.chal() != null && check.chal().meta().nextNonce() != null) {
                server.keepPreviousNonce();
            }
            return false;
        }
        return true;
    }

    /** @return true when the server's message is a "next message" request for the client's open package */
    private static boolean waitsForClient(SyncMessage in) {
        return !in.isFinal() && in.commands().stream()
                .anyMatch(c -> c instanceof Alert a && a.code() == AlertCodes.NEXT_MESSAGE);
    }

    /**
     * Follows a RespURI only from a message whose credentials were checked in that message, and only on the
     * account's own scheme, host and port (issue 12); anything else is ignored and the session goes on where it was.
     */
    private void respUri(String value, boolean verified) {
        if (!verified) {
            LOG.info("Ignoring a RespURI from {}: the message's credentials were not checked", account.serverId());
            return;
        }
        try {
            URI u = new URI(value);
            if (u.isAbsolute() && u.getHost() != null && sameOrigin(u, URI.create(serverLocUri))) {
                target = u;
                return;
            }
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            // ignored below
        }
        LOG.warn("Ignoring a RespURI from {} that is not on the account's scheme, host and port", account.serverId());
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    /** @return true when package 1 must be sent again (the server challenged the client) */
    private boolean status(Status s, boolean serverAuthorized) throws End {
        Map<String, Outbox.Sent> sent = sentByMsg.getOrDefault(s.msgRef(), Map.of());
        if ("0".equals(s.cmdRef()) && Status.SYNC_HDR.equalsIgnoreCase(s.cmd())) {
            return clientAuthStatus(s);
        }
        Outbox.Sent x = sent.get(s.cmdRef());
        if (x == null) {
            return false;
        }
        int code = s.code();
        switch (x.kind()) {
            case GENERIC_ALERT:
                if (!serverAuthorized) {
                    break; // an unauthenticated peer cannot settle the queue
                }
                alertOutcomes.put(x.ref(), code == StatusCodes.OK || code == StatusCodes.ACCEPTED ? Settlement.DELIVERED
                        : code == StatusCodes.INVALID_CREDENTIALS || code == StatusCodes.MISSING_CREDENTIALS
                                || code == StatusCodes.RETRY_LATER || code >= 500 ? Settlement.RETRY
                                : Settlement.REFUSED);
                break;
            case SESSION_ALERT:
                if (!StatusCodes.isSuccess(code) && code != StatusCodes.INVALID_CREDENTIALS
                        && code != StatusCodes.MISSING_CREDENTIALS) {
                    throw new End(SessionOutcome.SERVER_ERROR, "the server refused the session alert with " + code);
                }
                break;
            case CHUNK:
                if (code != StatusCodes.CHUNKED_ITEM_ACCEPTED && !StatusCodes.isSuccess(code)) {
                    LOG.debug("Server refused a chunk with {}: the rest of the large object is dropped", code);
                    outbox.abortChunks();
                }
                break;
            default:
                break;
        }
        return false;
    }

    private boolean clientAuthStatus(Status s) throws End {
        int code = s.code();
        Chal chal = s.chal();
        if (chal != null && chal.meta() != null) {
            if (chal.meta().nextNonce() != null) {
                clientNonce = decodeNonce(chal.meta().nextNonce());
                clientNonceChanged = true;
            }
            AuthType asked = AuthType.fromMetaType(chal.meta().type()).orElse(null);
            AuthScheme wanted = asked == AuthType.BASIC ? AuthScheme.BASIC : asked == AuthType.MD5 ? AuthScheme.MD5
                    : asked == AuthType.HMAC ? AuthScheme.HMAC : null;
            if (wanted != null && wanted != clientScheme && creds.supportsClientScheme(wanted)) {
                LOG.info("Server {} asks for {} instead of {}", account.serverId(), wanted, clientScheme);
                clientScheme = wanted;
            }
        }
        if (code == StatusCodes.AUTHENTICATION_ACCEPTED) {
            clientAuthenticated = true;
            return false;
        }
        if (StatusCodes.isSuccess(code)) {
            return false;
        }
        if (code == StatusCodes.INVALID_CREDENTIALS || code == StatusCodes.MISSING_CREDENTIALS) {
            clientChallenges++;
            clientAuthenticated = false;
            if (clientScheme == AuthScheme.NONE) {
                throw new End(SessionOutcome.AUTHENTICATION_FAILED, "the server requires credentials (" + code
                        + ") and the account has none");
            }
            if (chal == null && code == StatusCodes.INVALID_CREDENTIALS) {
                throw new End(SessionOutcome.AUTHENTICATION_FAILED, "the server refused the device's credentials (401)");
            }
            if (clientChallenges > ctx.settings().authAttempts()) {
                throw new End(SessionOutcome.AUTHENTICATION_FAILED, "the server refused the device's credentials "
                        + clientChallenges + " times (" + code + ")");
            }
            LOG.info("Server {} challenged the device ({}); sending package 1 again", account.serverId(), code);
            return true;
        }
        throw new End(code >= 500 ? SessionOutcome.SERVER_ERROR : SessionOutcome.PROTOCOL_ERROR,
                "the server answered the device's SyncHdr with " + code);
    }

    private static byte[] decodeNonce(String b64) {
        try {
            return Base64.getMimeDecoder().decode(b64.trim());
        } catch (IllegalArgumentException e) {
            return b64.getBytes(StandardCharsets.UTF_8);
        }
    }

    private void persistClientNonce() {
        if (clientNonceChanged && server.trusted()) {
            ctx.nonces().store(account, AuthLevel.CLCRED, clientNonce);
        } else if (clientNonceChanged) {
            LOG.debug("Not storing a client nonce from {}: the server was not authenticated", account.serverId());
        }
    }

    private int settleAlerts() {
        if (alertOutcomes.isEmpty() || messagesReceived == 0) {
            // the server never answered package 1: the alerts were not tried
            return 0;
        }
        return ctx.alerts().settle(alertOutcomes);
    }
}
