package org.cardinaldm.server.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.OperationResult;
import org.cardinaldm.server.api.ServerNode;
import org.cardinaldm.server.api.spi.DeviceRecord;
import org.cardinaldm.server.internal.store.InMemoryServerStore;
import org.cardinaldm.testing.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeMembershipTest {
    private static final NodeMembership.Settings SETTINGS = new NodeMembership.Settings(Duration.ofSeconds(5),
            Duration.ofSeconds(30), 2, Duration.ofDays(1));

    private final MutableClock clock = new MutableClock();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final InMemoryServerStore store = new InMemoryServerStore();
    private final List<String> events = new ArrayList<>();

    @BeforeEach
    void device() {
        store.insertDevice(new DeviceRecord("IMEI:1", null, java.util.Map.of(), null, null, AuthScheme.MD5, "IMEI:1",
                "digest", null, AuthScheme.MD5, "cardinal", "digest", null, null, true, 0, 0, null, null));
    }

    private NodeMembership node(String id) {
        NodeMembership m = new NodeMembership(store, id, SETTINGS, clock, nanos::get, new SecureRandom(),
                new NodeMembership.Listener() {
                    @Override
                    public void joined(ServerNode self) {
                        events.add("joined " + self.nodeId());
                    }

                    @Override
                    public void lost(ServerNode self) {
                        events.add("lost " + self.nodeId() + "/" + self.incarnation());
                    }
                });
        m.join();
        return m;
    }

    private void pass(Duration d) {
        clock.advance(d);
        nanos.addAndGet(d.toNanos());
    }

    private Job job(Operation... ops) {
        return store.createJob("IMEI:1", null, List.of(ops), clock.instant());
    }

    /** Claims the device's pending jobs for a session of {@code node}, marking the given ones dispatched. */
    private String claim(NodeMembership node, Job... dispatched) {
        String owner = node.self().claimPrefix() + "s" + events.size() + "-" + nanos.get();
        store.claimJobs("IMEI:1", owner, 50, clock.instant());
        if (dispatched.length > 0) {
            assertThat(store.markDispatched(java.util.Arrays.stream(dispatched).map(Job::id).toList(), owner,
                    clock.instant())).isTrue();
        }
        return owner;
    }

    private JobState state(Job j) {
        return store.job(j.id()).orElseThrow().state();
    }

    @Test
    void a_node_whose_beats_stop_is_declared_dead_after_the_lease_and_not_before() {
        NodeMembership a = node("a");
        NodeMembership b = node("b");
        a.tick();
        b.tick();
        for (int i = 0; i < 5; i++) { // 25 s of silence from a: within the lease
            pass(Duration.ofSeconds(5));
            assertThat(b.tick().declaredDead()).isZero();
        }
        pass(Duration.ofSeconds(6));
        assertThat(b.tick().declaredDead()).isEqualTo(1);
        assertThat(store.nodes()).filteredOn(n -> n.nodeId().equals("a")).singleElement()
                .satisfies(n -> assertThat(n.state()).isEqualTo(ServerNode.State.DEAD));
        assertThat(store.nodes()).filteredOn(n -> n.nodeId().equals("b")).singleElement()
                .satisfies(n -> assertThat(n.state()).isEqualTo(ServerNode.State.ALIVE));
    }

    @Test
    void a_node_that_keeps_beating_is_never_declared_dead() {
        NodeMembership a = node("a");
        NodeMembership b = node("b");
        for (int i = 0; i < 40; i++) {
            pass(Duration.ofSeconds(5));
            a.tick();
            assertThat(b.tick().declaredDead()).isZero();
        }
        assertThat(store.nodes()).allSatisfy(n -> assertThat(n.state()).isEqualTo(ServerNode.State.ALIVE));
        assertThat(store.nodes()).filteredOn(n -> n.nodeId().equals("a")).singleElement()
                .satisfies(n -> assertThat(n.beats()).isEqualTo(40));
    }

    @Test
    void the_claims_of_a_dead_node_are_released_by_what_reached_the_device() {
        NodeMembership a = node("a");
        NodeMembership b = node("b");
        Job exec = job(Operation.exec("./Reboot", null, null));
        Job get = job(Operation.get("./DevInfo/Mod"));
        Job replace = job(Operation.replace("./X", "1", "chr"));
        Job add = job(Operation.add("./Y", "1", "chr"));
        Job atomicOfReads = job(Operation.sequence(Operation.get("./A"), Operation.atomic(List.of(Operation.replace("./B", "2", "chr")))));
        claim(a, exec, get, replace, atomicOfReads); // add claimed, never sent
        store.recordResult(new OperationResult(get.id(), 0, 200, List.of(), clock.instant()));
        b.tick();
        pass(Duration.ofSeconds(31));
        NodeMembership.Tick t = b.tick();

        assertThat(t.declaredDead()).isEqualTo(1);
        assertThat(t.claimsRecovered()).isEqualTo(5);
        assertThat(state(exec)).isEqualTo(JobState.INTERRUPTED);
        assertThat(state(add)).isEqualTo(JobState.PENDING);
        assertThat(state(get)).isEqualTo(JobState.PENDING);
        assertThat(state(replace)).isEqualTo(JobState.PENDING);
        assertThat(state(atomicOfReads)).isEqualTo(JobState.PENDING);
        assertThat(store.job(get.id()).orElseThrow().results()).as("what the device answered is kept").hasSize(1);
        // another session claims them again, once
        assertThat(store.claimJobs("IMEI:1", b.self().claimPrefix() + "s", 50, clock.instant()))
                .extracting(Job::id).containsExactly(get.id(), replace.id(), add.id(), atomicOfReads.id());
        assertThat(store.claimedJobs()).allSatisfy(c -> assertThat(c.owner()).startsWith(b.self().claimPrefix()));
    }

    @Test
    void a_job_safe_to_repeat_is_retried_a_bounded_number_of_times() {
        NodeMembership watcher = node("w");
        Job get = job(Operation.get("./DevInfo/Mod"));
        for (int round = 0; round < 3; round++) {
            NodeMembership victim = node("v" + round);
            claim(victim, get);
            watcher.tick();
            pass(Duration.ofSeconds(31));
            watcher.tick();
            watcher.tick(); // the claim is released at the tick that declares the node dead
        }
        assertThat(state(get)).as("two retries, then interrupted").isEqualTo(JobState.INTERRUPTED);
        assertThat(store.claimedJobs()).isEmpty();
    }

    @Test
    void a_restarted_node_recovers_the_claims_of_its_previous_run() {
        NodeMembership first = node("solo");
        Job exec = job(Operation.exec("./Reboot", null, null));
        Job get = job(Operation.get("./DevInfo/Mod"));
        claim(first, exec);
        first.tick();
        // kill -9: the first run stops beating; the same node id starts again
        NodeMembership second = node("solo");
        assertThat(second.self().incarnation()).isNotEqualTo(first.self().incarnation());
        second.tick();
        pass(Duration.ofSeconds(20));
        assertThat(second.tick().claimsRecovered()).isZero();
        assertThat(state(exec)).isEqualTo(JobState.ACTIVE);
        pass(Duration.ofSeconds(11));
        assertThat(second.tick().declaredDead()).isEqualTo(1);
        assertThat(state(exec)).isEqualTo(JobState.INTERRUPTED);
        assertThat(state(get)).as("claimed with the other, never sent").isEqualTo(JobState.PENDING);
    }

    @Test
    void a_node_declared_dead_learns_it_at_its_next_beat_and_joins_again() {
        NodeMembership a = node("a");
        NodeMembership b = node("b");
        String first = a.self().incarnation();
        b.tick();
        pass(Duration.ofSeconds(31)); // a paused longer than the lease
        b.tick();
        events.clear();
        a.tick();
        assertThat(events).containsExactly("lost a/" + first, "joined a");
        assertThat(a.self().incarnation()).isNotEqualTo(first);
        assertThat(store.nodes()).filteredOn(n -> n.nodeId().equals("a"))
                .extracting(ServerNode::state).containsExactlyInAnyOrder(ServerNode.State.DEAD, ServerNode.State.ALIVE);
    }

    @Test
    void a_claim_marked_dispatched_meanwhile_is_not_released_as_unsent() {
        NodeMembership a = node("a");
        Job exec = job(Operation.exec("./Reboot", null, null));
        String owner = claim(a);
        var stale = store.claimedJobs().get(0);
        assertThat(stale.dispatched()).isFalse();
        assertThat(store.markDispatched(List.of(exec.id()), owner, clock.instant())).isTrue();
        assertThat(store.releaseClaim(stale, JobState.PENDING, clock.instant())).isFalse();
        assertThat(state(exec)).isEqualTo(JobState.ACTIVE);
        // and the other way round: a released claim can no longer be marked, so its commands are not sent
        var fresh = store.claimedJobs().get(0);
        assertThat(store.releaseClaim(fresh, JobState.INTERRUPTED, clock.instant())).isTrue();
        assertThat(store.markDispatched(List.of(exec.id()), owner, clock.instant())).isFalse();
    }

    @Test
    void claims_of_live_nodes_and_of_servers_before_incarnations_are_left_alone() {
        NodeMembership a = node("a");
        NodeMembership b = node("b");
        Job live = job(Operation.exec("./Reboot", null, null));
        claim(a, live);
        Job legacy = job(Operation.exec("./Other", null, null));
        store.claimJobs("IMEI:1", "old-node/AbCdEf", 1, clock.instant());
        for (int i = 0; i < 20; i++) {
            pass(Duration.ofSeconds(5));
            a.tick();
            b.tick();
        }
        assertThat(state(live)).isEqualTo(JobState.ACTIVE);
        assertThat(state(legacy)).isEqualTo(JobState.ACTIVE);
    }

    @Test
    void claims_of_a_node_declared_dead_by_a_node_that_then_died_too_are_released_at_the_next_sweep() {
        NodeMembership watcher = node("w");
        NodeMembership victim = node("v");
        Job exec = job(Operation.exec("./Reboot", null, null));
        claim(victim, exec);
        watcher.tick();
        // another node declared v dead and stopped before releasing anything
        assertThat(store.endNode("v", victim.self().incarnation(), -1, ServerNode.State.DEAD, clock.instant())).isTrue();
        int ticks = 0;
        while (state(exec) == JobState.ACTIVE && ticks < NodeMembership.SWEEP_EVERY + 1) {
            pass(Duration.ofSeconds(5));
            watcher.tick();
            ticks++;
        }
        assertThat(state(exec)).isEqualTo(JobState.INTERRUPTED);
        assertThat(ticks).isLessThanOrEqualTo(NodeMembership.SWEEP_EVERY);
    }

    @Test
    void a_claim_of_an_incarnation_no_longer_listed_is_released_and_a_steady_cluster_reads_no_claims() {
        NodeMembership a = node("a");
        Job get = job(Operation.get("./DevInfo/Mod"));
        store.claimJobs("IMEI:1", "gone/Inc0/s1", 5, clock.instant());
        assertThat(a.tick().claimsRecovered()).as("the first tick sweeps").isEqualTo(1);
        assertThat(state(get)).isEqualTo(JobState.PENDING);
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        InMemoryServerStore other = new InMemoryServerStore();
        org.cardinaldm.server.api.spi.ServerStore counting = (org.cardinaldm.server.api.spi.ServerStore)
                java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {org.cardinaldm.server.api.spi.ServerStore.class}, (proxy, method, args) -> {
                            if (method.getName().equals("claimedJobs")) {
                                reads.incrementAndGet();
                            }
                            try {
                                return method.invoke(other, args);
                            } catch (java.lang.reflect.InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
        NodeMembership b = new NodeMembership(counting, "b", SETTINGS, clock, nanos::get, new SecureRandom(),
                new NodeMembership.Listener() {
                    @Override
                    public void joined(ServerNode self) {
                    }

                    @Override
                    public void lost(ServerNode self) {
                    }
                });
        b.join();
        for (int i = 0; i < 2 * NodeMembership.SWEEP_EVERY; i++) {
            b.tick();
        }
        assertThat(reads).as("one sweep per " + NodeMembership.SWEEP_EVERY + " ticks").hasValue(2);
    }

    @Test
    void a_node_that_leaves_is_stopped_and_its_rows_are_pruned_later() {
        NodeMembership a = node("a");
        NodeMembership b = node("b");
        a.leave();
        assertThat(store.nodes()).filteredOn(n -> n.nodeId().equals("a")).singleElement()
                .satisfies(n -> assertThat(n.state()).isEqualTo(ServerNode.State.STOPPED));
        pass(Duration.ofDays(2));
        for (int i = 0; i < 100; i++) {
            b.tick();
        }
        assertThat(store.nodes()).extracting(ServerNode::nodeId).containsExactly("b");
    }

    @Test
    void the_owner_prefix_is_read_only_from_owners_with_an_incarnation() {
        assertThat(NodeMembership.incarnationPrefix("node1/AbC/xyz")).isEqualTo("node1/AbC/");
        assertThat(NodeMembership.incarnationPrefix("node1/xyz")).isNull();
        assertThat(NodeMembership.incarnationPrefix("node1//xyz")).isNull();
        assertThat(NodeMembership.incarnationPrefix("node1/AbC/")).isNull();
        assertThat(NodeMembership.incarnationPrefix("/AbC/x")).isNull();
    }

    @Test
    void a_lease_shorter_than_three_heartbeats_is_refused() {
        assertThatThrownBy(() -> new NodeMembership.Settings(Duration.ofSeconds(5), Duration.ofSeconds(14), 3,
                Duration.ofDays(1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("three");
        assertThatThrownBy(() -> new NodeMembership.Settings(Duration.ZERO, Duration.ofSeconds(14), 3,
                Duration.ofDays(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NodeMembership.Settings(Duration.ofSeconds(1), Duration.ofSeconds(3), -1,
                Duration.ofDays(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_store_without_node_registry_leaves_everything_as_before() {
        var plain = new org.cardinaldm.server.api.spi.ServerStore() {
            // only what membership touches; everything else is never called
            @Override public java.util.Optional<DeviceRecord> device(String deviceId) { throw new AssertionError(); }
            @Override public List<DeviceRecord> devices() { throw new AssertionError(); }
            @Override public boolean insertDevice(DeviceRecord record) { throw new AssertionError(); }
            @Override public java.util.Optional<DeviceRecord> updateDevice(String id,
                    java.util.function.UnaryOperator<DeviceRecord> c) { throw new AssertionError(); }
            @Override public boolean deleteDevice(String deviceId) { throw new AssertionError(); }
            @Override public Job createJob(String d, String desc, List<Operation> o, java.time.Instant n) {
                throw new AssertionError(); }
            @Override public java.util.Optional<Job> job(long jobId) { throw new AssertionError(); }
            @Override public List<Job> jobs(String deviceId, int limit) { throw new AssertionError(); }
            @Override public List<Job> claimJobs(String d, String o, int m, java.time.Instant n) {
                throw new AssertionError(); }
            @Override public boolean releaseJob(long j, String o, java.time.Instant n) { throw new AssertionError(); }
            @Override public void recordResult(OperationResult result) { throw new AssertionError(); }
            @Override public boolean transitionJob(long j, JobState e, JobState s, java.time.Instant n) {
                throw new AssertionError(); }
            @Override public int interruptStaleClaims(java.time.Instant c, java.time.Instant n) {
                throw new AssertionError(); }
            @Override public void recordAlert(org.cardinaldm.server.api.DeviceAlert alert) { throw new AssertionError(); }
            @Override public List<org.cardinaldm.server.api.DeviceAlert> alerts(String d, int l) {
                throw new AssertionError(); }
        };
        NodeMembership m = new NodeMembership(plain, "x", SETTINGS, clock, nanos::get, new SecureRandom(),
                new NodeMembership.Listener() {
                    @Override
                    public void joined(ServerNode self) {
                        events.add("joined");
                    }

                    @Override
                    public void lost(ServerNode self) {
                        events.add("lost");
                    }
                });
        assertThat(m.join()).isFalse();
        assertThat(m.active()).isFalse();
        assertThat(events).containsExactly("joined");
        assertThat(m.tick().declaredDead()).isZero();
    }

    @Test
    void a_stopping_node_that_cannot_read_its_claims_leaves_them_to_the_sweep_of_another_node() {
        org.cardinaldm.server.api.spi.ServerStore failing = (org.cardinaldm.server.api.spi.ServerStore)
                java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {org.cardinaldm.server.api.spi.ServerStore.class}, (proxy, method, args) -> {
                            if (method.getName().equals("claimedJobs")) {
                                throw new org.cardinaldm.server.api.spi.StoreException("registry unreachable");
                            }
                            try {
                                return method.invoke(store, args);
                            } catch (java.lang.reflect.InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
        NodeMembership stopping = new NodeMembership(failing, "stopping", SETTINGS, clock, nanos::get,
                new SecureRandom(), new NodeMembership.Listener() {
                    @Override
                    public void joined(ServerNode self) {
                    }

                    @Override
                    public void lost(ServerNode self) {
                    }
                });
        stopping.join();
        Job get = job(Operation.get("./A"));
        claim(stopping, get);

        assertThat(stopping.releaseOwnClaims()).as("nothing settled, nothing thrown").isEmpty();
        assertThat(state(get)).as("still claimed, for the next sweep").isEqualTo(JobState.ACTIVE);
    }
}
