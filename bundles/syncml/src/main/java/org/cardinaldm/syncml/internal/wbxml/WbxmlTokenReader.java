package org.cardinaldm.syncml.internal.wbxml;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

import org.cardinaldm.syncml.api.CodecError;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.Namespaces;
import org.cardinaldm.syncml.internal.io.Limiter;
import org.cardinaldm.syncml.internal.io.TokenReader;
import org.cardinaldm.syncml.internal.io.XmlNames;

/**
 * {@link TokenReader} over a WBXML 1.1 to 1.3 document held in memory. Every length prefix is checked
 * against the bytes that remain before anything is allocated, so truncated or forged documents fail
 * with a {@link CodecException} and never with an exception of the JDK.
 *
 * <p>OPAQUE content of a SyncML {@code Data} element that is itself a WBXML DM DDF or DevInf document
 * (the libwbxml way of embedding TNDS and device information) is read inline, as if the elements had
 * been written there.
 */
public final class WbxmlTokenReader implements TokenReader {
    private final byte[] b;
    private final int end;
    private final Limiter limiter;
    private final boolean expand;
    private final int depthOffset;
    private int pos;

    private int version;
    private long publicId;
    private String fpi;
    private Charset charset;
    private boolean asciiCompatible;
    private int strtblStart;
    private int strtblLen;
    private Wbxml.Kind kind;
    private String pageZeroNamespace;

    private int page;
    private String[] stackNs = new String[16];
    private String[] stackName = new String[16];
    private int depth;
    private boolean rootStarted;
    private boolean emptyPending;

    private String ns = "";
    private String name;
    private String text;
    private byte[] opaque;
    private WbxmlTokenReader nested;
    private final StringBuilder sb = new StringBuilder();

    private WbxmlTokenReader(byte[] b, int off, int len, Limiter limiter, boolean expand, int depthOffset) {
        this.b = b;
        this.pos = off;
        this.end = off + len;
        this.limiter = limiter;
        this.expand = expand;
        this.depthOffset = depthOffset;
    }

    /**
     * Reads the header of a document.
     *
     * @param bytes the document
     * @param expected the kind expected, or null to accept SyncML and DM DDF
     * @param limiter the limits
     * @param expand whether WBXML TNDS documents in OPAQUE Data are read inline
     * @return the reader, positioned before the root element
     * @throws CodecException when the header is malformed or names an unsupported document
     */
    public static WbxmlTokenReader open(byte[] bytes, Wbxml.Kind expected, Limiter limiter, boolean expand)
            throws CodecException {
        limiter.message(bytes.length);
        WbxmlTokenReader r = new WbxmlTokenReader(bytes, 0, bytes.length, limiter, expand, 0);
        r.readHeader(expected);
        return r;
    }

    private void readHeader(Wbxml.Kind expected) throws CodecException {
        if (end - pos < 4) {
            throw malformed("document too short for a WBXML header");
        }
        version = b[pos++] & 0xFF;
        if (version < 1 || version > 3) {
            throw new CodecException(CodecError.UNSUPPORTED_FORMAT,
                    String.format("unsupported WBXML version byte 0x%02X (1.1 to 1.3 are read)", version));
        }
        publicId = mbUint32();
        long fpiIndex = -1;
        if (publicId == 0) {
            fpiIndex = mbUint32();
        }
        long cs = mbUint32();
        if (cs == Wbxml.UTF_8 || cs == 0) {
            charset = StandardCharsets.UTF_8;
        } else if (cs == 3) {
            charset = StandardCharsets.US_ASCII;
        } else if (cs == 4) {
            charset = StandardCharsets.ISO_8859_1;
        } else {
            throw new CodecException(CodecError.UNSUPPORTED_FORMAT, "unsupported WBXML charset MIBenum " + cs);
        }
        asciiCompatible = true;
        long len = mbUint32();
        if (len > end - pos) {
            throw malformed("string table length " + len + " exceeds the document");
        }
        limiter.string(len);
        strtblStart = pos;
        strtblLen = (int) len;
        pos += strtblLen;
        if (fpiIndex >= 0) {
            fpi = tableString(fpiIndex);
        }
        kind = kindOf(expected);
    }

    private Wbxml.Kind kindOf(Wbxml.Kind expected) throws CodecException {
        Wbxml.Kind found;
        String syncmlNs = Namespaces.SYNCML_1_2;
        if (fpi != null) {
            String upper = fpi.toUpperCase(Locale.ROOT);
            if (upper.contains("DM-DDF")) {
                found = Wbxml.Kind.DMDDF;
            } else if (upper.contains("DEVINF")) {
                found = upper.contains("DEVINF 1.2") ? Wbxml.Kind.DEVINF_12 : Wbxml.Kind.DEVINF_11;
            } else if (upper.contains("SYNCML") && !upper.contains("DEVINF") && !upper.contains("METINF")
                    && !upper.contains("METAINF")) {
                found = Wbxml.Kind.SYNCML;
                if (upper.contains("SYNCML 1.1")) {
                    syncmlNs = Namespaces.SYNCML_1_1;
                } else if (upper.contains("SYNCML 1.0")) {
                    syncmlNs = Namespaces.SYNCML_1_0;
                }
            } else {
                throw new CodecException(CodecError.UNSUPPORTED_FORMAT, "unsupported WBXML document type " + fpi);
            }
        } else if (publicId == Namespaces.WBXML_ID_SYNCML_1_2) {
            found = Wbxml.Kind.SYNCML;
        } else if (publicId == Namespaces.WBXML_ID_SYNCML_1_1) {
            found = Wbxml.Kind.SYNCML;
            syncmlNs = Namespaces.SYNCML_1_1;
        } else if (publicId == Namespaces.WBXML_ID_SYNCML_1_0) {
            found = Wbxml.Kind.SYNCML;
            syncmlNs = Namespaces.SYNCML_1_0;
        } else if (publicId == Wbxml.DEVINF_10 || publicId == Wbxml.DEVINF_11) {
            found = Wbxml.Kind.DEVINF_11;
        } else if (publicId == Wbxml.DEVINF_12) {
            found = Wbxml.Kind.DEVINF_12;
        } else if (publicId == Wbxml.PUBLIC_ID_UNKNOWN) {
            found = expected == null ? Wbxml.Kind.SYNCML : expected;
        } else {
            throw new CodecException(CodecError.UNSUPPORTED_FORMAT,
                    String.format("unsupported WBXML public id 0x%04X", publicId));
        }
        if (expected != null && found != expected) {
            throw new CodecException(CodecError.UNSUPPORTED_FORMAT,
                    "expected a " + expected + " document but the public id names " + found);
        }
        pageZeroNamespace = switch (found) {
            case SYNCML -> syncmlNs;
            case DMDDF -> Namespaces.DMDDF_1_2;
            default -> Namespaces.DEVINF;
        };
        return found;
    }

    /** @return the WBXML minor version read from the header (1 to 3) */
    public int version() {
        return version;
    }

    /** @return the numeric public id, 0 when it is literal */
    public long publicId() {
        return publicId;
    }

    /** @return the literal FPI, or null when the public id is numeric */
    public String fpi() {
        return fpi;
    }

    /** @return the kind of document */
    public Wbxml.Kind kind() {
        return kind;
    }

    /**
     * @param bytes a value
     * @param off its offset
     * @param len its length
     * @return the kind of WBXML document the value holds when it is an embedded DM DDF (literal public
     *         id) or DevInf (numeric or literal public id) document, else null
     */
    static Wbxml.Kind embeddedKind(byte[] bytes, int off, int len) {
        if (len < 5 || bytes[off] < 1 || bytes[off] > 3) {
            return null;
        }
        try {
            WbxmlTokenReader probe = new WbxmlTokenReader(bytes, off, len,
                    new Limiter(org.cardinaldm.syncml.api.CodecLimits.DEFAULT), false, 0);
            probe.pos++;
            probe.publicId = probe.mbUint32();
            if (probe.publicId == Wbxml.DEVINF_10 || probe.publicId == Wbxml.DEVINF_11) {
                return Wbxml.Kind.DEVINF_11;
            }
            if (probe.publicId == Wbxml.DEVINF_12) {
                return Wbxml.Kind.DEVINF_12;
            }
            if (probe.publicId != 0) {
                return null;
            }
            long idx = probe.mbUint32();
            probe.mbUint32();
            long tl = probe.mbUint32();
            if (tl > probe.end - probe.pos) {
                return null;
            }
            probe.charset = StandardCharsets.UTF_8;
            probe.strtblStart = probe.pos;
            probe.strtblLen = (int) tl;
            String id = probe.tableString(idx).toUpperCase(Locale.ROOT);
            if (id.contains("DM-DDF")) {
                return Wbxml.Kind.DMDDF;
            }
            if (id.contains("DEVINF")) {
                return id.contains("DEVINF 1.2") ? Wbxml.Kind.DEVINF_12 : Wbxml.Kind.DEVINF_11;
            }
            return null;
        } catch (CodecException e) {
            return null;
        }
    }

    @Override
    public int next() throws CodecException {
        if (nested != null) {
            int ev = nested.next();
            if (ev != EOF) {
                ns = nested.ns;
                name = nested.name;
                text = nested.text;
                opaque = nested.opaque;
                return ev;
            }
            nested = null;
        }
        if (emptyPending) {
            emptyPending = false;
            return pop();
        }
        while (true) {
            if (pos >= end) {
                if (rootStarted && depth == 0) {
                    return EOF;
                }
                throw malformed("document ends inside an element (truncated)");
            }
            int t = b[pos++] & 0xFF;
            switch (t) {
                case Wbxml.SWITCH_PAGE:
                    need(1);
                    page = b[pos++] & 0xFF;
                    break;
                case Wbxml.END:
                    if (depth == 0) {
                        throw malformed("END token outside any element");
                    }
                    return pop();
                case Wbxml.ENTITY:
                case Wbxml.STR_I:
                case Wbxml.STR_T:
                    inElement();
                    pos--;
                    text = readText();
                    return TEXT;
                case Wbxml.OPAQUE: {
                    inElement();
                    long len = mbUint32();
                    if (len > end - pos) {
                        throw malformed("opaque length " + len + " exceeds the document");
                    }
                    limiter.opaque(len);
                    int start = pos;
                    pos += (int) len;
                    Wbxml.Kind embedded = expand && inSyncMLData() ? embeddedKind(b, start, (int) len) : null;
                    if (embedded != null) {
                        WbxmlTokenReader inner = new WbxmlTokenReader(b, start, (int) len, limiter, false,
                                depthOffset + depth);
                        inner.readHeader(embedded);
                        nested = inner;
                        return next();
                    }
                    opaque = Arrays.copyOfRange(b, start, start + (int) len);
                    return OPAQUE;
                }
                case Wbxml.PI:
                    skipAttributes();
                    break;
                case Wbxml.LITERAL:
                case Wbxml.LITERAL_C:
                case Wbxml.LITERAL_A:
                case Wbxml.LITERAL_AC: {
                    String literal = tableName(mbUint32(), "tag");
                    return start(namespaceOfPage(), literal, t);
                }
                default:
                    if ((t >= Wbxml.EXT_I_0 && t <= Wbxml.EXT_I_2) || (t >= Wbxml.EXT_T_0 && t <= Wbxml.EXT_T_2)
                            || (t >= Wbxml.EXT_0 && t <= Wbxml.EXT_2)) {
                        throw malformed(String.format("extension token 0x%02X is not used by SyncML", t));
                    }
                    int token = t & 0x3F;
                    String tag = tag(token);
                    return start(namespaceOfPage(), tag, t);
            }
        }
    }

    private boolean inSyncMLData() {
        return depth > 0 && "Data".equals(stackName[depth - 1]) && Namespaces.isSyncML(stackNs[depth - 1]);
    }

    private void inElement() throws CodecException {
        if (depth == 0) {
            throw malformed("content outside the root element");
        }
    }

    private int start(String namespace, String tag, int t) throws CodecException {
        if (rootStarted && depth == 0) {
            throw malformed("a second root element " + tag);
        }
        if ((t & Wbxml.ATTRIBUTES) != 0) {
            skipAttributes();
        }
        rootStarted = true;
        if (depth == stackName.length) {
            stackName = Arrays.copyOf(stackName, depth * 2);
            stackNs = Arrays.copyOf(stackNs, depth * 2);
        }
        limiter.element(depthOffset + depth + 1);
        stackNs[depth] = namespace;
        stackName[depth] = tag;
        depth++;
        ns = namespace;
        name = tag;
        emptyPending = (t & Wbxml.CONTENT) == 0;
        return START;
    }

    private int pop() {
        depth--;
        ns = stackNs[depth];
        name = stackName[depth];
        stackName[depth] = null;
        return END;
    }

    private String namespaceOfPage() throws CodecException {
        if (kind == Wbxml.Kind.DMDDF) {
            if (page == CodePages.PAGE_SYNCML || page == CodePages.PAGE_DMDDF) {
                return Namespaces.DMDDF_1_2;
            }
        } else if (kind != Wbxml.Kind.SYNCML) {
            if (page == 0) {
                return Namespaces.DEVINF;
            }
        } else {
            switch (page) {
                case CodePages.PAGE_SYNCML:
                    return pageZeroNamespace;
                case CodePages.PAGE_METINF:
                    return Namespaces.METINF;
                case CodePages.PAGE_DMDDF:
                    return Namespaces.DMDDF_1_2;
                default:
                    break;
            }
        }
        throw malformed("unknown code page " + page);
    }

    private String tag(int token) throws CodecException {
        String[] table = switch (kind) {
            case DMDDF -> CodePages.DMDDF;
            case DEVINF_11 -> CodePages.DEVINF_11;
            case DEVINF_12 -> CodePages.DEVINF_12;
            default -> CodePages.syncmlPage(page);
        };
        String tag = table == null ? null : table[token];
        if (tag == null) {
            throw malformed(String.format("unknown tag token 0x%02X on code page %d", token, page));
        }
        return tag;
    }

    private void skipAttributes() throws CodecException {
        while (true) {
            need(1);
            int t = b[pos++] & 0xFF;
            switch (t) {
                case Wbxml.END:
                    return;
                case Wbxml.SWITCH_PAGE:
                    need(1);
                    pos++;
                    break;
                case Wbxml.STR_I:
                case Wbxml.EXT_I_0:
                case Wbxml.EXT_I_0 + 1:
                case Wbxml.EXT_I_2:
                    pos = terminator(pos) + 1;
                    break;
                case Wbxml.LITERAL:
                    tableName(mbUint32(), "attribute");
                    break;
                case Wbxml.STR_T:
                    tableReference(mbUint32());
                    break;
                case Wbxml.ENTITY:
                case Wbxml.EXT_T_0:
                case Wbxml.EXT_T_0 + 1:
                case Wbxml.EXT_T_2:
                    mbUint32();
                    break;
                case Wbxml.OPAQUE: {
                    long len = mbUint32();
                    if (len > end - pos) {
                        throw malformed("opaque length " + len + " exceeds the document");
                    }
                    pos += (int) len;
                    break;
                }
                default:
                    break;
            }
        }
    }

    private String readText() throws CodecException {
        sb.setLength(0);
        while (pos < end) {
            int t = b[pos] & 0xFF;
            if (t == Wbxml.STR_I) {
                pos++;
                int nul = terminator(pos);
                limiter.string((long) sb.length() + (nul - pos));
                decode(pos, nul - pos, sb);
                pos = nul + 1;
            } else if (t == Wbxml.STR_T) {
                pos++;
                String s = tableString(mbUint32());
                limiter.string((long) sb.length() + s.length());
                sb.append(s);
            } else if (t == Wbxml.ENTITY) {
                pos++;
                long cp = mbUint32();
                if (cp > Character.MAX_CODE_POINT || (cp >= 0xD800 && cp <= 0xDFFF)) {
                    throw malformed("invalid character entity " + cp);
                }
                limiter.string(sb.length() + 2L);
                sb.appendCodePoint((int) cp);
            } else {
                break;
            }
        }
        return sb.toString();
    }

    private int terminator(int from) throws CodecException {
        for (int i = from; i < end; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        throw malformed("unterminated inline string (truncated)");
    }

    private void decode(int off, int len, StringBuilder into) throws CodecException {
        boolean ascii = asciiCompatible;
        for (int i = off; ascii && i < off + len; i++) {
            if (b[i] < 0) {
                ascii = false;
            }
        }
        if (ascii) {
            into.ensureCapacity(into.length() + len);
            for (int i = off; i < off + len; i++) {
                into.append((char) b[i]);
            }
            return;
        }
        try {
            into.append(charset.newDecoder().decode(ByteBuffer.wrap(b, off, len)));
        } catch (CharacterCodingException e) {
            throw malformed("string is not valid " + charset.name());
        }
    }

    /**
     * Reads the name of a LITERAL tag or attribute: the reference must start a string of the table
     * (offset 0 or just after a NUL) and that string must be an XML name without a colon.
     */
    private String tableName(long index, String what) throws CodecException {
        tableReference(index);
        if (index > 0 && b[strtblStart + (int) index - 1] != 0) {
            throw malformed("string table reference " + index + " of a literal " + what
                    + " name points inside a string");
        }
        String s = tableString(index);
        if (s.isEmpty()) {
            throw malformed("string table reference " + index + " names a literal " + what + " with an empty name");
        }
        if (!XmlNames.isNcName(s)) { // else an XML transcode would carry the name's markup (or be unreadable)
            throw malformed("string table reference " + index + " names a literal " + what
                    + " that is not an XML name");
        }
        return s;
    }

    /** Checks that a reference lies inside the string table. */
    private void tableReference(long index) throws CodecException {
        if (index < 0 || index >= strtblLen) {
            throw malformed("string table reference " + index + " outside the table of " + strtblLen + " bytes");
        }
    }

    /**
     * Reads the string at a byte offset of the table (text may refer to any offset, as WBXML allows
     * suffix sharing). What references expand to is counted against the message size limit, so that a
     * small document cannot expand one long string a million times.
     */
    private String tableString(long index) throws CodecException {
        tableReference(index);
        int from = strtblStart + (int) index;
        int stop = strtblStart + strtblLen;
        int nul = -1;
        for (int i = from; i < stop; i++) {
            if (b[i] == 0) {
                nul = i;
                break;
            }
        }
        if (nul < 0) {
            nul = stop; // real SCTS captures omit the NUL after the last (only) string: read to the end
        }
        limiter.expanded(nul - from);
        StringBuilder s = new StringBuilder(nul - from);
        decode(from, nul - from, s);
        return s.toString();
    }

    private long mbUint32() throws CodecException {
        long value = 0;
        for (int i = 0; i < 5; i++) {
            need(1);
            int c = b[pos++] & 0xFF;
            value = (value << 7) | (c & 0x7F);
            if ((c & 0x80) == 0) {
                if (value > 0xFFFFFFFFL) {
                    throw malformed("mb_u_int32 value exceeds 32 bits");
                }
                return value;
            }
        }
        throw malformed("mb_u_int32 longer than 5 bytes");
    }

    private void need(int n) throws CodecException {
        if (end - pos < n) {
            throw malformed("document ends unexpectedly (truncated)");
        }
    }

    private CodecException malformed(String message) {
        return new CodecException(CodecError.MALFORMED, "malformed WBXML at byte " + pos + ": " + message);
    }

    @Override
    public String namespace() {
        return ns;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String text() {
        return text;
    }

    @Override
    public byte[] opaque() {
        return opaque;
    }

    @Override
    public int depth() {
        return nested != null ? nested.depth() : depthOffset + depth;
    }
}
