package org.cardinaldm.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The address of a node in the DM tree, always absolute and normalised: {@code .} for the root,
 * {@code ./A/B} below it.
 *
 * <p>Parsing follows the DM 1.2 URI rules (OMA-TS-DM_TND-V1_2, "Uniform Resource Identifiers";
 * protocol digest section 5.6): the root is {@code .}; {@code ./A/B} and {@code A/B} name the same
 * node; a URI never ends with {@code /}; {@code ./} may only be a prefix; {@code ..} is forbidden;
 * segments are non-empty RFC 2396 {@code pchar} sequences (letters, digits, {@code -_.!~*'()},
 * {@code :@&=+$,}, {@code %XX} escapes) or any non-ASCII UTF-8 character. The query forms
 * {@code ?prop=} and {@code ?list=} are not part of a node address: see {@link TargetUri}.
 *
 * <p>Escapes are kept as written: {@code A%20B} is a different segment from a literal one, and the
 * tree compares segments exactly (case-sensitive, as the spec allows, with the case of created
 * names preserved). Limits from {@code ./DevDetail/URI} are the tree's business, not this class's.
 */
public final class NodeUri implements Comparable<NodeUri> {
    private static final NodeUri ROOT = new NodeUri(List.of());

    private final List<String> segments;

    private NodeUri(List<String> segments) {
        this.segments = segments;
    }

    /** @return the root node {@code .} */
    public static NodeUri root() {
        return ROOT;
    }

    /**
     * Parses a URI that came from a peer.
     *
     * @param uri for example {@code ./DevInfo/Mod}, {@code DevInfo/Mod} or {@code .}
     * @return the normalised address
     * @throws DmException with {@link StatusCode#BAD_REQUEST} when the URI breaks the DM 1.2 rules
     */
    public static NodeUri parse(String uri) throws DmException {
        String problem = problemWith(uri);
        if (problem != null) {
            throw new DmException(StatusCode.BAD_REQUEST, problem);
        }
        return build(uri);
    }

    /**
     * Parses a URI written in code (a constant, a configured root).
     *
     * @param uri for example {@code ./DevInfo}
     * @return the normalised address
     * @throws IllegalArgumentException when the URI breaks the DM 1.2 rules
     */
    public static NodeUri of(String uri) {
        String problem = problemWith(uri);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return build(uri);
    }

    /**
     * @param uri a candidate URI
     * @return true when {@link #parse(String)} would accept it
     */
    public static boolean isValid(String uri) {
        return problemWith(uri) == null;
    }

    private static NodeUri build(String uri) {
        if (uri.equals(".")) {
            return ROOT;
        }
        String path = uri.startsWith("./") ? uri.substring(2) : uri;
        return new NodeUri(List.of(path.split("/", -1)));
    }

    /** @return null when valid, else one sentence saying what is wrong (never echoing huge input) */
    private static String problemWith(String uri) {
        if (uri == null) {
            return "URI is missing";
        }
        if (uri.isEmpty()) {
            return "URI is empty";
        }
        if (uri.equals(".")) {
            return null;
        }
        String path = uri.startsWith("./") ? uri.substring(2) : uri;
        if (path.isEmpty()) {
            return "URI must not end with '/'";
        }
        int start = 0;
        while (true) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? path.length() : slash;
            String problem = segmentProblem(path, start, end);
            if (problem != null) {
                return problem;
            }
            if (slash < 0) {
                return null;
            }
            if (slash == path.length() - 1) {
                return "URI must not end with '/'";
            }
            start = slash + 1;
        }
    }

    private static String segmentProblem(String path, int start, int end) {
        if (start == end) {
            return "URI has an empty segment ('//')";
        }
        if (end - start == 1 && path.charAt(start) == '.') {
            return "'./' is only allowed as the prefix of a URI";
        }
        if (end - start == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.') {
            return "'..' is not allowed in a DM URI";
        }
        for (int i = start; i < end; i++) {
            char c = path.charAt(i);
            if (c == '%') {
                if (i + 2 >= end || !isHex(path.charAt(i + 1)) || !isHex(path.charAt(i + 2))) {
                    return "URI has a malformed %-escape at position " + i;
                }
                i += 2;
            } else if (!isPchar(c)) {
                return c == '?' ? "A node URI cannot carry a query ('?prop=' or '?list=' belong to a target URI)"
                        : "URI has a character not allowed in a DM URI at position " + i;
            }
        }
        return null;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isPchar(char c) {
        if (c >= 0x80) {
            return !Character.isISOControl(c) && !Character.isWhitespace(c) && c != '\u00a0';
        }
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            return true;
        }
        return "-_.!~*'():@&=+$,".indexOf(c) >= 0;
    }

    /** @return true for {@code .} */
    public boolean isRoot() {
        return segments.isEmpty();
    }

    /** @return the path segments below the root, e.g. [DevInfo, Mod]; empty for the root */
    public List<String> segments() {
        return segments;
    }

    /** @return the number of segments below the root (0 for the root) */
    public int depth() {
        return segments.size();
    }

    /** @return the node's name, i.e. the last segment; {@code .} for the root */
    public String name() {
        return segments.isEmpty() ? "." : segments.get(segments.size() - 1);
    }

    /**
     * @return the parent
     * @throws IllegalStateException for the root
     */
    public NodeUri parent() {
        if (segments.isEmpty()) {
            throw new IllegalStateException("The root has no parent");
        }
        return segments.size() == 1 ? ROOT : new NodeUri(segments.subList(0, segments.size() - 1));
    }

    /**
     * @param name a single segment
     * @return the child of this node with that name
     * @throws IllegalArgumentException when the name is not a valid segment
     */
    public NodeUri child(String name) {
        Objects.requireNonNull(name, "name");
        String problem = name.isEmpty() ? "Node name is empty"
                : name.indexOf('/') >= 0 ? "Node name contains '/'" : segmentProblem(name, 0, name.length());
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        List<String> list = new ArrayList<>(segments.size() + 1);
        list.addAll(segments);
        list.add(name);
        return new NodeUri(Collections.unmodifiableList(list));
    }

    /**
     * @param relative a relative path such as {@code A/B}, with valid segments
     * @return this node's descendant at that path
     */
    public NodeUri resolve(String relative) {
        NodeUri result = this;
        for (String name : relative.split("/", -1)) {
            result = result.child(name);
        }
        return result;
    }

    /**
     * @param ancestor another node
     * @return true when this node is {@code ancestor} or lies below it
     */
    public boolean startsWith(NodeUri ancestor) {
        return ancestor.segments.size() <= segments.size()
                && segments.subList(0, ancestor.segments.size()).equals(ancestor.segments);
    }

    /**
     * @param ancestor a node that this one {@linkplain #startsWith starts with}
     * @return the path from {@code ancestor} to this node, e.g. {@code B/C}; empty when equal
     */
    public String relativeTo(NodeUri ancestor) {
        if (!startsWith(ancestor)) {
            throw new IllegalArgumentException(this + " is not below " + ancestor);
        }
        return String.join("/", segments.subList(ancestor.segments.size(), segments.size()));
    }

    /** @return the number of characters of {@link #toString()}, as DevDetail/URI/MaxTotLen counts them */
    public int length() {
        return toString().length();
    }

    /** @return the normalised form: {@code .} or {@code ./A/B} */
    @Override
    public String toString() {
        return segments.isEmpty() ? "." : "./" + String.join("/", segments);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeUri && ((NodeUri) o).segments.equals(segments);
    }

    /**
     * Mixes the segment hashes multiplicatively and finishes with the MurmurHash3 avalanche step:
     * {@code List.hashCode()} collides heavily for systematic names such as {@code g7/n123} (the
     * tree benchmark saw 25,200 distinct hashes for 90,000 leaves).
     */
    @Override
    public int hashCode() {
        int h = 0x2545F491;
        for (String segment : segments) {
            h = (h ^ segment.hashCode()) * 0x9E3779B1;
            h = Integer.rotateLeft(h, 13);
        }
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return h;
    }

    /** Orders parents before their children, siblings by name. */
    @Override
    public int compareTo(NodeUri other) {
        int n = Math.min(segments.size(), other.segments.size());
        for (int i = 0; i < n; i++) {
            int c = segments.get(i).compareTo(other.segments.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(segments.size(), other.segments.size());
    }
}
