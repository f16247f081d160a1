package org.cardinaldm.syncml.internal.bind;

import java.util.ArrayList;
import java.util.List;

import org.cardinaldm.syncml.api.CodecError;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.Namespaces;
import org.cardinaldm.syncml.api.model.XmlElement;
import org.cardinaldm.syncml.api.model.XmlNode;
import org.cardinaldm.syncml.api.model.XmlOpaque;
import org.cardinaldm.syncml.api.model.XmlText;
import org.cardinaldm.syncml.internal.io.TokenReader;
import org.cardinaldm.syncml.internal.io.TokenWriter;

/** Reading and writing of generic element trees and the helpers the binders share. */
public final class TreeIO {
    /** Media types whose {@code +xml} form becomes {@code +wbxml} when the content is embedded as WBXML. */
    private static final String[][] TYPE_PAIRS = {
        {"application/vnd.syncml.dmtnds+xml", "application/vnd.syncml.dmtnds+wbxml"},
        {"application/vnd.syncml-devinf+xml", "application/vnd.syncml-devinf+wbxml"}};

    private TreeIO() {
    }

    /**
     * Reads the content of the element that just started, up to its end.
     *
     * @param r the reader, positioned on a START
     * @param canonicalSyncML whether SyncML-family namespaces (and none) are stored as SyncML 1.2
     * @return the element
     * @throws CodecException on malformed input
     */
    public static XmlElement readElement(TokenReader r, boolean canonicalSyncML) throws CodecException {
        String ns = canonical(r.namespace(), canonicalSyncML);
        String name = r.name();
        if (name == null || name.isEmpty()) { // the token readers refuse this; the model would throw
            throw new CodecException(CodecError.MALFORMED, "element without a name");
        }
        List<XmlNode> children = new ArrayList<>();
        boolean elements = false;
        StringBuilder text = null;
        while (true) {
            int ev = r.next();
            switch (ev) {
                case TokenReader.START -> {
                    text = flush(children, text);
                    children.add(readElement(r, canonicalSyncML));
                    elements = true;
                }
                case TokenReader.TEXT -> {
                    if (text == null) {
                        text = new StringBuilder();
                    }
                    text.append(r.text());
                }
                case TokenReader.OPAQUE -> {
                    text = flush(children, text);
                    children.add(new XmlOpaque(r.opaque()));
                }
                case TokenReader.END -> {
                    flush(children, text);
                    if (elements) {
                        children.removeIf(TreeIO::isBlankNode);
                    } else if (children.size() == 1 && children.get(0) instanceof XmlText t && !keepsSpace(name)) {
                        String stripped = t.text().strip();
                        children.set(0, new XmlText(stripped));
                        if (stripped.isEmpty()) {
                            children.clear();
                        }
                    }
                    return new XmlElement(ns, name, children);
                }
                default -> throw new CodecException(CodecError.MALFORMED, "document ends inside " + name);
            }
        }
    }

    /** Leaf text is trimmed, as in the typed model, except where white space is data. */
    private static boolean keepsSpace(String name) {
        return "Data".equals(name) || "Value".equals(name);
    }

    private static StringBuilder flush(List<XmlNode> children, StringBuilder text) {
        if (text != null && text.length() > 0) {
            children.add(new XmlText(text.toString()));
        }
        return null;
    }

    private static boolean isBlankNode(XmlNode n) {
        if (n instanceof XmlText t) {
            return t.text().isBlank();
        }
        if (n instanceof XmlOpaque o) {
            byte[] b = o.bytes();
            for (byte x : b) {
                if (x != ' ' && x != '\t' && x != '\r' && x != '\n') {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * @param ns a namespace URI
     * @param canonicalSyncML whether to fold SyncML namespaces
     * @return {@link Namespaces#SYNCML_1_2} for any SyncML namespace or none, else {@code ns}
     */
    static String canonical(String ns, boolean canonicalSyncML) {
        if (canonicalSyncML && (ns.isEmpty() || Namespaces.isSyncML(ns))) {
            return Namespaces.SYNCML_1_2;
        }
        return ns;
    }

    /**
     * Writes an element tree.
     *
     * @param w the writer
     * @param e the element
     * @param syncmlNamespace the namespace to write for SyncML-family namespaces, or null to keep them
     * @throws CodecException when the writer cannot represent it
     */
    public static void writeElement(TokenWriter w, XmlElement e, String syncmlNamespace) throws CodecException {
        String ns = e.namespace();
        if (syncmlNamespace != null && Namespaces.isSyncML(ns)) {
            ns = syncmlNamespace;
        }
        w.start(ns, e.name());
        boolean data = "Data".equals(e.name()) && Namespaces.isSyncML(e.namespace());
        for (XmlNode n : e.children()) {
            if (n instanceof XmlElement c) {
                writeElement(w, c, syncmlNamespace);
            } else if (n instanceof XmlText t) {
                if (data) {
                    w.dataText(t.text());
                } else {
                    w.text(t.text());
                }
            } else if (n instanceof XmlOpaque o) {
                w.opaque(o.bytes());
            }
        }
        w.end();
    }

    /**
     * @param type a Meta Type value, possibly null
     * @param toWbxml the direction
     * @return the renamed type, or the same value when it is not an embeddable document type
     */
    static String renameType(String type, boolean toWbxml) {
        if (type == null) {
            return null;
        }
        String t = type.strip();
        for (String[] pair : TYPE_PAIRS) {
            if (t.equalsIgnoreCase(toWbxml ? pair[0] : pair[1])) {
                return toWbxml ? pair[1] : pair[0]; // trimmed: libwbxml compares the exact text
            }
        }
        return type;
    }

    /**
     * Renames every MetInf {@code Type} value of a generic SyncML tree (extension commands), as libwbxml
     * does for any command.
     *
     * @param e a SyncML element
     * @param toWbxml the direction
     * @return the element with renamed types
     */
    static XmlElement renameTypes(XmlElement e, boolean toWbxml) {
        List<XmlNode> children = new ArrayList<>(e.children().size());
        boolean changed = false;
        for (XmlNode n : e.children()) {
            XmlNode m = n;
            if (n instanceof XmlElement c && "Meta".equals(c.name())) {
                m = renameMeta(c, toWbxml);
            } else if (n instanceof XmlElement c && Namespaces.isSyncML(c.namespace())) {
                m = renameTypes(c, toWbxml);
            }
            changed |= m != n;
            children.add(m);
        }
        return changed ? new XmlElement(e.namespace(), e.name(), children) : e;
    }

    private static XmlElement renameMeta(XmlElement meta, boolean toWbxml) {
        List<XmlNode> children = new ArrayList<>(meta.children());
        boolean changed = false;
        for (int i = 0; i < children.size(); i++) {
            if (children.get(i) instanceof XmlElement t && "Type".equals(t.name())) {
                String old = t.textContent();
                String renamed = renameType(old, toWbxml);
                if (!renamed.equals(old)) {
                    children.set(i, XmlElement.text(t.namespace(), "Type", renamed));
                    changed = true;
                }
            }
        }
        return changed ? new XmlElement(meta.namespace(), meta.name(), children) : meta;
    }
}
