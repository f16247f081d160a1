package org.cardinaldm.server.internal.session;

import java.time.Instant;
import java.util.zip.CRC32C;

import org.cardinaldm.server.api.SessionInfo;
import org.cardinaldm.server.api.spi.ServerStore;
import org.cardinaldm.server.api.transport.OutboundMessage;
import org.cardinaldm.server.internal.ServerConfig;
import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.api.model.SyncHeader;

/**
 * One management session: who it belongs to, the envelope of its messages (codec, RespURI, MsgID and CmdID
 * counters, the device's MaxMsgSize and MaxObjSize, the last answer for retransmissions; digest sections 1.1
 * to 1.3) and the per-session parts owned by the classes that work on them: the device's authentication
 * ({@link DeviceAuthenticator}), the jobs ({@link JobLedger}), the large objects ({@link LargeObjects}), the
 * card-id probe ({@link FirstContact}) and the alerts ({@link ClientCommands}). Guarded by its own monitor:
 * every method is called with it held.
 *
 * <p>Its token changes when the device authenticates ({@link #rotateToken}): the token of the challenge's
 * RespURI, known to whoever opened the session, is worth nothing afterwards. Until then the session may hold an
 * {@link AnonymousBudget.Charge}.
 */
public final class ServerSession {
    private String token;
    private final String deviceId;
    private final String sessionId;
    private final String owner;
    private final Instant started;
    private Instant lastActivity;
    private int messagesIn;
    private int messagesOut;
    private boolean ended;

    private MessageCodec codec;
    private String mediaType;
    private String serverUri = "";
    private String respUriBase;
    private String respUriParameter;
    private AnonymousBudget.Charge charge;
    private ServerSession displaced;
    private long clientMaxMsgSize;
    private Long clientMaxObjSize;
    private long nextServerMsgId = 1;
    private long nextCmdId = 1;
    private String lastServerMsgId;
    private Fingerprint lastRequest;
    private OutboundMessage lastResponse;

    private final DeviceAuthenticator.State auth = new DeviceAuthenticator.State();
    private final JobLedger jobs;
    private final LargeObjects objects;
    private final FirstContact.Probe probe = new FirstContact.Probe();
    private final ClientCommands.Alerts alerts = new ClientCommands.Alerts();

    /**
     * @param token the token of its RespURI until the device authenticates
     * @param deviceId the device (LocURI of the header's Source)
     * @param sessionId the SessionID the device chose
     * @param owner who claims the session's jobs in the registry (node and token)
     * @param now when it opens
     * @param store the registry
     * @param config the settings
     */
    public ServerSession(String token, String deviceId, String sessionId, String owner, Instant now,
            ServerStore store, ServerConfig config) {
        this.token = token;
        this.deviceId = deviceId;
        this.sessionId = sessionId;
        this.owner = owner;
        this.started = now;
        this.lastActivity = now;
        this.clientMaxMsgSize = config.maxMessageBytes();
        this.jobs = new JobLedger(store, config.maxJobsPerSession(), deviceId, sessionId, owner);
        this.objects = new LargeObjects(config.maxObjectBytes(), jobs);
    }

    /** @return the token of its RespURI now */
    public String token() {
        return token;
    }

    /**
     * Gives the session a new token (the device just authenticated): the answers carry it from now on.
     *
     * @param value the new token
     */
    public void rotateToken(String value) {
        this.token = value;
    }

    /** @param value what the session holds of the anonymous budget while unauthenticated, or null */
    public void charge(AnonymousBudget.Charge value) {
        this.charge = value;
    }

    /** @return whether it holds a share of the anonymous budget */
    public boolean charged() {
        return charge != null;
    }

    /** Gives back its share of the anonymous budget, if it holds one. */
    public void releaseCharge() {
        if (charge != null) {
            charge.release();
            charge = null;
        }
    }

    /**
     * @param previous an older session of the same device and SessionID, which this one (authenticated) replaces,
     *        to be ended once this one's lock is released; or null
     */
    public void displaced(ServerSession previous) {
        this.displaced = previous;
    }

    /** @return the session this one replaced and forgets it, or null */
    public ServerSession takeDisplaced() {
        ServerSession d = displaced;
        displaced = null;
        return d;
    }

    /** @return the device */
    public String deviceId() {
        return deviceId;
    }

    /** @return the SessionID */
    public String sessionId() {
        return sessionId;
    }

    /** @return what the monitor shows of it */
    public SessionInfo info() {
        return new SessionInfo(deviceId, sessionId, auth.authenticated(), started, lastActivity, messagesIn,
                messagesOut, jobs.outstanding());
    }

    /** @return whether the device has authenticated in this session */
    public boolean authenticated() {
        return auth.authenticated();
    }

    /** @return when the device last sent a message */
    public Instant lastActivity() {
        return lastActivity;
    }

    /** @return how many messages the device sent */
    public int messagesIn() {
        return messagesIn;
    }

    /** @return whether it ended */
    public boolean ended() {
        return ended;
    }

    /** @return its jobs */
    public JobLedger jobs() {
        return jobs;
    }

    /**
     * Ends the session: drops the large objects in transfer and settles the jobs ({@link JobLedger#close}).
     *
     * @param now the time
     * @param why what is logged for interrupted jobs
     * @return false when it had already ended
     */
    public boolean close(Instant now, String why) {
        return close(now, why, false);
    }

    /**
     * Ends the session as {@link #close(Instant, String)} does, except that with {@code handOver} a job whose
     * commands may have reached the device stays claimed for the node's claim recovery (the node stops cleanly and
     * settles its claims right after: such a job is retried when safe to repeat, interrupted otherwise).
     *
     * @param now the time
     * @param why why it ends (logged)
     * @param handOver whether the claim recovery settles the jobs that were sent
     * @return false when it had already ended
     */
    public boolean close(Instant now, String why, boolean handOver) {
        if (ended) {
            return false;
        }
        ended = true;
        objects.clear();
        jobs.close(now, why, handOver);
        return true;
    }

    /**
     * What tells a retransmission from a new message: a device sends the same message again, with its MsgID, when it
     * did not get the answer, and a new message with a new MsgID. The MsgID, the length and a CRC-32C of the bytes
     * (a cheap check against a device that reuses a MsgID) make the fingerprint. A message forged to match it gets
     * the previous answer again, no more than the exact copy of that message would.
     *
     * @param msgId the MsgID of the message
     * @param length its length in bytes
     * @param crc the CRC-32C of its bytes
     */
    public record Fingerprint(String msgId, int length, long crc) {
        /**
         * @param msgId the MsgID of a message
         * @param body its bytes
         * @return its fingerprint
         */
        public static Fingerprint of(String msgId, byte[] body) {
            CRC32C crc = new CRC32C();
            crc.update(body);
            return new Fingerprint(msgId, body.length, crc.getValue());
        }
    }

    /**
     * @param print the fingerprint of a request
     * @return whether it is the last request again (the device did not get the answer)
     */
    public boolean isRetransmission(Fingerprint print) {
        return print.equals(lastRequest);
    }

    /** @return the answer to the last request */
    public OutboundMessage lastResponse() {
        return lastResponse;
    }

    /**
     * @param print the fingerprint of the request just answered
     * @param response its answer, sent again if the same request comes again
     */
    public void answered(Fingerprint print, OutboundMessage response) {
        this.lastRequest = print;
        this.lastResponse = response;
    }

    /**
     * Takes the envelope of a message from the device.
     *
     * @param h its header
     * @param messageCodec the codec it came in
     * @param media its bare media type
     * @param respUriBase the URL the device is told to send its next message to, without the token
     * @param parameter the name of the token's query parameter
     * @param now the time
     * @return the MsgID of the answer
     */
    public String accept(SyncHeader h, MessageCodec messageCodec, String media, String respUriBase, String parameter,
            Instant now) {
        lastActivity = now;
        messagesIn++;
        codec = messageCodec;
        mediaType = media;
        serverUri = h.target().locUri();
        this.respUriBase = respUriBase;
        this.respUriParameter = parameter;
        if (h.meta() != null) {
            if (h.meta().maxMsgSize() != null && h.meta().maxMsgSize() > 0) {
                clientMaxMsgSize = Math.min(h.meta().maxMsgSize(), Integer.MAX_VALUE);
            }
            if (h.meta().maxObjSize() != null && h.meta().maxObjSize() > 0) {
                clientMaxObjSize = h.meta().maxObjSize();
            }
        }
        return Long.toString(nextServerMsgId++);
    }

    /** @return the next CmdID of the server's commands */
    public String nextCmdId() {
        return Long.toString(nextCmdId++);
    }

    /** @return where the CmdIDs are, for {@link #rewindCmdIds} */
    long cmdIdMark() {
        return nextCmdId;
    }

    /** @param mark what {@link #cmdIdMark} said before the commands that were taken back */
    void rewindCmdIds(long mark) {
        nextCmdId = mark;
    }

    String owner() {
        return owner;
    }

    MessageCodec codec() {
        return codec;
    }

    String mediaType() {
        return mediaType;
    }

    String serverUri() {
        return serverUri;
    }

    /** @return the RespURI of the answers, with the current token; null once the session ended */
    String respUri() {
        if (ended || respUriBase == null) {
            return null;
        }
        return respUriBase + (respUriBase.contains("?") ? "&" : "?") + respUriParameter + "=" + token;
    }

    long clientMaxMsgSize() {
        return clientMaxMsgSize;
    }

    Long clientMaxObjSize() {
        return clientMaxObjSize;
    }

    /** @return the MsgID of the server's last message (Results without MsgRef answer it) */
    String lastServerMsgId() {
        return lastServerMsgId;
    }

    /** @param msgId the MsgID of a message just encoded for the device */
    void sent(String msgId) {
        messagesOut++;
        lastServerMsgId = msgId;
    }

    DeviceAuthenticator.State auth() {
        return auth;
    }

    LargeObjects objects() {
        return objects;
    }

    FirstContact.Probe probe() {
        return probe;
    }

    ClientCommands.Alerts alerts() {
        return alerts;
    }
}
