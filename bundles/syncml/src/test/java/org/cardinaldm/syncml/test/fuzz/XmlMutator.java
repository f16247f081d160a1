package org.cardinaldm.syncml.test.fuzz;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Structure-aware XML mutations for SyncML messages and TNDS documents: the seed is split into markup
 * and text tokens and one change is made at that level (elements duplicated, deleted, renamed,
 * re-namespaced, nested deeply; numbers and codes replaced by values that do not parse or overflow;
 * references, CDATA, comments, PIs, DOCTYPEs and declared encodings inserted; TNDS Format, Type and
 * Value/Node combinations). The result is still mostly well-formed, so it reaches the binder.
 */
public final class XmlMutator {
    /** Names of the mutators, for counting. */
    public static final List<String> NAMES = List.of("element-duplicated", "element-deleted", "element-renamed",
            "element-wrapped-deep", "namespace", "attribute", "number", "text-special", "prolog", "encoding",
            "data-content", "tnds-properties", "end-tag-mismatch", "many-siblings");

    private static final String[] NUMBERS = {"-1", "99999999999999999999", "1e3", "0x10", "", " 12 ", "\uff19",
        "2147483648", "9223372036854775808", "NaN", "+7", "1.5", "0"};
    private static final String[] SPECIAL_TEXT = {"&#0;", "&#x110000;", "&#xD800;", "&lt;", "&amp", "&undeclared;",
        "&", "]]>", "<![CDATA[x]]>", "<![CDATA[x", "<!-- c -->", "<!-- -- -->", "<?pi x?>", "<?xml version='1.0'?>",
        "\u0000", "\u00e9\ud83d\ude00", "&#65;", "&#x1F600;"};
    private static final String[] NAMESPACES = {"SYNCML:SYNCML9.9", "SYNCML:SYNCML1.1", "syncml:metinf",
        "syncml:dmddf1.2", "", "urn:x", "SYNCML:SYNCML1.2"};
    private static final String[] PROLOGS = {"<!DOCTYPE SyncML [<!ENTITY a 'aaaa'>]>",
        "<!DOCTYPE SyncML PUBLIC '-//SYNCML//DTD SyncML 1.2//EN' 'http://www.openmobilealliance.org/tech/DTD/OMA-TS-SyncML_RepPro_DTD-V1_2.dtd'>",
        "<!DOCTYPE SyncML SYSTEM 'file:///etc/passwd'>", "<!DOCTYPE x [", "<!DOCTYPE", "<?xml version='1.0'?>",
        "<?xml version='1.1' encoding='UTF-8'?>", "<!-- x -->", "\uFEFF", "<?xml-stylesheet href='x'?>"};
    private static final String[] ENCODINGS = {"UTF-16", "UTF-16LE", "ISO-8859-1", "US-ASCII", "IBM037", "UTF-32",
        "x-unknown", "ISO-2022-JP", "x-JISAutoDetect", "Shift_JIS", "GB18030", "UTF-8", "windows-1252", "x-UTF-16LE-BOM"};
    private static final String[] DATA = {"<MgmtTree xmlns='syncml:dmddf1.2'><VerDTD>1.2</VerDTD><Node><NodeName>a</NodeName></Node></MgmtTree>",
        "text<Node/>", "<![CDATA[<a>]]>", "<x:y xmlns:x='urn:x'>1</x:y>", "<MetInf xmlns='syncml:metinf'><Size>1</Size></MetInf>",
        "<Data>nested</Data>", "   ", ""};
    private static final String[] TNDS = {"<Format><chr/></Format>", "<Format>c h r</Format>", "<Format></Format>",
        "<Format><b64/><chr/></Format>", "<Type><MIME>a</MIME><DDFName>b</DDFName></Type>", "<Size>x</Size>",
        "<Size>-5</Size>", "<Value>v</Value><Node><NodeName>c</NodeName></Node>", "<NodeName/>", "<ACL>Get=*&amp;x</ACL>",
        "<Format>1x</Format>", "<Format><x:chr xmlns:x='urn:x'/></Format>"};

    private final Random r;

    /**
     * @param r the source of randomness
     */
    public XmlMutator(Random r) {
        this.r = r;
    }

    /** A markup token ({@code <...>}) or a text run. */
    private record Tok(String s) {
        boolean isStart() {
            return s.startsWith("<") && !s.startsWith("</") && !s.startsWith("<!") && !s.startsWith("<?")
                    && !s.endsWith("/>");
        }

        boolean isEnd() {
            return s.startsWith("</");
        }

        String name() {
            int from = isEnd() ? 2 : 1;
            int i = from;
            while (i < s.length() && " \t\r\n/>".indexOf(s.charAt(i)) < 0) {
                i++;
            }
            return s.substring(from, i);
        }
    }

    private static List<Tok> tokens(String x) {
        List<Tok> out = new ArrayList<>();
        int i = 0;
        while (i < x.length()) {
            if (x.charAt(i) == '<') {
                int end = x.startsWith("<![CDATA[", i) ? x.indexOf("]]>", i) + 2 : x.indexOf('>', i);
                if (end < i) {
                    end = x.length() - 1;
                }
                out.add(new Tok(x.substring(i, end + 1)));
                i = end + 1;
            } else {
                int end = x.indexOf('<', i);
                end = end < 0 ? x.length() : end;
                out.add(new Tok(x.substring(i, end)));
                i = end;
            }
        }
        return out;
    }

    private static String join(List<Tok> t) {
        StringBuilder sb = new StringBuilder();
        for (Tok k : t) {
            sb.append(k.s);
        }
        return sb.toString();
    }

    private int matchingEnd(List<Tok> t, int at) {
        String name = t.get(at).name();
        int depth = 0;
        for (int i = at; i < t.size(); i++) {
            Tok k = t.get(i);
            if (k.isStart() && k.name().equals(name)) {
                depth++;
            } else if (k.isEnd() && k.name().equals(name) && --depth == 0) {
                return i;
            }
        }
        return t.size() - 1;
    }

    private int anyStart(List<Tok> t) {
        List<Integer> starts = new ArrayList<>();
        for (int i = 1; i < t.size(); i++) {
            if (t.get(i).isStart()) {
                starts.add(i);
            }
        }
        return starts.isEmpty() ? -1 : starts.get(r.nextInt(starts.size()));
    }

    private int textOf(List<Tok> t, String... names) {
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i + 1 < t.size(); i++) {
            if (t.get(i).isStart() && !t.get(i + 1).s.startsWith("<")) {
                for (String n : names) {
                    if (n == null || t.get(i).name().endsWith(n)) {
                        found.add(i + 1);
                        break;
                    }
                }
            }
        }
        return found.isEmpty() ? -1 : found.get(r.nextInt(found.size()));
    }

    /**
     * @param seed a UTF-8 XML document
     * @param name the mutator, one of {@link #NAMES}
     * @return the mutated document
     */
    public byte[] mutate(byte[] seed, String name) {
        List<Tok> t = tokens(new String(seed, StandardCharsets.UTF_8));
        int at = anyStart(t);
        if (at < 0) {
            return seed;
        }
        int end = matchingEnd(t, at);
        switch (name) {
            case "element-duplicated" -> {
                List<Tok> sub = new ArrayList<>(t.subList(at, end + 1));
                int copies = 1 + r.nextInt(3);
                for (int i = 0; i < copies; i++) {
                    t.addAll(end + 1, sub);
                }
            }
            case "element-deleted" -> t.subList(at, end + 1).clear();
            case "element-renamed" -> {
                String[] names = {"", " ", "x:Foo", "Foo", "SyncML", "Data", "1a", "Item", "MgmtTree", "Status"};
                String n = names[r.nextInt(names.length)];
                t.set(at, new Tok("<" + n + t.get(at).s.substring(1 + t.get(at).name().length())));
                t.set(end, new Tok("</" + n + ">"));
            }
            case "element-wrapped-deep" -> {
                int n = 1 + r.nextInt(r.nextInt(10) == 0 ? 120 : 10);
                String w = new String[] {"Atomic", "Node", "Sequence", "x"}[r.nextInt(4)];
                for (int i = 0; i < n; i++) {
                    t.add(end + 1, new Tok("</" + w + ">"));
                    t.add(at, new Tok("<" + w + ">"));
                }
            }
            case "namespace" -> {
                String s = t.get(at).s;
                String ns = NAMESPACES[r.nextInt(NAMESPACES.length)];
                String attr = r.nextInt(4) == 0 ? " xmlns='" + ns + "' xmlns='urn:y'" : " xmlns='" + ns + "'";
                t.set(at, new Tok("<" + t.get(at).name() + attr + s.substring(1 + t.get(at).name().length())));
                if (r.nextBoolean()) { // the root too
                    int root = anyRoot(t);
                    if (root >= 0) {
                        String rs = t.get(root).s.replaceAll("xmlns=(['\"])[^'\"]*\\1", "xmlns='" + ns + "'");
                        t.set(root, new Tok(rs));
                    }
                }
            }
            case "attribute" -> {
                String[] attrs = {" a='1'", " a='1' a='2'", " a=1", " x:a='1'", " xmlns:x=''", " a='<'", " a='&undeclared;'"};
                String s = t.get(at).s;
                t.set(at, new Tok(s.substring(0, s.length() - 1) + attrs[r.nextInt(attrs.length)] + ">"));
            }
            case "number" -> {
                int i = textOf(t, "Size", "MsgID", "MaxMsgSize", "MaxObjSize", "FreeMem", "FreeID", "Data", "CmdID",
                        "MsgRef", "CmdRef", "SessionID", "VerDTD");
                if (i >= 0) {
                    t.set(i, new Tok(NUMBERS[r.nextInt(NUMBERS.length)]));
                }
            }
            case "text-special" -> {
                int i = textOf(t, (String) null);
                String s = SPECIAL_TEXT[r.nextInt(SPECIAL_TEXT.length)];
                if (i >= 0) {
                    String old = t.get(i).s;
                    int p = r.nextInt(old.length() + 1);
                    t.set(i, new Tok(old.substring(0, p) + s + old.substring(p)));
                } else {
                    t.add(at + 1, new Tok(s));
                }
            }
            case "prolog" -> {
                String x = join(t);
                String p = PROLOGS[r.nextInt(PROLOGS.length)];
                int after = x.startsWith("<?xml") ? x.indexOf("?>") + 2 : 0;
                return (x.substring(0, after) + p + x.substring(after)).getBytes(StandardCharsets.UTF_8);
            }
            case "encoding" -> {
                String x = join(t);
                String enc = ENCODINGS[r.nextInt(ENCODINGS.length)];
                if (x.startsWith("<?xml")) {
                    x = x.substring(x.indexOf("?>") + 2);
                }
                x = "<?xml version='1.0' encoding='" + enc + "'?>" + x;
                Charset cs = StandardCharsets.UTF_8;
                if (r.nextBoolean()) {
                    try {
                        cs = Charset.forName(enc);
                    } catch (IllegalArgumentException e) {
                        cs = StandardCharsets.UTF_8;
                    }
                }
                try {
                    return x.getBytes(cs);
                } catch (UnsupportedOperationException e) {
                    return x.getBytes(StandardCharsets.UTF_8);
                }
            }
            case "data-content" -> {
                int i = textOf(t, "Data", "Value");
                String d = DATA[r.nextInt(DATA.length)];
                if (i >= 0) {
                    t.set(i, new Tok(d));
                } else {
                    t.add(at + 1, new Tok(d));
                }
            }
            case "tnds-properties" -> t.add(at + 1, new Tok(TNDS[r.nextInt(TNDS.length)]));
            case "end-tag-mismatch" -> t.set(end, new Tok(r.nextBoolean() ? "</X>" : "</" + t.get(at).name() + " >"));
            default -> { // many siblings
                List<Tok> sub = new ArrayList<>(t.subList(at, end + 1));
                int size = Math.max(1, join(sub).length());
                int copies = Math.min(50 + r.nextInt(1_500), 1 + 300_000 / size); // about the limit, not far past it
                List<Tok> many = new ArrayList<>(sub.size() * copies);
                for (int i = 0; i < copies; i++) {
                    many.addAll(sub);
                }
                t.addAll(end + 1, many);
            }
        }
        return join(t).getBytes(StandardCharsets.UTF_8);
    }

    private static int anyRoot(List<Tok> t) {
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i).isStart()) {
                return i;
            }
        }
        return -1;
    }

    /** @return the name of a randomly chosen mutator */
    public String pickName() {
        return NAMES.get(r.nextInt(NAMES.size()));
    }
}
