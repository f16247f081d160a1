package org.cardinaldm.syncml.internal.io;

import org.cardinaldm.syncml.api.CodecError;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.CodecLimits;

/** Counts elements and checks depth, string and opaque sizes while a document is read. */
public final class Limiter {
    /**
     * The deepest nesting read whatever {@link CodecLimits#maxDepth()} says: the binders (and TNDS)
     * recurse once per level; 256 levels fit a thread stack of 256 KiB (400 did, measured cold).
     */
    public static final int DEPTH_CEILING = 256;

    private final CodecLimits limits;
    private int elements;
    private long expanded;

    /**
     * @param limits the limits to enforce
     */
    public Limiter(CodecLimits limits) {
        this.limits = limits;
    }

    /** @return the limits */
    public CodecLimits limits() {
        return limits;
    }

    /**
     * Called for every element start.
     *
     * @param depth the depth of the new element
     * @throws CodecException when the depth or element count is exceeded
     */
    public void element(int depth) throws CodecException {
        if (depth > limits.maxDepth() || depth > DEPTH_CEILING) {
            throw new CodecException(CodecError.TOO_DEEP, "elements nested deeper than "
                    + Math.min(limits.maxDepth(), DEPTH_CEILING));
        }
        if (++elements > limits.maxElements()) {
            throw new CodecException(CodecError.TOO_MANY_ELEMENTS, "more than " + limits.maxElements() + " elements");
        }
    }

    /**
     * @param length a string length in characters (or bytes, for string tables)
     * @throws CodecException when it exceeds the string limit
     */
    public void string(long length) throws CodecException {
        if (length > limits.maxStringLength()) {
            throw new CodecException(CodecError.STRING_TOO_LONG,
                    "text longer than " + limits.maxStringLength() + " characters");
        }
    }

    /**
     * Counts the bytes that WBXML string-table references expand to: all together they may not exceed
     * the message size limit, the most the same text could take in an XML document.
     *
     * @param length the bytes of one referenced string
     * @throws CodecException when the references of the document expand past the message limit
     */
    public void expanded(long length) throws CodecException {
        expanded += length;
        if (expanded > limits.maxMessageBytes()) {
            throw new CodecException(CodecError.MESSAGE_TOO_LARGE,
                    "string table references expand to more than " + limits.maxMessageBytes() + " bytes");
        }
    }

    /**
     * @param length an opaque length in bytes
     * @throws CodecException when it exceeds the opaque limit
     */
    public void opaque(long length) throws CodecException {
        if (length > limits.maxOpaqueBytes()) {
            throw new CodecException(CodecError.OPAQUE_TOO_LONG,
                    "opaque value longer than " + limits.maxOpaqueBytes() + " bytes");
        }
    }

    /**
     * @param length a document length in bytes
     * @throws CodecException when it exceeds the message limit
     */
    public void message(long length) throws CodecException {
        if (length > limits.maxMessageBytes()) {
            throw new CodecException(CodecError.MESSAGE_TOO_LARGE,
                    "document larger than " + limits.maxMessageBytes() + " bytes");
        }
    }
}
