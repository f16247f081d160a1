package org.cardinaldm.fumo.server.api;

/** Where one device of a campaign is, following its FUMO job and the FUMO {@code State} it reported. */
public enum DeviceUpdateState {
    /** Waiting for its wave, the maintenance window or a running campaign. */
    QUEUED("queued"),
    /** Claimed by a server node that is submitting its job (short-lived). */
    STARTING("starting"),
    /** Its job is queued and the device was notified (package 0) when it has a push address. */
    NOTIFIED("notified"),
    /** The device accepted the update (202) and reported FUMO State 30, download progressing. */
    DOWNLOADING("downloading"),
    /** The device accepted the update (202); the result comes as a Generic Alert 1226. */
    UPDATING("updating"),
    /** The device reported a successful result (200-299). */
    SUCCEEDED("succeeded"),
    /** The device reported a failure, refused a command or the wait timed out; see the result code. */
    FAILED("failed"),
    /** Nothing sent: the card's anti-rollback counter is above the package's security counter. */
    ROLLBACK_REFUSED("rollback refused"),
    /** Dropped before its job was sent (campaign cancelled). */
    CANCELLED("cancelled");

    private final String label;

    DeviceUpdateState(String label) {
        this.label = label;
    }

    /** @return what operators read, e.g. {@code rollback refused} */
    public String label() {
        return label;
    }

    /** @return true when the device will not move any more in this campaign */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == ROLLBACK_REFUSED || this == CANCELLED;
    }

    /** @return true when a job was sent or is being sent and its end is not known yet */
    public boolean isInFlight() {
        return this == STARTING || this == NOTIFIED || this == DOWNLOADING || this == UPDATING;
    }
}
