/**
 * Help for writing a {@link org.cardinaldm.smartcard.api.spi.CardBackend}:
 * {@link org.cardinaldm.smartcard.api.spi.support.AbstractCardBackend} keeps a backend's observers and tells
 * them about state changes, so that this part of the backend contract is written once for all backends
 * (docs/smartcard-profile.md, B1). It is a package of its own so that adding to it never moves the version of
 * the SPI package, whose providers (the card service) import it with a narrow range.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.cardinaldm.smartcard.api.spi.support;
