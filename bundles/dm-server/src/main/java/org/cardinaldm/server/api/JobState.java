package org.cardinaldm.server.api;

/** The life of a job. */
public enum JobState {
    /** Waiting for the device's next session. */
    PENDING,
    /** Claimed by a session: sent or about to be sent. */
    ACTIVE,
    /** Every operation returned a 2xx status. */
    SUCCEEDED,
    /** Every operation returned a status and at least one is not 2xx. */
    FAILED,
    /** The session ended before every status arrived; what arrived is kept. */
    INTERRUPTED,
    /** Cancelled by an operator before it was sent. */
    CANCELLED;

    /** @return true when the job will not change any more */
    public boolean isTerminal() {
        return this != PENDING && this != ACTIVE;
    }
}
