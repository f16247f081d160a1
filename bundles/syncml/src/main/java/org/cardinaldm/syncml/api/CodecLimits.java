package org.cardinaldm.syncml.api;

/**
 * Resource limits enforced while a document is read, before any model object is built.
 *
 * <p>Every limit is checked on the fly by the streaming readers, so a hostile peer cannot make the
 * decoder allocate more than about {@code maxMessageBytes} plus the decoded model.
 *
 * @param maxMessageBytes largest accepted document in bytes
 * @param maxDepth deepest element nesting (the root is depth 1); whatever the value, documents nested
 *        deeper than 256 levels are refused ({@code TOO_DEEP}), since the binders recurse once per level
 * @param maxElements most elements in one document, nested documents included
 * @param maxStringLength longest text value in characters (also the longest WBXML string table)
 * @param maxOpaqueBytes longest WBXML opaque value in bytes
 */
public record CodecLimits(int maxMessageBytes, int maxDepth, int maxElements, int maxStringLength,
        int maxOpaqueBytes) {

    /** 4 MiB messages, depth 64, 200 000 elements, 1 Mi-character strings, 4 MiB opaque values. */
    public static final CodecLimits DEFAULT = new CodecLimits(4 << 20, 64, 200_000, 1 << 20, 4 << 20);

    /** Checks that every limit is positive. */
    public CodecLimits {
        positive(maxMessageBytes, "maxMessageBytes");
        positive(maxDepth, "maxDepth");
        positive(maxElements, "maxElements");
        positive(maxStringLength, "maxStringLength");
        positive(maxOpaqueBytes, "maxOpaqueBytes");
    }

    private static void positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    /**
     * @param bytes the new message size limit
     * @return a copy with that limit
     */
    public CodecLimits withMaxMessageBytes(int bytes) {
        return new CodecLimits(bytes, maxDepth, maxElements, maxStringLength, maxOpaqueBytes);
    }

    /**
     * @param depth the new depth limit
     * @return a copy with that limit
     */
    public CodecLimits withMaxDepth(int depth) {
        return new CodecLimits(maxMessageBytes, depth, maxElements, maxStringLength, maxOpaqueBytes);
    }

    /**
     * @param elements the new element-count limit
     * @return a copy with that limit
     */
    public CodecLimits withMaxElements(int elements) {
        return new CodecLimits(maxMessageBytes, maxDepth, elements, maxStringLength, maxOpaqueBytes);
    }

    /**
     * @param length the new string-length limit
     * @return a copy with that limit
     */
    public CodecLimits withMaxStringLength(int length) {
        return new CodecLimits(maxMessageBytes, maxDepth, maxElements, length, maxOpaqueBytes);
    }

    /**
     * @param bytes the new opaque-length limit
     * @return a copy with that limit
     */
    public CodecLimits withMaxOpaqueBytes(int bytes) {
        return new CodecLimits(maxMessageBytes, maxDepth, maxElements, maxStringLength, bytes);
    }
}
