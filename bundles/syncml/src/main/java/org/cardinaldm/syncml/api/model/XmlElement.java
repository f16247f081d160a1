package org.cardinaldm.syncml.api.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A generic, namespace-qualified element tree. Used for content the typed model does not cover:
 * TNDS or DevInf inside {@code Data}, MetInf elements carried as data, and SyncML commands DM does
 * not use. Attributes do not exist in SyncML and are not modelled.
 *
 * @param namespace the namespace URI, e.g. {@code syncml:dmddf1.2}; never null
 * @param name the local name
 * @param children child nodes in document order
 */
public record XmlElement(String namespace, String name, List<XmlNode> children) implements XmlNode {

    /** Checks for nulls and copies the children. */
    public XmlElement {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("element name is empty");
        }
        children = List.copyOf(children);
    }

    /**
     * @param namespace the namespace URI
     * @param name the local name
     * @param children child nodes
     * @return the element
     */
    public static XmlElement of(String namespace, String name, XmlNode... children) {
        return new XmlElement(namespace, name, List.of(children));
    }

    /**
     * @param namespace the namespace URI
     * @param name the local name
     * @param text the only content
     * @return an element with one text child
     */
    public static XmlElement text(String namespace, String name, String text) {
        return new XmlElement(namespace, name, List.of(new XmlText(text)));
    }

    /** @return the child elements, in order */
    public List<XmlElement> elements() {
        List<XmlElement> out = new ArrayList<>();
        for (XmlNode n : children) {
            if (n instanceof XmlElement e) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * @param childName a local name
     * @return the first child element with that name
     */
    public Optional<XmlElement> element(String childName) {
        for (XmlNode n : children) {
            if (n instanceof XmlElement e && e.name.equals(childName)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** @return the concatenated text children of this element (not of descendants) */
    public String textContent() {
        StringBuilder sb = new StringBuilder();
        for (XmlNode n : children) {
            if (n instanceof XmlText t) {
                sb.append(t.text());
            }
        }
        return sb.toString();
    }
}
