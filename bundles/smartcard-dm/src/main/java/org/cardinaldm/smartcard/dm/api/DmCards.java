package org.cardinaldm.smartcard.dm.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The smart cards with DM data now in the device's readers. Cards are discovered when they are inserted
 * (PKCS#15: EF.DIR, ODF, DODF) and kept current with their change counter.
 */
@ProviderType
public interface DmCards {
    /** @return the DM cards present, sorted by reader name */
    List<DmCard> cards();

    /**
     * @param reader a reader name
     * @return the DM card in it, if there is one
     */
    Optional<DmCard> card(String reader);

    /**
     * Re-checks a reader's card now (one APDU for an unchanged Cardinal card) and re-reads what changed.
     *
     * @param reader a reader name
     * @return the card after the check, or empty if the reader has no DM card
     */
    Optional<DmCard> refresh(String reader);
}
