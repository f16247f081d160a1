package org.cardinaldm.server.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.NotificationRecord;
import org.cardinaldm.server.api.NotificationState;
import org.cardinaldm.server.api.NotificationUi;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationResult;
import org.cardinaldm.server.api.ServerNode;
import org.cardinaldm.server.api.spi.ClaimedJob;
import org.cardinaldm.server.api.spi.StoredNotification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What several server nodes share in the registry (schema version 6): the node registry, the dispatch marks and
 * releases of claims, the notifications; with two stores (two nodes' pools) on one database for the races.
 */
abstract class NodeRegistryContract {
    static final Instant T0 = StoreContract.T0;

    private ConnectionPool pool;
    private ConnectionPool otherPool;
    JdbcServerStore store;
    /** The same database through another node's pool. */
    JdbcServerStore other;

    abstract ConnectionPool newPool();

    abstract void wipe();

    @BeforeEach
    void open() {
        wipe();
        pool = newPool();
        otherPool = newPool();
        store = JdbcServerStore.open(pool);
        other = JdbcServerStore.open(otherPool);
        store.insertDevice(StoreContract.device("IMEI:1"));
    }

    @AfterEach
    void close() {
        pool.close();
        otherPool.close();
    }

    private static ServerNode node(String id, String incarnation) {
        return new ServerNode(id, incarnation, T0, T0, 0, ServerNode.State.ALIVE, null);
    }

    private ServerNode find(String id, String incarnation) {
        return other.nodes().stream().filter(n -> n.nodeId().equals(id) && n.incarnation().equals(incarnation))
                .findFirst().orElseThrow();
    }

    @Test
    void a_node_beats_and_is_ended_only_while_its_beat_count_is_the_one_observed() {
        assertThat(store.insertNode(node("node1", "inc-a"))).isTrue();
        assertThat(store.insertNode(node("node2", "inc-b"))).isTrue();
        assertThat(store.beatNode("node1", "inc-a", T0.plusSeconds(5))).isTrue();
        assertThat(store.beatNode("node1", "inc-a", T0.plusSeconds(10))).isTrue();
        assertThat(store.beatNode("node1", "unknown", T0)).isFalse();
        ServerNode n1 = find("node1", "inc-a");
        assertThat(n1.beats()).isEqualTo(2);
        assertThat(n1.lastBeat()).isEqualTo(T0.plusSeconds(10));
        assertThat(n1.state()).isEqualTo(ServerNode.State.ALIVE);
        assertThat(n1.ended()).as("alive: not ended").isNull();
        assertThat(n1.started()).isEqualTo(T0);
        assertThat(other.nodes()).extracting(ServerNode::nodeId).containsExactly("node1", "node2");

        assertThat(other.endNode("node1", "inc-a", 1, ServerNode.State.DEAD, T0.plusSeconds(60)))
                .as("it beat since").isFalse();
        assertThat(other.endNode("node1", "inc-a", 2, ServerNode.State.DEAD, T0.plusSeconds(60))).isTrue();
        assertThat(store.endNode("node1", "inc-a", 2, ServerNode.State.DEAD, T0.plusSeconds(61)))
                .as("declared once").isFalse();
        assertThat(store.beatNode("node1", "inc-a", T0.plusSeconds(62))).as("a dead node cannot beat").isFalse();
        assertThat(find("node1", "inc-a").state()).isEqualTo(ServerNode.State.DEAD);
        assertThat(find("node1", "inc-a").ended()).isEqualTo(T0.plusSeconds(60));

        assertThat(store.endNode("node2", "inc-b", -1, ServerNode.State.STOPPED, T0.plusSeconds(70))).isTrue();
        assertThat(store.pruneNodes(T0.plusSeconds(65))).isEqualTo(1);
        assertThat(other.nodes()).extracting(ServerNode::incarnation).containsExactly("inc-b");
        assertThatThrownBy(() -> store.endNode("node2", "inc-b", -1, ServerNode.State.ALIVE, T0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void of_two_nodes_declaring_a_third_dead_at_once_one_wins() throws Exception {
        for (int round = 0; round < 20; round++) {
            String id = "n" + round;
            store.insertNode(node(id, "i"));
            int wins = race(() -> store.endNode(id, "i", 0, ServerNode.State.DEAD, T0),
                    () -> other.endNode(id, "i", 0, ServerNode.State.DEAD, T0));
            assertThat(wins).as("round " + round).isEqualTo(1);
        }
    }

    /** Runs both at once and counts the true results. */
    private static int race(Callable<Boolean> a, Callable<Boolean> b) throws Exception {
        ExecutorService exec = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier start = new CyclicBarrier(2);
            Future<Boolean> fa = exec.submit(() -> {
                start.await();
                return a.call();
            });
            Future<Boolean> fb = exec.submit(() -> {
                start.await();
                return b.call();
            });
            return (fa.get() ? 1 : 0) + (fb.get() ? 1 : 0);
        } finally {
            exec.shutdownNow();
        }
    }

    private Job job(Operation op) {
        return store.createJob("IMEI:1", null, List.of(op), T0);
    }

    private ClaimedJob claimOf(long jobId) {
        return other.claimedJobs().stream().filter(c -> c.jobId() == jobId).findFirst().orElseThrow();
    }

    @Test
    void a_dispatch_mark_counts_only_for_the_claim_that_wrote_it() {
        Job j1 = job(Operation.get("./A"));
        Job j2 = job(Operation.exec("./B", null, null));
        store.claimJobs("IMEI:1", "n/i/s1", 5, T0);
        assertThat(store.markDispatched(List.of(j1.id()), "n/i/s1", T0)).isTrue();
        assertThat(other.claimedJobs()).extracting(ClaimedJob::jobId, ClaimedJob::dispatched, ClaimedJob::owner)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(j1.id(), true, "n/i/s1"),
                        org.assertj.core.groups.Tuple.tuple(j2.id(), false, "n/i/s1"));
        assertThat(store.markDispatched(List.of(j2.id()), "n/i/other", T0)).as("not its claim").isFalse();
        assertThat(store.markDispatched(List.of(), "n/i/other", T0)).isTrue();

        // released as sent, safe to repeat: pending again, one recovery; a later claim starts unmarked
        assertThat(other.releaseClaim(claimOf(j1.id()), JobState.PENDING, T0.plusSeconds(1))).isTrue();
        assertThat(store.job(j1.id()).orElseThrow().state()).isEqualTo(JobState.PENDING);
        store.claimJobs("IMEI:1", "n/i2/s2", 5, T0.plusSeconds(2));
        assertThat(claimOf(j1.id())).satisfies(c -> {
            assertThat(c.owner()).isEqualTo("n/i2/s2");
            assertThat(c.dispatched()).isFalse();
            assertThat(c.recoveries()).isEqualTo(1);
        });
        assertThat(store.markDispatched(List.of(j1.id(), j2.id()), "n/i/s1", T0)).as("j1 is no longer s1's")
                .isFalse();
    }

    @Test
    void a_claim_is_released_only_as_it_was_read() {
        Job exec = job(Operation.exec("./B", null, null));
        store.claimJobs("IMEI:1", "n/i/s1", 5, T0);
        ClaimedJob unsent = claimOf(exec.id());
        assertThat(store.markDispatched(List.of(exec.id()), "n/i/s1", T0)).isTrue();
        assertThat(other.releaseClaim(unsent, JobState.PENDING, T0)).as("marked since it was read").isFalse();
        ClaimedJob sent = claimOf(exec.id());
        store.recordResult(new OperationResult(exec.id(), 0, 200, List.of(), T0));
        assertThat(other.releaseClaim(sent, JobState.INTERRUPTED, T0.plusSeconds(1))).isTrue();
        Job after = store.job(exec.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.INTERRUPTED);
        assertThat(after.results()).as("what the device answered is kept").hasSize(1);
        assertThat(other.claimedJobs()).isEmpty();
        assertThat(other.releaseClaim(sent, JobState.INTERRUPTED, T0)).as("once").isFalse();
        assertThatThrownBy(() -> other.releaseClaim(sent, JobState.SUCCEEDED, T0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_dispatch_mark_and_a_release_as_unsent_never_both_win() throws Exception {
        for (int round = 0; round < 30; round++) {
            Job j = job(Operation.exec("./R" + round, null, null));
            String owner = "n/i/s" + round;
            store.claimJobs("IMEI:1", owner, 5, T0);
            ClaimedJob unsent = claimOf(j.id());
            assertThat(unsent.dispatched()).isFalse();
            int wins = race(() -> store.markDispatched(List.of(j.id()), owner, T0),
                    () -> other.releaseClaim(unsent, JobState.PENDING, T0));
            assertThat(wins).as("round " + round).isEqualTo(1);
            JobState state = store.job(j.id()).orElseThrow().state();
            // either the mark won (still ACTIVE, marked) or the release did (PENDING, and the mark failed)
            if (state == JobState.ACTIVE) {
                assertThat(claimOf(j.id()).dispatched()).isTrue();
                other.releaseClaim(claimOf(j.id()), JobState.INTERRUPTED, T0);
            } else {
                assertThat(state).isEqualTo(JobState.PENDING);
                store.transitionJob(j.id(), JobState.PENDING, JobState.CANCELLED, T0);
            }
        }
    }

    @Test
    void notifications_are_kept_listed_answered_and_pruned() {
        NotificationRecord first = new NotificationRecord("IMEI:1", "1A2B", "udp:127.0.0.1:2948",
                NotificationUi.BACKGROUND, T0, T0, 1, NotificationState.SENT, null);
        long id = store.insertNotification(first);
        assertThat(id).isPositive();
        long second = store.insertNotification(new NotificationRecord("IMEI:1", "FF", "udp:127.0.0.1:2948",
                NotificationUi.INFORMATIVE, T0.plusSeconds(5), T0.plusSeconds(5), 1, NotificationState.SENT,
                "x".repeat(2000)));
        assertThat(second).isGreaterThan(id);
        assertThat(other.notifications("IMEI:1", 10)).extracting(NotificationRecord::sessionId).containsExactly("FF",
                "1A2B");
        assertThat(other.notifications(null, 1)).singleElement()
                .satisfies(r -> assertThat(r.detail()).hasSize(512));
        assertThat(other.notifications("IMEI:2", 10)).isEmpty();
        assertThat(other.dueNotifications(T0.plusSeconds(1), 10)).extracting(StoredNotification::id)
                .containsExactly(id);
        assertThat(other.dueNotifications(T0.plusSeconds(10), 10)).hasSize(2);

        assertThat(other.answerNotifications("IMEI:1", " 1a2b ")).isEqualTo(1);
        assertThat(store.dueNotifications(T0.plusSeconds(10), 10)).extracting(StoredNotification::id)
                .containsExactly(second);
        assertThat(store.notifications("IMEI:1", 10).get(1).state()).isEqualTo(NotificationState.ANSWERED);
        assertThat(store.updateNotification(id, NotificationState.SENT, 1, first)).as("answered meanwhile").isFalse();

        assertThat(store.pruneNotifications(T0.plusSeconds(1))).isEqualTo(1);
        assertThat(store.notifications(null, 10)).extracting(NotificationRecord::sessionId).containsExactly("FF");
        store.deleteDevice("IMEI:1");
        assertThat(store.notifications(null, 10)).as("gone with the device").isEmpty();
    }

    @Test
    void of_two_nodes_retrying_one_notification_at_once_one_sends() throws Exception {
        for (int round = 0; round < 20; round++) {
            NotificationRecord r = new NotificationRecord("IMEI:1", Integer.toHexString(round + 1), "udp:h:1",
                    NotificationUi.BACKGROUND, T0, T0, 1, NotificationState.SENT, null);
            long id = store.insertNotification(r);
            NotificationRecord next = new NotificationRecord(r.deviceId(), r.sessionId(), r.address(), r.ui(),
                    r.firstSent(), T0.plusSeconds(120), 2, NotificationState.SENT, null);
            int wins = race(() -> store.updateNotification(id, NotificationState.SENT, 1, next),
                    () -> other.updateNotification(id, NotificationState.SENT, 1, next));
            assertThat(wins).as("round " + round).isEqualTo(1);
        }
        List<Integer> attempts = new ArrayList<>();
        store.notifications(null, 100).forEach(n -> attempts.add(n.attempts()));
        assertThat(attempts).hasSize(20).containsOnly(2);
    }
}
