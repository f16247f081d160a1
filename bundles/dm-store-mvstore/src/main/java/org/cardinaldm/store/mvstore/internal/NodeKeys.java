package org.cardinaldm.store.mvstore.internal;

import org.cardinaldm.api.NodeUri;

/**
 * Keys of the {@code nodes} map. A node's key is its parent's URI, a NUL character and its name:
 * {@code ./DMAcc/srv1} is stored under {@code "./DMAcc\0srv1"}; the root is stored under {@code "."}.
 *
 * <p>Because NUL sorts before every character a URI can contain (and no segment may contain it),
 * the children of a node {@code P} are exactly the keys that start with {@code P + "\0"} and they
 * are contiguous and sorted by name, so listing children is one range scan that never touches
 * grandchildren. All deeper descendants start with {@code P + "/"}, a second contiguous range, so a
 * subtree delete is two range scans.
 */
final class NodeKeys {
    static final char SEP = '\u0000';
    static final String ROOT = ".";

    private NodeKeys() {
    }

    /** @param uri a node @return its key */
    static String key(NodeUri uri) {
        if (uri.isRoot()) {
            return ROOT;
        }
        return uri.parent().toString() + SEP + uri.name();
    }

    /** @param uri a node @return the prefix every key of its children starts with */
    static String childPrefix(NodeUri uri) {
        return uri.toString() + SEP;
    }

    /** @param uri a node @return the prefix every key of its grandchildren and deeper starts with */
    static String deepPrefix(NodeUri uri) {
        return uri.toString() + "/";
    }

    /** @param key a key @return the node's name (the part after the NUL) */
    static String name(String key) {
        return key.substring(key.indexOf(SEP) + 1);
    }

    /** @param key a key @return the node's URI */
    static NodeUri uri(String key) {
        if (key.equals(ROOT)) {
            return NodeUri.root();
        }
        int sep = key.indexOf(SEP);
        return NodeUri.of(key.substring(0, sep)).child(key.substring(sep + 1));
    }
}
