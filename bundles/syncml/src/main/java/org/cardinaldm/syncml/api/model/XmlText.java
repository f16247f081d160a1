package org.cardinaldm.syncml.api.model;

import java.util.Objects;

/**
 * Character content of a generic element.
 *
 * @param text the characters, never null
 */
public record XmlText(String text) implements XmlNode {
    /** Checks for null. */
    public XmlText {
        Objects.requireNonNull(text, "text");
    }
}
