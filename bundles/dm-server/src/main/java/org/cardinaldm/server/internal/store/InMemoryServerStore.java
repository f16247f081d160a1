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
import org.cardinaldm.server.api.NotificationRecord;
import org.cardinaldm.server.api.NotificationState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationResult;
import org.cardinaldm.server.api.ServerNode;
import org.cardinaldm.server.api.audit.AuditEntry;
import org.cardinaldm.server.api.spi.ClaimedJob;
import org.cardinaldm.server.api.spi.DeviceRecord;
import org.cardinaldm.server.api.spi.ServerStore;
import org.cardinaldm.server.api.spi.StoredNotification;

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

    /** Node incarnations by node id and incarnation. */
    private final Map<List<String>, ServerNode> nodes = new java.util.LinkedHashMap<>();
    /** Package-0 notifications by id. */
    private final java.util.NavigableMap<Long, NotificationRecord> notifications = new TreeMap<>();
    private long nextNotificationId = 1;

    private static final class JobEntry {
        Job job;
        String owner;
        Instant claimed;
        /** The owner that marked the job dispatched (a mark of an earlier claim does not count). */
        String dispatchedBy;
        int recoveries;

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
        notifications.values().removeIf(r -> r.deviceId().equals(deviceId));
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

    // ------------------------------------------------------------------ several nodes

    @Override
    public synchronized boolean insertNode(ServerNode node) {
        nodes.put(List.of(node.nodeId(), node.incarnation()), node);
        return true;
    }

    @Override
    public synchronized boolean beatNode(String nodeId, String incarnation, Instant now) {
        List<String> key = List.of(nodeId, incarnation);
        ServerNode n = nodes.get(key);
        if (n == null || n.state() != ServerNode.State.ALIVE) {
            return false;
        }
        nodes.put(key, new ServerNode(nodeId, incarnation, n.started(), now, n.beats() + 1, n.state(), null));
        return true;
    }

    @Override
    public synchronized List<ServerNode> nodes() {
        return nodes.values().stream().sorted(Comparator.comparing(ServerNode::nodeId)
                .thenComparing(ServerNode::started)).toList();
    }

    @Override
    public synchronized boolean endNode(String nodeId, String incarnation, long beats, ServerNode.State state,
            Instant now) {
        List<String> key = List.of(nodeId, incarnation);
        ServerNode n = nodes.get(key);
        if (n == null || n.state() != ServerNode.State.ALIVE || (beats >= 0 && n.beats() != beats)) {
            return false;
        }
        nodes.put(key, new ServerNode(nodeId, incarnation, n.started(), n.lastBeat(), n.beats(), state, now));
        return true;
    }

    @Override
    public synchronized int pruneNodes(Instant endedBefore) {
        int before = nodes.size();
        nodes.values().removeIf(n -> n.ended() != null && n.ended().isBefore(endedBefore));
        return before - nodes.size();
    }

    @Override
    public synchronized boolean markDispatched(java.util.Collection<Long> jobIds, String owner, Instant now) {
        boolean all = true;
        for (long id : jobIds) {
            JobEntry e = jobs.get(id);
            if (e == null || e.job.state() != JobState.ACTIVE || !owner.equals(e.owner)) {
                all = false;
            } else {
                e.dispatchedBy = owner;
            }
        }
        return all;
    }

    @Override
    public synchronized List<ClaimedJob> claimedJobs() {
        List<ClaimedJob> out = new ArrayList<>();
        for (JobEntry e : jobs.values()) {
            if (e.job.state() == JobState.ACTIVE && e.owner != null) {
                out.add(new ClaimedJob(e.job.id(), e.job.deviceId(), e.owner, e.claimed,
                        e.owner.equals(e.dispatchedBy), e.recoveries));
            }
        }
        out.sort(Comparator.comparing(ClaimedJob::claimed));
        return out;
    }

    @Override
    public synchronized boolean releaseClaim(ClaimedJob claim, JobState state, Instant now) {
        if (state != JobState.PENDING && state != JobState.INTERRUPTED) {
            throw new IllegalArgumentException("a claim is released to PENDING or INTERRUPTED, not " + state);
        }
        JobEntry e = jobs.get(claim.jobId());
        if (e == null || e.job.state() != JobState.ACTIVE || !claim.owner().equals(e.owner)
                || claim.dispatched() != claim.owner().equals(e.dispatchedBy)) {
            return false;
        }
        e.job = with(e.job, state, now);
        e.owner = null;
        e.claimed = null;
        if (state == JobState.PENDING) {
            if (claim.dispatched()) {
                e.recoveries++;
            }
            pending.computeIfAbsent(e.job.deviceId(), k -> new java.util.TreeSet<>()).add(e.job.id());
        }
        return true;
    }

    @Override
    public synchronized long insertNotification(NotificationRecord record) {
        long id = nextNotificationId++;
        notifications.put(id, record);
        return id;
    }

    @Override
    public synchronized boolean updateNotification(long id, NotificationState expectedState, int expectedAttempts,
            NotificationRecord next) {
        NotificationRecord r = notifications.get(id);
        if (r == null || r.state() != expectedState || r.attempts() != expectedAttempts) {
            return false;
        }
        notifications.put(id, next);
        return true;
    }

    @Override
    public synchronized List<StoredNotification> dueNotifications(Instant sentBefore, int max) {
        return notifications.entrySet().stream()
                .filter(e -> e.getValue().state() == NotificationState.SENT && e.getValue().lastSent().isBefore(sentBefore))
                .sorted(Comparator.comparing(e -> e.getValue().lastSent())).limit(Math.max(0, max))
                .map(e -> new StoredNotification(e.getKey(), e.getValue())).toList();
    }

    @Override
    public synchronized List<NotificationRecord> notifications(String deviceId, int limit) {
        return notifications.descendingMap().values().stream()
                .filter(r -> deviceId == null || r.deviceId().equals(deviceId)).limit(Math.max(0, limit)).toList();
    }

    @Override
    public synchronized int answerNotifications(String deviceId, String sessionId) {
        int n = 0;
        for (Map.Entry<Long, NotificationRecord> e : notifications.entrySet()) {
            NotificationRecord r = e.getValue();
            if (r.state() == NotificationState.SENT && r.deviceId().equals(deviceId)
                    && r.sessionId().equalsIgnoreCase(sessionId.trim())) {
                e.setValue(r.with(NotificationState.ANSWERED, null));
                n++;
            }
        }
        return n;
    }

    @Override
    public synchronized int pruneNotifications(Instant before) {
        int n = notifications.size();
        notifications.values().removeIf(r -> r.firstSent().isBefore(before));
        return n - notifications.size();
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
    public synchronized int pruneJobs(Instant endedBefore, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be 1 or more");
        }
        java.util.Set<Long> gone = new java.util.HashSet<>();
        for (JobEntry e : jobs.values()) {
            if (gone.size() >= max) {
                break;
            }
            if (e.job.state().isTerminal() && e.job.updated().isBefore(endedBefore)) {
                gone.add(e.job.id());
            }
        }
        jobs.keySet().removeAll(gone);
        asyncExecs.values().removeIf(x -> gone.contains(x.jobId()));
        return gone.size();
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
