package org.cardinaldm.syncml.test;

import java.io.ByteArrayInputStream;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.cardinaldm.syncml.api.Namespaces;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * Compares XML documents as documents: element names and namespaces (every SyncML version, and no
 * namespace, count as SyncML), trimmed text (CDATA is text; white-space-only text, comments and the
 * DOCTYPE are ignored), element order.
 */
public final class Documents {
    private Documents() {
    }

    /**
     * @param xml an XML document
     * @return a canonical string of it, equal for equal documents
     */
    public static String canonical(byte[] xml) {
        return canonical(xml, true);
    }

    /**
     * @param xml an XML document
     * @param namespaces whether namespaces are part of the comparison
     * @return a canonical string of it, equal for equal documents
     */
    public static String canonical(byte[] xml, boolean namespaces) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setEntityResolver((p, s) -> new InputSource(new ByteArrayInputStream(new byte[0])));
            b.setErrorHandler(null);
            Element root = b.parse(new ByteArrayInputStream(xml)).getDocumentElement();
            StringBuilder sb = new StringBuilder();
            write(root, sb, 0, namespaces);
            return sb.toString();
        } catch (Exception e) {
            throw new IllegalArgumentException("not a well-formed document: " + e.getMessage(), e);
        }
    }

    private static void write(Element e, StringBuilder sb, int depth, boolean namespaces) {
        String ns = e.getNamespaceURI() == null ? "" : e.getNamespaceURI();
        if (ns.isEmpty() || Namespaces.isSyncML(ns)) {
            ns = "SYNCML";
        }
        sb.append("  ".repeat(depth));
        if (namespaces) {
            sb.append('{').append(ns).append('}');
        }
        sb.append(e.getLocalName());
        StringBuilder text = new StringBuilder();
        for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c.getNodeType() == Node.TEXT_NODE || c.getNodeType() == Node.CDATA_SECTION_NODE) {
                text.append(c.getNodeValue());
            }
        }
        String t = text.toString().strip();
        if (!t.isEmpty()) {
            sb.append(" = ").append(t.replace("\r\n", "\n"));
        }
        sb.append('\n');
        for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element child) {
                write(child, sb, depth + 1, namespaces);
            }
        }
    }
}
