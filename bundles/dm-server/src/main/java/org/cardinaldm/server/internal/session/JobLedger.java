package org.cardinaldm.server.internal.session;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationKind;
import org.cardinaldm.server.api.OperationResult;
import org.cardinaldm.server.api.ResultItem;
import org.cardinaldm.server.api.UserAlert;
import org.cardinaldm.server.api.UserAnswers;
import org.cardinaldm.server.api.spi.ServerStore;
import org.cardinaldm.server.api.spi.StoreException;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.UiAlertKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs of one session and the answers to them: claims jobs from the registry, keeps the operations still
 * to send and the commands sent and waiting for their Status or Results (matched by MsgRef and CmdRef, digest
 * sections 1.3 and 1.5), gathers every answer of a message and stores them in one registry transaction before
 * the device is answered ({@link #record}), and moves each job to its final state: SUCCEEDED, FAILED,
 * INTERRUPTED, or ACCEPTED when an Exec was answered 202 and its result comes later as a Generic Alert
 * (digest section 1.10). A job is judged by its commands' statuses, never by a Sequence's own 200: a
 * user-interaction alert needs 200 (anything else, or no status, fails the job, see {@link UserAnswers}),
 * 214 and 215 never succeed, and a command of a Sequence (or after the user stopped the job) that got no
 * status fails it rather than being taken as done. A choice's answer is recorded as the chosen texts. When the session ends, jobs never sent go back to pending and the others are
 * settled or interrupted ({@link #close}). One per session.
 *
 * <p>Before the first command of a job leaves the node, the job is marked dispatched in the registry
 * ({@link ServerStore#markDispatched}, with the message's answers in {@link #record}), so that a node that recovers
 * the claims of this one after it was lost knows which jobs may have reached the device. When the registry says
 * the claims are no longer this session's (another node released them: this node was declared lost), nothing more
 * is sent and the session leaves its jobs alone ({@link #abandon}).
 */
public final class JobLedger {
    private static final Logger LOG = LoggerFactory.getLogger(JobLedger.class);
    /** The job id of the server's own read of the card id ({@link FirstContact}), which is no job. */
    static final long PROBE = -1;

    private final ServerStore store;
    private final int maxJobs;
    private final String deviceId;
    private final String sessionId;
    private final String owner;

    private int jobsClaimed;
    private boolean noMoreJobs;
    private final Deque<PendingOp> queue = new ArrayDeque<>();
    private final Map<String, Sent> awaiting = new LinkedHashMap<>();
    private final Map<String, Sent> expectResults = new HashMap<>();
    private final Map<Long, JobProgress> jobs = new LinkedHashMap<>();
    /** Answers of the current message not yet in the registry, in arrival order, one per job and index. */
    private final List<OperationResult> unrecorded = new ArrayList<>();
    /** Jobs whose answers are all in, with their final state, to move once {@link #unrecorded} is stored. */
    private final Map<Long, JobState> completing = new LinkedHashMap<>();
    /** Jobs whose first commands are in the current message, to mark dispatched before it leaves. */
    private final Set<Long> dispatching = new LinkedHashSet<>();
    /** The registry released this session's claims (its node was declared lost): its jobs are not its own. */
    private boolean abandoned;

    JobLedger(ServerStore store, int maxJobs, String deviceId, String sessionId, String owner) {
        this.store = store;
        this.maxJobs = maxJobs;
        this.deviceId = deviceId;
        this.sessionId = sessionId;
        this.owner = owner;
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

    /**
     * A command put in a message, to register once the message keeps it.
     *
     * @param msgId the MsgID
     * @param cmdIdKey its CmdID
     * @param sent what it waits for
     */
    record SentRef(String msgId, String cmdIdKey, Sent sent) {
    }

    /**
     * What settling the unanswered commands found besides jobs.
     *
     * @param probe the card-id probe got no answer
     * @param chunk a large-object chunk got no answer
     */
    record Unanswered(boolean probe, boolean chunk) {
    }

    /** Answers collected for one job. */
    private static final class JobProgress {
        final long jobId;
        final int total;
        final Map<Integer, Integer> statuses = new HashMap<>();
        final Map<Integer, List<ResultItem>> items = new HashMap<>();
        final Set<Integer> awaitingResults = new HashSet<>();
        final Map<Integer, Integer> parentOf = new HashMap<>();
        final Set<Integer> unanswered = new HashSet<>();
        /** The operations by index. */
        final Map<Integer, Operation> ops = new HashMap<>();
        /** Commands the device processed (their container or a later command was answered) but gave no status. */
        final Set<Integer> noStatus = new HashSet<>();
        /** Why the user's answer stopped the job, once an alert got anything but 200. */
        String refusal;
        boolean sentAny;
        /** Commands of it were put in a message for the device ({@link #dispatching}). */
        boolean dispatched;
        boolean done;
        /** Some answers of this job could not be stored: it cannot complete, only be interrupted. */
        boolean lost;

        JobProgress(long jobId, int total) {
            this.jobId = jobId;
            this.total = total;
        }

        boolean complete() {
            return statuses.size() + unanswered.size() + noStatus.size() >= total && awaitingResults.isEmpty();
        }
    }

    /** @return operations still to send plus commands waiting for their status */
    int outstanding() {
        return queue.size() + awaiting.size();
    }

    /** @return whether this session claimed a job (and so changed the registry) */
    public boolean claimedAny() {
        return jobsClaimed > 0;
    }

    /** @return whether operations are waiting to be sent */
    boolean hasQueued() {
        return !queue.isEmpty();
    }

    /** @return whether commands sent earlier still wait for their status */
    boolean awaitingStatuses() {
        return !awaiting.isEmpty();
    }

    /** @return the operations waiting to be sent, in order (a view: not to be changed) */
    Iterable<PendingOp> queued() {
        return queue;
    }

    /** @return the next operation to send, or null */
    PendingOp peek() {
        return queue.peekFirst();
    }

    /** Takes the next operation off the queue (sent, refused or turned into a large object). */
    void poll() {
        queue.pollFirst();
    }

    // ------------------------------------------------------------------ claiming and sending

    /** Claims the device's pending jobs, up to the per-session limit. */
    void claim(Instant now) {
        if (noMoreJobs) {
            return;
        }
        int room = maxJobs - jobsClaimed;
        if (room <= 0) {
            noMoreJobs = true;
            return;
        }
        List<Job> claimed = store.claimJobs(deviceId, owner, room, now);
        for (Job j : claimed) {
            jobsClaimed++;
            List<PendingOp> ops = PendingOp.of(j.id(), j.operations());
            JobProgress p = new JobProgress(j.id(), j.flatOperations().size());
            for (PendingOp op : ops) {
                parents(op, p);
            }
            List<Operation> flat = j.flatOperations();
            for (int i = 0; i < flat.size(); i++) {
                p.ops.put(i, flat.get(i));
            }
            jobs.put(j.id(), p);
            queue.addAll(ops);
            LOG.debug("Session {} of {} claimed job {}", sessionId, deviceId, j.id());
        }
    }

    private static void parents(PendingOp op, JobProgress p) {
        for (PendingOp c : op.children()) {
            p.parentOf.put(c.index(), op.index());
            parents(c, p);
        }
    }

    /** An operation that cannot be sent is answered {@code code}, its children 215. */
    void failUnsent(PendingOp op, int code, Instant now) {
        JobProgress p = jobs.get(op.jobId());
        if (p != null) {
            p.sentAny = true;
        }
        answer(op.jobId(), op.index(), code, List.of(), now);
        for (PendingOp c : op.children()) {
            answer(c.jobId(), c.index(), StatusCodes.NOT_EXECUTED, List.of(), now);
        }
    }

    /** The commands of a message wait for their statuses (and Results for a Get). */
    void register(List<SentRef> sent) {
        for (SentRef x : sent) {
            String key = x.msgId() + ":" + x.cmdIdKey();
            awaiting.put(key, x.sent());
            if (x.sent().isGet()) {
                expectResults.put(key, x.sent());
            }
            dispatched(jobs.get(x.sent().jobId()));
        }
    }

    private void dispatched(JobProgress p) {
        if (p != null) {
            p.sentAny = true;
            if (!p.dispatched) {
                p.dispatched = true;
                dispatching.add(p.jobId);
            }
        }
    }

    /** A large-object chunk waits for its status under {@code key} (MsgID:CmdID). */
    void registerChunk(String key, Sent x) {
        awaiting.put(key, x);
        dispatched(jobs.get(x.jobId()));
    }

    // ------------------------------------------------------------------ answers

    /** @return the command sent as {@code key} (MsgRef:CmdRef), no longer waiting; null if unknown */
    Sent takeAwaiting(String key) {
        return awaiting.remove(key);
    }

    /** @return the Get sent as {@code key} whose Results are still expected, or null */
    Sent expectedResults(String key) {
        return expectResults.get(key);
    }

    /** No Results are expected for {@code key} any more. */
    void dropExpectedResults(String key) {
        expectResults.remove(key);
    }

    /** The commands sent for {@code top} wait for nothing any more. */
    void forgetSent(PendingOp top) {
        awaiting.values().removeIf(x -> x.top() == top);
    }

    /** The probe waits for nothing any more. */
    void forgetProbe() {
        awaiting.values().removeIf(x -> x.jobId() == PROBE);
    }

    /** The Status of a job's command: a Get answered 200 waits for its Results. */
    void statusOf(Sent sent, String key, int code, List<ResultItem> items, Instant now) {
        JobProgress p = jobs.get(sent.jobId());
        if (sent.isGet() && p != null) {
            if (code == StatusCodes.OK) {
                p.awaitingResults.add(sent.index());
            } else {
                expectResults.remove(key);
            }
        }
        answer(sent.jobId(), sent.index(), code, items, now);
    }

    /** The answer to one operation of a job. */
    void answer(long jobId, int index, int code, List<ResultItem> items, Instant now) {
        JobProgress p = jobs.get(jobId);
        if (p == null) {
            return;
        }
        p.statuses.put(index, code);
        p.unanswered.remove(index);
        p.noStatus.remove(index);
        Operation op = p.ops.get(index);
        if (op != null && op.kind() == OperationKind.ALERT) {
            UserAlert alert = op.userAlert().orElseThrow();
            if (code == StatusCodes.OK && (alert.kind() == UiAlertKind.SINGLE_CHOICE
                    || alert.kind() == UiAlertKind.MULTIPLE_CHOICE)) {
                items = chosen(alert, items);
            }
            refused(p, index, alert, code);
        }
        if (!items.isEmpty()) {
            p.items.put(index, items);
        }
        LOG.debug("Device {} answered {} to operation {} of job {}", deviceId, code, index, jobId);
        unrecorded(new OperationResult(jobId, index, code, p.items.getOrDefault(index, List.of()), now));
        completeIfDone(p, now);
    }

    /** The Items of a choice's 200, the chosen numbers, become the chosen choices' texts. */
    private static List<ResultItem> chosen(UserAlert alert, List<ResultItem> items) {
        List<ResultItem> out = new ArrayList<>(items.size());
        for (ResultItem i : items) {
            String text = alert.choiceTexts(List.of(i.value() == null ? "" : i.value())).get(0);
            out.add(new ResultItem(i.uri(), "chr", i.type(), text, false));
        }
        return out;
    }

    private void refused(JobProgress p, int index, UserAlert alert, int code) {
        if (p.refusal == null) {
            UserAnswers.refusal(alert, code).ifPresent(why -> {
                p.refusal = why;
                LOG.debug("Job {} of {} stops at operation {}: {}", p.jobId, deviceId, index, why);
            });
        }
    }

    /** The Results of a Get. */
    void deliverResults(Sent sent, List<ResultItem> items, Instant now) {
        JobProgress p = jobs.get(sent.jobId());
        if (p == null) {
            return;
        }
        p.items.put(sent.index(), items);
        p.awaitingResults.remove(sent.index());
        int code = p.statuses.getOrDefault(sent.index(), StatusCodes.OK);
        if (!p.statuses.containsKey(sent.index())) {
            p.statuses.put(sent.index(), code);
            awaiting.values().removeIf(x -> x.jobId() == sent.jobId() && x.index() == sent.index());
        }
        unrecorded(new OperationResult(sent.jobId(), sent.index(), code, items, now));
        completeIfDone(p, now);
    }

    /** The Results of a Get could not be taken (413, 424): the operation ends with that code. */
    void resultsFailed(Sent sent, int code, Instant now) {
        JobProgress p = jobs.get(sent.jobId());
        if (p != null) {
            p.awaitingResults.remove(sent.index());
        }
        answer(sent.jobId(), sent.index(), code, List.of(), now);
    }

    private void completeIfDone(JobProgress p, Instant now) {
        if (p.done || !p.complete()) {
            return;
        }
        for (PendingOp q : queue) {
            if (q.jobId() == p.jobId) {
                return;
            }
        }
        p.done = true;
        boolean ok = p.refusal == null && p.noStatus.isEmpty();
        boolean later = false;
        for (Map.Entry<Integer, Integer> e : p.statuses.entrySet()) {
            ok &= judged(p.ops.get(e.getKey()), e.getValue());
            later |= e.getValue() == StatusCodes.ACCEPTED;
        }
        JobState state = !p.unanswered.isEmpty() ? JobState.INTERRUPTED
                : !ok ? JobState.FAILED : later ? JobState.ACCEPTED : JobState.SUCCEEDED;
        completing.put(p.jobId, state);
    }

    /**
     * Whether one status lets the job succeed: a Sequence's 200 says nothing (its children are judged), an
     * Alert needs 200, and 214 (cancelled) or 215 (not executed) never succeed.
     */
    private static boolean judged(Operation op, int code) {
        if (op != null && op.kind() == OperationKind.SEQUENCE) {
            return code == StatusCodes.OK;
        }
        if (op != null && op.kind() == OperationKind.ALERT) {
            return code == StatusCodes.OK;
        }
        return StatusCodes.isSuccess(code) && code != StatusCodes.OPERATION_CANCELLED
                && code != StatusCodes.NOT_EXECUTED;
    }

    /**
     * Keeps an answer until the message is processed ({@link #record}); it replaces an earlier answer of
     * the same message to the same operation (a Get's Status 200, then its Results).
     */
    private void unrecorded(OperationResult r) {
        unrecorded.removeIf(x -> x.jobId() == r.jobId() && x.index() == r.index());
        unrecorded.add(r);
    }

    /**
     * The device refused the server's credentials in these messages: their commands are sent again.
     *
     * @param refusedMessages the MsgIDs of the refused messages
     * @return the top-level operations queued again
     */
    List<PendingOp> requeue(Set<String> refusedMessages) {
        List<PendingOp> again = new ArrayList<>();
        for (Iterator<Sent> it = awaiting.values().iterator(); it.hasNext();) {
            Sent x = it.next();
            if (refusedMessages.contains(x.msgId())) {
                it.remove();
                if (!again.contains(x.top())) {
                    again.add(x.top());
                }
            }
        }
        expectResults.values().removeIf(x -> refusedMessages.contains(x.msgId()));
        return again;
    }

    /** Puts operations back at the head of the queue, in job and index order. */
    void resend(List<PendingOp> again) {
        again.sort(Comparator.comparingLong(PendingOp::jobId).thenComparingInt(PendingOp::index));
        for (int i = again.size() - 1; i >= 0; i--) {
            queue.addFirst(again.get(i));
        }
        LOG.debug("Resending {} operations to {} with new credentials", again.size(), deviceId);
    }

    /** The device closed its package: commands sent earlier without a status will get none. */
    Unanswered settleUnanswered(Instant now) {
        if (awaiting.isEmpty()) {
            return new Unanswered(false, false);
        }
        boolean probe = false;
        boolean chunk = false;
        List<Sent> left = new ArrayList<>(awaiting.values());
        awaiting.clear();
        for (Sent x : left) {
            if (x.jobId() == PROBE) {
                probe = true;
                continue;
            }
            if (x.chunk()) {
                chunk = true;
            }
            JobProgress p = jobs.get(x.jobId());
            if (p == null) {
                continue;
            }
            Integer parent = p.parentOf.get(x.index());
            Operation parentOp = parent == null ? null : p.ops.get(parent);
            Operation op = p.ops.get(x.index());
            boolean inSequence = parentOp != null && parentOp.kind() == OperationKind.SEQUENCE;
            if (parent != null && p.statuses.containsKey(parent) && !inSequence) {
                p.statuses.put(x.index(), p.statuses.get(parent));
            } else if ((inSequence && p.statuses.containsKey(parent)) || p.refusal != null
                    || (op != null && op.kind() == OperationKind.SEQUENCE && anyChildAnswered(p, x.index()))) {
                // processed by the device (its Sequence answered, or after the user stopped the job) without a
                // status: never taken as done, and never the Sequence's 200
                p.noStatus.add(x.index());
                LOG.debug("Device {} sent no status for operation {} of job {}", deviceId, x.index(), x.jobId());
            } else {
                p.unanswered.add(x.index());
                LOG.debug("Device {} sent no status for operation {} of job {}", deviceId, x.index(), x.jobId());
            }
            completeIfDone(p, now);
        }
        return new Unanswered(probe, chunk);
    }

    private static boolean anyChildAnswered(JobProgress p, int index) {
        for (Map.Entry<Integer, Integer> e : p.parentOf.entrySet()) {
            if (e.getValue() == index && p.statuses.containsKey(e.getKey())) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ the registry

    /**
     * Stores the answers kept for the current message in one registry transaction, then moves the jobs
     * they completed to their final states, then marks dispatched the jobs whose first commands the answer
     * carries ({@link ServerStore#markDispatched}); when the registry refuses that mark (the claims are no longer
     * this session's) the session is {@linkplain #abandon abandoned} and the failure propagates, so the answer with
     * those commands never leaves the node. When the answers cannot be stored, none is, their jobs can
     * no longer succeed (they are interrupted when the session ends) and the failure propagates: the
     * device gets no answer acknowledging them.
     *
     * @param now the time
     */
    public void record(Instant now) {
        if (abandoned) {
            throw new StoreException("the job claims of session " + sessionId + " were released by another node");
        }
        if (!unrecorded.isEmpty()) {
            List<OperationResult> batch = List.copyOf(unrecorded);
            unrecorded.clear();
            try {
                store.recordResults(batch);
            } catch (RuntimeException e) {
                for (OperationResult r : batch) {
                    JobProgress p = jobs.get(r.jobId());
                    if (p != null) {
                        p.lost = true;
                    }
                }
                undoCompletions();
                throw e;
            }
        }
        while (!completing.isEmpty()) {
            Map.Entry<Long, JobState> c = completing.entrySet().iterator().next();
            try {
                store.transitionJob(c.getKey(), JobState.ACTIVE, c.getValue(), now);
            } catch (RuntimeException e) {
                undoCompletions();
                throw e;
            }
            completing.remove(c.getKey());
            LOG.debug("Job {} of {} ended {}", c.getKey(), deviceId, c.getValue());
            if (c.getValue() == JobState.ACCEPTED) {
                org.cardinaldm.server.internal.async.AsyncExecs.settle(store, c.getKey(), now); // a 1226 may have come
            }
        }
        // last: what the device answered is kept even when the claims turn out to be lost
        if (!dispatching.isEmpty()) {
            List<Long> ids = List.copyOf(dispatching);
            dispatching.clear();
            if (!store.markDispatched(ids, owner, now)) {
                abandon();
                LOG.warn("Session {} of {}: another node released its job claims (this node was declared lost); "
                        + "nothing more is sent", sessionId, deviceId);
                throw new StoreException("the job claims of session " + sessionId + " were released by another node");
            }
        }
    }

    /** Completions not stored: the jobs are settled again when the session ends. */
    private void undoCompletions() {
        for (Long id : completing.keySet()) {
            JobProgress p = jobs.get(id);
            if (p != null) {
                p.done = false;
            }
        }
        completing.clear();
    }

    /**
     * The session ended: jobs never sent go back to pending, complete ones end in their state, the others
     * are interrupted.
     */
    void close(Instant now, String why) {
        close(now, why, false);
    }

    /**
     * @param handOver the node is stopping cleanly and settles the claims itself right after ({@code
     *        NodeMembership#releaseOwnClaims}): a job whose commands may have reached the device stays claimed, so that
     *        the claim recovery decides between retrying it (safe to repeat) and interrupting it, as for a node that died
     */
    void close(Instant now, String why, boolean handOver) {
        if (abandoned) {
            queue.clear();
            return; // the node that released the claims settled the jobs
        }
        Set<Long> unsentJobs = new LinkedHashSet<>();
        for (PendingOp op : queue) {
            unsentJobs.add(op.jobId());
        }
        queue.clear();
        recordQuietly(now);
        for (JobProgress p : jobs.values()) {
            if (p.done) {
                continue;
            }
            try {
                if (!p.sentAny) {
                    store.releaseJob(p.jobId, owner, now);
                } else if (p.complete() && !p.lost && !unsentJobs.contains(p.jobId)) {
                    completeIfDone(p, now);
                } else if (handOver) {
                    LOG.debug("Job {} of {} left to the claim recovery: session {} ended ({})", p.jobId, deviceId,
                            sessionId, why);
                } else {
                    store.transitionJob(p.jobId, JobState.ACTIVE, JobState.INTERRUPTED, now);
                    LOG.info("Job {} of {} interrupted: session {} ended ({})", p.jobId, deviceId, sessionId, why);
                }
            } catch (StoreException e) {
                LOG.warn("Cannot settle job {} of {}: {}", p.jobId, deviceId, e.getMessage());
            }
        }
        recordQuietly(now);
    }

    /**
     * The session's claims are no longer its own (another node released them after declaring this node lost):
     * nothing more is recorded or sent, and ending the session leaves the jobs as the registry has them.
     */
    public void abandon() {
        abandoned = true;
        unrecorded.clear();
        completing.clear();
        dispatching.clear();
    }

    private void recordQuietly(Instant now) {
        try {
            record(now);
        } catch (RuntimeException e) {
            LOG.warn("Cannot record the answers of session {} of {}: {}", sessionId, deviceId, e.toString());
        }
    }
}
