/**
 * Persistence of firmware campaigns: {@link org.cardinaldm.fumo.server.api.spi.CampaignStore}, implemented in
 * memory by {@code fumo-server} (one node, lost at restart) and on JDBC by {@code dm-server-jdbc} (H2 or
 * PostgreSQL, shared by several server nodes: device starts are claimed atomically).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.cardinaldm.fumo.server.api.spi;
