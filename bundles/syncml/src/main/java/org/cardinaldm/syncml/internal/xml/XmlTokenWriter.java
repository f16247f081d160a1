package org.cardinaldm.syncml.internal.xml;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.cardinaldm.syncml.api.CodecError;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.XmlOptions;
import org.cardinaldm.syncml.internal.io.TokenWriter;
import org.cardinaldm.syncml.internal.io.XmlNames;

/**
 * Writes UTF-8 XML. A namespace is declared as the default namespace on the first element that
 * uses it ({@code <Format xmlns="syncml:metinf">}), as in the OMA examples. Indentation, when asked
 * for, is only added between elements, never inside text.
 */
public final class XmlTokenWriter implements TokenWriter {
    private final StringBuilder out = new StringBuilder(1024);
    private final boolean pretty;
    private final boolean cdata;
    private final List<String> names = new ArrayList<>();
    private final List<String> scopes = new ArrayList<>();
    private final List<Boolean> hasChildren = new ArrayList<>();
    private boolean tagOpen;

    /**
     * @param options the output settings
     */
    public XmlTokenWriter(XmlOptions options) {
        this.pretty = options.pretty();
        this.cdata = options.cdataData();
        if (options.xmlDeclaration()) {
            out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
            if (pretty) {
                out.append('\n');
            }
        }
    }

    @Override
    public void start(String namespace, String name) throws CodecException {
        if (!XmlNames.isNcName(name)) { // a model built by hand may hold any name; it must not become markup
            throw new CodecException(CodecError.UNENCODABLE, "element name is not an XML name");
        }
        closeTag();
        int depth = names.size();
        String parentScope = depth == 0 ? null : scopes.get(depth - 1);
        if (depth > 0) {
            hasChildren.set(depth - 1, Boolean.TRUE);
            if (pretty) {
                newline(depth);
            }
        }
        out.append('<').append(name);
        if (parentScope == null ? !namespace.isEmpty() : !parentScope.equals(namespace)) {
            out.append(" xmlns=\"");
            escape(namespace, true);
            out.append('"');
        }
        names.add(name);
        scopes.add(namespace);
        hasChildren.add(Boolean.FALSE);
        tagOpen = true;
    }

    private void newline(int depth) {
        out.append('\n');
        for (int i = 0; i < depth; i++) {
            out.append("  ");
        }
    }

    private void closeTag() {
        if (tagOpen) {
            out.append('>');
            tagOpen = false;
        }
    }

    @Override
    public void text(String text) throws CodecException {
        if (text.isEmpty()) {
            return;
        }
        closeTag();
        escape(text, false);
    }

    @Override
    public void dataText(String text) throws CodecException {
        if (text.isEmpty()) {
            return;
        }
        if (cdata && needsEscaping(text) && text.indexOf('\r') < 0) {
            validate(text);
            closeTag();
            out.append("<![CDATA[").append(text.replace("]]>", "]]]]><![CDATA[>")).append("]]>");
            return;
        }
        text(text);
    }

    private static boolean needsEscaping(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '<' || c == '&' || c == '>') {
                return true;
            }
        }
        return false;
    }

    @Override
    public void opaque(byte[] bytes) throws CodecException {
        java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        String s;
        try {
            s = decoder.decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new CodecException(CodecError.UNENCODABLE,
                    "binary data (" + bytes.length + " bytes) is not UTF-8 text and cannot be written as XML; "
                            + "send it base64-encoded with Format b64");
        }
        dataText(s);
    }

    @Override
    public void end() throws CodecException {
        int depth = names.size();
        if (depth == 0) {
            throw new CodecException(CodecError.UNENCODABLE, "end without start");
        }
        String name = names.remove(depth - 1);
        scopes.remove(depth - 1);
        boolean children = hasChildren.remove(depth - 1);
        if (tagOpen) {
            out.append("/>");
            tagOpen = false;
            return;
        }
        if (pretty && children) {
            newline(depth - 1);
        }
        out.append("</").append(name).append('>');
    }

    @Override
    public byte[] finish() throws CodecException {
        if (!names.isEmpty()) {
            throw new CodecException(CodecError.UNENCODABLE, "unclosed element " + names.get(names.size() - 1));
        }
        if (pretty) {
            out.append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void validate(String s) throws CodecException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isXmlChar(s, i, c)) {
                throw unencodable(c);
            }
            if (Character.isHighSurrogate(c)) {
                i++;
            }
        }
    }

    private static boolean isXmlChar(String s, int i, char c) {
        if (c >= 0x20 && c < 0xD800) {
            return true;
        }
        if (c == 0x9 || c == 0xA || c == 0xD) {
            return true;
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return c >= 0xE000 && c <= 0xFFFD;
    }

    private static CodecException unencodable(char c) {
        return new CodecException(CodecError.UNENCODABLE,
                String.format("character U+%04X cannot be written in XML 1.0", (int) c));
    }

    private void escape(String s, boolean attribute) throws CodecException {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '\r' -> out.append("&#13;");
                case '"' -> out.append(attribute ? "&quot;" : "\"");
                case '\t' -> out.append(attribute ? "&#9;" : "\t");
                case '\n' -> out.append(attribute ? "&#10;" : "\n");
                default -> {
                    if (c >= 0x20 && c < 0xD800) {
                        out.append(c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (c >= 0xE000 && c <= 0xFFFD) {
                        out.append(c);
                    } else {
                        throw unencodable(c);
                    }
                }
            }
        }
    }
}
