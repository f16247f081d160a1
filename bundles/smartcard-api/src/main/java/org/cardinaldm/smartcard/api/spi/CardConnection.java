package org.cardinaldm.smartcard.api.spi;

import org.cardinaldm.smartcard.api.CommandApdu;
import org.cardinaldm.smartcard.api.ResponseApdu;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An open connection to the card of a {@link CardBackend}: raw APDU exchange. It does not chain GET RESPONSE
 * or handle {@code 6CXX}; the card service does. Used by one thread at a time.
 */
@ConsumerType
public interface CardConnection extends AutoCloseable {
    /** @return a copy of the card's ATR */
    byte[] atr();

    /** @return the transmission protocol, e.g. {@code "T=0"}, {@code "T=1"} */
    String protocol();

    /**
     * @param command the command, sent as is
     * @return the card's response, as is
     * @throws SmartCardException {@link SmartCardException.Code#CARD_REMOVED} (card gone),
     *         {@link SmartCardException.Code#CARD_RESET} (someone else reset the card; the backend reconnects
     *         on the next {@link CardBackend#connect()}), {@link SmartCardException.Code#IO_ERROR}
     */
    ResponseApdu transmit(CommandApdu command) throws SmartCardException;

    /**
     * Warm-resets the card and keeps the connection usable; {@link #atr()} then returns the new ATR.
     *
     * @throws SmartCardException {@link SmartCardException.Code#CARD_REMOVED},
     *         {@link SmartCardException.Code#IO_ERROR}
     */
    void reset() throws SmartCardException;

    /** Gives the card back, leaving it powered. Never throws; idempotent. */
    @Override
    void close();
}
