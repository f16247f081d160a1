package org.cardinaldm.server.internal.async;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.cardinaldm.server.api.AsyncExec;
import org.cardinaldm.server.api.AsyncReport;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationKind;
import org.cardinaldm.server.api.OperationResult;
import org.cardinaldm.server.api.spi.ServerStore;
import org.cardinaldm.server.api.spi.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Links asynchronous Execs to their jobs (OMA DM 1.2 Protocol §8.7; digest §1.10): an Exec answered
 * {@code 202} is stored with its Correlator, the device it went to and a deadline ({@link #accepted}); the
 * Generic Alert 1226 carrying that Correlator from that authenticated device, in the same session or a later
 * one, completes it ({@link #report}); when every such Exec of an {@link JobState#ACCEPTED} job has its
 * result the job becomes SUCCEEDED or FAILED ({@link #settle}); the sweeper fails jobs whose Exec passed its
 * deadline ({@link #sweep}), conditionally in the store so several nodes can sweep one database. A report
 * for another device's Correlator, an unknown one, a second report, or oversized Data changes nothing but
 * the device's alert log (kept by the caller). One per engine.
 */
public final class AsyncExecs {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncExecs.class);
    /** The longest Correlator linked (the registry's column). */
    public static final int MAX_CORRELATOR = 256;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private final ServerStore store;
    private volatile AsyncTimeouts timeouts = AsyncTimeouts.DEFAULT;

    /** @param store the registry */
    public AsyncExecs(ServerStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** @param value the timeouts from now on (Execs already waiting keep their deadline) */
    public void timeouts(AsyncTimeouts value) {
        this.timeouts = Objects.requireNonNull(value, "timeouts");
    }

    /** @return the timeouts */
    public AsyncTimeouts timeouts() {
        return timeouts;
    }

    /**
     * A server-chosen Correlator: the job and operation index (unique in the registry) plus 64 random bits, so
     * that Correlators do not collide across nodes, restarts or a registry that was reset.
     *
     * @param jobId the job
     * @param index the operation index
     * @return e.g. {@code cardinal-12-3-9f86d081884c7d65}
     */
    public static String newCorrelator(long jobId, int index) {
        byte[] bits = new byte[8];
        RANDOM.nextBytes(bits);
        return "cardinal-" + jobId + "-" + index + "-" + HEX.formatHex(bits);
    }

    /**
     * The device answered 202 to an Exec: it waits for its 1226 until the deadline of its kind. An operator's
     * Correlator that the device already used for another Exec cannot be linked (WARN); the job then waits
     * as before this mechanism existed.
     *
     * @param deviceId the authenticated device
     * @param jobId the job
     * @param index the Exec's index
     * @param target the Exec's target
     * @param correlator the Correlator sent with it
     * @param now the time
     * @return whether it was stored
     * @throws StoreException when the store fails
     */
    public boolean accepted(String deviceId, long jobId, int index, String target, String correlator,
            Instant now) {
        if (correlator == null || correlator.isEmpty() || correlator.length() > MAX_CORRELATOR) {
            return false;
        }
        AsyncExec exec = new AsyncExec(correlator, deviceId, jobId, index, target, now,
                now.plus(timeouts.timeoutFor(target)), AsyncExec.State.WAITING, null);
        boolean stored = store.insertAsyncExec(exec);
        if (stored) {
            LOG.debug("Exec {} of job {} on {} waits for its result until {}", index, jobId, deviceId,
                    exec.deadline());
        } else {
            LOG.warn("Exec {} of job {} on {} is not linked to its result: the device already has an Exec with "
                    + "that correlator, or the store does not keep asynchronous Execs", index, jobId, deviceId);
        }
        return stored;
    }

    /**
     * A Generic Alert 1226 with a Correlator from an authenticated device. Only that device's Exec with that
     * Correlator is looked at; the first report wins; a report after the deadline is kept, marked late, and
     * does not change the job (which fails for the timeout).
     *
     * @param deviceId the authenticated device
     * @param correlator the alert's Correlator
     * @param type the normalised alert type, or null
     * @param data the first Item's Data, or null
     * @param source the first Item's Source LocURI, or null
     * @param target the first Item's Target LocURI, or null
     * @param mark the Meta Mark, or null
     * @param now the time
     * @return the Exec as changed, or empty when nothing was changed (unknown, another device's, a replay,
     *         oversized)
     * @throws StoreException when the store fails
     */
    public Optional<AsyncExec> report(String deviceId, String correlator, String type, String data, String source,
            String target, String mark, Instant now) {
        if (correlator == null || correlator.isEmpty() || correlator.length() > MAX_CORRELATOR
                || data != null && data.length() > ResultCodes.MAX_DATA) {
            return Optional.empty();
        }
        AsyncReport report = ResultCodes.interpret(type, data, bounded(source), bounded(target), bounded(mark),
                now);
        for (int attempt = 0; attempt < 2; attempt++) {
            Optional<AsyncExec> found = store.asyncExec(deviceId, correlator);
            if (found.isEmpty()) {
                LOG.debug("Generic alert from {} with a correlator of no Exec of that device", deviceId);
                return Optional.empty();
            }
            AsyncExec e = found.get();
            if (e.report() != null || e.state() == AsyncExec.State.SUCCEEDED || e.state() == AsyncExec.State.FAILED) {
                LOG.debug("Generic alert from {} repeats the result of Exec {} of job {}: kept as an alert only",
                        deviceId, e.index(), e.jobId());
                return Optional.empty();
            }
            boolean late = e.state() == AsyncExec.State.TIMED_OUT || now.isAfter(e.deadline());
            AsyncExec changed = late ? e.with(AsyncExec.State.TIMED_OUT, report.withLate(true))
                    : e.with(report.success() ? AsyncExec.State.SUCCEEDED : AsyncExec.State.FAILED, report);
            if (store.updateAsyncExec(deviceId, correlator, e.state(), changed)) {
                LOG.debug("Exec {} of job {} on {}: {}{}", e.index(), e.jobId(), deviceId, report.summary(),
                        late ? " (late)" : "");
                if (e.state() == AsyncExec.State.WAITING && late) {
                    timedOut(changed, now);
                } else if (!late) {
                    settle(store, e.jobId(), now);
                }
                return Optional.of(changed);
            }
        }
        return Optional.empty();
    }

    /**
     * Fails the jobs whose Execs passed their deadline, at most {@link AsyncTimeouts#sweepBatch()} per run.
     * Each Exec and job changes only from its expected state, so several nodes may sweep at once.
     *
     * @param now the time
     * @return how many Execs this run timed out
     * @throws StoreException when the store fails
     */
    public int sweep(Instant now) {
        int n = 0;
        for (AsyncExec e : store.overdueAsyncExecs(now, timeouts.sweepBatch())) {
            AsyncExec changed = e.with(AsyncExec.State.TIMED_OUT, null);
            if (store.updateAsyncExec(e.deviceId(), e.correlator(), AsyncExec.State.WAITING, changed)) {
                n++;
                timedOut(changed, now);
            }
        }
        if (n > 0) {
            store.sync();
        }
        return n;
    }

    private void timedOut(AsyncExec e, Instant now) {
        if (store.transitionJob(e.jobId(), JobState.ACCEPTED, JobState.FAILED, now)) {
            LOG.info("Job {} of {} failed: {}", e.jobId(), e.deviceId(), e.outcome());
        } else {
            // still in its session (it is settled when the session records it) or already ended
            settle(store, e.jobId(), now);
        }
    }

    /**
     * Ends an {@link JobState#ACCEPTED} job when every Exec of it answered 202 has its result: SUCCEEDED when
     * all succeeded, otherwise FAILED. Does nothing while one waits, or when an Exec answered 202 is not
     * linked (the job then stays ACCEPTED).
     *
     * @param store the registry
     * @param jobId a job
     * @param now the time
     * @throws StoreException when the store fails
     */
    public static void settle(ServerStore store, long jobId, Instant now) {
        Optional<Job> job = store.job(jobId);
        if (job.isEmpty() || job.get().state() != JobState.ACCEPTED) {
            return;
        }
        Map<Integer, AsyncExec> byIndex = new HashMap<>();
        for (AsyncExec e : store.asyncExecs(jobId)) {
            byIndex.put(e.index(), e);
        }
        boolean ok = true;
        boolean any = false;
        for (OperationResult r : job.get().results()) {
            if (r.status() != 202) {
                continue;
            }
            AsyncExec e = byIndex.get(r.index());
            if (e == null || e.state() == AsyncExec.State.WAITING) {
                return;
            }
            any = true;
            ok &= e.state() == AsyncExec.State.SUCCEEDED;
        }
        if (!any) {
            return;
        }
        JobState state = ok ? JobState.SUCCEEDED : JobState.FAILED;
        if (store.transitionJob(jobId, JobState.ACCEPTED, state, now)) {
            LOG.debug("Job {} of {} ended {} on the device's asynchronous results", jobId, job.get().deviceId(),
                    state);
        }
    }

    /**
     * @param store the registry
     * @param job a job
     * @return the job whose results of Execs answered 202 carry their asynchronous part
     * @throws StoreException when the store fails
     */
    public static Job attach(ServerStore store, Job job) {
        if (job.results().stream().noneMatch(r -> r.status() == 202)) {
            return job;
        }
        Map<Integer, AsyncExec> byIndex = new HashMap<>();
        for (AsyncExec e : store.asyncExecs(job.id())) {
            byIndex.put(e.index(), e);
        }
        if (byIndex.isEmpty()) {
            return job;
        }
        List<OperationResult> results = new ArrayList<>(job.results().size());
        for (OperationResult r : job.results()) {
            AsyncExec e = byIndex.get(r.index());
            results.add(e == null ? r : r.withAsync(e));
        }
        return new Job(job.id(), job.deviceId(), job.description(), job.state(), job.created(), job.updated(),
                job.operations(), results);
    }

    /**
     * An operator's Correlator is sent as given and matched only among the Execs of the job's device, so it
     * must be new for that device: not used by an earlier Exec of the device, not twice in the job, at most
     * {@link #MAX_CORRELATOR} characters.
     *
     * @param store the registry
     * @param deviceId the job's device
     * @param operations the job's operations
     * @throws IllegalArgumentException when a Correlator cannot be used
     * @throws StoreException when the store fails
     */
    public static void checkCorrelators(ServerStore store, String deviceId, List<Operation> operations) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        java.util.ArrayDeque<Operation> todo = new java.util.ArrayDeque<>(operations);
        while (!todo.isEmpty()) {
            Operation o = todo.pop();
            todo.addAll(o.children());
            String c = o.correlator();
            if (o.kind() != OperationKind.EXEC || c == null) {
                continue;
            }
            if (c.isBlank() || c.length() > MAX_CORRELATOR) {
                throw new IllegalArgumentException("an Exec correlator has 1 to " + MAX_CORRELATOR + " characters");
            }
            if (!seen.add(c) || store.asyncExec(deviceId, c).isPresent()) {
                throw new IllegalArgumentException("the correlator '" + c + "' is already used for " + deviceId
                        + "; leave it out and the server chooses a unique one");
            }
        }
    }

    private static String bounded(String s) {
        return s == null || s.length() <= 4096 ? s : s.substring(0, 4096);
    }
}
