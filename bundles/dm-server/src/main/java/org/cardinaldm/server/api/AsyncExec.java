package org.cardinaldm.server.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An Exec the device answered {@code 202 Accepted} (OMA DM 1.2 Protocol §8.7, asynchronous Exec): the server
 * waits for the Generic Alert 1226 whose Correlator is this one, from the device the Exec went to, until the
 * deadline. Values are bounded by the server before they are stored.
 *
 * @param correlator the Correlator the server sent with the Exec, unique among the device's Execs
 * @param deviceId the device the Exec went to: only its 1226 counts
 * @param jobId the job
 * @param index the Exec's operation index in the job
 * @param target the executed node, e.g. {@code ./SCOMO/Download/app/Operations/DownloadInstall}
 * @param sent when the device answered 202 (the wait starts)
 * @param deadline when the job fails if no result came
 * @param state where the wait is
 * @param report what the device reported, or null while none came
 * @since 2.1
 */
public record AsyncExec(String correlator, String deviceId, long jobId, int index, String target, Instant sent,
        Instant deadline, State state, AsyncReport report) {

    /** Where the wait for a result is. */
    public enum State {
        /** No result yet and the deadline has not passed. */
        WAITING,
        /** The device reported success. */
        SUCCEEDED,
        /** The device reported a failure (or something that is not a success code). */
        FAILED,
        /** No result came before the deadline: the job failed; a later report is kept, marked late. */
        TIMED_OUT;

        /** @return true unless {@link #WAITING} */
        public boolean isFinished() {
            return this != WAITING;
        }
    }

    /** Checks the mandatory parts. */
    public AsyncExec {
        Objects.requireNonNull(correlator, "correlator");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(sent, "sent");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(state, "state");
    }

    /** @return how long the server waits, {@code deadline - sent} */
    public Duration timeout() {
        return Duration.between(sent, deadline);
    }

    /**
     * @return one sentence for operators: the outcome with the result code and its meaning, or the timeout
     *         reason ({@code no result from the device within P1D for Exec ./SCOMO/...})
     */
    public String outcome() {
        return switch (state) {
            case WAITING -> "waiting for the device's result until " + deadline + " for Exec " + target;
            case TIMED_OUT -> "no result from the device within " + iso(timeout()) + " for Exec " + target
                    + (report == null ? "" : "; a late result came at " + report.received() + ": " + report.summary());
            case SUCCEEDED, FAILED -> report == null ? state.name() : report.summary();
        };
    }

    private static String iso(Duration d) {
        return d.toSeconds() % 86_400 == 0 && d.getNano() == 0 ? "P" + d.toDays() + "D" : d.toString();
    }

    /**
     * @param newState the state
     * @param newReport the report, or null
     * @return a copy
     */
    public AsyncExec with(State newState, AsyncReport newReport) {
        return new AsyncExec(correlator, deviceId, jobId, index, target, sent, deadline, newState, newReport);
    }
}
