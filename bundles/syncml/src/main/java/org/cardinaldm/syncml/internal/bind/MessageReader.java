package org.cardinaldm.syncml.internal.bind;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.cardinaldm.syncml.api.CodecError;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.Namespaces;
import org.cardinaldm.syncml.api.model.Add;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.Anchor;
import org.cardinaldm.syncml.api.model.Atomic;
import org.cardinaldm.syncml.api.model.Chal;
import org.cardinaldm.syncml.api.model.Command;
import org.cardinaldm.syncml.api.model.Copy;
import org.cardinaldm.syncml.api.model.Cred;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Delete;
import org.cardinaldm.syncml.api.model.Exec;
import org.cardinaldm.syncml.api.model.ExtensionCommand;
import org.cardinaldm.syncml.api.model.Get;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.Location;
import org.cardinaldm.syncml.api.model.Mem;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.Replace;
import org.cardinaldm.syncml.api.model.Results;
import org.cardinaldm.syncml.api.model.Sequence;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.syncml.api.model.XmlElement;
import org.cardinaldm.syncml.internal.io.TokenReader;

/**
 * Builds a {@link SyncMessage} from {@link TokenReader} events. Children are accepted in any order;
 * unknown children of known elements are skipped; SyncBody children DM does not use are kept as
 * {@link ExtensionCommand}s.
 */
public final class MessageReader {
    private final TokenReader r;
    private final boolean renameTypes;

    /**
     * @param r the token source, positioned before the root
     * @param renameTypes whether Meta Type values {@code ...dmtnds+wbxml} and {@code ...devinf+wbxml}
     *        are read as their {@code +xml} form (WBXML input whose embedded documents are expanded)
     */
    public MessageReader(TokenReader r, boolean renameTypes) {
        this.r = r;
        this.renameTypes = renameTypes;
    }

    /**
     * @return the message
     * @throws CodecException when the document is not a complete SyncML message
     */
    public SyncMessage read() throws CodecException {
        int ev = r.next();
        while (ev == TokenReader.TEXT || ev == TokenReader.OPAQUE) {
            ev = r.next();
        }
        if (ev != TokenReader.START) {
            throw new CodecException(CodecError.MALFORMED, "document has no root element");
        }
        checkRoot(r.namespace(), r.name());
        SyncHeader header = null;
        List<Command> commands = null;
        boolean[] fin = new boolean[1];
        while (nextChild("SyncML")) {
            if (!isSyncML()) {
                skip();
            } else if ("SyncHdr".equals(r.name())) {
                once(header, "SyncHdr");
                header = readHeader();
            } else if ("SyncBody".equals(r.name())) {
                if (commands != null) {
                    throw duplicate("SyncBody");
                }
                commands = readCommands("SyncBody", fin, null);
            } else {
                skip();
            }
        }
        ev = r.next();
        while (ev == TokenReader.TEXT) {
            ev = r.next();
        }
        if (ev != TokenReader.EOF) {
            throw new CodecException(CodecError.MALFORMED, "content after the SyncML root element");
        }
        if (header == null) {
            throw new CodecException(CodecError.INCOMPLETE, "SyncHdr is missing");
        }
        if (commands == null) {
            throw new CodecException(CodecError.INCOMPLETE, "SyncBody is missing");
        }
        SyncHeader h = header;
        List<Command> c = commands;
        return build("SyncML", () -> new SyncMessage(h, c, fin[0]));
    }

    /**
     * Checks the root element of a SyncML message.
     *
     * @param ns its namespace
     * @param name its name
     * @throws CodecException when it is not SyncML 1.0 to 1.2
     */
    static void checkRoot(String ns, String name) throws CodecException {
        if (!"SyncML".equals(name)) {
            throw new CodecException(CodecError.UNSUPPORTED_FORMAT,
                    "root element " + name + " is not SyncML" + (ns.isEmpty() ? "" : " (namespace " + ns + ")"));
        }
        if (!ns.isEmpty() && !Namespaces.isSyncML(ns)) {
            if (ns.toUpperCase(Locale.ROOT).startsWith("SYNCML:SYNCML")) {
                throw new CodecException(CodecError.UNSUPPORTED_VERSION, "unsupported SyncML namespace " + ns);
            }
            throw new CodecException(CodecError.UNSUPPORTED_FORMAT, "root element SyncML has namespace " + ns);
        }
    }

    private boolean isSyncML() {
        String ns = r.namespace();
        return ns.isEmpty() || Namespaces.isSyncML(ns);
    }

    private boolean isMetInf() {
        return r.namespace().equalsIgnoreCase(Namespaces.METINF) || isSyncML();
    }

    /** @return true with the reader on a child START; false at the parent's END */
    private boolean nextChild(String parent) throws CodecException {
        while (true) {
            switch (r.next()) {
                case TokenReader.START:
                    return true;
                case TokenReader.END:
                    return false;
                case TokenReader.TEXT:
                case TokenReader.OPAQUE:
                    break;
                default:
                    throw new CodecException(CodecError.MALFORMED, "document ends inside " + parent);
            }
        }
    }

    private void skip() throws CodecException {
        int depth = 1;
        while (depth > 0) {
            switch (r.next()) {
                case TokenReader.START -> depth++;
                case TokenReader.END -> depth--;
                case TokenReader.EOF -> throw new CodecException(CodecError.MALFORMED, "document ends inside an element");
                default -> {
                }
            }
        }
    }

    /** Reads the text content of the current element; OPAQUE pieces are read as UTF-8. */
    private String text() throws CodecException {
        String name = r.name();
        StringBuilder sb = null;
        String single = null;
        while (true) {
            switch (r.next()) {
                case TokenReader.TEXT -> {
                    if (single == null && sb == null) {
                        single = r.text();
                    } else {
                        if (sb == null) {
                            sb = new StringBuilder(single);
                        }
                        sb.append(r.text());
                    }
                }
                case TokenReader.OPAQUE -> {
                    String s = new String(r.opaque(), StandardCharsets.UTF_8);
                    if (single == null && sb == null) {
                        single = s;
                    } else {
                        if (sb == null) {
                            sb = new StringBuilder(single);
                        }
                        sb.append(s);
                    }
                }
                case TokenReader.END -> {
                    return sb != null ? sb.toString() : single == null ? "" : single;
                }
                case TokenReader.START -> throw new CodecException(CodecError.MALFORMED,
                        "element " + r.name() + " inside " + name + ", which holds text");
                default -> throw new CodecException(CodecError.MALFORMED, "document ends inside " + name);
            }
        }
    }

    private String trimmed() throws CodecException {
        return text().trim();
    }

    private void empty() throws CodecException {
        skip();
    }

    private long number(String element) throws CodecException {
        String t = trimmed();
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new CodecException(CodecError.INCOMPLETE, element + " is not a number");
        }
    }

    private int code(String element) throws CodecException {
        Data d = data();
        String t = d.asText().trim();
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new CodecException(CodecError.INCOMPLETE, element + " Data is not a numeric code");
        }
    }

    private static void once(Object value, String element) throws CodecException {
        if (value != null) {
            throw duplicate(element);
        }
    }

    private static CodecException duplicate(String element) {
        return new CodecException(CodecError.MALFORMED, "element " + element + " appears twice");
    }

    interface Builder<T> {
        T build();
    }

    static <T> T build(String element, Builder<T> b) throws CodecException {
        try {
            return b.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new CodecException(CodecError.INCOMPLETE, element + ": " + e.getMessage() + " is missing or invalid");
        }
    }

    private SyncHeader readHeader() throws CodecException {
        SyncHeader.Builder b = SyncHeader.builder().verDtd(null).verProto(null);
        String[] seen = new String[10];
        while (nextChild("SyncHdr")) {
            if (!isSyncML()) {
                skip();
                continue;
            }
            switch (r.name()) {
                case "VerDTD" -> b.verDtd(single(seen, 0, "VerDTD"));
                case "VerProto" -> b.verProto(single(seen, 1, "VerProto"));
                case "SessionID" -> b.sessionId(single(seen, 2, "SessionID"));
                case "MsgID" -> b.msgId(single(seen, 3, "MsgID"));
                case "Target" -> {
                    mark(seen, 4, "Target");
                    b.target(location("Target"));
                }
                case "Source" -> {
                    mark(seen, 5, "Source");
                    b.source(location("Source"));
                }
                case "RespURI" -> b.respUri(single(seen, 6, "RespURI"));
                case "NoResp" -> {
                    empty();
                    b.noResp(true);
                }
                case "Cred" -> {
                    mark(seen, 8, "Cred");
                    b.cred(cred());
                }
                case "Meta" -> {
                    mark(seen, 9, "Meta");
                    b.meta(meta());
                }
                default -> skip();
            }
        }
        return build("SyncHdr", b::build);
    }

    private String single(String[] seen, int slot, String element) throws CodecException {
        mark(seen, slot, element);
        return trimmed();
    }

    private static void mark(String[] seen, int slot, String element) throws CodecException {
        if (seen[slot] != null) {
            throw duplicate(element);
        }
        seen[slot] = element;
    }

    private Location location(String element) throws CodecException {
        String uri = null;
        String name = null;
        while (nextChild(element)) {
            if (isSyncML() && "LocURI".equals(r.name())) {
                once(uri, "LocURI");
                uri = trimmed();
            } else if (isSyncML() && "LocName".equals(r.name())) {
                once(name, "LocName");
                name = trimmed();
            } else {
                skip();
            }
        }
        if (uri == null) {
            throw new CodecException(CodecError.INCOMPLETE, element + ": LocURI is missing");
        }
        return new Location(uri, name);
    }

    private Cred cred() throws CodecException {
        Meta meta = null;
        Data data = null;
        while (nextChild("Cred")) {
            if (isSyncML() && "Meta".equals(r.name())) {
                once(meta, "Meta");
                meta = meta();
            } else if (isSyncML() && "Data".equals(r.name())) {
                once(data, "Data");
                data = data();
            } else {
                skip();
            }
        }
        Meta m = meta;
        Data d = data;
        return build("Cred", () -> new Cred(m, d));
    }

    private Meta meta() throws CodecException {
        Meta.Builder b = Meta.builder();
        readMetInf(b, "Meta");
        return b.build();
    }

    private void readMetInf(Meta.Builder b, String parent) throws CodecException {
        while (nextChild(parent)) {
            if (!isMetInf()) {
                skip();
                continue;
            }
            switch (r.name()) {
                case "Format" -> b.format(trimmed());
                case "Type" -> b.type(renameTypes ? TreeIO.renameType(trimmed(), false) : trimmed());
                case "Mark" -> b.mark(trimmed());
                case "Size" -> b.size(number("Size"));
                case "NextNonce" -> b.nextNonce(trimmed());
                case "Version" -> b.version(trimmed());
                case "MaxMsgSize" -> b.maxMsgSize(number("MaxMsgSize"));
                case "MaxObjSize" -> b.maxObjSize(number("MaxObjSize"));
                case "EMI" -> b.addEmi(text());
                case "Anchor" -> b.anchor(anchor());
                case "Mem" -> b.mem(mem());
                case "FieldLevel" -> {
                    empty();
                    b.fieldLevel(true);
                }
                case "MetInf" -> readMetInf(b, "MetInf");
                default -> skip();
            }
        }
    }

    private Anchor anchor() throws CodecException {
        String last = null;
        String next = null;
        while (nextChild("Anchor")) {
            if ("Last".equals(r.name())) {
                last = trimmed();
            } else if ("Next".equals(r.name())) {
                next = trimmed();
            } else {
                skip();
            }
        }
        return new Anchor(last, next);
    }

    private Mem mem() throws CodecException {
        boolean shared = false;
        Long free = null;
        Long freeId = null;
        while (nextChild("Mem")) {
            switch (r.name()) {
                case "SharedMem" -> {
                    empty();
                    shared = true;
                }
                case "FreeMem" -> free = number("FreeMem");
                case "FreeID" -> freeId = number("FreeID");
                default -> skip();
            }
        }
        return new Mem(shared, free, freeId);
    }

    /** Reads Data content: text, opaque bytes, or embedded elements. */
    private Data data() throws CodecException {
        StringBuilder text = null;
        ByteArrayOutputStream bytes = null;
        List<XmlElement> elements = null;
        boolean sawOpaque = false;
        while (true) {
            switch (r.next()) {
                case TokenReader.TEXT -> {
                    if (text == null) {
                        text = new StringBuilder();
                    }
                    text.append(r.text());
                    if (bytes != null) {
                        bytes.writeBytes(r.text().getBytes(StandardCharsets.UTF_8));
                    }
                }
                case TokenReader.OPAQUE -> {
                    if (bytes == null) {
                        bytes = new ByteArrayOutputStream();
                        if (text != null) {
                            bytes.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
                        }
                    }
                    sawOpaque = true;
                    bytes.writeBytes(r.opaque());
                }
                case TokenReader.START -> {
                    if (elements == null) {
                        elements = new ArrayList<>();
                    }
                    elements.add(TreeIO.readElement(r, true));
                }
                case TokenReader.END -> {
                    if (elements != null) {
                        if ((text != null && !text.toString().isBlank()) || (sawOpaque && !blank(bytes))) {
                            throw new CodecException(CodecError.MALFORMED, "Data mixes text and elements");
                        }
                        return new Data.Xml(elements);
                    }
                    if (sawOpaque) {
                        return new Data.Binary(bytes.toByteArray());
                    }
                    return new Data.Text(text == null ? "" : text.toString());
                }
                default -> throw new CodecException(CodecError.MALFORMED, "document ends inside Data");
            }
        }
    }

    private static boolean blank(ByteArrayOutputStream bytes) {
        for (byte x : bytes.toByteArray()) {
            if (x != ' ' && x != '\t' && x != '\r' && x != '\n') {
                return false;
            }
        }
        return true;
    }

    private Item item() throws CodecException {
        Item.Builder b = Item.builder();
        String[] seen = new String[5];
        while (nextChild("Item")) {
            if (!isSyncML()) {
                skip();
                continue;
            }
            switch (r.name()) {
                case "Target" -> {
                    mark(seen, 0, "Target");
                    b.target(location("Target"));
                }
                case "Source" -> {
                    mark(seen, 1, "Source");
                    b.source(location("Source"));
                }
                case "Meta" -> {
                    mark(seen, 2, "Meta");
                    b.meta(meta());
                }
                case "Data" -> {
                    mark(seen, 3, "Data");
                    b.data(data());
                }
                case "MoreData" -> {
                    empty();
                    b.moreData(true);
                }
                default -> skip();
            }
        }
        return b.build();
    }

    /** Parts shared by the commands; filled as children arrive in any order. */
    private static final class Parts {
        String cmdId;
        boolean noResp;
        Cred cred;
        Meta meta;
        String correlator;
        Integer code;
        String msgRef;
        String cmdRef;
        String cmd;
        Chal chal;
        final List<String> targetRefs = new ArrayList<>();
        final List<String> sourceRefs = new ArrayList<>();
        final List<Item> items = new ArrayList<>();
    }

    private List<Command> readCommands(String parent, boolean[] fin, Parts parts) throws CodecException {
        List<Command> commands = new ArrayList<>();
        while (nextChild(parent)) {
            if (!isSyncML()) {
                skip();
                continue;
            }
            String name = r.name();
            switch (name) {
                case "Final" -> {
                    empty();
                    if (fin != null) {
                        fin[0] = true;
                    }
                }
                case "Add", "Copy", "Delete", "Get", "Replace", "Alert", "Exec", "Status", "Results", "Atomic",
                        "Sequence" -> commands.add(command(name));
                default -> {
                    if (parts != null && ("CmdID".equals(name) || "NoResp".equals(name) || "Meta".equals(name))) {
                        part(parts, name, parent);
                    } else {
                        XmlElement e = TreeIO.readElement(r, true);
                        commands.add(new ExtensionCommand(renameTypes ? TreeIO.renameTypes(e, false) : e));
                    }
                }
            }
        }
        return commands;
    }

    private void part(Parts p, String name, String parent) throws CodecException {
        switch (name) {
            case "CmdID" -> {
                once(p.cmdId, "CmdID");
                p.cmdId = trimmed();
            }
            case "NoResp" -> {
                empty();
                p.noResp = true;
            }
            case "Meta" -> {
                once(p.meta, "Meta");
                p.meta = meta();
            }
            default -> throw new IllegalStateException(parent);
        }
    }

    private Command command(String name) throws CodecException {
        if ("Atomic".equals(name) || "Sequence".equals(name)) {
            Parts p = new Parts();
            List<Command> nested = readCommands(name, null, p);
            return build(name, () -> "Atomic".equals(name) ? new Atomic(p.cmdId, p.noResp, p.meta, nested)
                    : new Sequence(p.cmdId, p.noResp, p.meta, nested));
        }
        Parts p = new Parts();
        while (nextChild(name)) {
            if (!isSyncML()) {
                skip();
                continue;
            }
            switch (r.name()) {
                case "CmdID", "NoResp", "Meta" -> part(p, r.name(), name);
                case "Cred" -> {
                    once(p.cred, "Cred");
                    p.cred = cred();
                }
                case "Correlator" -> {
                    once(p.correlator, "Correlator");
                    p.correlator = trimmed();
                }
                case "Data" -> {
                    once(p.code, "Data");
                    p.code = code(name);
                }
                case "MsgRef" -> {
                    once(p.msgRef, "MsgRef");
                    p.msgRef = trimmed();
                }
                case "CmdRef" -> {
                    once(p.cmdRef, "CmdRef");
                    p.cmdRef = trimmed();
                }
                case "Cmd" -> {
                    once(p.cmd, "Cmd");
                    p.cmd = trimmed();
                }
                case "Chal" -> {
                    once(p.chal, "Chal");
                    p.chal = chal();
                }
                case "TargetRef" -> p.targetRefs.add(trimmed());
                case "SourceRef" -> p.sourceRefs.add(trimmed());
                case "Item" -> p.items.add(item());
                default -> skip();
            }
        }
        return build(name, () -> switch (name) {
            case "Add" -> new Add(p.cmdId, p.noResp, p.cred, p.meta, p.items);
            case "Copy" -> new Copy(p.cmdId, p.noResp, p.cred, p.meta, p.items);
            case "Delete" -> new Delete(p.cmdId, p.noResp, p.cred, p.meta, p.items);
            case "Get" -> new Get(p.cmdId, p.noResp, p.cred, p.meta, p.items);
            case "Replace" -> new Replace(p.cmdId, p.noResp, p.cred, p.meta, p.items);
            case "Alert" -> new Alert(p.cmdId, p.noResp, p.cred, requireCode(p), p.correlator, p.items);
            case "Exec" -> new Exec(p.cmdId, p.noResp, p.cred, p.meta, p.correlator,
                    p.items.size() == 1 ? p.items.get(0) : oneItem(p.items.size()));
            case "Status" -> new Status(p.cmdId, p.msgRef, p.cmdRef, p.cmd, p.targetRefs, p.sourceRefs, p.cred, p.chal,
                    requireCode(p), p.items);
            default -> new Results(p.cmdId, p.msgRef, p.cmdRef, p.meta, first(p.targetRefs), first(p.sourceRefs),
                    p.items);
        });
    }

    private static Item oneItem(int count) {
        throw new IllegalArgumentException("exactly one Item (found " + count + ")");
    }

    private static int requireCode(Parts p) {
        if (p.code == null) {
            throw new IllegalArgumentException("Data");
        }
        return p.code;
    }

    private static String first(List<String> values) {
        return values.isEmpty() ? null : values.get(0);
    }

    private Chal chal() throws CodecException {
        Meta meta = null;
        while (nextChild("Chal")) {
            if (isSyncML() && "Meta".equals(r.name())) {
                once(meta, "Meta");
                meta = meta();
            } else {
                skip();
            }
        }
        Meta m = meta;
        return build("Chal", () -> new Chal(m));
    }
}
