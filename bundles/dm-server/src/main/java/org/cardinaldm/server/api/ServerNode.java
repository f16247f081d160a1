package org.cardinaldm.server.api;

import java.time.Instant;
import java.util.Objects;

/**
 * One run of a DM server node, as the registry shared by several nodes knows it (OMA DM 1.2 says nothing about
 * several servers; this is Cardinal's own). A node that starts joins the registry as a new <em>incarnation</em>
 * (its configured {@code node.id} plus a random id of that run) and then beats at a fixed rate; another node that
 * sees its beats stop for the lease declares it {@link State#DEAD} and releases the jobs its sessions had claimed.
 *
 * @param nodeId the configured node id ({@code node.id}), the same over restarts; also the prefix of its sessions'
 *        RespURI tokens, on which a load balancer routes
 * @param incarnation the random id of this run of the node
 * @param started when it joined
 * @param lastBeat when it last beat (its own clock), or {@link #started} before the first beat
 * @param beats how many times it beat
 * @param state whether it is alive, stopped or declared dead
 * @param ended when it stopped or was declared dead, or null while alive
 */
public record ServerNode(String nodeId, String incarnation, Instant started, Instant lastBeat, long beats, State state,
        Instant ended) {

    /** Where a node incarnation is in its life. */
    public enum State {
        /** Running and beating. */
        ALIVE,
        /** Stopped cleanly: its sessions ended before it left. */
        STOPPED,
        /** Its beats stopped for longer than the lease (killed, hung, cut off): another node released its claims. */
        DEAD
    }

    /** Checks the mandatory parts. */
    public ServerNode {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(incarnation, "incarnation");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(lastBeat, "lastBeat");
        Objects.requireNonNull(state, "state");
    }

    /** @return the prefix of the job claims of this incarnation's sessions: {@code <nodeId>/<incarnation>/} */
    public String claimPrefix() {
        return nodeId + "/" + incarnation + "/";
    }
}
