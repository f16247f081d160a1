package org.cardinaldm.syncml.api;

/**
 * Why a message could not be decoded or encoded, with the SyncML status a session layer answers.
 *
 * <p>Status numbers after OMA-TS-DM_RepPro-V1_2 (digest section 1.11).
 */
public enum CodecError {
    /** The bytes are not a well-formed XML, WBXML or binary document. Status 400. */
    MALFORMED(400),
    /** The document is well formed but a mandatory element is missing or has a bad value. Status 412. */
    INCOMPLETE(412),
    /** The document type, public identifier, charset or WBXML version is not supported. Status 415. */
    UNSUPPORTED_FORMAT(415),
    /** The SyncML representation version is not supported. Status 505. */
    UNSUPPORTED_VERSION(505),
    /** The message is larger than {@link CodecLimits#maxMessageBytes()}. Status 413. */
    MESSAGE_TOO_LARGE(413),
    /** Elements are nested deeper than {@link CodecLimits#maxDepth()}. Status 413. */
    TOO_DEEP(413),
    /** The message has more elements than {@link CodecLimits#maxElements()}. Status 413. */
    TOO_MANY_ELEMENTS(413),
    /** A string is longer than {@link CodecLimits#maxStringLength()}. Status 413. */
    STRING_TOO_LONG(413),
    /** An opaque value is longer than {@link CodecLimits#maxOpaqueBytes()}. Status 413. */
    OPAQUE_TOO_LONG(413),
    /** The model cannot be written in the requested encoding (e.g. binary data in XML). Status 500. */
    UNENCODABLE(500);

    private final int status;

    CodecError(int status) {
        this.status = status;
    }

    /** @return the SyncML status code a session layer sends for this error, e.g. 400 */
    public int status() {
        return status;
    }

    /** @return true when the error is a configured limit being exceeded */
    public boolean isLimit() {
        return status == 413;
    }
}
