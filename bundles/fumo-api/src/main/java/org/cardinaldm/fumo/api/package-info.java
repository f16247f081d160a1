/**
 * FUMO 1.0 ({@code urn:oma:mo:oma-fumo:1.0}) as Cardinal's device side sees it: the states of a FUMO
 * instance ({@link org.cardinaldm.fumo.api.FumoState}), the result codes its Generic Alerts carry
 * ({@link org.cardinaldm.fumo.api.FumoResult}), the alert types ({@link org.cardinaldm.fumo.api.FumoAlerts}) and
 * the read-and-request service shells and consoles use ({@link org.cardinaldm.fumo.api.FumoService}). Sources and
 * the points where they disagree: {@code docs/fumo.md}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.cardinaldm.fumo.api;
