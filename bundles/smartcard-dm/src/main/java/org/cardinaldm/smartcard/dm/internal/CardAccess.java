package org.cardinaldm.smartcard.dm.internal;

import java.util.List;
import java.util.Optional;

import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.dm.internal.card.CardContents;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15Exception;
import org.cardinaldm.smartcard.dm.internal.profile.ProfileCodec.SlotControl;

/**
 * What the {@code ./SmartCard} plugin and the shell need from the DM card service inside this bundle
 * (registered as a service of this internal type, never exported).
 */
public interface CardAccess {
    /**
     * The card's MO store at some moment.
     *
     * @param reader the reader
     * @param cardId the card
     * @param control the control record
     * @param content the content (a TNDS WBXML document, empty for an empty store), or null when the active
     *        slot does not match its control record
     */
    record MoStore(String reader, String cardId, SlotControl control, byte[] content) {
    }

    /** The MO store changed on the card since the caller read it. */
    final class StaleStoreException extends Exception {
        private static final long serialVersionUID = 1L;

        /** Creates it. */
        public StaleStoreException() {
            super("The card's MO store changed meanwhile", null, false, false);
        }
    }

    /** @return the readers holding a DM card, sorted */
    List<String> readers();

    /**
     * @param reader a reader
     * @return the card's contents, re-checked with the change counter unless checked within the configured window
     * @throws SmartCardException if the card fails (not if it is absent: then empty)
     */
    Optional<CardContents> validated(String reader) throws SmartCardException;

    /**
     * @param reader a reader
     * @return the card's MO store, re-checked like {@link #validated}; read from the card only when it changed
     * @throws SmartCardException if the card fails
     * @throws Pkcs15Exception if the card has no MO store or its control record is malformed
     */
    Optional<MoStore> moStore(String reader) throws SmartCardException, Pkcs15Exception;

    /**
     * Like {@link #moStore(String)}, for a caller that has just checked the card with {@link #validated}.
     *
     * @param reader a reader
     * @param check whether to re-check the change counter first
     * @return the card's MO store
     * @throws SmartCardException if the card fails
     * @throws Pkcs15Exception if the card has no MO store or its control record is malformed
     */
    Optional<MoStore> moStore(String reader, boolean check) throws SmartCardException, Pkcs15Exception;

    /**
     * Writes new MO store content, tear-safe, under the card's access conditions.
     *
     * @param base the store the change was computed on
     * @param content the new content
     * @return the store after the write
     * @throws SmartCardException the card's refusal ({@code 6982} without an authenticated server or ADM), or
     *         the card is gone
     * @throws StaleStoreException if the store changed since {@code base} was read
     * @throws IllegalArgumentException if the content does not fit a slot
     */
    MoStore writeMoStore(MoStore base, byte[] content) throws SmartCardException, StaleStoreException;

    /**
     * @param reader a reader
     * @return the ServerID whose digest the card in that reader verified in the DM session open now (its
     *         {@code dm} state is open for that server's changes), or empty when none is open or known
     */
    default Optional<String> dmSessionServer(String reader) {
        return Optional.empty();
    }

    /** @return APDU counts since start */
    org.cardinaldm.smartcard.dm.internal.card.ApduStats stats();
}
