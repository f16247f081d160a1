package org.cardinaldm.syncml.internal.wbxml;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cardinaldm.syncml.api.CodecError;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.Namespaces;
import org.cardinaldm.syncml.api.WbxmlOptions;
import org.cardinaldm.syncml.internal.io.Bytes;
import org.cardinaldm.syncml.internal.io.TokenWriter;

/**
 * Writes a WBXML document. The code page of each element comes from its namespace (SyncML page 0,
 * MetInf page 1, DM DDF page 2), never from its name; pages are switched lazily. With
 * {@link WbxmlOptions.EmbeddedDocuments#OPAQUE}, a DM DDF tree inside a SyncML {@code Data} becomes a
 * separate WBXML document in an OPAQUE value; DevInf always does (it has no page in SyncML).
 */
public final class WbxmlTokenWriter implements TokenWriter {
    private static final int MIN_TABLE_STRING = 3;

    private final WbxmlOptions options;
    private final Wbxml.Kind kind;
    private final String syncmlNamespace;
    private final Bytes body = new Bytes(1024);

    private final List<String> stackNs = new ArrayList<>();
    private final List<String> stackName = new ArrayList<>();
    private int page;
    private boolean pending;
    private int pendingPage;
    private int pendingToken;

    private WbxmlTokenWriter nested;
    private int nestedDepth;

    /** Recorded events when a string table is built (two passes). */
    private List<Object[]> events;
    private Map<String, Integer> table = Map.of();

    /**
     * @param options the output settings
     * @param kind the kind of document written
     * @param syncmlNamespace the namespace that stands for SyncML (page 0) in a SyncML document; it also
     *        selects the public id
     */
    public WbxmlTokenWriter(WbxmlOptions options, Wbxml.Kind kind, String syncmlNamespace) {
        this.options = options;
        this.kind = kind;
        this.syncmlNamespace = syncmlNamespace;
        this.events = options.stringTable() ? new ArrayList<>() : null;
    }

    @Override
    public void start(String namespace, String name) throws CodecException {
        if (nested != null) {
            nestedDepth++;
            nested.start(namespace, name);
            return;
        }
        if (events != null) {
            events.add(new Object[] {"S", namespace, name});
            return;
        }
        doStart(namespace, name);
    }

    private void doStart(String namespace, String name) throws CodecException {
        if (kind == Wbxml.Kind.SYNCML && Namespaces.DEVINF.equals(namespace) && inSyncMLData()) {
            // DevInf has no code page in a SyncML document: always a document of its own
            Wbxml.Kind devinf = Namespaces.SYNCML_1_2.equals(syncmlNamespace) ? Wbxml.Kind.DEVINF_12
                    : Wbxml.Kind.DEVINF_11;
            nested = new WbxmlTokenWriter(options.withStringTable(false), devinf, syncmlNamespace);
            nestedDepth = 1;
            nested.start(namespace, name);
            return;
        }
        int p = pageOf(namespace, name);
        if (p == CodePages.PAGE_DMDDF && kind == Wbxml.Kind.SYNCML
                && options.embeddedDocuments() == WbxmlOptions.EmbeddedDocuments.OPAQUE && inSyncMLData()) {
            nested = new WbxmlTokenWriter(options.withStringTable(false), Wbxml.Kind.DMDDF, syncmlNamespace);
            nestedDepth = 1;
            nested.start(namespace, name);
            return;
        }
        Integer token = tokens(p).get(name);
        if (token == null) {
            throw new CodecException(CodecError.UNENCODABLE,
                    "element " + name + " has no WBXML token in namespace " + namespace);
        }
        flushPending(true);
        stackNs.add(namespace);
        stackName.add(name);
        pending = true;
        pendingPage = p;
        pendingToken = token;
    }

    private java.util.Map<String, Integer> tokens(int p) {
        return switch (kind) {
            case DEVINF_11 -> CodePages.DEVINF_11_TOKENS;
            case DEVINF_12 -> CodePages.DEVINF_12_TOKENS;
            default -> CodePages.tokens(p);
        };
    }

    private boolean inSyncMLData() {
        int d = stackName.size();
        return d > 0 && "Data".equals(stackName.get(d - 1)) && isSyncMLNamespace(stackNs.get(d - 1));
    }

    private boolean isSyncMLNamespace(String namespace) {
        return namespace.isEmpty() || Namespaces.isSyncML(namespace);
    }

    private int pageOf(String namespace, String name) throws CodecException {
        if (kind == Wbxml.Kind.DMDDF) {
            if (namespace.equals(Namespaces.DMDDF_1_2) || namespace.isEmpty()) {
                return CodePages.PAGE_DMDDF;
            }
        } else if (kind != Wbxml.Kind.SYNCML) {
            if (namespace.equals(Namespaces.DEVINF) || namespace.isEmpty()) {
                return 0;
            }
        } else if (isSyncMLNamespace(namespace)) {
            return CodePages.PAGE_SYNCML;
        } else if (namespace.equalsIgnoreCase(Namespaces.METINF)) {
            return CodePages.PAGE_METINF;
        } else if (namespace.equals(Namespaces.DMDDF_1_2)) {
            return CodePages.PAGE_DMDDF;
        }
        throw new CodecException(CodecError.UNENCODABLE,
                "namespace " + (namespace.isEmpty() ? "(none)" : namespace) + " of element " + name
                        + " has no WBXML code page");
    }

    private void flushPending(boolean content) {
        if (!pending) {
            return;
        }
        pending = false;
        if (pendingPage != page) {
            body.write(Wbxml.SWITCH_PAGE);
            body.write(pendingPage);
            page = pendingPage;
        }
        body.write(content ? pendingToken | Wbxml.CONTENT : pendingToken);
    }

    @Override
    public void text(String text) throws CodecException {
        if (nested != null) {
            nested.text(text);
            return;
        }
        if (text.isEmpty()) {
            return;
        }
        if (events != null) {
            events.add(new Object[] {"T", text});
            return;
        }
        doText(text);
    }

    private void doText(String text) throws CodecException {
        if (text.indexOf('\0') >= 0) {
            throw new CodecException(CodecError.UNENCODABLE, "text with a NUL character cannot be an inline string");
        }
        checkSurrogates(text);
        flushPending(true);
        Integer ref = table.get(text);
        if (ref != null) {
            body.write(Wbxml.STR_T);
            body.writeMbUint32(ref);
        } else {
            body.write(Wbxml.STR_I);
            body.writeUtf8(text);
            body.write(0);
        }
    }

    /** Unpaired surrogates have no UTF-8 form; refuse them instead of writing '?'. */
    private static void checkSurrogates(String text) throws CodecException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new CodecException(CodecError.UNENCODABLE, String.format("unpaired surrogate U+%04X", (int) c));
            }
        }
    }

    @Override
    public void dataText(String text) throws CodecException {
        if (nested != null) {
            nested.dataText(text);
            return;
        }
        if (text.isEmpty()) {
            return;
        }
        if (options.opaqueData() || text.indexOf('\0') >= 0) {
            checkSurrogates(text);
            opaque(text.getBytes(StandardCharsets.UTF_8));
        } else {
            text(text);
        }
    }

    @Override
    public void opaque(byte[] bytes) throws CodecException {
        if (nested != null) {
            nested.opaque(bytes);
            return;
        }
        if (events != null) {
            events.add(new Object[] {"O", bytes});
            return;
        }
        doOpaque(bytes);
    }

    private void doOpaque(byte[] bytes) {
        flushPending(true);
        body.write(Wbxml.OPAQUE);
        body.writeMbUint32(bytes.length);
        body.write(bytes, 0, bytes.length);
    }

    @Override
    public void end() throws CodecException {
        if (nested != null) {
            nested.end();
            if (--nestedDepth == 0) {
                byte[] doc = nested.finish();
                nested = null;
                if (events != null) {
                    events.add(new Object[] {"O", doc});
                } else {
                    doOpaque(doc);
                }
            }
            return;
        }
        if (events != null) {
            events.add(new Object[] {"E"});
            return;
        }
        doEnd();
    }

    private void doEnd() throws CodecException {
        int d = stackName.size();
        if (d == 0) {
            throw new CodecException(CodecError.UNENCODABLE, "end without start");
        }
        stackName.remove(d - 1);
        stackNs.remove(d - 1);
        if (pending) {
            flushPending(false);
        } else {
            body.write(Wbxml.END);
        }
    }

    @Override
    public byte[] finish() throws CodecException {
        if (nested != null) {
            throw new CodecException(CodecError.UNENCODABLE, "unclosed embedded document");
        }
        Bytes strtbl = new Bytes(64);
        long fpiIndex = -1;
        String fpi = literalFpi();
        if (fpi != null) {
            fpiIndex = 0;
            strtbl.writeUtf8(fpi);
            strtbl.write(0);
        }
        if (events != null) {
            List<Object[]> recorded = events;
            events = null;
            table = buildTable(recorded, strtbl);
            for (Object[] e : recorded) {
                switch ((String) e[0]) {
                    case "S" -> start((String) e[1], (String) e[2]);
                    case "T" -> text((String) e[1]);
                    case "O" -> opaque((byte[]) e[1]);
                    default -> end();
                }
            }
        }
        if (!stackName.isEmpty()) {
            throw new CodecException(CodecError.UNENCODABLE, "unclosed element " + stackName.get(stackName.size() - 1));
        }
        Bytes out = new Bytes(body.length() + strtbl.length() + 16);
        out.write(options.version());
        if (fpiIndex >= 0) {
            out.write(0);
            out.writeMbUint32(fpiIndex);
        } else {
            out.writeMbUint32(numericPublicId());
        }
        out.writeMbUint32(Wbxml.UTF_8);
        out.writeMbUint32(strtbl.length());
        byte[] t = strtbl.toByteArray();
        out.write(t, 0, t.length);
        byte[] bd = body.toByteArray();
        out.write(bd, 0, bd.length);
        return out.toByteArray();
    }

    private static Map<String, Integer> buildTable(List<Object[]> recorded, Bytes strtbl) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Object[] e : recorded) {
            if ("T".equals(e[0])) {
                String s = (String) e[1];
                if (s.length() >= MIN_TABLE_STRING && s.indexOf('\0') < 0) {
                    counts.merge(s, 1, Integer::sum);
                }
            }
        }
        Map<String, Integer> refs = new HashMap<>();
        for (Map.Entry<String, Integer> c : counts.entrySet()) {
            if (c.getValue() >= 2) {
                refs.put(c.getKey(), strtbl.length());
                strtbl.writeUtf8(c.getKey());
                strtbl.write(0);
            }
        }
        return refs;
    }

    private String literalFpi() {
        if (kind == Wbxml.Kind.DMDDF) {
            return Namespaces.FPI_DMDDF_1_2;
        }
        if (kind != Wbxml.Kind.SYNCML) {
            return null;
        }
        if (options.publicIdForm() == WbxmlOptions.PublicIdForm.LITERAL) {
            if (options.literalPublicId() != null) {
                return options.literalPublicId();
            }
            if (Namespaces.SYNCML_1_1.equals(syncmlNamespace)) {
                return Namespaces.FPI_SYNCML_1_1;
            }
            if (Namespaces.SYNCML_1_0.equals(syncmlNamespace)) {
                return Namespaces.FPI_SYNCML_1_0;
            }
            return Namespaces.FPI_SYNCML_1_2;
        }
        return null;
    }

    private int numericPublicId() {
        if (kind == Wbxml.Kind.DEVINF_11) {
            return Wbxml.DEVINF_11;
        }
        if (kind == Wbxml.Kind.DEVINF_12) {
            return Wbxml.DEVINF_12;
        }
        if (Namespaces.SYNCML_1_1.equals(syncmlNamespace)) {
            return Namespaces.WBXML_ID_SYNCML_1_1;
        }
        if (Namespaces.SYNCML_1_0.equals(syncmlNamespace)) {
            return Namespaces.WBXML_ID_SYNCML_1_0;
        }
        return Namespaces.WBXML_ID_SYNCML_1_2;
    }
}
