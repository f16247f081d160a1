/**
 * Package 0, the general notification that asks a device to open a DM session
 * ({@code application/vnd.syncml.notification}; OMA-TS-DM_Notification-V1_2 section 6.2, digest
 * section 4): build, parse and verify in constant time.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.cardinaldm.syncml.api.notification;
