package org.cardinaldm.server.api;

/** The life of a job. */
public enum JobState {
    /** Waiting for the device's next session. */
    PENDING,
    /** Claimed by a session: sent or about to be sent. */
    ACTIVE,
    /** Every operation returned a 2xx status other than 202. */
    SUCCEEDED,
    /**
     * Every operation returned a 2xx status and at least one of them is {@code 202 Accepted}: the device
     * runs that command on its own and reports the outcome later in a Generic Alert (OMA DM 1.2 Protocol
     * §8.7, asynchronous Exec). The job waits in this state; it is not a success. The Generic Alert 1226
     * carrying the Exec's Correlator, from the device the Exec went to, completes the Exec
     * ({@link OperationResult#async()}); when every such Exec of the job has its result the job becomes
     * {@link #SUCCEEDED} or {@link #FAILED}, and it becomes {@link #FAILED} when one of them gets no result
     * before its deadline.
     */
    ACCEPTED,
    /**
     * The job's commands were answered and at least one did not succeed: a status outside 2xx, a 214
     * (cancelled) or 215 (not executed), a user alert not answered exactly 200 (a refused, cancelled or
     * unanswered confirmation, with nothing after it done), a command inside a Sequence with no status, or
     * an asynchronous Exec whose Generic Alert reported a failure or never came before its deadline.
     */
    FAILED,
    /** The session ended before every status arrived; what arrived is kept. */
    INTERRUPTED,
    /** Cancelled by an operator before it was sent. */
    CANCELLED;

    /** @return true when the job will not change any more */
    public boolean isTerminal() {
        return this != PENDING && this != ACTIVE && this != ACCEPTED;
    }

    /**
     * @return true when no session works on the job any more: it ended, or the device accepted it and its
     *         outcome comes later ({@link #ACCEPTED}); what an operator waiting for answers waits for
     */
    public boolean isSettled() {
        return isTerminal() || this == ACCEPTED;
    }
}
