package org.cardinaldm.server.internal;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.OperationResult;
import org.cardinaldm.server.api.ResultItem;
import org.cardinaldm.server.api.SessionInfo;
import org.cardinaldm.server.api.spi.DeviceRecord;
import org.cardinaldm.server.api.transport.OutboundMessage;
import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.api.model.Meta;

/** The state of one management session. Guarded by its own monitor. */
final class ServerSession {
    final String token;
    final String deviceId;
    final String sessionId;
    final String owner;
    final Instant started;
    Instant lastActivity;
    int messagesIn;
    int messagesOut;
    boolean ended;

    MessageCodec codec;
    String mediaType;
    String serverUri = "";
    String respUri;
    long clientMaxMsgSize;
    Long clientMaxObjSize;
    long nextServerMsgId = 1;
    long nextCmdId = 1;
    String lastServerMsgId;
    byte[] lastRequestHash;
    OutboundMessage lastResponse;

    // device authentication
    DeviceRecord device;
    boolean authenticated;
    AuthScheme authScheme;
    int authAttempts;
    // server authentication towards the device
    boolean serverAuthAccepted;
    int serverAuthRejections;

    // jobs
    int jobsClaimed;
    boolean noMoreJobs;
    final Deque<PendingOp> queue = new ArrayDeque<>();
    final Map<String, Sent> awaiting = new LinkedHashMap<>();
    final Map<String, Sent> expectResults = new HashMap<>();
    final Map<Long, JobProgress> jobs = new LinkedHashMap<>();
    /** Answers of the current message not yet in the registry, in arrival order, one per job and index. */
    final List<OperationResult> unrecorded = new ArrayList<>();
    /** Jobs whose answers are all in, with their final state, to move once {@link #unrecorded} is stored. */
    final Map<Long, JobState> completing = new LinkedHashMap<>();
    OutgoingObject outgoing;
    IncomingObject incoming;
    int alertsRecorded;
    boolean announced;
    boolean probeSent;
    boolean probeDone;

    ServerSession(String token, String deviceId, String sessionId, String owner, Instant now) {
        this.token = token;
        this.deviceId = deviceId;
        this.sessionId = sessionId;
        this.owner = owner;
        this.started = now;
        this.lastActivity = now;
    }

    SessionInfo info() {
        return new SessionInfo(deviceId, sessionId, authenticated, started, lastActivity, messagesIn, messagesOut,
                queue.size() + awaiting.size());
    }

    /**
     * A command sent and waiting for its status.
     *
     * @param top the top-level operation it belongs to (what is resent when the device refuses the message)
     * @param jobId the job
     * @param index the operation index
     * @param msgId the MsgID it was sent in
     * @param isGet whether Results are expected
     * @param chunk whether it is a non-final large-object chunk (answered by 213)
     */
    record Sent(PendingOp top, long jobId, int index, String msgId, boolean isGet, boolean chunk) {
    }

    /** Answers collected for one job. */
    static final class JobProgress {
        final long jobId;
        final int total;
        final Map<Integer, Integer> statuses = new HashMap<>();
        final Map<Integer, List<ResultItem>> items = new HashMap<>();
        final Set<Integer> awaitingResults = new HashSet<>();
        final Map<Integer, Integer> parentOf = new HashMap<>();
        final Set<Integer> unanswered = new HashSet<>();
        boolean sentAny;
        boolean done;
        /** Some answers of this job could not be stored: it cannot complete, only be interrupted. */
        boolean lost;

        JobProgress(long jobId, int total) {
            this.jobId = jobId;
            this.total = total;
        }

        boolean complete() {
            return statuses.size() + unanswered.size() >= total && awaitingResults.isEmpty();
        }
    }

    /** A large object being sent to the device in chunks. */
    static final class OutgoingObject {
        final PendingOp op;
        final byte[] data;
        final boolean text;
        final Meta meta;
        int offset;
        boolean acknowledged = true;

        OutgoingObject(PendingOp op, byte[] data, boolean text, Meta meta) {
            this.op = op;
            this.data = data;
            this.text = text;
            this.meta = meta;
        }
    }

    /** A large object being received from the device in chunks. */
    static final class IncomingObject {
        final String kind;
        final String key;
        final String uri;
        final Meta meta;
        final Long declaredSize;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<ResultItem> earlierItems = new ArrayList<>();
        boolean binary;

        IncomingObject(String kind, String key, String uri, Meta meta, Long declaredSize) {
            this.kind = kind;
            this.key = key;
            this.uri = uri;
            this.meta = meta;
            this.declaredSize = declaredSize;
        }
    }
}
