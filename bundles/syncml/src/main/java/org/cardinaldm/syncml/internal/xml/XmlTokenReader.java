package org.cardinaldm.syncml.internal.xml;

import java.io.CharArrayReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import javax.xml.XMLConstants;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.cardinaldm.syncml.api.CodecError;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.XmlOptions;
import org.cardinaldm.syncml.internal.io.Limiter;
import org.cardinaldm.syncml.internal.io.TokenReader;

/**
 * {@link TokenReader} over the JDK's StAX parser, configured namespace-aware with DTD processing and
 * external entities switched off.
 */
public final class XmlTokenReader implements TokenReader {
    private static final ThreadLocal<XMLInputFactory> FACTORY = ThreadLocal.withInitial(XmlTokenReader::newFactory);

    private final XMLStreamReader reader;
    private final Limiter limiter;
    private final StringBuilder text = new StringBuilder();
    private int depth;
    private int pending = -1;
    private String namespace = "";
    private String name;
    private String currentText;

    private XmlTokenReader(XMLStreamReader reader, Limiter limiter) {
        this.reader = reader;
        this.limiter = limiter;
    }

    /** @return a secure, namespace-aware StAX factory */
    public static XMLInputFactory newFactory() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, true);
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setXMLResolver((publicId, systemId, baseUri, ns) -> {
            throw new XMLStreamException("external entities are not loaded");
        });
        return f;
    }

    /**
     * Opens a document, repairing raw ampersands when the options allow it.
     *
     * @param bytes the document
     * @param options the XML options
     * @param limiter the limits
     * @return the reader
     * @throws CodecException when the document is too large or cannot be opened
     */
    public static XmlTokenReader open(byte[] bytes, XmlOptions options, Limiter limiter) throws CodecException {
        limiter.message(bytes.length);
        byte[] input = bytes;
        int raw = AmpersandRepair.count(bytes);
        if (raw > 0) {
            if (!options.repairAmpersands()) {
                throw new CodecException(CodecError.MALFORMED,
                        "unescaped '&' in XML (" + raw + " occurrence" + (raw == 1 ? "" : "s") + ")");
            }
            input = AmpersandRepair.repair(bytes, raw);
            options.warnings().accept("read " + raw + " unescaped '&' as '&amp;' (lenient XML)");
        }
        char[] chars = decodeChars(input);
        rejectInternalSubset(chars);
        try {
            XMLStreamReader r = FACTORY.get().createXMLStreamReader(new CharArrayReader(chars));
            return new XmlTokenReader(r, limiter);
        } catch (XMLStreamException | RuntimeException e) {
            throw malformed(e);
        }
    }

    /**
     * Decodes the document ourselves, strictly: the JDK parser prints "[Fatal Error]" lines on
     * System.err for malformed UTF-8 when it decodes bytes itself.
     */
    private static char[] decodeChars(byte[] in) throws CodecException {
        Charset cs = StandardCharsets.UTF_8;
        int offset = 0;
        if (in.length >= 3 && (in[0] & 0xFF) == 0xEF && (in[1] & 0xFF) == 0xBB && (in[2] & 0xFF) == 0xBF) {
            offset = 3;
        } else if (in.length >= 2 && (((in[0] & 0xFF) == 0xFE && (in[1] & 0xFF) == 0xFF)
                || ((in[0] & 0xFF) == 0xFF && (in[1] & 0xFF) == 0xFE))) {
            cs = StandardCharsets.UTF_16;
        } else {
            String declared = declaredEncoding(in);
            if (declared != null) {
                try {
                    cs = Charset.forName(declared);
                } catch (IllegalArgumentException e) {
                    throw new CodecException(CodecError.UNSUPPORTED_FORMAT, "unsupported XML encoding " + declared);
                }
            }
        }
        try {
            CharBuffer out = cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(in, offset, in.length - offset));
            char[] chars = new char[out.remaining()];
            out.get(chars);
            return chars;
        } catch (CharacterCodingException | RuntimeException e) { // a decoder of an exotic declared charset
            throw new CodecException(CodecError.MALFORMED, "malformed XML: bytes are not valid " + cs.name());
        }
    }

    /**
     * Refuses a DOCTYPE with an internal subset. SyncML never needs one, it is where entity bombs and
     * external entities are declared, and the JDK parser prints a stack trace on System.err when such a
     * subset is truncated. A DOCTYPE with only a public or system id (libwbxml) is accepted.
     */
    private static void rejectInternalSubset(char[] c) throws CodecException {
        int i = 0;
        int n = c.length;
        while (i < n) {
            char ch = c[i];
            if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\uFEFF') {
                i++;
            } else if (startsWith(c, i, "<?")) {
                i = after(c, i + 2, "?>");
            } else if (startsWith(c, i, "<!--")) {
                i = after(c, i + 4, "-->");
            } else if (startsWith(c, i, "<!DOCTYPE")) {
                char quote = 0;
                for (i += 9; i < n; i++) {
                    char d = c[i];
                    if (quote != 0) {
                        if (d == quote) {
                            quote = 0;
                        }
                    } else if (d == '"' || d == '\'') {
                        quote = d;
                    } else if (d == '[') {
                        throw new CodecException(CodecError.MALFORMED,
                                "malformed XML: a DOCTYPE internal subset is not accepted in SyncML");
                    } else if (d == '>') {
                        break;
                    }
                }
                i++;
            } else {
                return; // the root element (or garbage the parser reports)
            }
        }
    }

    private static boolean startsWith(char[] c, int at, String s) {
        if (at + s.length() > c.length) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (c[at + k] != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static int after(char[] c, int from, String end) {
        for (int i = from; i + end.length() <= c.length; i++) {
            if (startsWith(c, i, end)) {
                return i + end.length();
            }
        }
        return c.length;
    }

    /** @return the encoding named in the XML declaration, or null */
    private static String declaredEncoding(byte[] in) {
        if (in.length < 6 || in[0] != '<' || in[1] != '?' || in[2] != 'x' || in[3] != 'm' || in[4] != 'l') {
            return null;
        }
        int end = Math.min(in.length, 200);
        String decl = new String(in, 0, end, StandardCharsets.ISO_8859_1);
        int close = decl.indexOf("?>");
        if (close < 0) {
            return null;
        }
        java.util.regex.Matcher m = ENCODING.matcher(decl.substring(0, close));
        return m.find() ? m.group(2) : null;
    }

    private static final java.util.regex.Pattern ENCODING = java.util.regex.Pattern
            .compile("encoding\\s*=\\s*([\"'])([A-Za-z][A-Za-z0-9._-]*)\\1");

    private static CodecException malformed(Exception e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof XMLStreamException xse && xse.getLocation() != null) {
            Location loc = xse.getLocation();
            msg = msg.replaceAll("\\s+", " ");
            int idx = msg.indexOf("Message: ");
            if (idx >= 0) {
                msg = msg.substring(idx + 9);
            }
            msg = "line " + loc.getLineNumber() + ", column " + loc.getColumnNumber() + ": " + msg;
        }
        if (msg.length() > 200) {
            msg = msg.substring(0, 200) + "...";
        }
        return new CodecException(CodecError.MALFORMED, "malformed XML: " + msg.strip(), e);
    }

    @Override
    public int next() throws CodecException {
        try {
            text.setLength(0);
            while (true) {
                int ev = pending != -1 ? pending : reader.next();
                pending = -1;
                switch (ev) {
                    case XMLStreamConstants.START_ELEMENT:
                        if (text.length() > 0) {
                            pending = ev;
                            return emitText();
                        }
                        depth++;
                        limiter.element(depth);
                        String ns = reader.getNamespaceURI();
                        namespace = ns == null ? "" : ns;
                        name = reader.getLocalName();
                        return START;
                    case XMLStreamConstants.END_ELEMENT:
                        if (text.length() > 0) {
                            pending = ev;
                            return emitText();
                        }
                        String ens = reader.getNamespaceURI();
                        namespace = ens == null ? "" : ens;
                        name = reader.getLocalName();
                        depth--;
                        return END;
                    case XMLStreamConstants.CHARACTERS:
                    case XMLStreamConstants.CDATA:
                    case XMLStreamConstants.SPACE:
                        if (depth == 0) {
                            break;
                        }
                        int len = reader.getTextLength();
                        limiter.string((long) text.length() + len);
                        text.append(reader.getTextCharacters(), reader.getTextStart(), len);
                        break;
                    case XMLStreamConstants.ENTITY_REFERENCE:
                        throw new CodecException(CodecError.MALFORMED,
                                "undeclared entity reference &" + reader.getLocalName() + ";");
                    case XMLStreamConstants.END_DOCUMENT:
                        if (text.length() > 0) {
                            pending = ev;
                            return emitText();
                        }
                        close();
                        return EOF;
                    default:
                        break; // comments, processing instructions, DTD, start document
                }
            }
        } catch (XMLStreamException | RuntimeException e) {
            close();
            throw malformed(e);
        } catch (CodecException e) {
            close();
            throw e;
        }
    }

    /** Releases the parser. */
    private void close() {
        try {
            reader.close();
        } catch (XMLStreamException | RuntimeException e) {
            // nothing to release beyond memory
        }
    }

    private int emitText() {
        currentText = text.toString();
        return TEXT;
    }

    @Override
    public String namespace() {
        return namespace;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String text() {
        return currentText;
    }

    @Override
    public byte[] opaque() {
        throw new IllegalStateException("XML has no opaque values");
    }

    @Override
    public int depth() {
        return depth;
    }
}
