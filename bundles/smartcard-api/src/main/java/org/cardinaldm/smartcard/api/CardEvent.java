package org.cardinaldm.smartcard.api;

import java.util.Objects;

/**
 * Something happened at a reader: it appeared or went away, or a card was inserted or removed. Immutable;
 * {@link #status()} is the reader's state right after the event.
 */
public final class CardEvent {
    /** What happened. */
    public enum Type {
        /** A reader became available (also sent for every known reader when a listener registers). */
        READER_ADDED,
        /** A reader went away; a card in it was reported removed first. */
        READER_REMOVED,
        /** A card was inserted (also sent for every present card when a listener registers). */
        CARD_INSERTED,
        /** The card was removed, or its reader or backend went away. */
        CARD_REMOVED
    }

    private final Type type;
    private final ReaderStatus status;

    private CardEvent(Type type, ReaderStatus status) {
        this.type = type;
        this.status = status;
    }

    /**
     * @param type what happened
     * @param status the reader's state right after the event
     * @return the event
     */
    public static CardEvent of(Type type, ReaderStatus status) {
        return new CardEvent(Objects.requireNonNull(type, "type"), Objects.requireNonNull(status, "status"));
    }

    /** @return what happened */
    public Type type() {
        return type;
    }

    /** @return the reader's state right after the event */
    public ReaderStatus status() {
        return status;
    }

    /** @return the reader name, a shortcut for {@code status().reader()} */
    public String reader() {
        return status.reader();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CardEvent)) {
            return false;
        }
        CardEvent other = (CardEvent) o;
        return type == other.type && status.equals(other.status);
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + status.hashCode();
    }

    @Override
    public String toString() {
        return type + " " + status;
    }
}
