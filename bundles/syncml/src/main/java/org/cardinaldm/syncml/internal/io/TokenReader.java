package org.cardinaldm.syncml.internal.io;

import org.cardinaldm.syncml.api.CodecException;

/**
 * A pull parser over XML or WBXML that produces the same events for both: element starts and ends,
 * merged text, and opaque values. Limits are enforced as events are produced.
 */
public interface TokenReader {
    /** An element starts; {@link #namespace()} and {@link #name()} describe it. */
    int START = 1;
    /** The current element ends. */
    int END = 2;
    /** Character content; adjacent pieces are merged into one event. */
    int TEXT = 3;
    /** A WBXML OPAQUE value. */
    int OPAQUE = 4;
    /** No more events. */
    int EOF = 5;

    /**
     * @return the next event
     * @throws CodecException on malformed input or an exceeded limit
     */
    int next() throws CodecException;

    /** @return the namespace URI of the element that starts or ends, never null */
    String namespace();

    /** @return the local name of the element that starts or ends */
    String name();

    /** @return the text of a TEXT event */
    String text();

    /** @return the bytes of an OPAQUE event */
    byte[] opaque();

    /** @return the nesting depth of the current element (1 for the root) */
    int depth();
}
