package org.cardinaldm.server.internal.session;

import org.cardinaldm.syncml.api.model.XmlElement;
import org.cardinaldm.syncml.api.model.XmlNode;
import org.cardinaldm.syncml.api.model.XmlOpaque;

/** Writes embedded XML data (a TNDS MgmtTree in a Results item) back as XML text for the operator. */
final class XmlWriter {
    private XmlWriter() {
    }

    static void write(XmlElement e, StringBuilder sb, String parentNamespace) {
        sb.append('<').append(e.name());
        if (e.namespace() != null && !e.namespace().isEmpty() && !e.namespace().equals(parentNamespace)) {
            sb.append(" xmlns=\"").append(escape(e.namespace())).append('"');
        }
        if (e.children().isEmpty()) {
            sb.append("/>");
            return;
        }
        sb.append('>');
        for (XmlNode n : e.children()) {
            if (n instanceof XmlElement c) {
                write(c, sb, e.namespace());
            } else if (n instanceof org.cardinaldm.syncml.api.model.XmlText t) {
                sb.append(escape(t.text()));
            } else if (n instanceof XmlOpaque o) {
                sb.append(escape(java.util.Base64.getEncoder().encodeToString(o.bytes())));
            }
        }
        sb.append("</").append(e.name()).append('>');
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
