package org.cardinaldm.fumo.core.internal;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

import org.cardinaldm.fumo.api.FumoState;
import org.cardinaldm.fumo.api.spi.UpdateAgent;

/**
 * One FUMO instance {@code <root>/<name>}: its update agent, its persisted record and the live download
 * progress. Every change of the record happens while holding this object's lock, and goes through
 * {@link #moveTo} so that the state diagram ({@link FumoTransitions}) is enforced.
 */
final class Instance {
    final String name;
    final UpdateAgent agent;
    final InstanceRecord rec;
    final AtomicLong bytesDone = new AtomicLong();
    /** The operation must resume when the authority is back (it was absent when the device started). */
    boolean resumeWaiting;
    private final Clock clock;

    Instance(String name, UpdateAgent agent, InstanceRecord rec, Clock clock) {
        this.name = name;
        this.agent = agent;
        this.rec = rec;
        this.clock = clock;
    }

    /**
     * Changes the state (not saved: the caller saves once its changes are complete).
     *
     * @param to the next state
     * @throws IllegalStateException when the diagram does not allow it
     */
    synchronized void moveTo(FumoState to) {
        rec.state = FumoTransitions.check(rec.state, to);
        rec.since = clock.instant();
    }

    /** @return the current state */
    synchronized FumoState state() {
        return rec.state;
    }

    /** @return the agent's installed version, or "" when it fails to say */
    String installedVersion() {
        try {
            String v = agent.installedVersion();
            return v == null ? "" : v;
        } catch (RuntimeException e) {
            return "";
        }
    }
}
