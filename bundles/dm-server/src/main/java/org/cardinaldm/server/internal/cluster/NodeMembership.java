package org.cardinaldm.server.internal.cluster;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;

import org.cardinaldm.server.api.ServerNode;
import org.cardinaldm.server.api.spi.ClaimedJob;
import org.cardinaldm.server.api.spi.ServerStore;
import org.cardinaldm.server.api.spi.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's place among the server nodes that share one registry: it joins as a new incarnation, beats, watches
 * the other incarnations' beats, declares lost an incarnation whose beats stopped for the lease, and recovers the
 * job claims no live incarnation holds ({@link ClaimRecovery}). The same runs with one node: after a {@code kill -9}
 * the restarted node finds its previous incarnation alive in the registry, sees its beats stop, and recovers its
 * claims the same way.
 *
 * <p><b>Lease without clocks.</b> A node is never judged by comparing its clock with another's: each node counts
 * its beats in the registry, and an observer declares an incarnation dead when it saw the count unchanged for the
 * lease on its own monotonic clock. Declaring it dead is conditional on the count still being the one observed
 * ({@link ServerStore#endNode}), so a node that beat meanwhile is not declared. A node's claims are recovered
 * at most {@code lease + 2 × heartbeat} after its last beat. The claims are read at the tick that declares a node dead
 * and every {@value #SWEEP_EVERY} ticks (claims of an incarnation another node declared dead, or that is no longer
 * listed), so that a steady cluster costs one beat and one read of the node table per tick.
 *
 * <p><b>Fencing.</b> A node declared dead that is in fact alive (a pause longer than the lease) learns it at its
 * next beat, which the registry refuses: its sessions end without touching their jobs again and it joins again as a
 * new incarnation. Until then, the registry keeps it from sending a job another node released: a job's commands
 * leave a node only after its dispatch mark is written, which requires the claim to be still its own
 * ({@link ServerStore#markDispatched}); and a claim is released as unsent only while it has no dispatch mark.
 *
 * <p>Not thread-safe: {@link #join()}, {@link #tick()} and {@link #leave()} run on one thread (the server's timer).
 */
public final class NodeMembership {
    private static final Logger LOG = LoggerFactory.getLogger(NodeMembership.class);
    /** Prune ended incarnations every this many ticks. */
    private static final int PRUNE_EVERY = 100;
    /** Look at every claim every this many ticks even when no node was declared dead (1 min at 5 s beats). */
    static final int SWEEP_EVERY = 12;

    /**
     * The timing of the node registry.
     *
     * @param heartbeat how often a node beats (and looks at the others)
     * @param lease how long an incarnation's beats may stay unchanged before it is declared dead; at least three
     *        heartbeats
     * @param maxRecoveries how many times a job that may have reached its device goes back to pending after its
     *        node was lost
     * @param keepEnded how long stopped and dead incarnations stay listed
     */
    public record Settings(Duration heartbeat, Duration lease, int maxRecoveries, Duration keepEnded) {
        /** 5 s beats, a 30 s lease, 3 recoveries, ended incarnations listed for a day. */
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(5), Duration.ofSeconds(30), 3,
                Duration.ofDays(1));

        /** Checks the values. */
        public Settings {
            Objects.requireNonNull(heartbeat, "heartbeat");
            Objects.requireNonNull(lease, "lease");
            Objects.requireNonNull(keepEnded, "keepEnded");
            if (heartbeat.isNegative() || heartbeat.isZero()) {
                throw new IllegalArgumentException("node.heartbeat must be positive");
            }
            if (lease.compareTo(heartbeat.multipliedBy(3)) < 0) {
                throw new IllegalArgumentException("node.lease must be at least three heartbeats (" + lease
                        + " < 3 x " + heartbeat + ")");
            }
            if (maxRecoveries < 0) {
                throw new IllegalArgumentException("job.recovery.max must not be negative");
            }
        }
    }

    /** Told when this node joins (again) and when it learns that it was declared dead. */
    public interface Listener {
        /**
         * This node joined as a new incarnation: its sessions claim under the incarnation's prefix from now on.
         *
         * @param self the incarnation
         */
        void joined(ServerNode self);

        /**
         * Another node declared this incarnation dead and released its claims: its sessions must end without
         * touching their jobs. {@link #joined} follows with the new incarnation.
         *
         * @param self the incarnation declared dead
         */
        void lost(ServerNode self);
    }

    /** What one tick saw and did. */
    public record Tick(int declaredDead, Map<ClaimRecovery.Outcome, Integer> recovered) {
        /** @return how many claims changed */
        public int claimsRecovered() {
            return recovered.entrySet().stream().filter(e -> e.getKey() != ClaimRecovery.Outcome.UNCHANGED)
                    .mapToInt(Map.Entry::getValue).sum();
        }
    }

    private record Observation(long beats, long sinceNanos) {
    }

    private final ServerStore store;
    private final String nodeId;
    private final Settings settings;
    private final Clock clock;
    private final LongSupplier nanos;
    private final SecureRandom random;
    private final Listener listener;
    private final ClaimRecovery recovery;
    private final Map<String, Observation> observed = new HashMap<>();
    private ServerNode self;
    private boolean kept;
    private long ticks;

    /**
     * @param store the registry
     * @param nodeId this node's id ({@code node.id})
     * @param settings the timing
     * @param clock the time written in the registry
     * @param nanos the monotonic clock the lease is measured on ({@code System::nanoTime})
     * @param random the source of incarnation ids
     * @param listener told of joins and of this node being declared dead
     */
    public NodeMembership(ServerStore store, String nodeId, Settings settings, Clock clock, LongSupplier nanos,
            SecureRandom random, Listener listener) {
        this.store = Objects.requireNonNull(store, "store");
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nanos = Objects.requireNonNull(nanos, "nanos");
        this.random = Objects.requireNonNull(random, "random");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.recovery = new ClaimRecovery(store, settings.maxRecoveries());
    }

    /** @return this node's current incarnation, or null before {@link #join()} */
    public ServerNode self() {
        return self;
    }

    /** @return whether the registry keeps nodes (false: a store without a node registry; nothing to do) */
    public boolean active() {
        return kept;
    }

    /**
     * Joins the registry as a new incarnation and tells the listener.
     *
     * @return whether the registry keeps nodes
     * @throws StoreException when the registry cannot be reached
     */
    public boolean join() {
        byte[] id = new byte[6];
        random.nextBytes(id);
        Instant now = clock.instant();
        ServerNode next = new ServerNode(nodeId, Base64.getUrlEncoder().withoutPadding().encodeToString(id), now, now,
                0, ServerNode.State.ALIVE, null);
        kept = store.insertNode(next);
        self = next;
        listener.joined(next);
        if (kept) {
            LOG.info("Node {} joined the registry (incarnation {}, lease {} s)", nodeId, next.incarnation(),
                    settings.lease().toSeconds());
        }
        return kept;
    }

    /**
     * One heartbeat: beats, looks at the other incarnations, declares dead those whose beats stayed unchanged for
     * the lease, and recovers the claims no live incarnation holds. Failures of the registry are logged and the
     * tick skipped (the next one tries again).
     *
     * @return what it did
     */
    public Tick tick() {
        Map<ClaimRecovery.Outcome, Integer> recovered = new EnumMap<>(ClaimRecovery.Outcome.class);
        try {
            if (self == null) {
                join(); // the registry was unreachable when the node started
            }
            if (!kept) {
                return new Tick(0, recovered);
            }
            return doTick(recovered);
        } catch (StoreException e) {
            LOG.warn("Node {}: heartbeat skipped, registry unavailable: {}", nodeId, e.getMessage());
            return new Tick(0, recovered);
        }
    }

    private Tick doTick(Map<ClaimRecovery.Outcome, Integer> recovered) {
        Instant now = clock.instant();
        if (!store.beatNode(nodeId, self.incarnation(), now)) {
            ServerNode lost = self;
            LOG.error("Node {} (incarnation {}) was declared dead by another node, which released its sessions' jobs "
                    + "(no beat reached the registry for {} s); its sessions end and it joins again", nodeId,
                    lost.incarnation(), settings.lease().toSeconds());
            listener.lost(lost);
            join();
        }
        List<ServerNode> nodes = store.nodes();
        long t = nanos.getAsLong();
        long lease = settings.lease().toNanos();
        Set<String> listed = new HashSet<>();
        int dead = 0;
        for (ServerNode n : nodes) {
            String key = n.claimPrefix();
            listed.add(key);
            if (n.state() != ServerNode.State.ALIVE || key.equals(self.claimPrefix())) {
                continue;
            }
            Observation o = observed.get(key);
            if (o == null || o.beats() != n.beats()) {
                observed.put(key, new Observation(n.beats(), t));
            } else if (t - o.sinceNanos() >= lease
                    && store.endNode(n.nodeId(), n.incarnation(), n.beats(), ServerNode.State.DEAD, now)) {
                dead++;
                LOG.warn("Node {} (incarnation {}) declared dead: its beat count stayed at {} for {} s; its sessions' "
                        + "job claims are released", n.nodeId(), n.incarnation(), n.beats(), settings.lease().toSeconds());
            }
        }
        observed.keySet().retainAll(listed);
        ticks++;
        if (dead > 0 || ticks % SWEEP_EVERY == 1) {
            recoverLostClaims(now, recovered);
        }
        if (ticks % PRUNE_EVERY == 0) {
            store.pruneNodes(now.minus(settings.keepEnded()));
        }
        return new Tick(dead, recovered);
    }

    /**
     * Releases the claims no live incarnation holds. The claims are read before the node table: a claim read here was
     * made by an incarnation that had joined before it, so it is in the table read after.
     */
    private void recoverLostClaims(Instant now, Map<ClaimRecovery.Outcome, Integer> recovered) {
        List<ClaimedJob> claims = store.claimedJobs();
        if (claims.isEmpty()) {
            return;
        }
        Set<String> alive = new HashSet<>();
        for (ServerNode n : store.nodes()) {
            if (n.state() == ServerNode.State.ALIVE) {
                alive.add(n.claimPrefix());
            }
        }
        alive.add(self.claimPrefix());
        Map<String, int[]> perPrefix = new HashMap<>();
        for (ClaimedJob c : claims) {
            String prefix = incarnationPrefix(c.owner());
            if (prefix == null || alive.contains(prefix)) {
                continue; // a live session's, or an owner written before incarnations (interruptStaleClaims)
            }
            ClaimRecovery.Outcome o = recovery.recover(c, now);
            recovered.merge(o, 1, Integer::sum);
            perPrefix.computeIfAbsent(prefix, k -> new int[ClaimRecovery.Outcome.values().length])[o.ordinal()]++;
        }
        perPrefix.forEach((prefix, counts) -> LOG.info("Job claims of the lost incarnation {} released: {} never sent "
                + "back to pending, {} sent and safe to repeat back to pending, {} sent and interrupted", prefix,
                counts[ClaimRecovery.Outcome.REQUEUED_UNSENT.ordinal()], counts[ClaimRecovery.Outcome.RETRIED.ordinal()],
                counts[ClaimRecovery.Outcome.INTERRUPTED.ordinal()]));
    }

    /**
     * Settles the job claims of this incarnation's sessions as the recovery of a lost node would ({@link ClaimRecovery}):
     * called when the node stops cleanly, after its sessions ended and left the jobs that may have reached their
     * devices claimed ({@code SessionEngine#shutdown(boolean)}), so that a clean stop retries what is safe to repeat
     * instead of interrupting it.
     *
     * @return how many claims were settled, by outcome
     */
    public Map<ClaimRecovery.Outcome, Integer> releaseOwnClaims() {
        Map<ClaimRecovery.Outcome, Integer> out = new EnumMap<>(ClaimRecovery.Outcome.class);
        if (self == null) {
            return out;
        }
        String prefix = self.claimPrefix();
        Instant now = clock.instant();
        try {
            for (ClaimedJob c : store.claimedJobs()) {
                if (prefix.equals(incarnationPrefix(c.owner()))) {
                    out.merge(recovery.recover(c, now), 1, Integer::sum);
                }
            }
            store.sync();
        } catch (StoreException e) {
            LOG.warn("Node {} could not settle its job claims before stopping (the next sweep of any node settles "
                    + "them): {}", nodeId, e.getMessage());
            return out;
        }
        if (!out.isEmpty()) {
            LOG.info("Node {} stopping: job claims of its sessions settled: {}", nodeId, out);
        }
        return out;
    }

    /**
     * Leaves the registry cleanly (the node stops, its sessions ended): the incarnation is
     * {@link ServerNode.State#STOPPED}.
     */
    public void leave() {
        if (self == null || !kept) {
            return;
        }
        try {
            store.endNode(nodeId, self.incarnation(), -1, ServerNode.State.STOPPED, clock.instant());
            LOG.info("Node {} (incarnation {}) left the registry", nodeId, self.incarnation());
        } catch (StoreException e) {
            LOG.warn("Node {} could not leave the registry: {}", nodeId, e.getMessage());
        }
    }

    /**
     * @param owner a claim's owner
     * @return {@code <node>/<incarnation>/} of an owner {@code <node>/<incarnation>/<session>}, or null for an owner
     *         of another form (written before incarnations)
     */
    static String incarnationPrefix(String owner) {
        int first = owner.indexOf('/');
        int second = first < 0 ? -1 : owner.indexOf('/', first + 1);
        if (first <= 0 || second <= first + 1 || second == owner.length() - 1) {
            return null;
        }
        return owner.substring(0, second + 1);
    }
}
