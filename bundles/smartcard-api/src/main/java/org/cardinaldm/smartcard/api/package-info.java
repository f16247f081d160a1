/**
 * Smart cards as callers see them: the readers a device has ({@link org.cardinaldm.smartcard.api.ReaderStatus}),
 * card insertion and removal events ({@link org.cardinaldm.smartcard.api.CardEvent}, delivered to
 * {@link org.cardinaldm.smartcard.api.CardListener} services on the whiteboard), sessions with exclusive
 * access to one card ({@link org.cardinaldm.smartcard.api.CardSession}) and its logical channels
 * ({@link org.cardinaldm.smartcard.api.CardChannel}), holds that keep a card powered between sessions
 * ({@link org.cardinaldm.smartcard.api.CardHold}, since 1.1), and the immutable APDU value types of ISO/IEC 7816-4
 * clause 5 ({@link org.cardinaldm.smartcard.api.CommandApdu}, {@link org.cardinaldm.smartcard.api.ResponseApdu},
 * {@link org.cardinaldm.smartcard.api.StatusWord}).
 *
 * <p>The entry point is the {@link org.cardinaldm.smartcard.api.CardService} service. This package carries
 * no {@code javax.smartcardio} types: a card may be reached through PC/SC, a software card in the same JVM,
 * or any other {@link org.cardinaldm.smartcard.api.spi.CardBackend}. Requirements served: OMA-RD-DM_SmartCard
 * 6.3.1 (the device detects provisioning data on an inserted card) and 6.3.2 (the card stores MOs and
 * credentials).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.cardinaldm.smartcard.api;
