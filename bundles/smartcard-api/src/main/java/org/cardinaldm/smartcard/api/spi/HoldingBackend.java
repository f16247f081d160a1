package org.cardinaldm.smartcard.api.spi;

import org.cardinaldm.smartcard.api.SmartCardException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A {@link CardBackend} whose reader powers the card off when nobody is connected to it (PC/SC: pcscd's
 * on-demand power), and which can keep the card connected between connections. The card service calls
 * {@link #holdCard()} when the first {@link org.cardinaldm.smartcard.api.CardHold} on the reader begins and
 * {@link #releaseCard()} when the last one ends; calls for one backend never overlap.
 *
 * <p>The held connection is shared, never exclusive: {@link #connect()} keeps working as before, and other
 * applications may still use the card. The backend ends the hold by itself when the card goes away (and
 * reports the removal as usual), so a held connection never outlives its card.
 *
 * @since 1.1
 */
@ConsumerType
public interface HoldingBackend extends CardBackend {
    /**
     * Keeps the card connected until {@link #releaseCard()} or its removal. Calling it while holding does
     * nothing.
     *
     * @throws SmartCardException {@link SmartCardException.Code#READER_ABSENT},
     *         {@link SmartCardException.Code#CARD_ABSENT}, {@link SmartCardException.Code#IO_ERROR}
     */
    void holdCard() throws SmartCardException;

    /** Ends {@link #holdCard()}: the card is given back once no connection uses it. Idempotent; never throws. */
    void releaseCard();

    /** @return whether the backend holds a connection to the card now */
    boolean isHoldingCard();
}
