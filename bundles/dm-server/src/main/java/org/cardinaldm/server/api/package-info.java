/**
 * The DM server as operators see it: the device registry ({@link org.cardinaldm.server.api.DeviceManager}),
 * management jobs and their results ({@link org.cardinaldm.server.api.JobManager}) and the sessions in
 * progress ({@link org.cardinaldm.server.api.SessionMonitor}).
 *
 * <p>A job is an ordered list of {@link org.cardinaldm.server.api.Operation}s (Get, Add, Replace,
 * Delete, Exec, Copy, Atomic groups) for one device. It is sent the next time the device opens a
 * management session (OMA-TS-DM_Protocol-V1_2 packages 2 and 4) and every Status and Results the device
 * returns is kept as an {@link org.cardinaldm.server.api.OperationResult}. Secrets given to the
 * registry are never returned by it.
 *
 * <p>The {@link org.cardinaldm.server.api.HelpDesk} service queues the help-desk reads of RD use case 5.2.1
 * and turns their answers into a {@link org.cardinaldm.server.api.HelpDeskReport} (since 1.1.0; a
 * {@code @ProviderType} service since 2.0.0, when its static methods that took a {@code JobManager}
 * became methods of the service).
 *
 * <p>Since 3.1.0 a help-desk report has a {@link org.cardinaldm.server.api.HelpDeskReport.Kind#FIRMWARE} section
 * and the default optional reads include {@code ./FUMO}.
 *
 * <p>Also since 3.1.0 the registry searches the fleet itself, one keyset page at a time
 * ({@link org.cardinaldm.server.api.DeviceManager#search}, {@link org.cardinaldm.server.api.DeviceSearch},
 * {@link org.cardinaldm.server.api.DevicePage}) and counts it by state and by hour of last contact
 * ({@link org.cardinaldm.server.api.DeviceManager#fleetStats}, {@link org.cardinaldm.server.api.FleetStats}); the
 * operators' audit log is in {@code org.cardinaldm.server.api.audit}.
 *
 * <p>{@link org.cardinaldm.server.api.DeviceManager#failedAttempts(String)} lists the refused
 * authentication attempts of a DevId with their source ({@link org.cardinaldm.server.api.AuthAttempt},
 * since 1.3.0).
 *
 * <p>An Exec the device answers {@code 202} is linked to the Generic Alert 1226 that carries its Correlator
 * ({@link org.cardinaldm.server.api.AsyncExec}, {@link org.cardinaldm.server.api.AsyncReport},
 * {@link org.cardinaldm.server.api.OperationResult#async()}, since 2.1.0).
 *
 * <p>A job can ask the user (OMA DM 1.2 Protocol, user interaction commands; since 2.1.0): operations of kind
 * {@link org.cardinaldm.server.api.OperationKind#ALERT} carry a {@link org.cardinaldm.server.api.UserAlert}
 * (display, confirm or reject, text input, single and multiple choice) and
 * {@link org.cardinaldm.server.api.OperationKind#SEQUENCE} groups operations run in order;
 * {@link org.cardinaldm.server.api.Operation#afterConsent} asks first and acts only on a yes, and
 * {@link org.cardinaldm.server.api.UserAnswers} says what the user answered and why such a job failed. Since
 * 3.0.0 the kind of a {@code UserAlert} is {@link org.cardinaldm.syncml.api.model.UiAlertKind}, the one definition
 * of the alerts 1100 to 1104 that the device agent shares ({@code UserAlert.Kind} is gone).
 *
 * <p>Since 3.2.0 {@link org.cardinaldm.server.api.SessionMonitor#nodes()} lists the server nodes that share the
 * registry ({@link org.cardinaldm.server.api.ServerNode}: alive, stopped, declared dead).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("3.2.0")
package org.cardinaldm.server.api;
