package org.cardinaldm.smartcard.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A logical channel of a {@link CardSession} (ISO/IEC 7816-4 clause 5.4.1). Each channel has its own current
 * file and application; commands given to {@link #transmit(CommandApdu)} are sent on this channel whatever
 * channel their CLA names.
 */
@ProviderType
public interface CardChannel extends AutoCloseable {
    /** @return the channel number, 0 for the basic channel */
    int number();

    /**
     * Sends a command on this channel and returns the complete response: {@code 61XX} is followed by GET
     * RESPONSE until all data is collected, and a {@code 6CXX} answer makes the command be sent again with
     * Le = XX. Any other status word, error or not, is returned as is.
     *
     * @param command the command; its channel bits are replaced by this channel's
     * @return the response
     * @throws SmartCardException {@link SmartCardException.Code#CARD_REMOVED},
     *         {@link SmartCardException.Code#CARD_RESET}, {@link SmartCardException.Code#IO_ERROR},
     *         {@link SmartCardException.Code#PROTOCOL_ERROR}, {@link SmartCardException.Code#SESSION_CLOSED}
     */
    ResponseApdu transmit(CommandApdu command) throws SmartCardException;

    /** @return whether the channel is open */
    boolean isOpen();

    /**
     * Closes a logical channel with MANAGE CHANNEL; for the basic channel, does nothing (it closes with the
     * session). Never throws; idempotent.
     */
    @Override
    void close();
}
