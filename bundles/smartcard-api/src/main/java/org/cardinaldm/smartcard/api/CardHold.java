package org.cardinaldm.smartcard.api;

import java.time.Duration;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Keeps the card in one reader connected and powered between sessions, from
 * {@link CardService#holdCard(String, Duration)} until {@link #close()}, the card's removal, or the end of the
 * hold's time, whichever comes first. A hold is not a session: it gives no access to the card and does not
 * make access exclusive; sessions (and, for PC/SC readers, other applications) use the card as before.
 *
 * <p>What it is for: a card's volatile security state (verified PINs, an authenticated DM server) lives only
 * while the card is powered, and a reader may power an idle card off (pcscd does so about half a second after
 * the last connection to it closed). A caller that needs such a state in a later session holds the card in
 * between. Thread-safe.
 *
 * @since 1.1
 */
@ProviderType
public interface CardHold extends AutoCloseable {
    /** @return the reader name */
    String reader();

    /**
     * @return whether the hold still keeps the card: false once closed, expired, or the card (or its reader)
     *         went away
     */
    boolean isActive();

    /**
     * Moves the end of an active hold to {@code maxHold} from now.
     *
     * @param maxHold the new remaining time, positive
     * @return whether the hold is (still) active; an inactive hold stays inactive
     * @throws IllegalArgumentException if {@code maxHold} is not positive
     */
    boolean extend(Duration maxHold);

    /** Ends the hold; the card is given back once no other hold needs it. Never throws; idempotent. */
    @Override
    void close();
}
