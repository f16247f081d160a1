/**
 * Tools' view of Cardinal's software UICC ({@code docs/smartcard-profile.md}, B6): a {@link SimulatedCard}
 * service per simulated card, in-JVM or plugged into pcscd through vpcd, that can be personalised again from a
 * readable profile while it runs (the {@code cardsim:personalize} command). Real cards have no such service.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.cardinaldm.smartcard.sim.api;
