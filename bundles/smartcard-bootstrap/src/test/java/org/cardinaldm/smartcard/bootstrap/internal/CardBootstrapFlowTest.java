package org.cardinaldm.smartcard.bootstrap.internal;

/** The bootstrap flows ({@link CardBootstrapFlows}) with the software card in a simulated reader in the JVM. */
class CardBootstrapFlowTest extends CardBootstrapFlows {
    @Override
    CardSlot slot() {
        return CardSlot.inJvm();
    }
}
