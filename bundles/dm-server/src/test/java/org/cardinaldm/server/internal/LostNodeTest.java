package org.cardinaldm.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.JobState;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.ServerNode;
import org.cardinaldm.server.internal.cluster.NodeMembership;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two server nodes on one registry; one is lost in the middle of a session (it simply stops: no shutdown, no beat,
 * as after {@code kill -9}). The other declares it dead after the lease and releases its claims by what reached the
 * device; the device's next session, on the surviving node, runs what was released, and nothing unsafe runs twice.
 */
class LostNodeTest extends EngineFixture {
    private static final NodeMembership.Settings SETTINGS = new NodeMembership.Settings(Duration.ofSeconds(5),
            Duration.ofSeconds(30), 3, Duration.ofDays(1));
    private static final String BIG = "x".repeat(1200);

    private final AtomicLong nanos = new AtomicLong(1);
    private SessionEngine nodeA;
    private SessionEngine nodeB;
    private NodeMembership a;
    private NodeMembership b;
    private DeviceSim device;
    private Job exec;
    private Job get;
    private Job replace;
    private Job add;

    private NodeMembership join(String id, SessionEngine engine) {
        NodeMembership m = new NodeMembership(store, id, SETTINGS, clock, nanos::get, new SecureRandom(),
                new NodeMembership.Listener() {
                    @Override
                    public void joined(ServerNode self) {
                        engine.claimPrefix(self.claimPrefix());
                    }

                    @Override
                    public void lost(ServerNode self) {
                        engine.abandonSessions("declared dead");
                    }
                });
        m.join();
        return m;
    }

    private SessionEngine engine(String nodeId) {
        ServerConfig c = new ServerConfig(config.serverId(), nodeId, config.maxMessageBytes(), config.maxObjectBytes(),
                config.idleTimeout(), config.maxSessions(), config.maxAuthFailures(), config.lockout(),
                config.maxAuthAttemptsPerSession(), config.maxJobsPerSession(), null, true, null);
        return new SessionEngine(store, c, clock, new SecureRandom(), SyncML::forMediaType);
    }

    private void pass(Duration d) {
        clock.advance(d);
        nanos.addAndGet(d.toNanos());
    }

    @BeforeEach
    void nodes_and_a_device_with_four_jobs() {
        nodeA = engine("nodeA");
        nodeB = engine("nodeB");
        a = join("nodeA", nodeA);
        b = join("nodeB", nodeB);
        DeviceSim registered = device(false, "IMEI:1");
        device = new DeviceSim(nodeA, false, "IMEI:1", registered.password, registered.serverPassword);
        device.clientNonce = registered.clientNonce;
        device.tree.put("./X", "old");
        device.maxMsgSize = 2300; // the first three jobs fit in the first message, the Add does not
        exec = registry.submit("IMEI:1", "reboot", List.of(Operation.exec("./Reboot", null, null)));
        get = registry.submit("IMEI:1", "read", List.of(Operation.get("./DevInfo/Mod")));
        replace = registry.submit("IMEI:1", "set", List.of(Operation.replace("./X", "new", "chr")));
        add = registry.submit("IMEI:1", "create", List.of(Operation.add("./Y", BIG, "chr")));
    }

    /** Package 1 to node A: the answer carries the first commands; the device does not answer yet. */
    private SyncMessage openOnA() {
        DeviceSim onA = device;
        SyncMessage r = onA.send(onA.pkg1(true));
        if (DeviceSim.headerStatus(r).code() == 407 || DeviceSim.headerStatus(r).code() == 401) {
            r = onA.send(onA.pkg1(true));
        }
        assertThat(DeviceSim.managementCommands(r)).hasSize(3);
        assertThat(r.isFinal()).isFalse();
        assertThat(device.token).startsWith("nodeA.");
        return r;
    }

    private JobState state(Job j) {
        return store.job(j.id()).orElseThrow().state();
    }

    private DeviceSim on(SessionEngine engine) {
        DeviceSim d = new DeviceSim(engine, false, device.deviceId, device.password, device.serverPassword);
        d.clientNonce = device.clientNonce;
        d.serverNonce = device.serverNonce;
        d.tree.putAll(device.tree);
        d.sessionId = Integer.toString(Integer.parseInt(device.sessionId) + 1);
        d.execs.addAll(device.execs);
        return d;
    }

    private void loseNodeA() {
        a.tick();
        b.tick();
        pass(Duration.ofSeconds(31)); // node A never beats again
        NodeMembership.Tick t = b.tick();
        assertThat(t.declaredDead()).isEqualTo(1);
    }

    @Test
    void what_never_left_the_lost_node_and_what_is_safe_to_repeat_run_on_the_other_node_the_rest_is_interrupted() {
        openOnA();
        loseNodeA();
        assertThat(state(exec)).isEqualTo(JobState.INTERRUPTED);
        assertThat(state(get)).isEqualTo(JobState.PENDING);
        assertThat(state(replace)).isEqualTo(JobState.PENDING);
        assertThat(state(add)).isEqualTo(JobState.PENDING);

        DeviceSim again = on(nodeB);
        again.runSession();
        assertThat(state(get)).isEqualTo(JobState.SUCCEEDED);
        assertThat(state(replace)).isEqualTo(JobState.SUCCEEDED);
        assertThat(state(add)).isEqualTo(JobState.SUCCEEDED);
        assertThat(state(exec)).isEqualTo(JobState.INTERRUPTED);
        assertThat(again.execs).as("the Exec never reached the device a second time").isEmpty();
        assertThat(again.tree).containsEntry("./X", "new").containsEntry("./Y", BIG);
        assertThat(nodeB.sessions()).isEmpty();
    }

    @Test
    void the_lost_node_still_running_sends_nothing_the_other_node_released() {
        SyncMessage first = openOnA();
        loseNodeA();
        // node A was only paused: the device's answer reaches it before it learns that it was declared dead
        SyncMessage r = device.send(device.answer(first));
        assertThat(r).as("no message: the released Add is not sent").isNull();
        assertThat(device.lastOut.transportStatus()).isEqualTo(503);
        assertThat(device.execs).singleElement().satisfies(e -> assertThat(e).startsWith("./Reboot|"));
        assertThat(state(add)).isEqualTo(JobState.PENDING);
        // its next beat tells node A: its sessions end, it joins again
        a.tick();
        assertThat(nodeA.sessions()).isEmpty();
        assertThat(store.nodes()).filteredOn(n -> n.nodeId().equals("nodeA")).extracting(ServerNode::state)
                .containsExactlyInAnyOrder(ServerNode.State.DEAD, ServerNode.State.ALIVE);

        DeviceSim again = on(nodeB);
        again.runSession();
        assertThat(state(add)).isEqualTo(JobState.SUCCEEDED);
        assertThat(again.tree).containsEntry("./Y", BIG);
        assertThat(again.execs).as("Exec once, by node A").hasSize(1);
        assertThat(state(exec)).isEqualTo(JobState.INTERRUPTED);
        assertThat(store.job(exec.id()).orElseThrow().results()).as("what node A learnt is kept")
                .singleElement().satisfies(x -> assertThat(x.status()).isEqualTo(200));
    }

    @Test
    void a_session_that_ends_normally_leaves_nothing_for_recovery() {
        device.runSession();
        assertThat(List.of(state(exec), state(get), state(replace), state(add))).containsOnly(JobState.SUCCEEDED);
        assertThat(store.claimedJobs()).isEmpty();
        loseNodeA();
        assertThat(List.of(state(exec), state(get), state(replace), state(add))).containsOnly(JobState.SUCCEEDED);
    }

    @Test
    void the_tokens_of_a_node_start_with_its_id_and_its_claims_with_its_incarnation() {
        openOnA();
        assertThat(device.token).matches("nodeA\\.[A-Za-z0-9_-]{22}");
        assertThat(store.claimedJobs()).hasSize(4)
                .allSatisfy(c -> assertThat(c.owner()).startsWith(a.self().claimPrefix()));
        assertThat(store.claimedJobs()).filteredOn(c -> c.dispatched()).extracting(c -> c.jobId())
                .containsExactlyInAnyOrder(exec.id(), get.id(), replace.id());
    }

    @Test
    void a_clean_stop_settles_its_claims_as_a_lost_node_would_and_the_device_gets_the_safe_ones_again() {
        openOnA();
        nodeA.shutdown(true);
        assertThat(nodeA.sessions()).isEmpty();
        java.util.Map<org.cardinaldm.server.internal.cluster.ClaimRecovery.Outcome, Integer> settled =
                a.releaseOwnClaims();
        a.leave();

        assertThat(settled).containsEntry(org.cardinaldm.server.internal.cluster.ClaimRecovery.Outcome.RETRIED, 2)
                .containsEntry(org.cardinaldm.server.internal.cluster.ClaimRecovery.Outcome.INTERRUPTED, 1);
        assertThat(state(exec)).as("sent, not safe to repeat").isEqualTo(JobState.INTERRUPTED);
        assertThat(state(get)).as("sent, safe to repeat").isEqualTo(JobState.PENDING);
        assertThat(state(replace)).isEqualTo(JobState.PENDING);
        assertThat(state(add)).as("never sent").isEqualTo(JobState.PENDING);
        assertThat(store.claimedJobs()).isEmpty();

        DeviceSim again = on(nodeB);
        again.runSession();
        assertThat(state(get)).isEqualTo(JobState.SUCCEEDED);
        assertThat(state(replace)).isEqualTo(JobState.SUCCEEDED);
        assertThat(state(add)).isEqualTo(JobState.SUCCEEDED);
        assertThat(again.execs).as("the Exec never reached the device a second time").isEmpty();
    }

    @Test
    void without_hand_over_a_stop_interrupts_what_was_sent_as_before() {
        openOnA();
        nodeA.shutdown();
        assertThat(state(exec)).isEqualTo(JobState.INTERRUPTED);
        assertThat(state(get)).isEqualTo(JobState.INTERRUPTED);
        assertThat(state(add)).as("never sent").isEqualTo(JobState.PENDING);
        assertThat(a.releaseOwnClaims()).isEmpty();
    }
}
