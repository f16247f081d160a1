/**
 * What OEMs and card backends plug into Cardinal's FUMO: an {@link org.cardinaldm.fumo.api.spi.UpdateAgent}
 * applies a verified package to one updatable component, A/B-safe; a
 * {@link org.cardinaldm.fumo.api.spi.FumoAuthorizer} (the card, in {@code fumo-auth-card}) decides whether an
 * update may run and raises the anti-rollback counter after a healthy update. Both are found on the service
 * registry; without an authorizer every update is refused.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.cardinaldm.fumo.api.spi;
