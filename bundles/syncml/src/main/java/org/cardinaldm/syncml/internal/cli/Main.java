package org.cardinaldm.syncml.internal.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.CodecLimits;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.WbxmlOptions;
import org.cardinaldm.syncml.api.XmlOptions;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.syncml.api.notification.Initiator;
import org.cardinaldm.syncml.api.notification.Notification;
import org.cardinaldm.syncml.api.notification.UiMode;
import org.cardinaldm.syncml.api.tnds.MgmtTree;
import org.cardinaldm.syncml.internal.io.Bytes;

/**
 * {@code java -jar syncml.jar}: a tool for people debugging DM traffic. Exit codes: 0 success (and a
 * valid notification), 1 an invalid notification digest, 2 malformed input or bad usage, 3 an
 * internal error. Errors are one line on stderr, never a stack trace.
 */
public final class Main {
    static final int OK = 0;
    static final int INVALID = 1;
    static final int BAD_INPUT = 2;
    static final int INTERNAL = 3;

    private static final String USAGE = String.join("\n",
            "usage: syncml <command> [options] FILE|-",
            "  decode FILE|-                 WBXML or XML message in (detected), indented XML out",
            "  encode [--literal-id [FPI]] [--string-table] [--wbxml-version 1|2|3]",
            "         [--inline-tnds] [--opaque-data] FILE|-      XML message in, WBXML out",
            "  pkg0 decode FILE|-            print the fields of a package-0 notification",
            "  pkg0 verify --password PW [--server-id ID] [--nonce B64] FILE|-",
            "                                exit 0 when the digest is valid, 1 when not",
            "  pkg0 encode --server-id ID --password PW --session HEX [--nonce B64]",
            "         [--ui-mode not-specified|background|informative|user-interaction]",
            "         [--initiator server|client] [--vendor HEX]",
            "  tnds decode FILE|-            TNDS in WBXML or XML, indented XML out",
            "  tnds encode FILE|-            TNDS XML in, WBXML out",
            "common options: -o FILE (output file, default stdout), --strict (reject raw '&' in XML),",
            "                --max-bytes N (largest input, default 4194304)",
            "exit codes: 0 ok, 1 invalid notification digest, 2 malformed input or bad usage, 3 internal error");

    private static final Set<String> FLAGS = Set.of("--string-table", "--inline-tnds", "--opaque-data", "--strict",
            "--help", "-h");

    private final InputStream stdin;
    private final PrintStream stdout;
    private final PrintStream stderr;

    Main(InputStream stdin, PrintStream stdout, PrintStream stderr) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(new Main(System.in, System.out, System.err).run(args));
    }

    /** Bad usage, reported as one line. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    int run(String[] args) {
        try {
            return dispatch(args);
        } catch (UsageException e) {
            stderr.println("syncml: " + e.getMessage() + " (try: syncml --help)");
            return BAD_INPUT;
        } catch (CodecException e) {
            stderr.println("syncml: " + e.toDisplayString());
            return BAD_INPUT;
        } catch (NoSuchFileException e) {
            stderr.println("syncml: no such file: " + e.getFile());
            return BAD_INPUT;
        } catch (IOException e) {
            stderr.println("syncml: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return BAD_INPUT;
        } catch (RuntimeException e) {
            stderr.println("syncml: internal error: " + e);
            return INTERNAL;
        }
    }

    /** Parsed options: flags, named values and positional arguments. */
    private static final class Args {
        final Map<String, String> values = new HashMap<>();
        final Deque<String> positional = new ArrayDeque<>();

        static Args parse(String[] args, int from) throws UsageException {
            Args a = new Args();
            for (int i = from; i < args.length; i++) {
                String s = args[i];
                if (s.equals("-") || !s.startsWith("-")) {
                    a.positional.add(s);
                } else if (FLAGS.contains(s)) {
                    a.values.put(s, "true");
                } else if (s.equals("--literal-id")) {
                    boolean hasValue = i + 1 < args.length && args[i + 1].startsWith("-//");
                    a.values.put(s, hasValue ? args[++i] : "");
                } else {
                    if (i + 1 >= args.length) {
                        throw new UsageException("option " + s + " needs a value");
                    }
                    a.values.put(s, args[++i]);
                }
            }
            return a;
        }

        boolean flag(String name) {
            return values.containsKey(name);
        }

        String value(String name) {
            return values.get(name);
        }

        String required(String name) throws UsageException {
            String v = values.get(name);
            if (v == null) {
                throw new UsageException("option " + name + " is required");
            }
            return v;
        }

        String file() throws UsageException {
            if (positional.size() != 1) {
                throw new UsageException(positional.isEmpty() ? "an input FILE (or - for stdin) is required"
                        : "one input FILE expected, found " + positional.size());
            }
            return positional.peek();
        }

        void checkKnown(Set<String> allowed) throws UsageException {
            for (String k : values.keySet()) {
                if (!allowed.contains(k)) {
                    throw new UsageException("unknown option " + k);
                }
            }
        }
    }

    private static final Set<String> COMMON = Set.of("-o", "--strict", "--max-bytes");

    private int dispatch(String[] args) throws UsageException, CodecException, IOException {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            (args.length == 0 ? stderr : stdout).println(USAGE);
            return args.length == 0 ? BAD_INPUT : OK;
        }
        switch (args[0]) {
            case "decode":
                return decode(Args.parse(args, 1));
            case "encode":
                return encode(Args.parse(args, 1));
            case "pkg0":
                return pkg0(args);
            case "tnds":
                return tnds(args);
            default:
                throw new UsageException("unknown command " + args[0]);
        }
    }

    private XmlOptions xmlOptions(Args a, boolean pretty) throws UsageException {
        return XmlOptions.DEFAULT.withLimits(limits(a)).withPretty(pretty).withRepairAmpersands(!a.flag("--strict"))
                .withWarnings(w -> stderr.println("syncml: warning: " + w));
    }

    private static CodecLimits limits(Args a) throws UsageException {
        String max = a.value("--max-bytes");
        if (max == null) {
            return CodecLimits.DEFAULT;
        }
        try {
            return CodecLimits.DEFAULT.withMaxMessageBytes(Integer.parseInt(max));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--max-bytes needs a positive number");
        }
    }

    private byte[] input(Args a) throws UsageException, IOException, CodecException {
        String file = a.file();
        int max = limits(a).maxMessageBytes();
        if (file.equals("-")) {
            return Bytes.readBounded(stdin, max);
        }
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            return Bytes.readBounded(in, max);
        }
    }

    private void output(Args a, byte[] bytes) throws IOException {
        String file = a.value("-o");
        if (file == null || file.equals("-")) {
            stdout.write(bytes);
            stdout.flush();
        } else {
            try (OutputStream out = Files.newOutputStream(Path.of(file))) {
                out.write(bytes);
            }
        }
    }

    private int decode(Args a) throws UsageException, CodecException, IOException {
        a.checkKnown(COMMON);
        byte[] in = input(a);
        XmlOptions xml = xmlOptions(a, true);
        SyncMessage m = SyncML.isWbxml(in) ? SyncML.wbxml(WbxmlOptions.DEFAULT.withLimits(limits(a))).decode(in)
                : SyncML.xml(xml).decode(in);
        output(a, SyncML.xml(xml.withCdataData(true)).encode(m));
        return OK;
    }

    private WbxmlOptions wbxmlOptions(Args a) throws UsageException {
        WbxmlOptions o = WbxmlOptions.DEFAULT.withLimits(limits(a)).withStringTable(a.flag("--string-table"))
                .withOpaqueData(a.flag("--opaque-data"));
        if (a.flag("--inline-tnds")) {
            o = o.withEmbeddedDocuments(WbxmlOptions.EmbeddedDocuments.INLINE);
        }
        String literal = a.value("--literal-id");
        if (literal != null) {
            o = literal.isEmpty() ? o.withPublicIdForm(WbxmlOptions.PublicIdForm.LITERAL) : o.withLiteralPublicId(literal);
        }
        String version = a.value("--wbxml-version");
        if (version != null) {
            try {
                o = o.withVersion(Integer.parseInt(version.replace("1.", "")));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--wbxml-version is 1, 2 or 3 (WBXML 1.1 to 1.3)");
            }
        }
        return o;
    }

    private int encode(Args a) throws UsageException, CodecException, IOException {
        a.checkKnown(union(COMMON, "--literal-id", "--string-table", "--wbxml-version", "--inline-tnds",
                "--opaque-data"));
        WbxmlOptions o = wbxmlOptions(a);
        byte[] in = input(a);
        if (SyncML.isWbxml(in)) {
            throw new UsageException("encode reads XML; this input is already WBXML");
        }
        output(a, SyncML.wbxml(o).encode(SyncML.xml(xmlOptions(a, false)).decode(in)));
        return OK;
    }

    private static Set<String> union(Set<String> base, String... more) {
        java.util.HashSet<String> s = new java.util.HashSet<>(base);
        s.addAll(List.of(more));
        return s;
    }

    private int tnds(String[] args) throws UsageException, CodecException, IOException {
        if (args.length < 2) {
            throw new UsageException("tnds needs decode or encode");
        }
        Args a = Args.parse(args, 2);
        a.checkKnown(union(COMMON, "--literal-id", "--string-table", "--wbxml-version"));
        byte[] in = input(a);
        XmlOptions xml = xmlOptions(a, true);
        switch (args[1]) {
            case "decode": {
                MgmtTree t = SyncML.isWbxml(in) ? SyncML.tndsWbxml(WbxmlOptions.DEFAULT.withLimits(limits(a))).decode(in)
                        : SyncML.tndsXml(xml).decode(in);
                output(a, SyncML.tndsXml(xml).encode(t));
                return OK;
            }
            case "encode":
                if (SyncML.isWbxml(in)) {
                    throw new UsageException("tnds encode reads XML; this input is already WBXML");
                }
                output(a, SyncML.tndsWbxml(wbxmlOptions(a)).encode(SyncML.tndsXml(xml.withPretty(false)).decode(in)));
                return OK;
            default:
                throw new UsageException("tnds needs decode or encode, not " + args[1]);
        }
    }

    private int pkg0(String[] args) throws UsageException, CodecException, IOException {
        if (args.length < 2) {
            throw new UsageException("pkg0 needs decode, verify or encode");
        }
        Args a = Args.parse(args, 2);
        switch (args[1]) {
            case "decode": {
                a.checkKnown(union(COMMON));
                Notification.Signed s = Notification.parse(input(a));
                Notification n = s.notification();
                StringBuilder sb = new StringBuilder();
                sb.append("digest:      ").append(HexFormat.of().formatHex(s.digest())).append('\n');
                sb.append("version:     ").append(n.version()).append(" (").append(n.version() / 10).append('.')
                        .append(n.version() % 10).append(")\n");
                sb.append("ui-mode:     ").append(n.uiMode().name().toLowerCase(Locale.ROOT).replace('_', '-'))
                        .append('\n');
                sb.append("initiator:   ").append(n.initiator().name().toLowerCase(Locale.ROOT)).append('\n');
                sb.append("session-id:  ").append(n.sessionIdHex()).append('\n');
                sb.append("server-id:   ").append(n.serverId()).append('\n');
                sb.append("vendor-data: ").append(HexFormat.of().formatHex(n.vendorData())).append('\n');
                output(a, sb.toString().getBytes(StandardCharsets.UTF_8));
                return OK;
            }
            case "verify": {
                a.checkKnown(union(COMMON, "--server-id", "--password", "--nonce"));
                String password = a.required("--password");
                byte[] nonce = nonce(a);
                Notification.Signed s = Notification.parse(input(a));
                String serverId = a.value("--server-id") == null ? s.notification().serverId() : a.value("--server-id");
                boolean valid = s.verify(serverId, password, nonce);
                stdout.println(valid ? "valid" : "INVALID digest");
                return valid ? OK : INVALID;
            }
            case "encode": {
                a.checkKnown(union(Set.of("-o"), "--server-id", "--password", "--nonce", "--session", "--ui-mode",
                        "--initiator", "--vendor"));
                if (!a.positional.isEmpty()) {
                    throw new UsageException("pkg0 encode takes no input file");
                }
                Notification n;
                try {
                    int session = Integer.parseInt(a.required("--session"), 16);
                    UiMode ui = UiMode.valueOf(value(a, "--ui-mode", "background"));
                    Initiator initiator = Initiator.valueOf(value(a, "--initiator", "server"));
                    byte[] vendor = a.value("--vendor") == null ? new byte[0] : HexFormat.of().parseHex(a.value("--vendor"));
                    n = new Notification(Notification.VERSION, ui, initiator, session, a.required("--server-id"), vendor);
                } catch (IllegalArgumentException e) {
                    throw new UsageException("bad pkg0 field: " + e.getMessage());
                }
                output(a, n.encode(a.required("--password"), nonce(a)));
                return OK;
            }
            default:
                throw new UsageException("pkg0 needs decode, verify or encode, not " + args[1]);
        }
    }

    private static String value(Args a, String name, String dflt) {
        String v = a.value(name);
        return (v == null ? dflt : v).toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The nonce from --nonce (base64), or the resynchronisation nonce of four zero bytes. */
    private static byte[] nonce(Args a) throws UsageException {
        String b64 = a.value("--nonce");
        if (b64 == null) {
            return new byte[4];
        }
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--nonce must be base64");
        }
    }

    /** @return everything written so far to a buffer stream, for tests */
    static String text(ByteArrayOutputStream out) {
        return out.toString(StandardCharsets.UTF_8);
    }
}
