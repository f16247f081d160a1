package org.cardinaldm.syncml.api;

import java.util.Objects;

/**
 * Settings of the WBXML codecs. Reading accepts every form these settings can write.
 *
 * @param limits resource limits enforced while reading
 * @param version WBXML version written: 1 (1.1), 2 (1.2, the default, as the SyncML RTKs write) or 3 (1.3)
 * @param publicIdForm how the public identifier is written
 * @param literalPublicId the FPI text written with {@link PublicIdForm#LITERAL}; null derives it from
 *        the message's VerDTD (e.g. {@code -//SYNCML//DTD SyncML 1.2//EN})
 * @param stringTable move repeated strings into the string table and refer to them (STR_T)
 * @param opaqueData write text {@code Data} as OPAQUE instead of an inline string
 * @param embeddedDocuments how XML trees inside {@code Data} (TNDS) are written
 * @param expandEmbedded on read, decode WBXML documents found in OPAQUE {@code Data} (TNDS) into
 *        element trees, as libwbxml does
 */
public record WbxmlOptions(CodecLimits limits, int version, PublicIdForm publicIdForm, String literalPublicId,
        boolean stringTable, boolean opaqueData, EmbeddedDocuments embeddedDocuments, boolean expandEmbedded) {

    /**
     * WBXML 1.2, numeric public id, no string table, inline text, TNDS in OPAQUE, expansion on.
     */
    public static final WbxmlOptions DEFAULT = new WbxmlOptions(CodecLimits.DEFAULT, 2, PublicIdForm.NUMERIC,
            null, false, false, EmbeddedDocuments.OPAQUE, true);

    /** How the WBXML public identifier is written. */
    public enum PublicIdForm {
        /** A numeric id such as 0x1201 ({@code 02 A4 01 6A 00}); falls back to LITERAL when none exists. */
        NUMERIC,
        /** The FPI text in the string table ({@code 02 00 00 6A 1D "-//SYNCML//DTD SyncML 1.2//EN"}). */
        LITERAL
    }

    /** How element trees inside {@code Data} (TNDS) are written in WBXML. */
    public enum EmbeddedDocuments {
        /** A complete WBXML document in an OPAQUE value, with its Meta Type renamed to {@code +wbxml} (libwbxml). */
        OPAQUE,
        /** Inline on the DM DDF code page 2 (the Android/Motorola RTK form). */
        INLINE
    }

    /** Checks ranges and nulls. */
    public WbxmlOptions {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(publicIdForm, "publicIdForm");
        Objects.requireNonNull(embeddedDocuments, "embeddedDocuments");
        if (version < 1 || version > 3) {
            throw new IllegalArgumentException("WBXML version must be 1, 2 or 3 (1.1 to 1.3): " + version);
        }
    }

    /**
     * @param newLimits the limits to use
     * @return a copy with those limits
     */
    public WbxmlOptions withLimits(CodecLimits newLimits) {
        return new WbxmlOptions(newLimits, version, publicIdForm, literalPublicId, stringTable, opaqueData,
                embeddedDocuments, expandEmbedded);
    }

    /**
     * @param minor 1, 2 or 3 for WBXML 1.1, 1.2 or 1.3
     * @return a copy that writes that version
     */
    public WbxmlOptions withVersion(int minor) {
        return new WbxmlOptions(limits, minor, publicIdForm, literalPublicId, stringTable, opaqueData,
                embeddedDocuments, expandEmbedded);
    }

    /**
     * @param form numeric or literal
     * @return a copy that writes the public id in that form
     */
    public WbxmlOptions withPublicIdForm(PublicIdForm form) {
        return new WbxmlOptions(limits, version, form, literalPublicId, stringTable, opaqueData, embeddedDocuments,
                expandEmbedded);
    }

    /**
     * @param fpi the FPI text to write, e.g. {@link Namespaces#FPI_SYNCML_1_1}; implies LITERAL
     * @return a copy that writes that literal public id
     */
    public WbxmlOptions withLiteralPublicId(String fpi) {
        return new WbxmlOptions(limits, version, PublicIdForm.LITERAL, fpi, stringTable, opaqueData,
                embeddedDocuments, expandEmbedded);
    }

    /**
     * @param table whether to use a string table for repeated strings
     * @return a copy with that setting
     */
    public WbxmlOptions withStringTable(boolean table) {
        return new WbxmlOptions(limits, version, publicIdForm, literalPublicId, table, opaqueData, embeddedDocuments,
                expandEmbedded);
    }

    /**
     * @param opaque whether text Data is written as OPAQUE
     * @return a copy with that setting
     */
    public WbxmlOptions withOpaqueData(boolean opaque) {
        return new WbxmlOptions(limits, version, publicIdForm, literalPublicId, stringTable, opaque,
                embeddedDocuments, expandEmbedded);
    }

    /**
     * @param form how TNDS inside Data is written
     * @return a copy with that setting
     */
    public WbxmlOptions withEmbeddedDocuments(EmbeddedDocuments form) {
        return new WbxmlOptions(limits, version, publicIdForm, literalPublicId, stringTable, opaqueData, form,
                expandEmbedded);
    }

    /**
     * @param expand whether OPAQUE Data holding a WBXML TNDS document is decoded into elements
     * @return a copy with that setting
     */
    public WbxmlOptions withExpandEmbedded(boolean expand) {
        return new WbxmlOptions(limits, version, publicIdForm, literalPublicId, stringTable, opaqueData,
                embeddedDocuments, expand);
    }
}
