package org.cardinaldm.smartcard.bootstrap.internal;

import org.cardinaldm.smartcard.core.internal.CardServiceImpl;

/**
 * The reader a test puts its cards into, behind the rig's card service: a simulated reader in the JVM
 * ({@link #inJvm()}), or vpcd's reader behind the real pcscd ({@link PcscSlot}). The flows are written once
 * against this and run on both.
 */
interface CardSlot {
    /** @return the reader name the card service and the user's question show */
    String reader();

    /**
     * Puts a card into the reader; returns once the card is in (the rig waits for the card service's events).
     *
     * @param cards the rig's card service
     * @param card the card
     * @throws Exception if the card cannot be made or plugged in
     */
    void insert(CardServiceImpl cards, TestCard card) throws Exception;

    /**
     * Pulls the card out of the reader.
     *
     * @param cards the rig's card service
     * @throws Exception if the reader cannot be reached
     */
    void pull(CardServiceImpl cards) throws Exception;

    /**
     * Takes the reader away and releases the card.
     *
     * @param cards the rig's card service
     * @throws Exception if the reader cannot be released
     */
    void close(CardServiceImpl cards) throws Exception;

    /** @return a simulated reader "Sim 0" in the JVM: a card insertion adds a reader backend, a pull removes it */
    static CardSlot inJvm() {
        return new SimSlot(Rig.READER);
    }
}
