package org.cardinaldm.tree.internal;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.StatusCode;

/**
 * The URI limits of {@code ./DevDetail/URI} (digest 5.5): MaxDepth (segments below the root),
 * MaxTotLen (characters of the normalised {@code ./A/B} form) and MaxSegLen (characters of one
 * segment, escapes counted as written). Zero means unlimited.
 */
record UriLimits(int maxDepth, int maxTotLen, int maxSegLen) {

    /** No limit at all. */
    static final UriLimits UNLIMITED = new UriLimits(0, 0, 0);

    UriLimits {
        if (maxDepth < 0 || maxTotLen < 0 || maxSegLen < 0) {
            throw new IllegalArgumentException("URI limits cannot be negative");
        }
    }

    /**
     * @param uri a node
     * @return true when {@link #check(NodeUri)} would accept it
     */
    boolean allows(NodeUri uri) {
        if (maxDepth > 0 && uri.depth() > maxDepth || maxTotLen > 0 && length(uri) > maxTotLen) {
            return false;
        }
        if (maxSegLen > 0) {
            for (String segment : uri.segments()) {
                if (segment.length() > maxSegLen) {
                    return false;
                }
            }
        }
        return true;
    }

    /** @return the length of {@code uri.toString()} without building the string */
    static int length(NodeUri uri) {
        int depth = uri.depth();
        if (depth == 0) {
            return 1;
        }
        int n = 1 + depth; // "." and one "/" before each segment
        for (String segment : uri.segments()) {
            n += segment.length();
        }
        return n;
    }

    /**
     * @param uri a command's target
     * @throws DmException 414 when the URI is deeper, longer or has a longer segment than allowed
     */
    void check(NodeUri uri) throws DmException {
        if (maxDepth > 0 && uri.depth() > maxDepth) {
            throw new DmException(StatusCode.URI_TOO_LONG,
                    "URI has " + uri.depth() + " segments, more than MaxDepth " + maxDepth);
        }
        if (maxTotLen > 0 && length(uri) > maxTotLen) {
            throw new DmException(StatusCode.URI_TOO_LONG,
                    "URI has " + length(uri) + " characters, more than MaxTotLen " + maxTotLen);
        }
        if (maxSegLen > 0) {
            for (String segment : uri.segments()) {
                if (segment.length() > maxSegLen) {
                    throw new DmException(StatusCode.URI_TOO_LONG,
                            "URI has a segment of " + segment.length() + " characters, more than MaxSegLen " + maxSegLen);
                }
            }
        }
    }
}
