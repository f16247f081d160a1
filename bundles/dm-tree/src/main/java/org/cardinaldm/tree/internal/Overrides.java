package org.cardinaldm.tree.internal;

import java.util.ArrayList;
import java.util.List;

import org.cardinaldm.api.Acl;
import org.cardinaldm.api.NodeInfo;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.spi.store.StoredNode;

/**
 * What the engine keeps in the store about nodes it does not store itself: an ACL or Title set on a
 * plugin-owned or virtual node, and the write-only mark of a stored leaf that an MO description
 * declared without Get (so that it stays unreadable when the description goes away).
 *
 * <p>Records live flat below a reserved node, {@code ./%00Cardinal}, which the engine hides from
 * every command: one interior record per node, named {@code u} + the node's URI with {@code %} and
 * {@code /} escaped. The record's Type lists what it overrides ({@code acl}, {@code title},
 * {@code noget}); its ACL and Title hold the values.
 */
record Overrides(Acl acl, String title, boolean writeOnly) {

    /** The reserved segment; a valid URI segment no peer can address. */
    static final String RESERVED_SEGMENT = "%00Cardinal";

    /** The node below which records are kept. */
    static final NodeUri ROOT = NodeUri.root().child(RESERVED_SEGMENT);

    /** Nothing overridden. */
    static final Overrides NONE = new Overrides(null, null, false);

    /** @return true when nothing is overridden */
    boolean isEmpty() {
        return acl == null && title == null && !writeOnly;
    }

    /** @param value the new ACL @return overrides with it */
    Overrides withAcl(Acl value) {
        return new Overrides(value, title, writeOnly);
    }

    /** @param value the new Title @return overrides with it */
    Overrides withTitle(String value) {
        return new Overrides(acl, value, writeOnly);
    }

    /** @return overrides marking a write-only leaf */
    Overrides withWriteOnly() {
        return new Overrides(acl, title, true);
    }

    /** @param info what the owner says @return the node as servers see it */
    NodeInfo applyTo(NodeInfo info) {
        if (acl == null && title == null) {
            return info;
        }
        NodeInfo.Builder b = info.toBuilder();
        if (acl != null) {
            b.acl(acl);
        }
        if (title != null) {
            b.title(title);
        }
        return b.build();
    }

    /** @param node a node @return the URI of its record */
    static NodeUri recordUri(NodeUri node) {
        String s = node.toString();
        StringBuilder sb = new StringBuilder(s.length() + 8).append('u');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                sb.append("%25");
            } else if (c == '/') {
                sb.append("%2F");
            } else {
                sb.append(c);
            }
        }
        return ROOT.child(sb.toString());
    }

    /**
     * @param recordName the name of a record below {@link #ROOT}
     * @return the node it belongs to, or null when the name is not a record name
     */
    static NodeUri nodeOf(String recordName) {
        if (!recordName.startsWith("u")) {
            return null;
        }
        StringBuilder sb = new StringBuilder(recordName.length());
        for (int i = 1; i < recordName.length(); i++) {
            char c = recordName.charAt(i);
            if (c == '%' && recordName.startsWith("%2F", i)) {
                sb.append('/');
                i += 2;
            } else if (c == '%' && recordName.startsWith("%25", i)) {
                sb.append('%');
                i += 2;
            } else {
                sb.append(c);
            }
        }
        return NodeUri.isValid(sb.toString()) ? NodeUri.of(sb.toString()) : null;
    }

    /** @param record a stored record @return its overrides */
    static Overrides from(StoredNode record) {
        NodeInfo info = record.info();
        List<String> flags = List.of(info.type().split(","));
        return new Overrides(flags.contains("acl") ? info.acl() : null, flags.contains("title") ? info.title() : null,
                flags.contains("noget"));
    }

    /** @param node the node the record belongs to @return the record to store */
    StoredNode toRecord(NodeUri node) {
        List<String> flags = new ArrayList<>(3);
        NodeInfo.Builder b = NodeInfo.interior(recordUri(node));
        if (acl != null) {
            flags.add("acl");
            b.acl(acl);
        }
        if (title != null) {
            flags.add("title");
            b.title(title);
        }
        if (writeOnly) {
            flags.add("noget");
        }
        return StoredNode.of(b.type(String.join(",", flags)).permanent(true).build(), NodeValue.interior());
    }
}
