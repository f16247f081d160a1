package org.cardinaldm.smartcard.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Exclusive access to the card in one reader, from {@link CardService#openSession(String, Duration)} until
 * {@link #close()}. Methods are thread-safe; commands are sent one at a time.
 *
 * <p>If the card is removed or reset by someone else, the next command fails with
 * {@link SmartCardException.Code#CARD_REMOVED} or {@link SmartCardException.Code#CARD_RESET} and the session
 * is closed: the card's security state (verified PINs, selected files) is gone, so the caller opens a new
 * session and starts again.
 */
@ProviderType
public interface CardSession extends AutoCloseable {
    /** @return the reader name */
    String reader();

    /** @return a copy of the card's ATR as of the session start or the last {@link #reset()} */
    byte[] atr();

    /** @return the transmission protocol in use, {@code "T=0"} or {@code "T=1"} (or {@code "T=CL"} etc.) */
    String protocol();

    /** @return the basic logical channel (number 0), open as long as the session is */
    CardChannel basicChannel();

    /**
     * Opens a logical channel with MANAGE CHANNEL (ISO/IEC 7816-4 clause 11.1.2), the card choosing its number.
     *
     * @return the channel; close it when done
     * @throws SmartCardException {@link SmartCardException.Code#NO_CHANNEL_AVAILABLE} if the card refuses,
     *         or the codes of {@link CardChannel#transmit(CommandApdu)}
     */
    CardChannel openLogicalChannel() throws SmartCardException;

    /**
     * Warm-resets the card. Logical channels are closed, the security state is lost, the MF is selected.
     *
     * @throws SmartCardException {@link SmartCardException.Code#CARD_REMOVED},
     *         {@link SmartCardException.Code#IO_ERROR}, {@link SmartCardException.Code#SESSION_CLOSED}
     */
    void reset() throws SmartCardException;

    /** @return whether the session is still usable */
    boolean isOpen();

    /** Closes the open logical channels and gives the card back. Never throws; idempotent. */
    @Override
    void close();
}
