package org.cardinaldm.smartcard.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The device's smart cards: the readers of all registered backends, and exclusive sessions with the card in
 * one of them. Events go to {@link CardListener} services.
 *
 * <p>A session has the card to itself: while it is open, other {@link #openSession(String, Duration)} calls
 * for the same reader wait (for PC/SC readers the session also holds a PC/SC transaction, so other
 * applications wait too). Sessions chain {@code 61XX} responses with GET RESPONSE and repeat a command
 * answered {@code 6CXX} with the right Le, so callers always see complete responses.
 *
 * <p>Between sessions a card may be powered off by its reader (pcscd does so shortly after the last connection
 * closed), which clears its volatile security state. {@link #holdCard(String, Duration)} keeps it powered for
 * as long as such a state is needed, without making access exclusive.
 */
@ProviderType
public interface CardService {
    /** How long {@link #openSession(String)} waits for another session on the same reader to end. */
    Duration DEFAULT_WAIT = Duration.ofSeconds(10);

    /** @return a snapshot of every reader, sorted by name */
    List<ReaderStatus> readers();

    /**
     * @param reader a reader name
     * @return that reader's state, or empty if no backend serves a reader of that name
     */
    Optional<ReaderStatus> reader(String reader);

    /**
     * Opens an exclusive session, waiting up to {@link #DEFAULT_WAIT} for another session to end.
     *
     * @param reader the reader name
     * @return the session; close it (try-with-resources)
     * @throws SmartCardException {@link SmartCardException.Code#READER_ABSENT},
     *         {@link SmartCardException.Code#CARD_ABSENT}, {@link SmartCardException.Code#READER_BUSY},
     *         {@link SmartCardException.Code#IO_ERROR}
     */
    CardSession openSession(String reader) throws SmartCardException;

    /**
     * Opens an exclusive session.
     *
     * @param reader the reader name
     * @param maxWait how long to wait for another session on the same reader to end; zero means do not wait
     * @return the session; close it (try-with-resources)
     * @throws SmartCardException {@link SmartCardException.Code#READER_ABSENT},
     *         {@link SmartCardException.Code#CARD_ABSENT}, {@link SmartCardException.Code#READER_BUSY},
     *         {@link SmartCardException.Code#INTERRUPTED}, {@link SmartCardException.Code#IO_ERROR}
     */
    CardSession openSession(String reader, Duration maxWait) throws SmartCardException;

    /**
     * Keeps the card in a reader connected and powered, without exclusive access, until the returned hold is
     * closed, the card is removed, or {@code maxHold} has passed since the hold was taken or last
     * {@linkplain CardHold#extend(Duration) extended}. Holds on one reader nest: the card is given back when
     * the last one ends. For a backend whose card never loses power between sessions (a software card in the
     * JVM) the hold only tracks the card.
     *
     * @param reader the reader name
     * @param maxHold the longest time the card is held without an extension, positive
     * @return the hold; close it when the card's security state is no longer needed
     * @throws SmartCardException {@link SmartCardException.Code#READER_ABSENT},
     *         {@link SmartCardException.Code#CARD_ABSENT}, {@link SmartCardException.Code#CARD_REMOVED} (removed
     *         while the hold began), {@link SmartCardException.Code#IO_ERROR}
     * @throws IllegalArgumentException if {@code maxHold} is not positive
     * @since 1.1
     */
    CardHold holdCard(String reader, Duration maxHold) throws SmartCardException;
}
