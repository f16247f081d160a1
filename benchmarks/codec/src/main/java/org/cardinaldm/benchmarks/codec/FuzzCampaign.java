package org.cardinaldm.benchmarks.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.CodecLimits;
import org.cardinaldm.syncml.api.MessageCodec;
import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.WbxmlOptions;
import org.cardinaldm.syncml.api.XmlOptions;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.ItemCommand;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.syncml.api.notification.Initiator;
import org.cardinaldm.syncml.api.notification.Notification;
import org.cardinaldm.syncml.api.notification.UiMode;
import org.cardinaldm.syncml.api.tnds.MgmtTree;
import org.cardinaldm.syncml.api.tnds.TndsCodec;
import org.cardinaldm.syncml.test.fuzz.ByteMutator;
import org.cardinaldm.syncml.test.fuzz.Pkg0Mutator;
import org.cardinaldm.syncml.test.fuzz.WbxmlMutator;
import org.cardinaldm.syncml.test.fuzz.XmlMutator;

/**
 * The long fuzz campaign of the codecs (issue 11): for each format (XML messages, WBXML messages, TNDS
 * in both encodings, package 0) it decodes {@code --inputs} mutated inputs with the production limits,
 * half structure-aware (the syncml test-jar's {@link WbxmlMutator}, {@link XmlMutator},
 * {@link Pkg0Mutator}), a third byte-level ({@link ByteMutator}), the rest both stacked, from the real
 * corpus (the vector files of the bundle and of {@code /work/shared/vectors}, plus the messages they and
 * a generated realistic session corpus encode to).
 *
 * <p>Pass criteria: no exception other than {@code CodecException} (the documented checked exception
 * of every decoder here), nothing written to System.err, and no input costing more than
 * {@code --max-cpu-ms} (100) of the decoding thread's CPU time ({@link ThreadMXBean}); an input over it is
 * re-run once, and fails only when the re-run is over it too. Input {@code i} of a format is mutated
 * from a random generator seeded with (seed, format, i), so any finding reproduces alone.
 *
 * <pre>
 * java -cp benchmarks/codec/target/benchmarks.jar org.cardinaldm.benchmarks.codec.FuzzCampaign \
 *     [--inputs 1000000] [--seed 42] [--threads 2] [--formats xml,wbxml,tnds,pkg0] [--max-cpu-ms 100] \
 *     [--corpus DIR]... [--findings DIR]
 * </pre>
 * Exit code 0 when every format passes, 1 otherwise.
 */
public final class FuzzCampaign {
    interface Decoder {
        Object decode(byte[] b) throws CodecException;
    }

    /** One format: its seeds, its decoder per seed, and its structure-aware mutation. */
    private record Format(String name, List<byte[]> seeds, List<Decoder> decoders, List<Boolean> binary) {
    }

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    /**
     * The unit suite's limits (256 KiB messages, depth 48, 20 000 elements, 64 Ki characters and opaque
     * bytes): the limit paths are part of the campaign, and an input's cost then tells superlinear work
     * from size (a 4 MiB XML message, the production limit, legitimately takes 30 to 100 ms).
     */
    private static final CodecLimits LIMITS = new CodecLimits(256 * 1024, 48, 20_000, 64 * 1024, 64 * 1024);

    private FuzzCampaign() {
    }

    /**
     * @param args see the class comment
     * @throws Exception on setup failure
     */
    public static void main(String[] args) throws Exception {
        int inputs = 1_000_000;
        long seed = 42;
        int threads = 2;
        long maxCpuMs = 100;
        List<String> formats = List.of("xml", "wbxml", "tnds", "pkg0");
        List<Path> corpus = new ArrayList<>();
        Path findings = Files.isDirectory(Path.of("benchmarks/codec")) ? Path.of("benchmarks/codec/target/fuzz-findings")
                : Path.of("fuzz-findings");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--inputs" -> inputs = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--max-cpu-ms" -> maxCpuMs = Long.parseLong(args[++i]);
                case "--formats" -> formats = List.of(args[++i].split(","));
                case "--corpus" -> corpus.add(Path.of(args[++i]));
                case "--findings" -> findings = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: FuzzCampaign [--inputs N] [--seed S] [--threads T] [--formats xml,wbxml,tnds,pkg0]"
                            + " [--max-cpu-ms MS] [--corpus DIR]... [--findings DIR]");
                    System.exit(2);
                }
            }
        }
        if (corpus.isEmpty()) {
            corpus.add(vectorDir());
            Path shared = Path.of("/work/shared/vectors");
            if (Files.isDirectory(shared)) {
                corpus.add(shared);
            }
        }
        if (!CPU.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure thread CPU time");
        }
        CPU.setThreadCpuTimeEnabled(true);
        System.out.printf("fuzz campaign: %d inputs per format, seed %d, %d threads, max %d ms CPU per input, corpus %s%n",
                inputs, seed, threads, maxCpuMs, corpus);
        Map<String, Format> all = formats(corpus, seed);
        boolean ok = true;
        List<String> table = new ArrayList<>();
        table.add("| format | inputs | distinct mutators | decoded | CodecExceptions | escapes | over limit | max CPU ms"
                + " | p99.9 CPU ms | max wall ms | wall s | decode CPU s | mutate CPU s | re-runs |");
        table.add("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (String f : formats) {
            Format format = all.get(f);
            if (format == null) {
                throw new IllegalArgumentException("unknown format " + f);
            }
            Result res = run(format, inputs, seed, threads, maxCpuMs * 1_000_000L, findings);
            ok &= res.escapes.get() == 0 && res.overLimit.get() == 0 && res.stderrWrites.get() == 0;
            table.add(res.row(format.name, inputs));
        }
        System.out.println();
        table.forEach(System.out::println);
        System.out.println(ok ? "PASS" : "FAIL");
        System.exit(ok ? 0 : 1);
    }

    private static Path vectorDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("bundles/syncml/src/test/resources/vectors");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("vectors not found: run from the checkout or pass --corpus DIR");
    }

    private static List<byte[]> files(List<Path> dirs, String... suffixes) {
        List<byte[]> out = new ArrayList<>();
        for (Path dir : dirs) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                    for (String suffix : suffixes) {
                        if (p.getFileName().toString().endsWith(suffix)) {
                            out.add(Files.readAllBytes(p));
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static Map<String, Format> formats(List<Path> corpus, long seed) throws CodecException {
        List<SyncMessage> messages = new ArrayList<>();
        for (byte[] b : files(corpus, ".xml", ".wbxml")) {
            try {
                messages.add(SyncML.isWbxml(b) ? SyncML.wbxml().decode(b) : SyncML.xml().decode(b));
            } catch (CodecException e) {
                // DevInf documents and fragments are seeds as bytes only
            }
        }
        messages.addAll(Corpus.realistic(6, seed));
        WbxmlOptions[] wbxmlOptions = {WbxmlOptions.DEFAULT, WbxmlOptions.DEFAULT.withStringTable(true)
            .withEmbeddedDocuments(WbxmlOptions.EmbeddedDocuments.INLINE),
            WbxmlOptions.DEFAULT.withPublicIdForm(WbxmlOptions.PublicIdForm.LITERAL).withStringTable(true).withVersion(3),
            WbxmlOptions.DEFAULT.withVersion(1).withOpaqueData(true)};
        List<byte[]> xml = new ArrayList<>(files(corpus, ".xml"));
        List<byte[]> wbxml = new ArrayList<>(files(corpus, ".wbxml"));
        List<MgmtTree> trees = new ArrayList<>();
        for (SyncMessage m : messages) {
            xml.add(SyncML.xml().encode(m));
            for (WbxmlOptions o : wbxmlOptions) {
                try {
                    wbxml.add(SyncML.wbxml(o).encode(m));
                } catch (CodecException e) {
                    // a message one option set cannot write
                }
            }
            for (var c : m.commands()) {
                if (c instanceof ItemCommand ic) {
                    for (Item i : ic.items()) {
                        if (i.data() instanceof Data.Xml x && "MgmtTree".equals(x.elements().get(0).name())) {
                            try {
                                trees.add(MgmtTree.fromXml(x.elements().get(0)));
                            } catch (CodecException e) {
                                // not a TNDS tree
                            }
                        }
                    }
                }
            }
        }
        List<byte[]> tnds = new ArrayList<>();
        List<Boolean> tndsBinary = new ArrayList<>();
        for (byte[] ddf : files(corpus, ".ddf")) {
            tnds.add(ddf);
            tndsBinary.add(false);
        }
        for (MgmtTree t : trees) {
            tnds.add(SyncML.tndsXml(XmlOptions.DEFAULT).encode(t));
            tndsBinary.add(false);
            tnds.add(SyncML.tndsWbxml(WbxmlOptions.DEFAULT).encode(t));
            tndsBinary.add(true);
        }
        List<byte[]> pkg0 = new ArrayList<>();
        Random r = new Random(seed);
        pkg0.add(Notification.of("com.mgmtsrv.manage", 0x1234, UiMode.BACKGROUND).encode("secret", new byte[4]));
        pkg0.add(new Notification(11, UiMode.USER_INTERACTION, Initiator.SERVER, 0xFFFF, "x".repeat(255), new byte[40])
                .encode("p", new byte[] {1}));
        for (int i = 0; i < 8; i++) {
            byte[] vendor = new byte[r.nextInt(64)];
            r.nextBytes(vendor);
            pkg0.add(new Notification(10 + r.nextInt(3), UiMode.of(r.nextInt(4)), Initiator.SERVER, r.nextInt(0x10000),
                    "srv\u00e9" + i, vendor).encode("pw" + i, new byte[] {(byte) i}));
        }
        MessageCodec xc = SyncML.xml(XmlOptions.DEFAULT.withLimits(LIMITS));
        MessageCodec wc = SyncML.wbxml(WbxmlOptions.DEFAULT.withLimits(LIMITS));
        TndsCodec tx = SyncML.tndsXml(XmlOptions.DEFAULT.withLimits(LIMITS));
        TndsCodec tw = SyncML.tndsWbxml(WbxmlOptions.DEFAULT.withLimits(LIMITS));
        Decoder p0 = b -> Notification.parse(b).verify("secret", new byte[4]);
        Map<String, Format> out = new LinkedHashMap<>();
        out.put("xml", new Format("XML", xml, List.of(transcoded(xc)), List.of(false)));
        out.put("wbxml", new Format("WBXML", wbxml, List.of(transcoded(wc)), List.of(true)));
        List<Decoder> tndsDecoders = new ArrayList<>();
        for (Boolean b : tndsBinary) {
            tndsDecoders.add(transcoded(b ? tw : tx));
        }
        out.put("tnds", new Format("TNDS", tnds, tndsDecoders, tndsBinary));
        out.put("pkg0", new Format("package 0", pkg0, List.of(p0), List.of(true)));
        for (Format f : out.values()) {
            System.out.printf("  %-9s %d seeds, %d bytes%n", f.name, f.seeds.size(),
                    f.seeds.stream().mapToLong(b -> b.length).sum());
        }
        return out;
    }

    /** A decoded input whose re-encoding cannot be read back: a bug even though decoding itself passed. */
    static final class TranscodeFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TranscodeFailure(String what, CodecException cause) {
            super(what + ": " + cause.getMessage(), cause);
        }
    }

    private static final MessageCodec XML_OUT = SyncML.xml(XmlOptions.DEFAULT.withCdataData(true));
    private static final TndsCodec TNDS_XML_OUT = SyncML.tndsXml(XmlOptions.DEFAULT);

    /**
     * Decodes, then checks what {@code bin/syncml decode} and a relaying server do with the result: the
     * message re-encoded as XML (and as WBXML) must decode again. An encoder may refuse a decoded message
     * ({@code UNENCODABLE}: binary data that is not UTF-8 in XML, names without a WBXML token).
     */
    private static Decoder transcoded(MessageCodec in) {
        return b -> {
            SyncMessage m = in.decode(b);
            again("XML", m, XML_OUT, SyncML.xml());
            again("WBXML", m, SyncML.wbxml(), SyncML.wbxml());
            return m;
        };
    }

    private static Decoder transcoded(TndsCodec in) {
        return b -> {
            MgmtTree t = in.decode(b);
            byte[] x;
            try {
                x = TNDS_XML_OUT.encode(t);
            } catch (CodecException e) {
                return t;
            }
            try {
                TNDS_XML_OUT.decode(x);
            } catch (CodecException e) {
                throw new TranscodeFailure("TNDS re-encoded as XML does not decode", e);
            }
            return t;
        };
    }

    private static void again(String as, SyncMessage m, MessageCodec out, MessageCodec back) {
        byte[] x;
        try {
            x = out.encode(m);
        } catch (CodecException e) {
            return;
        }
        try {
            back.decode(x);
        } catch (CodecException e) {
            throw new TranscodeFailure("message re-encoded as " + as + " does not decode", e);
        }
    }

    /** Counters of one format's run, shared by its worker threads. */
    private static final class Result {
        final AtomicLong decoded = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        final AtomicLong escapes = new AtomicLong();
        final AtomicLong overLimit = new AtomicLong();
        final AtomicLong stderrWrites = new AtomicLong();
        final AtomicLong reruns = new AtomicLong();
        final AtomicLong maxWall = new AtomicLong();
        final AtomicLong totalCpu = new AtomicLong();
        final AtomicLong mutateCpu = new AtomicLong();
        final Set<String> mutators = ConcurrentHashMap.newKeySet();
        long[] cpu;
        double wallSeconds;

        String row(String name, int inputs) {
            long[] sorted = cpu.clone();
            Arrays.sort(sorted);
            long max = sorted[sorted.length - 1];
            long p999 = sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.999) - 1)];
            return String.format(Locale.ROOT, "| %s | %,d | %d | %,d | %,d | %d | %d | %.2f | %.3f | %.1f | %.1f | %.1f | %.1f | %d |",
                    name, inputs, mutators.size(), decoded.get(), rejected.get(), escapes.get(), overLimit.get(),
                    max / 1e6, p999 / 1e6, maxWall.get() / 1e6, wallSeconds, totalCpu.get() / 1e9,
                    mutateCpu.get() / 1e9, reruns.get());
        }
    }

    private static Result run(Format f, int inputs, long seed, int threads, long maxCpuNs, Path findings)
            throws InterruptedException {
        Result res = new Result();
        res.cpu = new long[inputs];
        PrintStream stderr = System.err;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        System.setErr(new PrintStream(console, true));
        long start = System.nanoTime();
        AtomicLong done = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            Thread w = new Thread(() -> {
                for (int i = offset; i < inputs; i += threads) {
                    one(f, i, seed, maxCpuNs, res, console, findings);
                    long n = done.incrementAndGet();
                    if (n % 100_000 == 0) {
                        System.out.printf(Locale.ROOT, "  %-9s %,d inputs, %.0f s, %d escapes%n", f.name, n,
                                (System.nanoTime() - start) / 1e9, res.escapes.get());
                    }
                }
            }, "fuzz-" + f.name + "-" + t);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        res.wallSeconds = (System.nanoTime() - start) / 1e9;
        slowest(f, res, seed);
        System.setErr(stderr);
        return res;
    }

    /** An input, the decoder of its seed and the name of its mutator. */
    private record Mutated(byte[] input, Decoder decoder, String mutator) {
    }

    /** @return input {@code i} of a format: the same for a given seed, whatever the threads */
    private static Mutated mutated(Format f, int i, long seed) {
        Random r = new Random(seed * 0x9E3779B97F4A7C15L ^ ((long) f.name.hashCode() << 32) ^ i);
        int s = r.nextInt(f.seeds.size());
        byte[] seedBytes = f.seeds.get(s);
        boolean binary = f.binary.get(f.binary.size() == 1 ? 0 : s);
        Decoder d = f.decoders.get(f.decoders.size() == 1 ? 0 : s);
        int mode = r.nextInt(6); // 0-2 structure-aware, 3-4 byte-level, 5 both
        String mutator;
        byte[] input;
        String[] first = new String[1];
        if (mode >= 3 && mode <= 4) {
            input = new ByteMutator(r, binary).mutate(seedBytes, f.seeds, first);
            mutator = "byte:" + first[0];
        } else {
            String[] name = new String[1];
            input = structured(f, r, seedBytes, binary, name);
            mutator = name[0];
            if (mode == 5) {
                input = new ByteMutator(r, binary).mutate(input, f.seeds, first);
                mutator += "+byte:" + first[0];
            }
        }
        return new Mutated(input, d, mutator);
    }

    private static void one(Format f, int i, long seed, long maxCpuNs, Result res, ByteArrayOutputStream console,
            Path findings) {
        long m0 = CPU.getCurrentThreadCpuTime();
        Mutated mu = mutated(f, i, seed);
        byte[] input = mu.input;
        Decoder d = mu.decoder;
        String mutator = mu.mutator;
        res.mutateCpu.addAndGet(CPU.getCurrentThreadCpuTime() - m0);
        res.mutators.add(mutator.contains("+") ? mutator.substring(0, mutator.indexOf('+')) : mutator);
        long[] cost = decode(d, input, res, f, i, mutator, findings);
        if (cost[0] > maxCpuNs || cost[1] > maxCpuNs) {
            res.reruns.incrementAndGet();
            long[] again = decode(d, input, null, f, i, mutator, findings);
            cost = again;
            if (again[0] > maxCpuNs) {
                res.overLimit.incrementAndGet();
                save(findings, f, i, "slow", input, mutator + String.format(Locale.ROOT, " %.1f ms CPU", again[0] / 1e6));
            }
        }
        res.cpu[i] = cost[0];
        res.totalCpu.addAndGet(cost[0]);
        res.maxWall.accumulateAndGet(cost[1], Math::max);
        if (console.size() > 0) {
            synchronized (console) {
                if (console.size() > 0) {
                    res.stderrWrites.incrementAndGet();
                    save(findings, f, i, "stderr", input, mutator + ": " + console.toString().lines().findFirst().orElse(""));
                    console.reset();
                }
            }
        }
    }

    /**
     * Prints the five costliest inputs of a format with their mutator, size and the median CPU time of
     * five more decodes, which tells a costly input from a thread that was descheduled or stalled.
     */
    private static void slowest(Format f, Result res, long seed) {
        Integer[] idx = new Integer[res.cpu.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Long.compare(res.cpu[b], res.cpu[a]));
        for (int k = 0; k < Math.min(5, idx.length); k++) {
            int i = idx[k];
            Mutated mu = mutated(f, i, seed);
            long[] again = new long[5];
            for (int j = 0; j < again.length; j++) {
                again[j] = decode(mu.decoder, mu.input, null, f, i, mu.mutator, null)[0];
            }
            Arrays.sort(again);
            System.out.printf(Locale.ROOT, "  %-9s slowest #%d: input %d (%s, %,d bytes) %.2f ms CPU, median of 5 re-runs %.2f ms%n",
                    f.name, k + 1, i, mu.mutator, mu.input.length, res.cpu[i] / 1e6, again[2] / 1e6);
        }
    }

    private static byte[] structured(Format f, Random r, byte[] seed, boolean binary, String[] name) {
        if (f.name.equals("package 0")) {
            name[0] = Pkg0Mutator.NAMES.get(r.nextInt(Pkg0Mutator.NAMES.size()));
            return new Pkg0Mutator(r).mutate(seed, name[0]);
        }
        if (binary) {
            WbxmlMutator.Mutation m = new WbxmlMutator(r).mutate(seed);
            if (m != null) {
                name[0] = "wbxml:" + m.name();
                return m.bytes();
            }
            name[0] = "byte:unparsed-seed";
            return new ByteMutator(r, true).mutate(seed, f.seeds, null);
        }
        XmlMutator x = new XmlMutator(r);
        name[0] = "xml:" + x.pickName();
        return x.mutate(seed, name[0].substring(4));
    }

    /** @return CPU and wall nanoseconds of one decode */
    private static long[] decode(Decoder d, byte[] input, Result res, Format f, int i, String mutator, Path findings) {
        long c0 = CPU.getCurrentThreadCpuTime();
        long w0 = System.nanoTime();
        try {
            d.decode(input);
            if (res != null) {
                res.decoded.incrementAndGet();
            }
        } catch (CodecException e) {
            if (res != null) {
                res.rejected.incrementAndGet();
            }
        } catch (Throwable t) {
            if (res != null) {
                res.escapes.incrementAndGet();
                save(findings, f, i, "escape", input, mutator + ": " + t);
            }
        }
        return new long[] {CPU.getCurrentThreadCpuTime() - c0, System.nanoTime() - w0};
    }

    private static synchronized void save(Path dir, Format f, int i, String kind, byte[] input, String what) {
        String file = f.name.replace(' ', '-') + "-" + i + "-" + kind + ".bin";
        System.out.println("FINDING " + kind + " " + f.name + " input #" + i + " (" + what + "): " + dir.resolve(file) + " "
                + HexFormat.of().formatHex(Arrays.copyOf(input, Math.min(input.length, 200))));
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(file), input);
        } catch (IOException e) {
            System.out.println("  (could not save: " + e + ")");
        }
    }
}
