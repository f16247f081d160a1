/**
 * The wire constants of Cardinal's DM smart-card profile 1.1 (docs/smartcard-profile.md, Part A): the
 * class and instruction bytes of the card-side commands, their P1 values and data-object tags, the key usages
 * the card knows and the capability bits of EF.DMSTATE, in {@link
 * org.cardinaldm.smartcard.api.profile.CardinalDmProfile}. Both sides of the profile use them: the device
 * agent ({@code smartcard-dm}) that sends the commands and the card that answers them (the simulator,
 * {@code smartcard-sim}), so neither depends on the other. How each side builds or checks a command stays on
 * that side.
 *
 * <p>1.1.0: the FUMO commands, status words, key usages and capability of profile 1.2 (A8.6-A8.9).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.cardinaldm.smartcard.api.profile;
