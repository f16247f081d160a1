/**
 * Contract for card backends: one {@link org.cardinaldm.smartcard.api.spi.CardBackend} service per reader
 * (a PC/SC reader, a software card, a remote card), registered on the whiteboard with the service properties
 * {@code card.backend} (the kind, e.g. {@code pcsc}, {@code sim}) and {@code card.reader} (the reader name),
 * declared once in {@link org.cardinaldm.smartcard.api.spi.CardBackendProperties}.
 *
 * <p>A backend moves raw APDUs and reports reader and card state; it does not retry, chain GET RESPONSE,
 * manage logical channels or serialise callers: the {@link org.cardinaldm.smartcard.api.CardService}
 * does that, so backends stay small. A backend whose reader powers an idle card off also implements
 * {@link org.cardinaldm.smartcard.api.spi.HoldingBackend} (since 1.1), so that the card service can keep the
 * card connected while a caller holds it. A backend may extend
 * {@code org.cardinaldm.smartcard.api.spi.support.AbstractCardBackend} instead of keeping its observers
 * itself.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.cardinaldm.smartcard.api.spi;
