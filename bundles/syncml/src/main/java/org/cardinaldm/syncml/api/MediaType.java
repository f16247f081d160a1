package org.cardinaldm.syncml.api;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The service property of a {@link MessageCodec} or {@link org.cardinaldm.syncml.api.tnds.TndsCodec}:
 * the media types it answers to, property {@value MessageCodec#MEDIA_TYPE_PROPERTY}. Declared once so
 * that codec providers cannot misspell it:
 * {@code @MediaType({MediaTypes.DM_XML, MediaTypes.DS_XML})}; consumers select with a filter such as
 * {@code (syncml.media.type=application/vnd.syncml.dm+wbxml)}.
 *
 * @since 1.1
 */
@ComponentPropertyType
public @interface MediaType {
    /** Prefix of the generated property name. */
    String PREFIX_ = "syncml.";

    /**
     * @return the media types, the one the codec writes first (see {@link MediaTypes}): property
     *         {@code syncml.media.type}
     */
    String[] value();
}
