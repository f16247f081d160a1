/**
 * Descriptions of management objects in the spirit of a DM 1.2 DDF (OMA-TS-DM_TND-V1_2, "Device
 * Description Framework"): which nodes an MO has, their formats, their access types (the DDF
 * {@code AccessType}: a node without {@code Get} is write-only, like {@code AAuthSecret} of
 * DMAcc), whether they are permanent, and a hook to validate values.
 *
 * <p>A {@link org.cardinaldm.api.spi.ddf.MoDescription} is a whiteboard service registered with
 * the same {@code dm.mo.root} / {@code dm.mo.id} properties as an MO plugin (use
 * {@link org.cardinaldm.api.spi.mo.ManagementObject}). The tree engine applies it to every node at
 * or below that root, whether the node lives in the tree store (a store-backed MO such as DMAcc) or
 * in a {@link org.cardinaldm.api.spi.mo.ManagementObjectPlugin}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.cardinaldm.api.spi.ddf;
