package org.cardinaldm.syncml.api.model;

/** A node of a generic element tree: an element, a text or an opaque (WBXML binary) value. */
public sealed interface XmlNode permits XmlElement, XmlText, XmlOpaque {
}
