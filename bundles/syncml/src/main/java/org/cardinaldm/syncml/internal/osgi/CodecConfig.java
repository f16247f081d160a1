package org.cardinaldm.syncml.internal.osgi;

import org.cardinaldm.syncml.api.CodecLimits;
import org.cardinaldm.syncml.api.WbxmlOptions;
import org.cardinaldm.syncml.api.XmlOptions;
import org.slf4j.Logger;

/**
 * Configuration shared by every codec component (PID {@value #PID}); keys are the method names with
 * {@code _} read as {@code .}, e.g. {@code max.message.bytes}.
 */
public @interface CodecConfig {
    /** The configuration PID of the codec components. */
    String PID = "org.cardinaldm.syncml";

    /** @return the largest accepted document in bytes */
    int max_message_bytes() default 4 << 20;

    /** @return the deepest element nesting */
    int max_depth() default 64;

    /** @return the most elements in one document */
    int max_elements() default 200_000;

    /** @return the longest text in characters */
    int max_string_length() default 1 << 20;

    /** @return the longest opaque value in bytes */
    int max_opaque_bytes() default 4 << 20;

    /** @return whether raw ampersands in XML are repaired (with a warning) instead of rejected */
    boolean repair_ampersands() default true;

    /** @return the WBXML minor version written (1 to 3) */
    int wbxml_version() default 2;

    /** @return {@code NUMERIC} or {@code LITERAL} */
    String wbxml_public_id() default "NUMERIC";

    /** @return whether WBXML output uses a string table */
    boolean wbxml_string_table() default false;

    /** @return {@code OPAQUE} or {@code INLINE}: how TNDS inside Data is written in WBXML */
    String wbxml_embedded_documents() default "OPAQUE";

    /** Turns a configuration into codec settings. */
    final class Options {
        private Options() {
        }

        static CodecLimits limits(CodecConfig c) {
            return new CodecLimits(c.max_message_bytes(), c.max_depth(), c.max_elements(), c.max_string_length(),
                    c.max_opaque_bytes());
        }

        static XmlOptions xml(CodecConfig c, Logger log) {
            return XmlOptions.DEFAULT.withLimits(limits(c)).withRepairAmpersands(c.repair_ampersands())
                    .withWarnings(w -> log.warn("Lenient SyncML XML: {}", w));
        }

        static WbxmlOptions wbxml(CodecConfig c) {
            return WbxmlOptions.DEFAULT.withLimits(limits(c)).withVersion(c.wbxml_version())
                    .withPublicIdForm(WbxmlOptions.PublicIdForm.valueOf(c.wbxml_public_id().trim().toUpperCase(java.util.Locale.ROOT)))
                    .withStringTable(c.wbxml_string_table()).withEmbeddedDocuments(
                            WbxmlOptions.EmbeddedDocuments.valueOf(c.wbxml_embedded_documents().trim().toUpperCase(java.util.Locale.ROOT)));
        }
    }
}
