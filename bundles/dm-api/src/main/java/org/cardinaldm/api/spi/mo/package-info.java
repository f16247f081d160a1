/**
 * Contract for management-object plugins: a plugin owns one subtree of the DM tree, named by the
 * {@code dm.mo.root} service property, and is found on the OSGi service registry (whiteboard). The
 * tree engine checks ACLs and URI limits before calling a plugin and maps what it throws to SyncML
 * statuses; removing the service removes the subtree. MO structure after OMA-TS-DM_TND-V1_2. A plugin
 * that answers an Exec with 202 reports its outcome later through {@link org.cardinaldm.api.spi.mo.AsyncResults}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.cardinaldm.api.spi.mo;
