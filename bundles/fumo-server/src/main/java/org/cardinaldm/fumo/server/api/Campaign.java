package org.cardinaldm.fumo.server.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A campaign as stored.
 *
 * @param id the campaign id, unique in the store (0 before it is stored)
 * @param spec what the operator asked
 * @param pkg the package sent
 * @param state the state
 * @param reason why it is paused, cancelled or finished, or null
 * @param waveSizes how many devices each wave has, in order
 * @param currentWave the last wave started (0-based), -1 before the start
 * @param errorsAcceptedWave the last wave whose error threshold an operator accepted by resuming, -1 for none
 * @param created when it was created
 * @param updated when it last changed
 * @param version a counter raised by each change (optimistic locking between server nodes)
 */
public record Campaign(long id, CampaignSpec spec, CampaignPackage pkg, CampaignState state, String reason,
        List<Integer> waveSizes, int currentWave, int errorsAcceptedWave, Instant created, Instant updated,
        long version) {
    /** Checks and copies. */
    public Campaign {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(pkg, "pkg");
        Objects.requireNonNull(state, "state");
        waveSizes = List.copyOf(waveSizes);
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(updated, "updated");
    }

    /** @return how many devices it targets */
    public int deviceCount() {
        return waveSizes.stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * @param newState the state
     * @param newReason the reason, or null
     * @param now the time
     * @return a copy in that state, its version raised
     */
    public Campaign with(CampaignState newState, String newReason, Instant now) {
        return new Campaign(id, spec, pkg, newState, newReason, waveSizes, currentWave, errorsAcceptedWave, created,
                now, version + 1);
    }

    /**
     * @param wave the last wave started
     * @param accepted the last wave whose errors are accepted
     * @param now the time
     * @return a copy, its version raised
     */
    public Campaign withWaves(int wave, int accepted, Instant now) {
        return new Campaign(id, spec, pkg, state, reason, waveSizes, wave, accepted, created, now, version + 1);
    }

    /**
     * @param newId the id the store gave
     * @return a copy with that id
     */
    public Campaign withId(long newId) {
        return new Campaign(newId, spec, pkg, state, reason, waveSizes, currentWave, errorsAcceptedWave, created,
                updated, version);
    }
}
