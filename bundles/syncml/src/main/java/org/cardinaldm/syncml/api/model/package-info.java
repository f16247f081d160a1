/**
 * Immutable SyncML DM 1.2 message model: {@link org.cardinaldm.syncml.api.model.SyncMessage}, its
 * header, the commands of the SyncBody, items, Meta (MetInf) and data, plus named status and alert
 * codes; the user-interaction alerts 1100 to 1104 as {@link org.cardinaldm.syncml.api.model.UiAlertKind}
 * (since 1.1.0).
 *
 * <p>Element set and order after OMA-TS-DM_RepPro-V1_2 (digest sections 1.2 to 1.11). Commands that
 * DM does not use (Sync, Put, Map, ...) are kept as {@link org.cardinaldm.syncml.api.model.ExtensionCommand}
 * element trees so that they survive a decode and encode unchanged.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.cardinaldm.syncml.api.model;
