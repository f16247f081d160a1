package org.cardinaldm.server.api.spi;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.cardinaldm.server.api.AsyncExec;
import org.cardinaldm.server.api.DeviceAlert;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.NotificationRecord;
import org.cardinaldm.server.api.NotificationState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationResult;
import org.cardinaldm.server.api.Device;
import org.cardinaldm.server.api.DeviceSearch;
import org.cardinaldm.server.api.DeviceState;
import org.cardinaldm.server.api.FleetStats;
import org.cardinaldm.server.api.ServerNode;
import org.cardinaldm.server.api.audit.AuditEntry;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Persistence of the DM server. Implementations are thread-safe and, when several server nodes share
 * them, keep {@link #updateDevice} and {@link #claimJobs} atomic across nodes. Failures of the
 * underlying store surface as {@link StoreException}.
 *
 * <h2>Durability</h2>
 * <p>The server never acknowledges what the store could still lose: it calls {@link #sync()} before it sends a
 * device an answer (the answer that acknowledges the device's results, or carries a new nonce, or sends the
 * commands of jobs it claimed) and before an operator's call that changed the registry returns, on the thread that
 * made the changes. Once {@code sync()} returned, every change the calling thread committed through the store
 * survives the end of the server process, {@code kill -9} included (the operating system and the database server,
 * if it runs in a process of its own, stay up; a power loss or a crash of the machine is a matter of the database's
 * own settings, such as PostgreSQL's {@code fsync} and {@code synchronous_commit}). A store may make each change
 * durable before the method returns, and then {@code sync()} has nothing to do (the default), or make them durable
 * later and in groups: dm-server-jdbc on embedded H2 writes the changes of all sessions committed so far with one
 * H2 checkpoint when the first of them calls {@code sync()}, while the others wait for it.
 */
@ConsumerType
public interface ServerStore {
    /**
     * @param deviceId a DevId
     * @return the record, or empty
     */
    Optional<DeviceRecord> device(String deviceId);

    /** @return every device, ordered by DevId */
    List<DeviceRecord> devices();

    /**
     * @param record a new device
     * @return false when the DevId already exists (nothing is changed)
     */
    boolean insertDevice(DeviceRecord record);

    /**
     * Reads, changes and writes one device atomically (no other update of that device interleaves).
     *
     * @param deviceId a DevId
     * @param change computes the new record from the current one; must keep the DevId
     * @return the new record, or empty when the device does not exist
     */
    Optional<DeviceRecord> updateDevice(String deviceId, UnaryOperator<DeviceRecord> change);

    /**
     * Deletes a device with its jobs, results and alerts.
     *
     * @param deviceId a DevId
     * @return false when it did not exist
     */
    boolean deleteDevice(String deviceId);

    /**
     * @param deviceId an existing DevId
     * @param description free text, or null
     * @param operations the operations
     * @param now the submission time
     * @return the new job, {@link JobState#PENDING}, with a new id greater than every earlier one
     * @throws IllegalArgumentException when no device has that DevId (since 1.5 the registry relies on it rather
     *         than reading the device first)
     */
    Job createJob(String deviceId, String description, List<Operation> operations, Instant now);

    /**
     * @param jobId a job id
     * @return the job with its results, or empty
     */
    Optional<Job> job(long jobId);

    /**
     * @param deviceId a DevId, or null for all devices
     * @param limit the most jobs
     * @return jobs with their results, newest first
     */
    List<Job> jobs(String deviceId, int limit);

    /**
     * Moves up to {@code max} pending jobs of a device, oldest first, to {@link JobState#ACTIVE} under
     * an owner. A job is claimed by one owner only, even with several nodes.
     *
     * @param deviceId a DevId
     * @param owner the claiming session (node and session token)
     * @param max the most jobs
     * @param now the claim time
     * @return the claimed jobs, oldest first
     */
    List<Job> claimJobs(String deviceId, String owner, int max, Instant now);

    /**
     * Gives a claimed job back (nothing of it was sent).
     *
     * @param jobId a job id
     * @param owner the owner that claimed it
     * @param now the time
     * @return false when the job is not active under that owner
     */
    boolean releaseJob(long jobId, String owner, Instant now);

    /**
     * Records an answer. A second answer for the same index replaces the first.
     *
     * @param result the answer
     */
    void recordResult(OperationResult result);

    /**
     * Records the answers of one incoming message. Answers are applied in list order, so a later answer
     * for the same job and index replaces an earlier one, as with {@link #recordResult}; answers for
     * unknown jobs are ignored. Stores record the whole list in one transaction: when this method
     * returns every answer is stored, and when it throws none is (answers it would have replaced are
     * kept). The default only calls {@link #recordResult} for each answer in turn, which is not atomic;
     * it keeps stores written before this method working.
     *
     * @param results the answers, possibly of several jobs; possibly empty
     * @throws StoreException when the store fails
     * @since 1.1
     */
    default void recordResults(List<OperationResult> results) {
        for (OperationResult r : results) {
            recordResult(r);
        }
    }

    /**
     * Moves a job to a new state.
     *
     * @param jobId a job id
     * @param expected the state it must be in
     * @param state the new state
     * @param now the time
     * @return false when the job is not in the expected state
     */
    boolean transitionJob(long jobId, JobState expected, JobState state, Instant now);

    /**
     * Ends claims that outlived their sessions (a node stopped): active jobs claimed before the given
     * time become {@link JobState#INTERRUPTED}.
     *
     * @param claimedBefore the limit
     * @param now the time
     * @return how many jobs were interrupted
     */
    int interruptStaleClaims(Instant claimedBefore, Instant now);

    /** @param alert an alert a device sent */
    void recordAlert(DeviceAlert alert);

    /**
     * @param deviceId a DevId
     * @param limit the most alerts
     * @return the device's alerts, newest first
     */
    List<DeviceAlert> alerts(String deviceId, int limit);
    /**
     * Makes every change the calling thread committed through this store durable (changes of other threads may be
     * made durable with them; {@linkplain ServerStore Durability}): when it returns they survive the end of the
     * server process, {@code kill -9} included. The default does nothing, for stores whose changes are durable when
     * their methods return and for stores that keep nothing (in memory).
     *
     * @throws StoreException when the changes cannot be made durable (the caller must not acknowledge them)
     * @since 1.5
     */
    default void sync() {
    }

    // ------------------------------------------------------------------ asynchronous Execs (since 1.3)
    // The defaults keep stores written before 1.3 working: they store nothing, so an Exec answered 202
    // leaves its job ACCEPTED, as before. InMemoryServerStore and dm-server-jdbc implement them.

    /**
     * Records an Exec the device answered 202, {@link AsyncExec.State#WAITING} without report.
     *
     * @param exec the Exec
     * @return false when the device already has an Exec with that Correlator (nothing is changed), or the
     *         store does not keep asynchronous Execs (the default)
     * @throws StoreException when the store fails
     * @since 1.3
     */
    default boolean insertAsyncExec(AsyncExec exec) {
        return false;
    }

    /**
     * @param deviceId a DevId
     * @param correlator a Correlator
     * @return that device's Exec with that Correlator, in any state, or empty
     * @throws StoreException when the store fails
     * @since 1.3
     */
    default Optional<AsyncExec> asyncExec(String deviceId, String correlator) {
        return Optional.empty();
    }

    /**
     * @param jobId a job
     * @return its asynchronous Execs, by operation index
     * @throws StoreException when the store fails
     * @since 1.3
     */
    default List<AsyncExec> asyncExecs(long jobId) {
        return List.of();
    }

    /**
     * @param now the time
     * @param max the most Execs
     * @return Execs still {@link AsyncExec.State#WAITING} whose deadline is not after {@code now}, earliest
     *         deadline first
     * @throws StoreException when the store fails
     * @since 1.3
     */
    default List<AsyncExec> overdueAsyncExecs(Instant now, int max) {
        return List.of();
    }

    /**
     * Changes an Exec atomically, only when it is in the expected state and has no report yet (so two nodes,
     * or a 1226 and the timeout sweeper, never both win; the first report is kept).
     *
     * @param deviceId the DevId the Exec went to
     * @param correlator its Correlator
     * @param expected the state it must be in
     * @param changed the new state and report (its other fields are ignored)
     * @return false when it does not exist, is in another state or already has a report
     * @throws StoreException when the store fails
     * @since 1.3
     */
    default boolean updateAsyncExec(String deviceId, String correlator, AsyncExec.State expected,
            AsyncExec changed) {
        return false;
    }

    // ------------------------------------------------------------------ fleet search and figures (since 1.4)
    // The defaults read devices() (the whole registry); dm-server-jdbc answers in SQL with indexes.

    /**
     * Searches the registry (the rule of {@link DeviceSearch}), ordered by DevId.
     *
     * @param query a {@linkplain DeviceSearch#normalise normalised} search text; empty matches every device
     * @param state the state at {@code now}, or null for every state
     * @param afterDeviceId only DevIds after this one, or null for the first page
     * @param limit the most devices
     * @param now the time the state is computed at
     * @return the devices, at most {@code limit}, ordered by DevId
     * @throws StoreException when the store fails
     * @since 1.4
     */
    default List<DeviceRecord> searchDevices(String query, DeviceState state, String afterDeviceId, int limit,
            Instant now) {
        List<DeviceRecord> out = new java.util.ArrayList<>();
        for (DeviceRecord r : devices()) {
            if (out.size() == limit) {
                break;
            }
            if (afterDeviceId != null && r.deviceId().compareTo(afterDeviceId) <= 0) {
                continue;
            }
            Device d = r.toDevice();
            if ((state == null || d.state(now) == state) && DeviceSearch.matches(d, query)) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * @return how many devices are registered
     * @throws StoreException when the store fails
     * @since 1.4
     */
    default long countDevices() {
        return devices().size();
    }

    /**
     * @param now the current time
     * @param hours the hours of the window, 1 to {@link DeviceSearch#MAX_HOURS}
     * @return devices per state and devices last seen per hour ({@link FleetStats#of})
     * @throws StoreException when the store fails
     * @since 1.4
     */
    default FleetStats fleetStats(Instant now, int hours) {
        return FleetStats.of(devices().stream().map(DeviceRecord::toDevice).toList(), now, hours);
    }

    // ------------------------------------------------------------------ audit log (since 1.4)
    // The defaults keep nothing: a store written before 1.4 has an empty audit log.

    /**
     * Appends an audit entry.
     *
     * @param entry the entry (its id is ignored)
     * @return its new id, greater than every earlier one; 0 when the store keeps no audit log (the default)
     * @throws StoreException when the store fails
     * @since 1.4
     */
    default long insertAudit(AuditEntry entry) {
        return 0;
    }

    /**
     * @param before 0 for the newest entries, else only entries with an id below it
     * @param limit the most entries
     * @return entries newest first
     * @throws StoreException when the store fails
     * @since 1.4
     */
    default List<AuditEntry> auditEntries(long before, int limit) {
        return List.of();
    }

    /**
     * Enforces the audit log's retention: removes entries recorded before {@code olderThan} and all but the
     * newest {@code keepRows}.
     *
     * @param olderThan the oldest time kept, or null for no age limit
     * @param keepRows the most entries kept, or 0 for no row limit
     * @return how many entries were removed
     * @throws StoreException when the store fails
     * @since 1.4
     */
    default int pruneAudit(Instant olderThan, long keepRows) {
        return 0;
    }

    /**
     * The job retention: removes the oldest jobs that ended ({@linkplain org.cardinaldm.server.api.JobState#isTerminal
     * terminal}) before {@code endedBefore}, with their operations and results, at most {@code max} of them. A job
     * the store knows another part of the server still refers to (a firmware campaign's) stays. The caller runs it
     * again while it removes {@code max}.
     *
     * @param endedBefore jobs whose last change is older are removed
     * @param max the most jobs removed by this call (1 or more)
     * @return how many jobs were removed; 0 with the default (a store that keeps every job)
     * @throws StoreException when the store fails
     * @since 1.6
     */
    default int pruneJobs(Instant endedBefore, int max) {
        return 0;
    }

    // ------------------------------------------------------------------ several server nodes (since 1.5)
    // The defaults keep nothing: a store written before 1.5 serves one node; its claims outlive a killed node
    // until interruptStaleClaims, and notifications stay in the memory of the node that sent them.

    /**
     * Registers a node incarnation that joins, {@link ServerNode.State#ALIVE} with no beat yet.
     *
     * @param node the incarnation
     * @return false when the store keeps no node registry (the default)
     * @throws StoreException when the store fails
     * @since 1.5
     */
    default boolean insertNode(ServerNode node) {
        return false;
    }

    /**
     * Counts one beat of a live incarnation.
     *
     * @param nodeId the node
     * @param incarnation its incarnation
     * @param now its clock
     * @return false when the incarnation is no longer {@link ServerNode.State#ALIVE} (another node declared it dead)
     *         or unknown; true with the default (no registry)
     * @throws StoreException when the store fails
     * @since 1.5
     */
    default boolean beatNode(String nodeId, String incarnation, Instant now) {
        return true;
    }

    /**
     * @return every node incarnation the registry keeps, by node id and start
     * @throws StoreException when the store fails
     * @since 1.5
     */
    default List<ServerNode> nodes() {
        return List.of();
    }

    /**
     * Ends an incarnation: {@link ServerNode.State#STOPPED} when it leaves cleanly, {@link ServerNode.State#DEAD}
     * when another node saw its beats stop. Atomic: only an {@code ALIVE} incarnation whose beat count is still
     * {@code beats} changes (so an incarnation that beat meanwhile is not declared dead).
     *
     * @param nodeId the node
     * @param incarnation the incarnation
     * @param beats the beat count it must still have, or -1 for any
     * @param state STOPPED or DEAD
     * @param now the time
     * @return whether it changed
     * @throws StoreException when the store fails
     * @since 1.5
     */
    default boolean endNode(String nodeId, String incarnation, long beats, ServerNode.State state, Instant now) {
        return false;
    }

    /**
     * Forgets incarnations that ended before a time.
     *
     * @param endedBefore the limit
     * @return how many were forgotten
     * @throws StoreException when the store fails
     * @since 1.5
     */
    default int pruneNodes(Instant endedBefore) {
        return 0;
    }

    /**
     * Records that the commands of claimed jobs are about to leave the node (before the message carrying them is
     * answered to the device), so that whoever recovers the claims of a lost node knows which jobs may have
     * reached the device. Atomic with the claims: a job no longer {@code ACTIVE} under {@code owner} (another node
     * released the claim) is not marked, and its commands must not be sent.
     *
     * @param jobIds jobs claimed by {@code owner}
     * @param owner the claiming session
     * @param now the time
     * @return false when one of them is no longer {@code ACTIVE} under {@code owner}; true with the default
     * @throws StoreException when the store fails
     * @since 1.5
     */
    default boolean markDispatched(Collection<Long> jobIds, String owner, Instant now) {
        return true;
    }

    /**
     * @return every {@link JobState#ACTIVE} job with its claim, oldest claim first; empty with the default
     * @throws StoreException when the store fails
     * @since 1.5
     */
    default List<ClaimedJob> claimedJobs() {
        return List.of();
    }

    /**
     * Ends the claim of a session that was lost with its node. Atomic: only while the job is still
     * {@link JobState#ACTIVE} under {@code claim.owner()} and its dispatch mark is still what {@code claim} says
     * (a job marked dispatched meanwhile is not released as unsent). The job becomes {@code state}, without
     * owner; {@link JobState#PENDING} makes it claimable again and, when its commands had been dispatched,
     * counts one recovery. Its results are kept.
     *
     * @param claim the claim as read by {@link #claimedJobs}
     * @param state {@link JobState#PENDING} or {@link JobState#INTERRUPTED}
     * @param now the time
     * @return whether it changed; false with the default
     * @throws StoreException when the store fails
     * @since 1.5
     */
    default boolean releaseClaim(ClaimedJob claim, JobState state, Instant now) {
        return false;
    }

    /**
     * Keeps a package-0 notification, so that every node lists it and answers it.
     *
     * @param record the notification
     * @return its new id, or 0 when the store keeps no notifications (the default: the sending node keeps it in
     *         memory)
     * @throws StoreException when the store fails
     * @since 1.5
     */
    default long insertNotification(NotificationRecord record) {
        return 0;
    }

    /**
     * Replaces a notification only when it is still in the expected state after the expected number of
     * attempts, so that of several nodes retrying at once exactly one wins.
     *
     * @param id its id
     * @param expectedState the state it must be in
     * @param expectedAttempts the attempts it must have
     * @param next the new value
     * @return whether it changed
     * @throws StoreException when the store fails
     * @since 1.5
     */
    default boolean updateNotification(long id, NotificationState expectedState, int expectedAttempts,
            NotificationRecord next) {
        return false;
    }

    /**
     * @param sentBefore the limit
     * @param max the most notifications
     * @return notifications still {@link NotificationState#SENT} whose last sending is before the limit, oldest
     *         first
     * @throws StoreException when the store fails
     * @since 1.5
     */
    default List<StoredNotification> dueNotifications(Instant sentBefore, int max) {
        return List.of();
    }

    /**
     * @param deviceId a DevId, or null for every device
     * @param limit the most notifications
     * @return the kept notifications, newest first
     * @throws StoreException when the store fails
     * @since 1.5
     */
    default List<NotificationRecord> notifications(String deviceId, int limit) {
        return List.of();
    }

    /**
     * A device opened the session a notification asked for: its {@link NotificationState#SENT} notifications with
     * that SessionID become {@link NotificationState#ANSWERED}.
     *
     * @param deviceId the device
     * @param sessionId the SessionID (hex, any case)
     * @return how many changed
     * @throws StoreException when the store fails
     * @since 1.5
     */
    default int answerNotifications(String deviceId, String sessionId) {
        return 0;
    }

    /**
     * Forgets notifications first sent before a time.
     *
     * @param before the limit
     * @return how many were forgotten
     * @throws StoreException when the store fails
     * @since 1.5
     */
    default int pruneNotifications(Instant before) {
        return 0;
    }
}
