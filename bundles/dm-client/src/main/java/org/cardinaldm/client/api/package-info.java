/**
 * The device agent as callers see it: start an OMA DM 1.2 management session with a DM server
 * ({@link org.cardinaldm.client.api.DmClient}), learn how it ended
 * ({@link org.cardinaldm.client.api.SessionResult}, {@link org.cardinaldm.client.api.SessionListener}),
 * queue Generic Alerts for the next session ({@link org.cardinaldm.client.api.GenericAlertQueue}),
 * and hand over a received package-0 notification
 * ({@link org.cardinaldm.client.api.DmClient#acceptNotification(byte[])}).
 *
 * <p>Protocol after OMA-TS-DM_Protocol-V1_2 (packages 0 to 4, digest 1.6), OMA-TS-DM_Security-V1_2
 * (digest 3), OMA-TS-DM_Notification-V1_2 (digest 4) and the Generic Alert of digest 1.10. This
 * package carries no XML, WBXML, HTTP or smart-card types.
 *
 * <p>Since 1.3.0 a {@link org.cardinaldm.client.api.GenericAlert} holds dm-api's
 * {@link org.cardinaldm.api.spi.mo.AsyncResult} (the same fields and checks, plus the Mark list), and
 * {@link org.cardinaldm.client.api.GenericAlert#of} turns an MO plugin's report into the alert that carries it.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package org.cardinaldm.client.api;
