/**
 * Firmware campaigns of the DM server (issue 14, item 8): a signed firmware package from the server's
 * {@code PackageCatalog} rolled out to the devices a {@link org.cardinaldm.fumo.server.api.DeviceFilter}
 * selects, in waves ({@link org.cardinaldm.fumo.server.api.WaveSize}) with a success threshold that starts the
 * next wave and an error threshold that pauses the campaign, inside an optional
 * {@link org.cardinaldm.fumo.server.api.MaintenanceWindow}. Each device gets one FUMO 1.0 job
 * ({@code Replace PkgURL, PkgName, PkgVersion; Exec DownloadAndUpdate}, answered 202 and completed by the
 * Generic Alert 1226, OMA-TS-DM_FUMO-V1_0 and OMA DM 1.2 Protocol §8.7) and a
 * {@link org.cardinaldm.fumo.server.api.DeviceUpdateState} following it. Services:
 * {@link org.cardinaldm.fumo.server.api.CampaignService} (the shell {@code dms:fumo-*} and the REST API use it)
 * and {@link org.cardinaldm.fumo.server.api.DeviceTags}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.cardinaldm.fumo.server.api;
