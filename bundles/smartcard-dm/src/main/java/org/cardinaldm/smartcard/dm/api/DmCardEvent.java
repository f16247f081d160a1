package org.cardinaldm.smartcard.dm.api;

import java.util.Objects;
import java.util.Optional;

/** A DM card was inserted, changed or removed. Immutable. */
public final class DmCardEvent {
    /** What happened. */
    public enum Type {
        /** A card with DM data was found (also sent to a late listener for every present card). */
        INSERTED,
        /** The card's DM data changed (its change counter moved and something was read again). */
        CHANGED,
        /** The card was removed or replaced, or its DM data vanished. */
        REMOVED
    }

    private final Type type;
    private final String reader;
    private final String cardId;
    private final DmCard card;

    private DmCardEvent(Type type, String reader, String cardId, DmCard card) {
        this.type = type;
        this.reader = reader;
        this.cardId = cardId;
        this.card = card;
    }

    /**
     * @param type INSERTED or CHANGED
     * @param card the card after the event
     * @return the event
     */
    public static DmCardEvent of(Type type, DmCard card) {
        if (type == Type.REMOVED) {
            throw new IllegalArgumentException("Use removed(reader, cardId)");
        }
        return new DmCardEvent(type, card.reader(), card.cardId(), card);
    }

    /**
     * @param reader the reader
     * @param cardId the id of the card that went away
     * @return a REMOVED event
     */
    public static DmCardEvent removed(String reader, String cardId) {
        return new DmCardEvent(Type.REMOVED, Objects.requireNonNull(reader, "reader"),
                Objects.requireNonNull(cardId, "cardId"), null);
    }

    /** @return what happened */
    public Type type() {
        return type;
    }

    /** @return the reader */
    public String reader() {
        return reader;
    }

    /** @return the card id (hex) */
    public String cardId() {
        return cardId;
    }

    /** @return the card after the event; empty for REMOVED */
    public Optional<DmCard> card() {
        return Optional.ofNullable(card);
    }

    @Override
    public String toString() {
        return type + " " + reader + " card " + cardId;
    }
}
