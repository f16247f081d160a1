package org.cardinaldm.server.jdbc.internal;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.NotificationRecord;
import org.cardinaldm.server.api.NotificationState;
import org.cardinaldm.server.api.ServerNode;
import org.cardinaldm.server.api.spi.ClaimedJob;
import org.cardinaldm.server.api.spi.ServerStore;
import org.cardinaldm.server.api.spi.StoredNotification;

/**
 * The part of the JDBC registry that several server nodes share beyond devices and jobs (schema version 6): the
 * node registry with its beats ({@link NodeSql}), the dispatch marks and claims a node recovering a lost node reads
 * and releases ({@link ClaimSql}), and the package-0 notifications ({@link NotificationSql}). Each method is one
 * transaction ({@link Transactions}); what it changes is reported to the store's {@link Durability}, so that
 * {@link ServerStore#sync} covers it (a dispatch mark must be on disk before the commands it announces leave).
 * {@link JdbcServerStore} extends it, so that this part and the devices and jobs stay apart.
 */
abstract class JdbcNodeRegistry implements ServerStore {
    private final ConnectionPool pool;
    private final Durability durability;

    JdbcNodeRegistry(ConnectionPool pool, Durability durability) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.durability = Objects.requireNonNull(durability, "durability");
    }

    private <T> T run(String what, Transactions.Work<T> work) {
        return Transactions.run(pool, what, work);
    }

    /** A transaction that changes something, durable once {@link ServerStore#sync} returned. */
    private <T> T write(String what, Transactions.Work<T> work) {
        return Transactions.run(pool, durability, what, work, r -> true);
    }

    @Override
    public boolean insertNode(ServerNode node) {
        return write("registration of a node", c -> NodeSql.insert(c, node));
    }

    @Override
    public boolean beatNode(String nodeId, String incarnation, Instant now) {
        return write("beat of a node", c -> NodeSql.beat(c, nodeId, incarnation, now));
    }

    @Override
    public List<ServerNode> nodes() {
        return run("list of nodes", NodeSql::list);
    }

    @Override
    public boolean endNode(String nodeId, String incarnation, long beats, ServerNode.State state, Instant now) {
        return write("end of a node", c -> NodeSql.end(c, nodeId, incarnation, beats, state, now));
    }

    @Override
    public int pruneNodes(Instant endedBefore) {
        return write("pruning of nodes", c -> NodeSql.prune(c, endedBefore));
    }

    @Override
    public boolean markDispatched(Collection<Long> jobIds, String owner, Instant now) {
        return jobIds.isEmpty() || write("dispatch mark of jobs", c -> ClaimSql.markDispatched(c, jobIds, owner));
    }

    @Override
    public List<ClaimedJob> claimedJobs() {
        return run("list of claimed jobs", ClaimSql::claimed);
    }

    @Override
    public boolean releaseClaim(ClaimedJob claim, JobState state, Instant now) {
        return write("release of a claim", c -> ClaimSql.release(c, claim, state, now));
    }

    @Override
    public long insertNotification(NotificationRecord record) {
        return write("record of a notification", c -> NotificationSql.insert(c, record));
    }

    @Override
    public boolean updateNotification(long id, NotificationState expectedState, int expectedAttempts,
            NotificationRecord next) {
        return write("change of a notification", c -> NotificationSql.update(c, id, expectedState, expectedAttempts,
                next));
    }

    @Override
    public List<StoredNotification> dueNotifications(Instant sentBefore, int max) {
        return run("list of due notifications", c -> NotificationSql.due(c, sentBefore, max));
    }

    @Override
    public List<NotificationRecord> notifications(String deviceId, int limit) {
        return run("list of notifications", c -> NotificationSql.list(c, deviceId, limit));
    }

    @Override
    public int answerNotifications(String deviceId, String sessionId) {
        return write("answer of a notification", c -> NotificationSql.answer(c, deviceId, sessionId));
    }

    @Override
    public int pruneNotifications(Instant before) {
        return write("pruning of notifications", c -> NotificationSql.prune(c, before));
    }
}
