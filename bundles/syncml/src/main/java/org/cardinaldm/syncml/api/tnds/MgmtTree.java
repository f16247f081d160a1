package org.cardinaldm.syncml.api.tnds;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.cardinaldm.syncml.api.CodecError;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.Namespaces;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.XmlElement;
import org.cardinaldm.syncml.api.model.XmlNode;
import org.cardinaldm.syncml.api.model.XmlOpaque;
import org.cardinaldm.syncml.api.model.XmlText;

/**
 * A TNDS {@code MgmtTree}: VerDTD, Man?, Mod?, Node*.
 *
 * <p>{@link #fromXml(XmlElement)} and {@link #toXml()} convert to and from the element tree a message
 * carries in {@code Data} (namespace {@code syncml:dmddf1.2}).
 *
 * @param verDtd the VerDTD, {@code 1.2}
 * @param man the Man, or null
 * @param mod the Mod, or null
 * @param nodes the top-level nodes
 */
public record MgmtTree(String verDtd, String man, String mod, List<TndsNode> nodes) {

    private static final String NS = Namespaces.DMDDF_1_2;

    /** Checks VerDTD and copies the nodes. */
    public MgmtTree {
        Objects.requireNonNull(verDtd, "VerDTD");
        nodes = List.copyOf(nodes);
    }

    /**
     * @param nodes the top-level nodes
     * @return a tree with VerDTD 1.2
     */
    public static MgmtTree of(TndsNode... nodes) {
        return new MgmtTree("1.2", null, null, List.of(nodes));
    }

    /**
     * Reads a tree from its element form.
     *
     * @param root a {@code MgmtTree} element (namespace {@code syncml:dmddf1.2} or none)
     * @return the tree
     * @throws CodecException when the element is not a valid MgmtTree
     */
    public static MgmtTree fromXml(XmlElement root) throws CodecException {
        if (!"MgmtTree".equals(root.name()) || !isDdf(root)) {
            throw new CodecException(CodecError.UNSUPPORTED_FORMAT,
                    "root element " + root.name() + " is not a TNDS MgmtTree");
        }
        String verDtd = null;
        String man = null;
        String mod = null;
        List<TndsNode> nodes = new ArrayList<>();
        for (XmlElement c : root.elements()) {
            if (!isDdf(c)) {
                continue;
            }
            switch (c.name()) {
                case "VerDTD" -> verDtd = c.textContent().trim();
                case "Man" -> man = c.textContent().trim();
                case "Mod" -> mod = c.textContent().trim();
                case "Node" -> nodes.add(node(c));
                default -> {
                }
            }
        }
        if (verDtd == null) {
            throw new CodecException(CodecError.INCOMPLETE, "MgmtTree: VerDTD is missing");
        }
        return new MgmtTree(verDtd, man, mod, nodes);
    }

    private static boolean isDdf(XmlElement e) {
        return NS.equals(e.namespace()) || e.namespace().isEmpty();
    }

    private static TndsNode node(XmlElement n) throws CodecException {
        String name = null;
        String path = null;
        RtProperties props = null;
        Data value = null;
        List<TndsNode> children = new ArrayList<>();
        for (XmlElement c : n.elements()) {
            if (!isDdf(c)) {
                continue;
            }
            switch (c.name()) {
                case "NodeName" -> name = c.textContent().trim();
                case "Path" -> path = c.textContent().trim();
                case "RTProperties" -> props = properties(c);
                case "Value" -> value = value(c);
                case "Node" -> children.add(node(c));
                default -> {
                }
            }
        }
        if (name == null) {
            throw new CodecException(CodecError.INCOMPLETE, "Node: NodeName is missing");
        }
        if (value != null && !children.isEmpty()) {
            throw new CodecException(CodecError.INCOMPLETE, "Node " + name + " has both a Value and child Nodes");
        }
        return new TndsNode(name, path, props, value, children);
    }

    private static RtProperties rtProperties(String acl, String format, String name, Long size, String title,
            String tstamp, String mime, String ddf, String verNo) throws CodecException {
        try {
            return new RtProperties(acl, format, name, size, title, tstamp, mime, ddf, verNo);
        } catch (IllegalArgumentException e) {
            throw new CodecException(CodecError.INCOMPLETE, "RTProperties: " + e.getMessage());
        }
    }

    private static Data value(XmlElement v) {
        boolean opaque = false;
        for (XmlNode x : v.children()) {
            if (x instanceof XmlOpaque) {
                opaque = true;
            }
        }
        if (!opaque) {
            return Data.text(v.textContent());
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (XmlNode x : v.children()) {
            if (x instanceof XmlOpaque o) {
                out.writeBytes(o.bytes());
            } else if (x instanceof XmlText t) {
                out.writeBytes(t.text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return Data.bytes(out.toByteArray());
    }

    private static RtProperties properties(XmlElement p) throws CodecException {
        String acl = null;
        String format = null;
        String name = null;
        Long size = null;
        String title = null;
        String tstamp = null;
        String mime = null;
        String ddf = null;
        String verNo = null;
        for (XmlElement c : p.elements()) {
            if (!isDdf(c)) {
                continue;
            }
            switch (c.name()) {
                case "ACL" -> acl = c.textContent().trim();
                case "Format" -> {
                    List<XmlElement> f = c.elements();
                    format = f.isEmpty() ? c.textContent().trim() : f.get(0).name();
                }
                case "Name" -> name = c.textContent().trim();
                case "Size" -> {
                    try {
                        size = Long.parseLong(c.textContent().trim());
                    } catch (NumberFormatException e) {
                        throw new CodecException(CodecError.INCOMPLETE, "RTProperties: Size is not a number");
                    }
                }
                case "Title" -> title = c.textContent().trim();
                case "TStamp" -> tstamp = c.textContent().trim();
                case "Type" -> {
                    for (XmlElement t : c.elements()) {
                        if ("MIME".equals(t.name())) {
                            mime = t.textContent().trim();
                        } else if ("DDFName".equals(t.name())) {
                            ddf = t.textContent().trim();
                        }
                    }
                    if (mime != null && ddf != null) {
                        throw new CodecException(CodecError.INCOMPLETE, "RTProperties: Type has MIME and DDFName");
                    }
                }
                case "VerNo" -> verNo = c.textContent().trim();
                default -> {
                }
            }
        }
        return rtProperties(acl, format, name, size, title, tstamp, mime, ddf, verNo);
    }

    /** @return the element form, in namespace {@code syncml:dmddf1.2} */
    public XmlElement toXml() {
        List<XmlNode> children = new ArrayList<>();
        children.add(XmlElement.text(NS, "VerDTD", verDtd));
        if (man != null) {
            children.add(XmlElement.text(NS, "Man", man));
        }
        if (mod != null) {
            children.add(XmlElement.text(NS, "Mod", mod));
        }
        for (TndsNode n : nodes) {
            children.add(toXml(n));
        }
        return new XmlElement(NS, "MgmtTree", children);
    }

    private static XmlElement toXml(TndsNode n) {
        List<XmlNode> children = new ArrayList<>();
        children.add(XmlElement.text(NS, "NodeName", n.name()));
        if (n.path() != null) {
            children.add(XmlElement.text(NS, "Path", n.path()));
        }
        if (n.properties() != null) {
            children.add(toXml(n.properties()));
        }
        if (n.value() instanceof Data.Text t) {
            children.add(XmlElement.text(NS, "Value", t.text()));
        } else if (n.value() instanceof Data.Binary b) {
            children.add(XmlElement.of(NS, "Value", new XmlOpaque(b.asBytes())));
        }
        for (TndsNode c : n.children()) {
            children.add(toXml(c));
        }
        return new XmlElement(NS, "Node", children);
    }

    private static XmlElement toXml(RtProperties p) {
        List<XmlNode> c = new ArrayList<>();
        if (p.acl() != null) {
            c.add(XmlElement.text(NS, "ACL", p.acl()));
        }
        if (p.format() != null) {
            c.add(XmlElement.of(NS, "Format", XmlElement.of(NS, p.format())));
        }
        if (p.name() != null) {
            c.add(XmlElement.text(NS, "Name", p.name()));
        }
        if (p.size() != null) {
            c.add(XmlElement.text(NS, "Size", p.size().toString()));
        }
        if (p.title() != null) {
            c.add(XmlElement.text(NS, "Title", p.title()));
        }
        if (p.tstamp() != null) {
            c.add(XmlElement.text(NS, "TStamp", p.tstamp()));
        }
        if (p.mimeType() != null) {
            c.add(XmlElement.of(NS, "Type", XmlElement.text(NS, "MIME", p.mimeType())));
        } else if (p.ddfName() != null) {
            c.add(XmlElement.of(NS, "Type", XmlElement.text(NS, "DDFName", p.ddfName())));
        }
        if (p.verNo() != null) {
            c.add(XmlElement.text(NS, "VerNo", p.verNo()));
        }
        return new XmlElement(NS, "RTProperties", c);
    }
}
