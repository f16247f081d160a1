package org.cardinaldm.smartcard.bootstrap.internal;

import org.cardinaldm.stacktest.card.CardStack;

/** The bootstrap flows ({@link CardBootstrapFlows}) with the software card in a simulated reader in the JVM. */
class CardBootstrapFlowTest extends CardBootstrapFlows {
    @Override
    CardStack.Builder cards() {
        return CardStack.inJvm().reader(Rig.READER);
    }
}
