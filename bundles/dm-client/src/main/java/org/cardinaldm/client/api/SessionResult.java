package org.cardinaldm.client.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How a DM session went: its outcome, a one-line detail for people, and counters. Immutable; the
 * detail never contains credentials, nonces or node values.
 */
public final class SessionResult {
    private final String serverId;
    private final String sessionId;
    private final SessionRequest.Initiator initiator;
    private final SessionOutcome outcome;
    private final String detail;
    private final Instant started;
    private final Instant ended;
    private final int messagesSent;
    private final int messagesReceived;
    private final int commandsExecuted;
    private final int commandsFailed;
    private final int alertsDelivered;

    private SessionResult(Builder b) {
        this.serverId = b.serverId;
        this.sessionId = b.sessionId;
        this.initiator = b.initiator;
        this.outcome = b.outcome;
        this.detail = b.detail;
        this.started = b.started;
        this.ended = b.ended;
        this.messagesSent = b.messagesSent;
        this.messagesReceived = b.messagesReceived;
        this.commandsExecuted = b.commandsExecuted;
        this.commandsFailed = b.commandsFailed;
        this.alertsDelivered = b.alertsDelivered;
    }

    /**
     * @param serverId the ServerID
     * @param initiator who initiated the session
     * @return a builder; every counter starts at 0
     */
    public static Builder builder(String serverId, SessionRequest.Initiator initiator) {
        return new Builder(serverId, initiator);
    }

    /** @return the ServerID */
    public String serverId() {
        return serverId;
    }

    /** @return the SessionID used, empty when the session never started */
    public String sessionId() {
        return sessionId;
    }

    /** @return who initiated the session */
    public SessionRequest.Initiator initiator() {
        return initiator;
    }

    /** @return how it ended */
    public SessionOutcome outcome() {
        return outcome;
    }

    /** @return true for {@link SessionOutcome#COMPLETED} */
    public boolean isSuccess() {
        return outcome == SessionOutcome.COMPLETED;
    }

    /** @return one line for people: what happened, why it failed */
    public String detail() {
        return detail;
    }

    /** @return when the session started */
    public Instant started() {
        return started;
    }

    /** @return when it ended */
    public Instant ended() {
        return ended;
    }

    /** @return how long it took */
    public Duration duration() {
        return Duration.between(started, ended);
    }

    /** @return how many messages the device sent (retransmissions not counted) */
    public int messagesSent() {
        return messagesSent;
    }

    /** @return how many server messages the device received and decoded */
    public int messagesReceived() {
        return messagesReceived;
    }

    /** @return how many server commands (items of management commands, alerts) were processed */
    public int commandsExecuted() {
        return commandsExecuted;
    }

    /** @return how many of them got a status that is not 2xx */
    public int commandsFailed() {
        return commandsFailed;
    }

    /** @return how many queued Generic Alerts the server acknowledged */
    public int alertsDelivered() {
        return alertsDelivered;
    }

    @Override
    public String toString() {
        return "SessionResult[" + serverId + (sessionId.isEmpty() ? "" : " session " + sessionId) + " " + initiator + " "
                + outcome + (detail.isEmpty() ? "" : " (" + detail + ")") + ", " + messagesSent + " sent, "
                + messagesReceived + " received, " + commandsExecuted + " commands, " + commandsFailed + " failed, "
                + alertsDelivered + " alerts delivered, " + duration().toMillis() + " ms]";
    }

    /** Builds a {@link SessionResult}. */
    public static final class Builder {
        private final String serverId;
        private final SessionRequest.Initiator initiator;
        private String sessionId = "";
        private SessionOutcome outcome = SessionOutcome.INTERNAL_ERROR;
        private String detail = "";
        private Instant started = Instant.EPOCH;
        private Instant ended = Instant.EPOCH;
        private int messagesSent;
        private int messagesReceived;
        private int commandsExecuted;
        private int commandsFailed;
        private int alertsDelivered;

        private Builder(String serverId, SessionRequest.Initiator initiator) {
            this.serverId = Objects.requireNonNull(serverId, "serverId");
            this.initiator = Objects.requireNonNull(initiator, "initiator");
        }

        /** @param value the SessionID @return this */
        public Builder sessionId(String value) {
            sessionId = Objects.requireNonNull(value, "sessionId");
            return this;
        }

        /**
         * @param value the outcome
         * @param text one line for people, without secrets
         * @return this
         */
        public Builder outcome(SessionOutcome value, String text) {
            outcome = Objects.requireNonNull(value, "outcome");
            detail = Objects.requireNonNull(text, "detail");
            return this;
        }

        /** @param start when it started @param end when it ended @return this */
        public Builder times(Instant start, Instant end) {
            started = Objects.requireNonNull(start, "start");
            ended = Objects.requireNonNull(end, "end");
            return this;
        }

        /** @param sent messages sent @param received messages received @return this */
        public Builder messages(int sent, int received) {
            messagesSent = sent;
            messagesReceived = received;
            return this;
        }

        /** @param executed commands processed @param failed of which failed @return this */
        public Builder commands(int executed, int failed) {
            commandsExecuted = executed;
            commandsFailed = failed;
            return this;
        }

        /** @param value Generic Alerts acknowledged @return this */
        public Builder alertsDelivered(int value) {
            alertsDelivered = value;
            return this;
        }

        /** @return the result */
        public SessionResult build() {
            return new SessionResult(this);
        }
    }
}
