/**
 * Package 0, the general notification that asks a device to open a DM session
 * ({@code application/vnd.syncml.notification}; OMA-TS-DM_Notification-V1_2 section 6.2, digest
 * section 4): build, parse and verify in constant time; and its WAP Push framing for the WDP bearer
 * ({@link org.cardinaldm.syncml.api.notification.WspPush}, since 1.1), shared by the server's UDP sender
 * and the device's UDP listener.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.cardinaldm.syncml.api.notification;
