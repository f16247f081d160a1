package org.cardinaldm.server.internal.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import org.cardinaldm.server.api.AsyncExec;
import org.cardinaldm.server.api.DeviceAlert;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationResult;
import org.cardinaldm.server.api.audit.AuditEntry;
import org.cardinaldm.server.api.spi.DeviceRecord;
import org.cardinaldm.server.api.spi.ServerStore;

/**
 * A {@link ServerStore} in memory, for tests and demos: nothing survives a restart. Every method holds
 * one lock, which is enough for one node.
 */
public final class InMemoryServerStore implements ServerStore {
    private static final int MAX_ALERTS_PER_DEVICE = 1000;

    private final Map<String, DeviceRecord> devices = new TreeMap<>();
    private final Map<Long, JobEntry> jobs = new TreeMap<>();
    private final List<DeviceAlert> alerts = new ArrayList<>();
    private final Map<String, java.util.TreeSet<Long>> pending = new java.util.HashMap<>();
    private long nextJobId = 1;
    /** Asynchronous Execs by DevId and Correlator. */
    private final Map<List<String>, AsyncExec> asyncExecs = new java.util.LinkedHashMap<>();

    /** The audit log, by id. */
    private final java.util.NavigableMap<Long, AuditEntry> audit = new TreeMap<>();
    private long nextAuditId = 1;

    private static final class JobEntry {
        Job job;
        String owner;
        Instant claimed;

        JobEntry(Job job) {
            this.job = job;
        }
    }

    @Override
    public synchronized Optional<DeviceRecord> device(String deviceId) {
        return Optional.ofNullable(devices.get(deviceId));
    }

    @Override
    public synchronized List<DeviceRecord> devices() {
        return List.copyOf(devices.values());
    }

    @Override
    public synchronized boolean insertDevice(DeviceRecord record) {
        return devices.putIfAbsent(record.deviceId(), record) == null;
    }

    @Override
    public synchronized Optional<DeviceRecord> updateDevice(String deviceId, UnaryOperator<DeviceRecord> change) {
        DeviceRecord current = devices.get(deviceId);
        if (current == null) {
            return Optional.empty();
        }
        DeviceRecord next = change.apply(current);
        if (!next.deviceId().equals(deviceId)) {
            throw new IllegalArgumentException("an update cannot change the DevId");
        }
        devices.put(deviceId, next);
        return Optional.of(next);
    }

    @Override
    public synchronized boolean deleteDevice(String deviceId) {
        if (devices.remove(deviceId) == null) {
            return false;
        }
        jobs.values().removeIf(e -> e.job.deviceId().equals(deviceId));
        pending.remove(deviceId);
        asyncExecs.values().removeIf(e -> e.deviceId().equals(deviceId));
        alerts.removeIf(a -> a.deviceId().equals(deviceId));
        return true;
    }

    @Override
    public synchronized Job createJob(String deviceId, String description, List<Operation> operations, Instant now) {
        if (!devices.containsKey(deviceId)) {
            throw new IllegalArgumentException("no device " + deviceId);
        }
        Job job = new Job(nextJobId++, deviceId, description, JobState.PENDING, now, now, operations, List.of());
        jobs.put(job.id(), new JobEntry(job));
        pending.computeIfAbsent(deviceId, k -> new java.util.TreeSet<>()).add(job.id());
        return job;
    }

    @Override
    public synchronized Optional<Job> job(long jobId) {
        JobEntry e = jobs.get(jobId);
        return e == null ? Optional.empty() : Optional.of(e.job);
    }

    @Override
    public synchronized List<Job> jobs(String deviceId, int limit) {
        return jobs.values().stream().map(e -> e.job)
                .filter(j -> deviceId == null || j.deviceId().equals(deviceId))
                .sorted(Comparator.comparingLong(Job::id).reversed()).limit(Math.max(0, limit)).toList();
    }

    @Override
    public synchronized List<Job> claimJobs(String deviceId, String owner, int max, Instant now) {
        List<Job> out = new ArrayList<>();
        java.util.TreeSet<Long> ids = pending.getOrDefault(deviceId, new java.util.TreeSet<>());
        while (out.size() < max && !ids.isEmpty()) {
            JobEntry e = jobs.get(ids.pollFirst());
            e.job = with(e.job, JobState.ACTIVE, now);
            e.owner = owner;
            e.claimed = now;
            out.add(e.job);
        }
        return out;
    }

    @Override
    public synchronized boolean releaseJob(long jobId, String owner, Instant now) {
        JobEntry e = jobs.get(jobId);
        if (e == null || e.job.state() != JobState.ACTIVE || !owner.equals(e.owner)) {
            return false;
        }
        e.job = with(e.job, JobState.PENDING, now);
        e.owner = null;
        e.claimed = null;
        pending.computeIfAbsent(e.job.deviceId(), k -> new java.util.TreeSet<>()).add(jobId);
        return true;
    }

    @Override
    public synchronized void recordResult(OperationResult result) {
        recordResults(List.of(result));
    }

    /** Under the store's lock, so no reader sees a part of the list. */
    @Override
    public synchronized void recordResults(List<OperationResult> results) {
        Map<Long, List<OperationResult>> byJob = new java.util.LinkedHashMap<>();
        for (OperationResult r : results) {
            byJob.computeIfAbsent(r.jobId(), k -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<Long, List<OperationResult>> en : byJob.entrySet()) {
            JobEntry e = jobs.get(en.getKey());
            if (e == null) {
                continue;
            }
            Map<Integer, OperationResult> byIndex = new TreeMap<>();
            for (OperationResult r : e.job.results()) {
                byIndex.put(r.index(), r);
            }
            Instant updated = e.job.updated();
            for (OperationResult r : en.getValue()) {
                byIndex.put(r.index(), r);
                updated = r.time();
            }
            Job j = e.job;
            e.job = new Job(j.id(), j.deviceId(), j.description(), j.state(), j.created(), updated, j.operations(),
                    List.copyOf(byIndex.values()));
        }
    }

    @Override
    public synchronized boolean transitionJob(long jobId, JobState expected, JobState state, Instant now) {
        JobEntry e = jobs.get(jobId);
        if (e == null || e.job.state() != expected) {
            return false;
        }
        e.job = with(e.job, state, now);
        if (expected == JobState.PENDING) {
            pending.getOrDefault(e.job.deviceId(), new java.util.TreeSet<>()).remove(jobId);
        }
        if (state == JobState.PENDING) {
            pending.computeIfAbsent(e.job.deviceId(), k -> new java.util.TreeSet<>()).add(jobId);
        }
        if (state != JobState.ACTIVE) {
            e.owner = null;
            e.claimed = null;
        }
        return true;
    }

    @Override
    public synchronized int interruptStaleClaims(Instant claimedBefore, Instant now) {
        int n = 0;
        for (JobEntry e : jobs.values()) {
            if (e.job.state() == JobState.ACTIVE && e.claimed != null && e.claimed.isBefore(claimedBefore)) {
                e.job = with(e.job, JobState.INTERRUPTED, now);
                e.owner = null;
                e.claimed = null;
                n++;
            }
        }
        return n;
    }

    @Override
    public synchronized void recordAlert(DeviceAlert alert) {
        alerts.add(alert);
        long count = alerts.stream().filter(a -> a.deviceId().equals(alert.deviceId())).count();
        if (count > MAX_ALERTS_PER_DEVICE) {
            for (int i = 0; i < alerts.size(); i++) {
                if (alerts.get(i).deviceId().equals(alert.deviceId())) {
                    alerts.remove(i);
                    break;
                }
            }
        }
    }

    @Override
    public synchronized List<DeviceAlert> alerts(String deviceId, int limit) {
        List<DeviceAlert> out = new ArrayList<>();
        for (int i = alerts.size() - 1; i >= 0 && out.size() < limit; i--) {
            if (alerts.get(i).deviceId().equals(deviceId)) {
                out.add(alerts.get(i));
            }
        }
        return out;
    }

    @Override
    public synchronized boolean insertAsyncExec(AsyncExec exec) {
        if (!jobs.containsKey(exec.jobId()) || !devices.containsKey(exec.deviceId())) {
            return false;
        }
        return asyncExecs.putIfAbsent(List.of(exec.deviceId(), exec.correlator()), exec) == null;
    }

    @Override
    public synchronized Optional<AsyncExec> asyncExec(String deviceId, String correlator) {
        return Optional.ofNullable(asyncExecs.get(List.of(deviceId, correlator)));
    }

    @Override
    public synchronized List<AsyncExec> asyncExecs(long jobId) {
        return asyncExecs.values().stream().filter(e -> e.jobId() == jobId)
                .sorted(Comparator.comparingInt(AsyncExec::index)).toList();
    }

    @Override
    public synchronized List<AsyncExec> overdueAsyncExecs(Instant now, int max) {
        return asyncExecs.values().stream()
                .filter(e -> e.state() == AsyncExec.State.WAITING && !e.deadline().isAfter(now))
                .sorted(Comparator.comparing(AsyncExec::deadline)).limit(Math.max(0, max)).toList();
    }

    @Override
    public synchronized boolean updateAsyncExec(String deviceId, String correlator, AsyncExec.State expected,
            AsyncExec changed) {
        List<String> key = List.of(deviceId, correlator);
        AsyncExec current = asyncExecs.get(key);
        if (current == null || current.state() != expected || current.report() != null) {
            return false;
        }
        asyncExecs.put(key, current.with(changed.state(), changed.report()));
        return true;
    }

    private static Job with(Job j, JobState state, Instant now) {
        return new Job(j.id(), j.deviceId(), j.description(), state, j.created(), now, j.operations(), j.results());
    }

    // ------------------------------------------------------------------ audit log

    @Override
    public synchronized long insertAudit(AuditEntry entry) {
        long id = nextAuditId++;
        audit.put(id, entry.withId(id));
        return id;
    }

    @Override
    public synchronized List<AuditEntry> auditEntries(long before, int limit) {
        java.util.NavigableMap<Long, AuditEntry> older = before <= 0 ? audit : audit.headMap(before, false);
        return older.descendingMap().values().stream().limit(Math.max(0, limit)).toList();
    }

    @Override
    public synchronized int pruneAudit(Instant olderThan, long keepRows) {
        int before = audit.size();
        if (olderThan != null) {
            audit.values().removeIf(e -> e.time().isBefore(olderThan));
        }
        while (keepRows > 0 && audit.size() > keepRows) {
            audit.pollFirstEntry();
        }
        return before - audit.size();
    }
}
