package org.cardinaldm.shell.internal;

import org.apache.karaf.shell.support.CommandException;
import org.cardinaldm.api.StatusCode;
import org.cardinaldm.api.TndsDocuments;

/** What dm:export and dm:import need from the optional TNDS documents service. */
final class Documents {
    /** The largest file dm:import reads. */
    static final long MAX_FILE_BYTES = 64L << 20;

    private Documents() {
    }

    /**
     * @param documents the optional service reference
     * @return the service
     * @throws CommandException 503 when no TNDS service runs
     */
    static TndsDocuments require(TndsDocuments documents) throws CommandException {
        if (documents == null) {
            throw Refusals.of(StatusCode.SERVICE_UNAVAILABLE,
                    "No TNDS document service is running (install the syncml and dm-tnds bundles: feature cardinal-tnds)");
        }
        return documents;
    }

    /**
     * @param bytes a document
     * @return its media type: WBXML when it starts with a WBXML version byte (1 to 3), else XML
     */
    static String mediaTypeOf(byte[] bytes) {
        return bytes.length > 0 && bytes[0] >= 1 && bytes[0] <= 3 ? TndsDocuments.WBXML : TndsDocuments.XML;
    }
}
