package org.cardinaldm.syncml.test.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Structure-aware WBXML mutations (issue 11): the seed is parsed into its header, string table and
 * body tokens, one token-level change is made, and the document is written again, so the change
 * reaches the decoder's deeper paths instead of failing at the first broken byte. The mutations aim at
 * what byte flips rarely produce: LITERAL tags and attributes naming empty, duplicate, unterminated,
 * mid-string or out-of-table strings, STR_T text references, forged and truncated mb_u_int32 lengths
 * (string table, OPAQUE, references), SWITCH_PAGE to unknown pages, entities, extension tokens and PIs,
 * subtree duplication, deletion and deep nesting, header fields, and the WBXML documents that SyncML
 * embeds in OPAQUE Data (TNDS, DevInf).
 *
 * <p>Seeds this class cannot parse (already broken bytes) are returned unchanged by
 * {@link #mutate(byte[])} as {@code null}; callers then fall back to byte-level mutations.
 */
public final class WbxmlMutator {
    /** The decoder path a mutation aims at. */
    public enum Target {
        /** a LITERAL tag and its string-table name */
        LITERAL_TAG,
        /** a LITERAL attribute name */
        LITERAL_ATTRIBUTE,
        /** a STR_T attribute value */
        ATTRIBUTE_VALUE,
        /** a STR_T reference in text */
        STR_T_TEXT,
        /** the string table itself and its length */
        STRING_TABLE,
        /** the literal public id reference */
        PUBLIC_ID,
        /** an OPAQUE length or a truncated mb_u_int32 */
        MB_UINT32,
        /** code pages */
        SWITCH_PAGE,
        /** ENTITY, EXT and PI tokens */
        SPECIAL_TOKEN,
        /** element structure */
        STRUCTURE,
        /** header fields */
        HEADER,
        /** an embedded WBXML document in OPAQUE */
        EMBEDDED
    }

    /**
     * @param name the mutator's name
     * @param target the path it aims at
     * @param bytes the mutated document
     */
    public record Mutation(String name, Target target, byte[] bytes) {
    }

    /** Names of the mutators, for counting. */
    public static final List<String> NAMES = List.of("literal-tag-empty", "literal-tag-duplicate", "literal-tag-past-table",
            "literal-tag-mid-string", "literal-tag-unterminated", "literal-tag-huge-ref", "literal-attribute",
            "attribute-value-str-t", "attributes-unterminated", "str-t-text", "string-table-length",
            "string-table-duplicated", "string-table-amplified", "public-id-literal", "opaque-length", "mb-truncated",
            "mb-overlong", "switch-page", "switch-page-truncated", "entity", "extension-or-pi", "end-removed",
            "end-added", "content-bit", "subtree-duplicated", "subtree-deleted", "deep-nesting", "header-field",
            "embedded");

    private static final String[] NAMES_FOR_TAGS = {"Put", "Data", "SyncML", "MgmtTree", "Node", "x", "Add", "Item",
        "\u00e9l\u00e9ment", "a:b", "NodeName"};
    private static final byte[][] FPIS = {ascii("-//SYNCML//DTD SyncML 1.2//EN"), ascii("-//SYNCML//DTD SyncML 1.1//EN"),
        ascii("-//OMA//DTD-DM-DDF 1.2//EN"), ascii("-//SYNCML//DTD DevInf 1.2//EN"), ascii("-//SYNCML//DTD MetInf 1.2//EN"),
        ascii("-//W3C//DTD XHTML 1.0//EN"), new byte[0]};

    private final Random r;

    /**
     * @param r the source of randomness (seeded by the caller, so campaigns reproduce)
     */
    public WbxmlMutator(Random r) {
        this.r = r;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A parsed document: header fields, string table and body tokens (each with its raw bytes). */
    static final class Doc {
        int version;
        long publicId;
        long fpiIndex = -1;
        long charset;
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        List<Tok> body = new ArrayList<>();

        byte[] write() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(version);
            mb(out, publicId);
            if (publicId == 0) {
                mb(out, fpiIndex);
            }
            mb(out, charset);
            mb(out, table.size());
            out.writeBytes(table.toByteArray());
            for (Tok t : body) {
                out.writeBytes(t.raw);
            }
            return out.toByteArray();
        }

        int add(byte[] s, boolean terminate) {
            byte[] t = table.toByteArray();
            if (t.length > 0 && t[t.length - 1] != 0) {
                table.write(0); // keep the strings that are there terminated
            }
            int at = table.size();
            table.writeBytes(s);
            if (terminate) {
                table.write(0);
            }
            return at;
        }
    }

    /** One body token: its first byte and its complete encoding. */
    record Tok(int type, byte[] raw) {
        boolean isTag() {
            int t = type & 0x3F;
            return t >= 5 && type != 0x43 && !(type >= 0x40 && type <= 0x42) && !(type >= 0x80 && type <= 0x83)
                    && !(type >= 0xC0 && type <= 0xC3);
        }

        boolean hasContent() {
            return (type & 0x40) != 0;
        }
    }

    static void mb(ByteArrayOutputStream out, long value) {
        int shift = 28;
        while (shift > 0 && (value >>> shift) == 0) {
            shift -= 7;
        }
        for (; shift > 0; shift -= 7) {
            out.write((int) (((value >>> shift) & 0x7F) | 0x80));
        }
        out.write((int) (value & 0x7F));
    }

    static byte[] mbBytes(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mb(out, value);
        return out.toByteArray();
    }

    private static final class Cursor {
        final byte[] b;
        int pos;

        Cursor(byte[] b) {
            this.b = b;
        }

        int u8() {
            if (pos >= b.length) {
                throw new IllegalStateException("end");
            }
            return b[pos++] & 0xFF;
        }

        long mb() {
            long v = 0;
            for (int i = 0; i < 5; i++) {
                int c = u8();
                v = (v << 7) | (c & 0x7F);
                if ((c & 0x80) == 0) {
                    return v;
                }
            }
            throw new IllegalStateException("mb");
        }
    }

    /**
     * @param b a WBXML document
     * @return its parts, or null when it is not a well-formed token stream
     */
    static Doc parse(byte[] b) {
        try {
            Cursor c = new Cursor(b);
            Doc d = new Doc();
            d.version = c.u8();
            d.publicId = c.mb();
            if (d.publicId == 0) {
                d.fpiIndex = c.mb();
            }
            d.charset = c.mb();
            long len = c.mb();
            if (len > b.length - c.pos) {
                return null;
            }
            d.table.write(b, c.pos, (int) len);
            c.pos += (int) len;
            while (c.pos < b.length) {
                int start = c.pos;
                int t = c.u8();
                switch (t) {
                    case 0x00 -> c.u8();
                    case 0x01 -> {
                    }
                    case 0x02, 0x83, 0x80, 0x81, 0x82 -> c.mb();
                    case 0x03, 0x40, 0x41, 0x42 -> {
                        while (c.u8() != 0) {
                            // inline string
                        }
                    }
                    case 0xC3 -> {
                        long n = c.mb();
                        if (n > b.length - c.pos) {
                            return null;
                        }
                        c.pos += (int) n;
                    }
                    case 0x04, 0x44 -> c.mb();
                    default -> {
                        if ((t & 0x80) != 0 || t == 0x43) {
                            return null; // attributes do not occur in the seeds
                        }
                    }
                }
                d.body.add(new Tok(t, Arrays.copyOfRange(b, start, c.pos)));
            }
            return d;
        } catch (IllegalStateException e) {
            return null;
        }
    }

    /**
     * @param seed a well-formed WBXML document
     * @return one structure-aware mutation of it, or null when the seed cannot be parsed
     */
    public Mutation mutate(byte[] seed) {
        Doc d = parse(seed);
        if (d == null || d.body.isEmpty()) {
            return null;
        }
        return mutate(d, NAMES.get(r.nextInt(NAMES.size())), 0);
    }

    private Mutation done(String name, Target target, Doc d) {
        return new Mutation(name, target, d.write());
    }

    private List<Integer> indexes(Doc d, java.util.function.Predicate<Tok> p) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < d.body.size(); i++) {
            if (p.test(d.body.get(i))) {
                out.add(i);
            }
        }
        return out;
    }

    private int pick(List<Integer> candidates, Doc d) {
        return candidates.isEmpty() ? r.nextInt(d.body.size()) : candidates.get(r.nextInt(candidates.size()));
    }

    /** A string-table reference of the kind asked for; strings are added to the table as needed. */
    private long reference(Doc d, String kind) {
        return switch (kind) {
            case "empty" -> d.add(new byte[0], true);
            case "duplicate" -> {
                byte[] name = ascii(NAMES_FOR_TAGS[r.nextInt(NAMES_FOR_TAGS.length)]);
                d.add(name, true);
                yield d.add(name, true);
            }
            case "past" -> d.table.size() + r.nextInt(4);
            case "mid" -> d.add(ascii("Name" + r.nextInt(10)), true) + 1 + r.nextInt(4);
            case "unterminated" -> d.add(ascii(NAMES_FOR_TAGS[r.nextInt(NAMES_FOR_TAGS.length)]), false);
            case "huge" -> new long[] {0xFFFFFFFFL, 0x7FFFFFFFL, 0x80000000L, Integer.MAX_VALUE + 1L}[r.nextInt(4)];
            default -> d.add(ascii(NAMES_FOR_TAGS[r.nextInt(NAMES_FOR_TAGS.length)]), true);
        };
    }

    private static final String[] REFERENCE_KINDS = {"empty", "duplicate", "past", "mid", "unterminated", "huge", "valid"};

    private String anyKind() {
        return REFERENCE_KINDS[r.nextInt(REFERENCE_KINDS.length)];
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private Tok literalTag(Tok tag, long ref) {
        int t = 0x04 | (tag.type & 0xC0);
        return new Tok(t, concat(new byte[] {(byte) t}, mbBytes(ref)));
    }

    /** An attribute list: LITERAL or token attribute starts with values of every kind, then END. */
    private byte[] attributes(Doc d, String nameKind, String valueKind, boolean terminate) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            if (nameKind != null) {
                out.write(0x04);
                mb(out, reference(d, nameKind));
            } else {
                out.write(0x05 + r.nextInt(0x7A)); // an attribute-start token: SyncML defines none
            }
            switch (valueKind == null ? r.nextInt(6) : 0) {
                case 0 -> {
                    out.write(0x83);
                    mb(out, reference(d, valueKind == null ? anyKind() : valueKind));
                }
                case 1 -> out.writeBytes(new byte[] {0x03, 'v', 0});
                case 2 -> out.writeBytes(new byte[] {(byte) 0xC3, 0x02, 'o', 'k'});
                case 3 -> out.writeBytes(concat(new byte[] {(byte) 0xC3}, mbBytes(0xFFFFFFF0L)));
                case 4 -> out.writeBytes(new byte[] {0x02, 0x41, 0x00, 0x02});
                default -> out.write(0x80 + r.nextInt(0x40)); // an attribute-value token
            }
        }
        if (terminate) {
            out.write(0x01);
        }
        return out.toByteArray();
    }

    private Mutation mutate(Doc d, String name, int level) {
        List<Integer> tags = indexes(d, Tok::isTag);
        switch (name) {
            case "literal-tag-empty", "literal-tag-duplicate", "literal-tag-past-table", "literal-tag-mid-string",
                    "literal-tag-unterminated", "literal-tag-huge-ref" -> {
                String kind = switch (name) {
                    case "literal-tag-empty" -> "empty";
                    case "literal-tag-duplicate" -> "duplicate";
                    case "literal-tag-past-table" -> "past";
                    case "literal-tag-mid-string" -> "mid";
                    case "literal-tag-unterminated" -> "unterminated";
                    default -> "huge";
                };
                int at = pick(tags, d);
                // a tag below the root, preferably: the root's name decides the document type
                if (tags.size() > 1 && at == tags.get(0)) {
                    at = tags.get(1 + r.nextInt(tags.size() - 1));
                }
                Tok old = d.body.get(at);
                d.body.set(at, literalTag(old.isTag() ? old : new Tok(0x45, new byte[] {0x45}), reference(d, kind)));
                return done(name, Target.LITERAL_TAG, d);
            }
            case "literal-attribute", "attribute-value-str-t", "attributes-unterminated" -> {
                int at = pick(tags, d);
                Tok old = d.body.get(at);
                if (!old.isTag()) {
                    return mutate(d, "literal-tag-empty", level);
                }
                int t = old.type | 0x80;
                boolean literal = !"attribute-value-str-t".equals(name);
                byte[] attrs = attributes(d, literal ? anyKind() : null, literal ? null : anyKind(),
                        !"attributes-unterminated".equals(name));
                d.body.set(at, new Tok(t, concat(new byte[] {(byte) t}, attrs)));
                return done(name, literal ? Target.LITERAL_ATTRIBUTE : Target.ATTRIBUTE_VALUE, d);
            }
            case "str-t-text" -> {
                List<Integer> texts = indexes(d, t -> t.type == 0x03);
                long ref = reference(d, anyKind());
                Tok strT = new Tok(0x83, concat(new byte[] {(byte) 0x83}, mbBytes(ref)));
                if (texts.isEmpty() || r.nextBoolean()) {
                    int at = tags.isEmpty() ? 0 : tags.get(r.nextInt(tags.size())) + 1;
                    d.body.add(Math.min(at, d.body.size()), strT);
                } else {
                    d.body.set(texts.get(r.nextInt(texts.size())), strT);
                }
                return done(name, Target.STR_T_TEXT, d);
            }
            case "string-table-length" -> {
                byte[] doc = d.write();
                byte[] head = headerUpToTableLength(d);
                long real = d.table.size();
                byte[] len = switch (r.nextInt(6)) {
                    case 0 -> mbBytes(real + 1 + r.nextInt(1000));
                    case 1 -> mbBytes(0xFFFFFFFFL);
                    case 2 -> new byte[] {(byte) 0x8F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F}; // > 32 bits
                    case 3 -> new byte[] {(byte) 0x81, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00};
                    case 4 -> mbBytes(Math.max(0, real - 1 - r.nextInt((int) Math.max(1, real))));
                    default -> mbBytes(0);
                };
                int rest = head.length + mbBytes(real).length;
                return new Mutation(name, Target.STRING_TABLE, concat(head, len, Arrays.copyOfRange(doc, rest, doc.length)));
            }
            case "string-table-duplicated" -> {
                byte[] t = d.table.toByteArray();
                d.table.writeBytes(t);
                d.add(ascii("Put"), true);
                d.add(ascii("Put"), true);
                int at = pick(tags, d);
                if (d.body.get(at).isTag() && at != tags.get(0)) {
                    d.body.set(at, literalTag(d.body.get(at), d.table.size() - 4));
                }
                return done(name, Target.STRING_TABLE, d);
            }
            case "string-table-amplified" -> {
                long ref = d.add(ascii("x".repeat(1 + r.nextInt(60_000))), true);
                byte[] strT = concat(new byte[] {(byte) 0x83}, mbBytes(ref));
                int copies = 1 + r.nextInt(2_000);
                ByteArrayOutputStream many = new ByteArrayOutputStream();
                for (int i = 0; i < copies; i++) {
                    many.writeBytes(r.nextBoolean() ? strT : concat(new byte[] {0x4F}, strT, new byte[] {0x01}));
                }
                int at = tags.size() > 2 ? tags.get(2 + r.nextInt(tags.size() - 2)) + 1 : d.body.size() - 1;
                d.body.add(Math.min(Math.max(at, 0), d.body.size()), new Tok(0x83, many.toByteArray()));
                return done(name, Target.STRING_TABLE, d);
            }
            case "public-id-literal" -> {
                d.publicId = 0;
                String kind = anyKind();
                d.fpiIndex = "valid".equals(kind) ? d.add(FPIS[r.nextInt(FPIS.length)], r.nextInt(4) != 0)
                        : reference(d, kind);
                return done(name, Target.PUBLIC_ID, d);
            }
            case "opaque-length" -> {
                List<Integer> opaques = indexes(d, t -> t.type == 0xC3);
                int at;
                byte[] data;
                if (opaques.isEmpty()) {
                    at = tags.isEmpty() ? d.body.size() : Math.min(d.body.size(), tags.get(r.nextInt(tags.size())) + 1);
                    data = ascii("opaque");
                } else {
                    at = opaques.get(r.nextInt(opaques.size()));
                    Cursor c = new Cursor(d.body.remove(at).raw);
                    c.u8();
                    long n = c.mb();
                    data = Arrays.copyOfRange(c.b, c.pos, c.pos + (int) n);
                }
                byte[] len = switch (r.nextInt(5)) {
                    case 0 -> mbBytes(data.length + 1 + r.nextInt(64));
                    case 1 -> mbBytes(0xFFFFFFFFL);
                    case 2 -> new byte[] {(byte) 0x9F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F};
                    case 3 -> mbBytes(Math.max(0, data.length - 1 - r.nextInt(Math.max(1, data.length))));
                    default -> new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
                };
                d.body.add(at, new Tok(0xC3, concat(new byte[] {(byte) 0xC3}, len, data)));
                return done(name, Target.MB_UINT32, d);
            }
            case "mb-truncated" -> {
                byte[] doc = d.write();
                int[] starts = {0x83, 0xC3, 0x04, 0x44, 0x02};
                byte[] token = {(byte) starts[r.nextInt(starts.length)], (byte) (0x80 | r.nextInt(0x80))};
                int cut = Math.max(1, doc.length - 1 - r.nextInt(Math.max(1, d.body.size())));
                return new Mutation(name, Target.MB_UINT32, concat(Arrays.copyOf(doc, cut), token));
            }
            case "mb-overlong" -> {
                List<Integer> refs = indexes(d, t -> t.type == 0x83 || t.type == 0x04 || t.type == 0x44 || t.type == 0xC3);
                byte[] over = r.nextBoolean() ? new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00}
                    : new byte[] {(byte) 0x90, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00};
                int at = refs.isEmpty() ? pick(tags, d) : refs.get(r.nextInt(refs.size()));
                int t = refs.isEmpty() ? 0x83 : d.body.get(at).type;
                d.body.add(at, new Tok(t, concat(new byte[] {(byte) t}, over)));
                return done(name, Target.MB_UINT32, d);
            }
            case "switch-page" -> {
                int[] pages = {3, 4, 5, 0x7F, 0x80, 0xFF, 0, 1, 2};
                int page = pages[r.nextInt(pages.length)];
                int at = r.nextInt(d.body.size() + 1);
                d.body.add(at, new Tok(0x00, new byte[] {0x00, (byte) page}));
                return done(name, Target.SWITCH_PAGE, d);
            }
            case "switch-page-truncated" -> {
                byte[] doc = d.write();
                int cut = doc.length - r.nextInt(Math.max(1, Math.min(doc.length, 8)));
                return new Mutation(name, Target.SWITCH_PAGE, concat(Arrays.copyOf(doc, cut), new byte[] {0x00}));
            }
            case "entity" -> {
                long[] cps = {0, 0x41, 0xD800, 0xDFFF, 0x10FFFF, 0x110000, 0xFFFFFFFFL, 0x7FFFFFFFL};
                int at = tags.isEmpty() ? 0 : Math.min(d.body.size(), tags.get(r.nextInt(tags.size())) + 1);
                d.body.add(at, new Tok(0x02, concat(new byte[] {0x02}, mbBytes(cps[r.nextInt(cps.length)]))));
                return done(name, Target.SPECIAL_TOKEN, d);
            }
            case "extension-or-pi" -> {
                byte[][] specials = {{0x40, 'x', 0}, {(byte) 0x80, 0x05}, {(byte) 0xC0}, {0x43, 0x05, 0x03, 'v', 0, 0x01},
                    {0x43, 0x04, 0x00, 0x01}, {0x43}, {(byte) 0xC1}, {0x42, 'x'}};
                byte[] s = specials[r.nextInt(specials.length)];
                d.body.add(r.nextInt(d.body.size() + 1), new Tok(s[0] & 0xFF, s));
                return done(name, Target.SPECIAL_TOKEN, d);
            }
            case "end-removed" -> {
                List<Integer> ends = indexes(d, t -> t.type == 0x01);
                if (!ends.isEmpty()) {
                    d.body.remove((int) ends.get(r.nextInt(ends.size())));
                }
                return done(name, Target.STRUCTURE, d);
            }
            case "end-added" -> {
                d.body.add(r.nextInt(d.body.size() + 1), new Tok(0x01, new byte[] {0x01}));
                return done(name, Target.STRUCTURE, d);
            }
            case "content-bit" -> {
                int at = pick(tags, d);
                Tok old = d.body.get(at);
                if (old.isTag()) {
                    int t = old.type ^ 0x40;
                    d.body.set(at, new Tok(t, new byte[] {(byte) t}));
                }
                return done(name, Target.STRUCTURE, d);
            }
            case "subtree-duplicated", "subtree-deleted", "deep-nesting" -> {
                int at = pick(tags, d);
                int end = subtreeEnd(d, at);
                List<Tok> sub = new ArrayList<>(d.body.subList(at, end));
                if ("subtree-deleted".equals(name)) {
                    d.body.subList(at, end).clear();
                } else if ("subtree-duplicated".equals(name)) {
                    int copies = 1 + r.nextInt(r.nextInt(20) == 0 ? 200 : 3);
                    for (int i = 0; i < copies; i++) {
                        d.body.addAll(end, sub);
                    }
                } else {
                    int n = 1 + r.nextInt(r.nextInt(10) == 0 ? 100 : 10);
                    Tok wrapper = r.nextBoolean() ? new Tok(0x48, new byte[] {0x48}) // Atomic, content
                        : literalTag(new Tok(0x45, new byte[] {0x45}), reference(d, "valid"));
                    for (int i = 0; i < n; i++) {
                        d.body.add(end, new Tok(0x01, new byte[] {0x01}));
                        d.body.add(at, wrapper);
                    }
                }
                return done(name, Target.STRUCTURE, d);
            }
            case "header-field" -> {
                switch (r.nextInt(4)) {
                    case 0 -> d.version = new int[] {0, 1, 2, 3, 4, 0x13, 0xFF}[r.nextInt(7)];
                    case 1 -> d.charset = new long[] {0, 3, 4, 106, 1000, 1015, 0xFFFFFFFFL}[r.nextInt(7)];
                    case 2 -> d.publicId = new long[] {1, 0x0FD1, 0x0FD2, 0x0FD3, 0x0FD4, 0x1201, 0x1202, 0x1203, 0xFFFFFFFFL}[r
                            .nextInt(9)];
                    default -> {
                        if (d.charset == 106) { // a high byte in an ASCII document
                            d.charset = 3;
                            d.add(new byte[] {(byte) 0xC3, (byte) 0xA9}, true);
                        }
                    }
                }
                return done(name, Target.HEADER, d);
            }
            default -> { // embedded
                List<Integer> opaques = indexes(d, t -> t.type == 0xC3 && t.raw.length > 6);
                for (int i : opaques) {
                    Cursor c = new Cursor(d.body.get(i).raw);
                    c.u8();
                    long n = c.mb();
                    byte[] inner = Arrays.copyOfRange(c.b, c.pos, c.pos + (int) n);
                    Doc e = level == 0 ? parse(inner) : null;
                    if (e != null && !e.body.isEmpty() && e.version >= 1 && e.version <= 3) {
                        String innerName = NAMES.get(r.nextInt(NAMES.size() - 1));
                        byte[] mutated = mutate(e, innerName, level + 1).bytes();
                        d.body.set(i, new Tok(0xC3, concat(new byte[] {(byte) 0xC3}, mbBytes(mutated.length), mutated)));
                        return done(name, Target.EMBEDDED, d);
                    }
                }
                return mutate(d, NAMES.get(r.nextInt(NAMES.size() - 1)), level);
            }
        }
    }

    private static byte[] headerUpToTableLength(Doc d) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(d.version);
        mb(out, d.publicId);
        if (d.publicId == 0) {
            mb(out, d.fpiIndex);
        }
        mb(out, d.charset);
        return out.toByteArray();
    }

    /** @return the index after the END that closes the element starting at {@code at} */
    private static int subtreeEnd(Doc d, int at) {
        Tok start = d.body.get(at);
        if (!start.isTag() && start.type != 0x04 && start.type != 0x44) {
            return at + 1;
        }
        if (!start.hasContent()) {
            return at + 1;
        }
        int depth = 0;
        for (int i = at; i < d.body.size(); i++) {
            Tok t = d.body.get(i);
            if ((t.isTag() || t.type == 0x44) && t.hasContent()) {
                depth++;
            } else if (t.type == 0x01) {
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            }
        }
        return d.body.size();
    }
}
