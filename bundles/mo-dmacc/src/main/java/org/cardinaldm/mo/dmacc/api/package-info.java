/**
 * A typed, read-only view of the device's DM server accounts, the DM 1.2 DMAcc management object
 * ({@code ./DMAcc}, {@code urn:oma:mo:oma-dm-dmacc:1.0}; OMA-TS-DM_StdObj-V1_2 §7.1.3.1, digest
 * 5.2), for the DM client: which servers it may talk to, at which address, with which credentials.
 *
 * <p>The view reads the DM tree on every call, so it always reflects what servers and the bootstrap
 * wrote. It holds credentials (AAuthSecret, AAuthData) because the client needs them to compute
 * digests; {@code toString()} never prints them. Changes go through the DM tree.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.cardinaldm.mo.dmacc.api;
