/**
 * What the device's DM agent needs from a smart card, as defined by Cardinal's DM smart-card profile
 * ({@code docs/smartcard-profile.md}): the DM bootstrap document found the DM Bootstrap 1.2 way (EF.DIR,
 * PKCS#15 application, ODF, DODF, OID 2.23.43.7.1), the card policy (OMA-RD-DM_SmartCard 6.1.4: user
 * confirmation, autonomous connection, allowed servers), the FUMO policy, the card-held credentials (the
 * card computes and checks DM digests; secrets never leave it, RD 6.3.2) and the card's change counter
 * (efficient detection, RD 6.3.2).
 *
 * <p>{@link org.cardinaldm.smartcard.dm.api.DmCards} is the service; {@link org.cardinaldm.smartcard.dm.api.DmCardListener}
 * services are told when a DM card is inserted, changed or removed.
 *
 * <p>1.1: {@link org.cardinaldm.smartcard.dm.api.DmCard#serverChallenge(String)} and
 * {@link org.cardinaldm.smartcard.dm.api.DmCard#verifyNotification(String, byte[], byte[], byte[])} (profile 1.1:
 * the card verifies a server against a challenge of its own; package-0 digests never open the {@code dm} state).
 *
 * <p>1.2: {@link org.cardinaldm.smartcard.dm.api.DmCard#fumo()}, {@link org.cardinaldm.smartcard.dm.api.CardFumo}
 * and {@link org.cardinaldm.smartcard.dm.api.CardFumoException} (profile 1.2: the card admits, authorises and
 * commits firmware updates), and the 1.2 fields of {@link org.cardinaldm.smartcard.dm.api.FumoPolicy}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package org.cardinaldm.smartcard.dm.api;
