/**
 * TNDS (Tree and Description Serialization, DM 1.2): the {@link org.cardinaldm.syncml.api.tnds.MgmtTree}
 * model, its conversion to and from the element tree carried in a message's {@code Data}, and the
 * {@link org.cardinaldm.syncml.api.tnds.TndsCodec} contract for the standalone XML and WBXML forms.
 *
 * <p>After OMA-TS-DM_TNDS-V1_2 sections 9.1 and 9.2 (digest section 7); WBXML code page 2 (section 2.6).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.cardinaldm.syncml.api.tnds;
