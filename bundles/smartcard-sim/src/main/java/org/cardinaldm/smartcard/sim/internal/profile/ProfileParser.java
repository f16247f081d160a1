package org.cardinaldm.smartcard.sim.internal.profile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.cardinaldm.smartcard.sim.internal.card.AccessCondition;
import org.cardinaldm.smartcard.sim.internal.card.Atr;
import org.cardinaldm.smartcard.sim.internal.card.CardFile;
import org.cardinaldm.smartcard.sim.internal.card.CardImage;
import org.cardinaldm.smartcard.sim.internal.card.CardKey;
import org.cardinaldm.smartcard.sim.internal.card.DedicatedFile;
import org.cardinaldm.smartcard.sim.internal.card.LinearFixedFile;
import org.cardinaldm.smartcard.sim.internal.card.Pin;
import org.cardinaldm.smartcard.sim.internal.card.TransparentFile;

/**
 * Reads a personalisation profile: the readable text from which a card image is made. The format is
 * described in {@code docs/smartcard-profile.md}; in short:
 * <pre>
 * cardinal-uicc-profile 1
 * card protocol=T=1 channels=4 atr=auto
 * pin 01 value=1234 retries=3 puk=12345678 puk-retries=10
 * key 01 usage=adm value=000102030405060708090A0B0C0D0E0F retries=10
 * mf {
 *   ef 2FE2 transparent read=always update=never label="ICCID" {
 *     data hex 98 94 21 43 65 87 09 21 43 F5
 *   }
 *   ef 2F00 linear-fixed record-size=32 records=2 read=always update=adm {
 *     record 1 hex 61 ...
 *   }
 *   df 5015 aid=A000000063504B43532D3135 label="PKCS#15" {
 *     ef 5031 transparent size=64 read=always update=adm|dm { data file "odf.bin" }
 *   }
 * }
 * </pre>
 * One statement per line; {@code #} starts a comment; {@code {} ends a line that opens a block and
 * {@code }} stands on its own line. Identifiers (FIDs, PIN and key references, AIDs, key values, hex data)
 * are hexadecimal; counts, sizes and SFIs are decimal. Every error names its line.
 */
public final class ProfileParser {
    /** The first statement of every profile. */
    public static final String HEADER = "cardinal-uicc-profile";
    private static final int MAX_FILE = 65535;
    private static final int MAX_DEPTH = 8;
    private static final HexFormat HEX = HexFormat.of();

    private final Path baseDirectory;

    /**
     * @param baseDirectory where {@code data file "…"} references are resolved, or {@code null} to forbid them
     */
    public ProfileParser(Path baseDirectory) {
        this.baseDirectory = baseDirectory;
    }

    /**
     * @param profile a profile file; {@code file} references are resolved next to it
     * @return the card image
     * @throws ProfileException if the profile is invalid
     * @throws IOException if a file cannot be read
     */
    public static CardImage parse(Path profile) throws ProfileException, IOException {
        Path dir = profile.toAbsolutePath().getParent();
        return new ProfileParser(dir).parse(Files.readString(profile, StandardCharsets.UTF_8));
    }

    /** A DF being built, with the EFs still to be sized and created. */
    private static final class DfBuilder {
        final DedicatedFile df;
        final int line;

        DfBuilder(DedicatedFile df, int line) {
            this.df = df;
            this.line = line;
        }
    }

    /** An EF being built: its attributes and the content statements read so far. */
    private static final class EfBuilder {
        final int line;
        final DfBuilder parent;
        final int fid;
        final boolean linear;
        final Map<String, String> attrs;
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        final Map<Integer, ByteArrayOutputStream> records = new TreeMap<>();

        EfBuilder(int line, DfBuilder parent, int fid, boolean linear, Map<String, String> attrs) {
            this.line = line;
            this.parent = parent;
            this.fid = fid;
            this.linear = linear;
            this.attrs = attrs;
        }
    }

    /**
     * @param text the profile text
     * @return the card image
     * @throws ProfileException if the profile is invalid
     * @throws IOException if a referenced file cannot be read
     */
    public CardImage parse(String text) throws ProfileException, IOException {
        String[] lines = text.split("\r?\n", -1);
        boolean headerSeen = false;
        Map<String, String> cardAttrs = null;
        int cardLine = 0;
        List<Pin> pins = new ArrayList<>();
        List<CardKey> keys = new ArrayList<>();
        DedicatedFile mf = null;
        Deque<Object> stack = new ArrayDeque<>();
        Map<Integer, Integer> pinLines = new HashMap<>();
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            List<String> tokens = tokenize(lines[i], lineNo);
            if (tokens.isEmpty()) {
                continue;
            }
            String keyword = tokens.get(0);
            if (!headerSeen) {
                if (!keyword.equals(HEADER) || tokens.size() != 2 || !tokens.get(1).equals("1")) {
                    throw new ProfileException(lineNo, "a profile starts with '" + HEADER + " 1'");
                }
                headerSeen = true;
                continue;
            }
            boolean opens = tokens.get(tokens.size() - 1).equals("{");
            List<String> args = tokens.subList(1, tokens.size() - (opens ? 1 : 0));
            if (keyword.equals("}")) {
                if (tokens.size() != 1) {
                    throw new ProfileException(lineNo, "'}' stands alone on its line");
                }
                if (stack.isEmpty()) {
                    throw new ProfileException(lineNo, "'}' without an open block");
                }
                Object closed = stack.pop();
                if (closed instanceof EfBuilder) {
                    createEf((EfBuilder) closed);
                }
                continue;
            }
            Object top = stack.peek();
            if (top instanceof EfBuilder) {
                if (opens) {
                    throw new ProfileException(lineNo, "an EF's content block cannot contain blocks");
                }
                content((EfBuilder) top, keyword, args, lineNo);
                continue;
            }
            switch (keyword) {
                case "card":
                    requireTopLevel(stack, lineNo, keyword, opens);
                    if (cardAttrs != null) {
                        throw new ProfileException(lineNo, "'card' given twice");
                    }
                    cardAttrs = attributes(args, 0, lineNo, Set.of("protocol", "channels", "atr", "historical"));
                    cardLine = lineNo;
                    break;
                case "pin": {
                    requireTopLevel(stack, lineNo, keyword, opens);
                    Pin pin = pin(args, lineNo);
                    if (pinLines.putIfAbsent(pin.reference(), lineNo) != null) {
                        throw new ProfileException(lineNo, String.format("PIN %02X defined twice", pin.reference()));
                    }
                    pins.add(pin);
                    break;
                }
                case "key": {
                    requireTopLevel(stack, lineNo, keyword, opens);
                    CardKey key = key(args, lineNo);
                    if (keys.stream().anyMatch(k -> k.reference() == key.reference())) {
                        throw new ProfileException(lineNo, String.format("key %02X defined twice", key.reference()));
                    }
                    keys.add(key);
                    break;
                }
                case "mf": {
                    if (!stack.isEmpty() || mf != null) {
                        throw new ProfileException(lineNo, "exactly one 'mf' block, at top level");
                    }
                    if (!opens) {
                        throw new ProfileException(lineNo, "'mf' opens a block: mf {");
                    }
                    Map<String, String> a = attributes(args, 0, lineNo, Set.of("read", "update", "label"));
                    mf = new DedicatedFile(CardFile.MF_FID, null, a.getOrDefault("label", "MF"),
                            condition(a, "read", AccessCondition.ALWAYS, lineNo),
                            condition(a, "update", AccessCondition.ADM, lineNo));
                    stack.push(new DfBuilder(mf, lineNo));
                    break;
                }
                case "df":
                case "adf": {
                    if (!(top instanceof DfBuilder)) {
                        throw new ProfileException(lineNo, "'" + keyword + "' belongs inside 'mf' or another DF");
                    }
                    if (stack.size() >= MAX_DEPTH) {
                        throw new ProfileException(lineNo, "DFs nested deeper than " + MAX_DEPTH);
                    }
                    if (!opens) {
                        throw new ProfileException(lineNo, "'" + keyword + "' opens a block: " + keyword + " <fid> … {");
                    }
                    if (args.isEmpty()) {
                        throw new ProfileException(lineNo, "'" + keyword + "' needs a file identifier");
                    }
                    int fid = fid(args.get(0), lineNo);
                    Map<String, String> a = attributes(args, 1, lineNo, Set.of("aid", "read", "update", "label"));
                    byte[] aid = a.containsKey("aid") ? hex(a.get("aid"), lineNo) : null;
                    if (keyword.equals("adf") && aid == null) {
                        throw new ProfileException(lineNo, "an 'adf' needs aid=<hex>");
                    }
                    if (aid != null && (aid.length < 5 || aid.length > 16)) {
                        throw new ProfileException(lineNo, "an AID has 5..16 bytes");
                    }
                    DedicatedFile df = new DedicatedFile(fid, aid, a.getOrDefault("label", ""),
                            condition(a, "read", AccessCondition.ALWAYS, lineNo),
                            condition(a, "update", AccessCondition.ADM, lineNo));
                    addChild((DfBuilder) top, df, lineNo);
                    stack.push(new DfBuilder(df, lineNo));
                    break;
                }
                case "ef": {
                    if (!(top instanceof DfBuilder)) {
                        throw new ProfileException(lineNo, "'ef' belongs inside 'mf' or a DF");
                    }
                    if (args.size() < 2) {
                        throw new ProfileException(lineNo, "ef <fid> transparent|linear-fixed [attributes]");
                    }
                    int fid = fid(args.get(0), lineNo);
                    boolean linear;
                    if (args.get(1).equals("transparent")) {
                        linear = false;
                    } else if (args.get(1).equals("linear-fixed")) {
                        linear = true;
                    } else {
                        throw new ProfileException(lineNo, "EF structure must be transparent or linear-fixed");
                    }
                    Map<String, String> a = attributes(args, 2, lineNo, linear
                            ? Set.of("record-size", "records", "sfi", "read", "update", "label", "fill")
                            : Set.of("size", "sfi", "read", "update", "label", "fill"));
                    EfBuilder ef = new EfBuilder(lineNo, (DfBuilder) top, fid, linear, a);
                    if (opens) {
                        stack.push(ef);
                    } else {
                        createEf(ef);
                    }
                    break;
                }
                default:
                    throw new ProfileException(lineNo, "unknown statement '" + keyword + "'");
            }
        }
        if (!headerSeen) {
            throw new ProfileException(1, "empty profile; a profile starts with '" + HEADER + " 1'");
        }
        if (!stack.isEmpty()) {
            Object open = stack.peek();
            int opened = open instanceof DfBuilder ? ((DfBuilder) open).line : ((EfBuilder) open).line;
            throw new ProfileException(opened, "the block opened here is not closed: missing '}'");
        }
        if (mf == null) {
            throw new ProfileException(lines.length, "the profile has no 'mf' block");
        }
        CardImage image = cardImage(cardAttrs == null ? Map.of() : cardAttrs, mf, cardLine);
        for (Pin pin : pins) {
            image.addPin(pin);
        }
        for (CardKey key : keys) {
            image.addKey(key);
        }
        checkReferences(image, image.mf());
        return image;
    }

    private static void requireTopLevel(Deque<Object> stack, int line, String keyword, boolean opens)
            throws ProfileException {
        if (!stack.isEmpty()) {
            throw new ProfileException(line, "'" + keyword + "' belongs at top level, outside 'mf'");
        }
        if (opens) {
            throw new ProfileException(line, "'" + keyword + "' does not open a block");
        }
    }

    private static CardImage cardImage(Map<String, String> a, DedicatedFile mf, int line) throws ProfileException {
        try {
            CardImage.Protocol protocol = CardImage.Protocol.parse(a.getOrDefault("protocol", "T=1"));
            int channels = Integer.parseInt(a.getOrDefault("channels", "4"));
            String atrText = a.getOrDefault("atr", "auto");
            byte[] atr;
            if (atrText.equals("auto")) {
                atr = a.containsKey("historical") ? Atr.build(protocol, HEX.parseHex(a.get("historical")))
                        : Atr.defaultFor(protocol, channels);
            } else {
                if (a.containsKey("historical")) {
                    throw new IllegalArgumentException("give either atr=<hex> or historical=<hex>, not both");
                }
                atr = HEX.parseHex(atrText);
            }
            return new CardImage(atr, protocol, channels, mf);
        } catch (IllegalArgumentException e) {
            throw new ProfileException(line, "card: " + e.getMessage());
        }
    }

    private static void checkReferences(CardImage image, CardFile file) throws ProfileException {
        for (AccessCondition c : List.of(file.readCondition(), file.updateCondition())) {
            for (int pin : c.pins()) {
                if (!image.pins().containsKey(pin)) {
                    throw new ProfileException(0, String.format("%s: access condition names PIN %02X, which the"
                            + " profile does not define", file, pin));
                }
            }
            if (c.allowsAdm() && image.keys().values().stream().noneMatch(k -> k.usage().equals(CardKey.USAGE_ADM))
                    && file.parent() != null) {
                throw new ProfileException(0, file + ": access condition 'adm' needs a key with usage=adm");
            }
        }
        if (file instanceof DedicatedFile) {
            for (CardFile child : ((DedicatedFile) file).children()) {
                checkReferences(image, child);
            }
        }
    }

    private static void addChild(DfBuilder parent, CardFile child, int line) throws ProfileException {
        try {
            parent.df.add(child);
        } catch (IllegalArgumentException e) {
            throw new ProfileException(line, e.getMessage());
        }
    }

    private void content(EfBuilder ef, String keyword, List<String> args, int line) throws ProfileException, IOException {
        if (keyword.equals("data")) {
            if (ef.linear) {
                throw new ProfileException(line, "a linear-fixed EF takes 'record <n> …', not 'data'");
            }
            ef.data.writeBytes(value(args, 0, line));
        } else if (keyword.equals("record")) {
            if (!ef.linear) {
                throw new ProfileException(line, "a transparent EF takes 'data …', not 'record'");
            }
            if (args.isEmpty()) {
                throw new ProfileException(line, "record <number> hex|text|file …");
            }
            int number = decimal(args.get(0), 1, 254, "record number", line);
            ef.records.computeIfAbsent(number, n -> new ByteArrayOutputStream()).writeBytes(value(args, 1, line));
        } else {
            throw new ProfileException(line, "an EF block holds 'data' or 'record' lines, not '" + keyword + "'");
        }
        if (ef.data.size() > MAX_FILE) {
            throw new ProfileException(line, "EF content larger than " + MAX_FILE + " bytes");
        }
    }

    private byte[] value(List<String> args, int from, int line) throws ProfileException, IOException {
        if (args.size() <= from) {
            throw new ProfileException(line, "expected hex …, text \"…\" or file \"…\"");
        }
        String kind = args.get(from);
        List<String> rest = args.subList(from + 1, args.size());
        switch (kind) {
            case "hex":
                if (rest.isEmpty()) {
                    throw new ProfileException(line, "'hex' needs hex digits");
                }
                return hex(String.join("", rest), line);
            case "text":
                if (rest.size() != 1) {
                    throw new ProfileException(line, "text takes one quoted string");
                }
                return rest.get(0).getBytes(StandardCharsets.UTF_8);
            case "file": {
                if (rest.size() != 1) {
                    throw new ProfileException(line, "file takes one quoted path");
                }
                if (baseDirectory == null) {
                    throw new ProfileException(line, "file references are not allowed in this profile");
                }
                Path p = baseDirectory.resolve(rest.get(0)).normalize();
                if (Files.size(p) > MAX_FILE) {
                    throw new ProfileException(line, "file larger than " + MAX_FILE + " bytes: " + rest.get(0));
                }
                return Files.readAllBytes(p);
            }
            default:
                throw new ProfileException(line, "expected hex, text or file, not '" + kind + "'");
        }
    }

    private static void createEf(EfBuilder ef) throws ProfileException {
        int line = ef.line;
        Map<String, String> a = ef.attrs;
        String label = a.getOrDefault("label", "");
        AccessCondition read = condition(a, "read", AccessCondition.ALWAYS, line);
        AccessCondition update = condition(a, "update", AccessCondition.ADM, line);
        int sfi = a.containsKey("sfi") ? decimal(a.get("sfi"), 1, 30, "sfi", line) : 0;
        byte fill = a.containsKey("fill") ? hexByte(a.get("fill"), line) : (byte) 0xFF;
        CardFile file;
        try {
            if (!ef.linear) {
                byte[] content = ef.data.toByteArray();
                int size = a.containsKey("size") ? decimal(a.get("size"), 1, MAX_FILE, "size", line) : content.length;
                if (size == 0) {
                    throw new ProfileException(line, "a transparent EF needs size=<bytes> or data");
                }
                if (content.length > size) {
                    throw new ProfileException(line, "data (" + content.length + " bytes) exceeds size=" + size);
                }
                byte[] body = Arrays.copyOf(content, size);
                Arrays.fill(body, content.length, size, fill);
                file = new TransparentFile(ef.fid, sfi, label, read, update, body);
            } else {
                if (!a.containsKey("record-size")) {
                    throw new ProfileException(line, "a linear-fixed EF needs record-size=<bytes>");
                }
                int recordSize = decimal(a.get("record-size"), 1, 255, "record-size", line);
                int highest = ef.records.isEmpty() ? 0 : ((TreeMap<Integer, ?>) ef.records).lastKey();
                int count = a.containsKey("records") ? decimal(a.get("records"), 1, 254, "records", line) : highest;
                if (count == 0) {
                    throw new ProfileException(line, "a linear-fixed EF needs records=<count> or record lines");
                }
                if (highest > count) {
                    throw new ProfileException(line, "record " + highest + " exceeds records=" + count);
                }
                byte[][] records = new byte[count][];
                for (int r = 1; r <= count; r++) {
                    ByteArrayOutputStream given = ef.records.get(r);
                    byte[] content = given == null ? new byte[0] : given.toByteArray();
                    if (content.length > recordSize) {
                        throw new ProfileException(line, "record " + r + " has " + content.length
                                + " bytes, more than record-size=" + recordSize);
                    }
                    byte[] rec = Arrays.copyOf(content, recordSize);
                    Arrays.fill(rec, content.length, recordSize, fill);
                    records[r - 1] = rec;
                }
                file = new LinearFixedFile(ef.fid, sfi, label, read, update, recordSize, records);
            }
        } catch (IllegalArgumentException e) {
            throw new ProfileException(line, e.getMessage());
        }
        addChild(ef.parent, file, line);
    }

    private static Pin pin(List<String> args, int line) throws ProfileException {
        if (args.isEmpty()) {
            throw new ProfileException(line, "pin <ref> value=<digits> …");
        }
        int ref = hexByte(args.get(0), line) & 0xFF;
        Map<String, String> a = attributes(args, 1, line, Set.of("value", "retries", "puk", "puk-retries"));
        if (!a.containsKey("value")) {
            throw new ProfileException(line, "a PIN needs value=<4..8 digits>");
        }
        try {
            int retries = decimal(a.getOrDefault("retries", "3"), 1, 15, "retries", line);
            byte[] puk = a.containsKey("puk") ? Pin.block(a.get("puk")) : null;
            int pukRetries = decimal(a.getOrDefault("puk-retries", "10"), 1, 15, "puk-retries", line);
            return new Pin(ref, Pin.block(a.get("value")), retries, retries, puk, pukRetries, pukRetries);
        } catch (IllegalArgumentException e) {
            throw new ProfileException(line, e.getMessage());
        }
    }

    private static CardKey key(List<String> args, int line) throws ProfileException {
        if (args.isEmpty()) {
            throw new ProfileException(line, "key <ref> usage=<word> value=<hex> …");
        }
        int ref = hexByte(args.get(0), line) & 0xFF;
        Map<String, String> a = attributes(args, 1, line, Set.of("usage", "value", "retries"));
        if (!a.containsKey("usage") || !a.containsKey("value")) {
            throw new ProfileException(line, "a key needs usage=<word> and value=<hex>");
        }
        int retries = decimal(a.getOrDefault("retries", "10"), 1, 15, "retries", line);
        try {
            return new CardKey(ref, a.get("usage"), hex(a.get("value"), line), retries, retries);
        } catch (IllegalArgumentException e) {
            throw new ProfileException(line, e.getMessage());
        }
    }

    private static AccessCondition condition(Map<String, String> a, String name, AccessCondition dflt, int line)
            throws ProfileException {
        if (!a.containsKey(name)) {
            return dflt;
        }
        try {
            return AccessCondition.parse(a.get(name));
        } catch (IllegalArgumentException e) {
            throw new ProfileException(line, name + ": " + e.getMessage());
        }
    }

    private static Map<String, String> attributes(List<String> args, int from, int line, Set<String> allowed)
            throws ProfileException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String arg : args.subList(Math.min(from, args.size()), args.size())) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new ProfileException(line, "expected name=value, got '" + arg + "'");
            }
            String name = arg.substring(0, eq).toLowerCase(Locale.ROOT);
            if (!allowed.contains(name)) {
                throw new ProfileException(line, "unknown attribute '" + name + "' (allowed: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
            if (out.put(name, arg.substring(eq + 1)) != null) {
                throw new ProfileException(line, "attribute '" + name + "' given twice");
            }
        }
        return out;
    }

    private static int fid(String text, int line) throws ProfileException {
        if (!text.matches("[0-9A-Fa-f]{4}")) {
            throw new ProfileException(line, "a file identifier is 4 hex digits: '" + text + "'");
        }
        return Integer.parseInt(text, 16);
    }

    private static byte hexByte(String text, int line) throws ProfileException {
        if (!text.matches("[0-9A-Fa-f]{2}")) {
            throw new ProfileException(line, "expected 2 hex digits: '" + text + "'");
        }
        return (byte) Integer.parseInt(text, 16);
    }

    private static byte[] hex(String text, int line) throws ProfileException {
        String digits = text.replace(":", "");
        if (digits.length() % 2 != 0 || !digits.matches("[0-9A-Fa-f]*")) {
            throw new ProfileException(line, "invalid hex string");
        }
        return HEX.parseHex(digits);
    }

    private static int decimal(String text, int min, int max, String name, int line) throws ProfileException {
        try {
            int v = Integer.parseInt(text);
            if (v < min || v > max) {
                throw new ProfileException(line, name + " must be " + min + ".." + max + ": " + text);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ProfileException(line, name + " must be a decimal number: '" + text + "'");
        }
    }

    /** Splits a line into words, quoted strings (with \" and \\ escapes) and braces; drops # comments. */
    static List<String> tokenize(String line, int lineNo) throws ProfileException {
        List<String> tokens = new ArrayList<>();
        StringBuilder current = null;
        int i = 0;
        int n = line.length();
        while (i < n) {
            char ch = line.charAt(i);
            if (ch == '#') {
                break;
            }
            if (Character.isWhitespace(ch)) {
                if (current != null) {
                    tokens.add(current.toString());
                    current = null;
                }
                i++;
                continue;
            }
            if ((ch == '{' || ch == '}') && current == null) {
                tokens.add(String.valueOf(ch));
                i++;
                continue;
            }
            if (current == null) {
                current = new StringBuilder();
            }
            if (ch == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char q = line.charAt(i);
                    if (q == '\\' && i + 1 < n) {
                        char e = line.charAt(i + 1);
                        if (e != '"' && e != '\\') {
                            throw new ProfileException(lineNo, "unknown escape \\" + e + " (use \\\" or \\\\)");
                        }
                        current.append(e);
                        i += 2;
                        continue;
                    }
                    if (q == '"') {
                        closed = true;
                        i++;
                        break;
                    }
                    current.append(q);
                    i++;
                }
                if (!closed) {
                    throw new ProfileException(lineNo, "unterminated quoted string");
                }
                continue;
            }
            current.append(ch);
            i++;
        }
        if (current != null) {
            tokens.add(current.toString());
        }
        return tokens;
    }
}
