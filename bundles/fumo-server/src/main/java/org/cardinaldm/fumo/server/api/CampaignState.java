package org.cardinaldm.fumo.server.api;

/** The life of a campaign (hawkBit's rollout states, without its approval step). */
public enum CampaignState {
    /** Created: its devices are fixed, nothing was sent. */
    CREATED,
    /** Running: devices of the started waves are started, inside the maintenance window. */
    RUNNING,
    /** Paused by an operator or by the error threshold: no new device is started; devices already started go on. */
    PAUSED,
    /** Every wave started and every device ended. */
    FINISHED,
    /** Cancelled by an operator: queued devices were dropped; devices already updating go on and are followed. */
    CANCELLED;

    /** @return true when an operator can no longer change it */
    public boolean isTerminal() {
        return this == FINISHED || this == CANCELLED;
    }
}
