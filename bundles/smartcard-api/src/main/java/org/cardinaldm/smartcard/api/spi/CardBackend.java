package org.cardinaldm.smartcard.api.spi;

import org.cardinaldm.smartcard.api.ReaderStatus;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One reader and the card in it, as a whiteboard service with the properties of
 * {@link CardBackendProperties} ({@code card.backend}, {@code card.reader}). The
 * {@link org.cardinaldm.smartcard.api.CardService} tracks all backends, serialises access, and turns the
 * state changes backends report into {@link org.cardinaldm.smartcard.api.CardEvent}s.
 *
 * <p>A backend reports every state change (reader appearing or going away, card inserted or removed) to the
 * observers added with {@link #addObserver(BackendObserver)}, from any thread, without blocking on them. It
 * must not poll busily to find out.
 */
@ConsumerType
public interface CardBackend {
    /** Service property: the backend kind, e.g. {@code pcsc}, {@code sim}. */
    String BACKEND_PROPERTY = "card.backend";
    /** Service property: the reader name, unique among all backends. */
    String READER_PROPERTY = "card.reader";

    /** @return the reader's current state; cheap, never blocks on I/O for long */
    ReaderStatus status();

    /**
     * Adds an observer that is told about every later state change. Adding the same observer twice has no
     * further effect.
     *
     * @param observer the observer
     */
    void addObserver(BackendObserver observer);

    /**
     * @param observer an observer added before; unknown observers are ignored
     */
    void removeObserver(BackendObserver observer);

    /**
     * Connects to the card. The caller (the card service) guarantees that at most one connection per backend
     * is open at a time and closes it.
     *
     * @return the connection
     * @throws SmartCardException {@link SmartCardException.Code#READER_ABSENT},
     *         {@link SmartCardException.Code#CARD_ABSENT}, {@link SmartCardException.Code#IO_ERROR}
     */
    CardConnection connect() throws SmartCardException;
}
