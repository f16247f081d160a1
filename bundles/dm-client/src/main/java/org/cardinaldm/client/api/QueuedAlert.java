package org.cardinaldm.client.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A Generic Alert waiting in the queue, with its queue id, when it was queued and how many sessions
 * already tried to deliver it. Immutable.
 */
public final class QueuedAlert {
    private final String id;
    private final GenericAlert alert;
    private final Instant queued;
    private final int attempts;

    /**
     * @param id the queue id
     * @param alert the alert
     * @param queued when it was queued
     * @param attempts how many sessions sent it without an answer that settled it
     */
    public QueuedAlert(String id, GenericAlert alert, Instant queued, int attempts) {
        this.id = Objects.requireNonNull(id, "id");
        this.alert = Objects.requireNonNull(alert, "alert");
        this.queued = Objects.requireNonNull(queued, "queued");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts < 0");
        }
        this.attempts = attempts;
    }

    /** @return the queue id */
    public String id() {
        return id;
    }

    /** @return the alert */
    public GenericAlert alert() {
        return alert;
    }

    /** @return when it was queued */
    public Instant queued() {
        return queued;
    }

    /** @return how many sessions already sent it */
    public int attempts() {
        return attempts;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof QueuedAlert)) {
            return false;
        }
        QueuedAlert q = (QueuedAlert) o;
        return id.equals(q.id) && alert.equals(q.alert) && queued.equals(q.queued) && attempts == q.attempts;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, alert, queued, attempts);
    }

    @Override
    public String toString() {
        return "QueuedAlert[" + id + " " + alert + " queued " + queued + ", " + attempts + " attempts]";
    }
}
