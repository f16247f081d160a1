package org.cardinaldm.smartcard.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives reader and card events. Register an implementation as an OSGi service (whiteboard); the
 * {@link CardService} finds it.
 *
 * <p>Rules of delivery:
 * <ul>
 * <li>Events are delivered on one dedicated thread, in the order they happened, never concurrently to the
 * same listener; a listener must return quickly and must not block on card I/O for long (hand long work to
 * its own executor).</li>
 * <li>A listener that registers late is told the present state first: {@link CardEvent.Type#READER_ADDED}
 * for each available reader and {@link CardEvent.Type#CARD_INSERTED} for each present card.</li>
 * <li>With the service property {@value #READER_PROPERTY} set, a listener receives the events of that
 * reader only.</li>
 * <li>An exception thrown by a listener is logged and does not stop delivery to others.</li>
 * </ul>
 */
@ConsumerType
public interface CardListener {
    /** Optional service property: receive only the events of the reader with this name. */
    String READER_PROPERTY = "card.reader";

    /**
     * @param event what happened
     */
    void cardChanged(CardEvent event);
}
