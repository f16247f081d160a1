/**
 * SyncML DM 1.2 codecs: the {@link org.cardinaldm.syncml.api.MessageCodec} contract, media types,
 * limits, options and the typed {@link org.cardinaldm.syncml.api.CodecException}.
 *
 * <p>Plain Java callers start at {@link org.cardinaldm.syncml.api.SyncML}; in OSGi the codecs are
 * also registered as services keyed by the {@code syncml.media.type} property (component property
 * type {@link org.cardinaldm.syncml.api.MediaType}, since 1.1). Representation
 * after OMA-TS-DM_RepPro-V1_2 (XML) and WAP-192-WBXML with the SyncML code pages
 * (Cardinal's protocol digest, sections 1 and 2).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.cardinaldm.syncml.api;
