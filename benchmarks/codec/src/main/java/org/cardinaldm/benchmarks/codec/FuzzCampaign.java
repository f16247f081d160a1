package org.cardinaldm.benchmarks.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

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
import org.cardinaldm.syncml.api.notification.Notification;
import org.cardinaldm.syncml.api.notification.UiMode;
import org.cardinaldm.syncml.api.tnds.MgmtTree;

/**
 * A long mutation-fuzzing campaign (the unit suite runs 100 000 inputs per format; this runs as many
 * as asked): {@code java -cp benchmarks.jar org.cardinaldm.benchmarks.codec.FuzzCampaign [INPUTS] [SEED]}.
 * Every input must end in a decoded value or a CodecException; anything else is printed with its
 * bytes and ends the campaign with exit code 1.
 */
public final class FuzzCampaign {
    private static final CodecLimits LIMITS = new CodecLimits(256 * 1024, 48, 20_000, 64 * 1024, 64 * 1024);
    private static final String SPECIALS = "<>&;/\"'=!?[]";

    interface Decoder {
        Object decode(byte[] b) throws CodecException;
    }

    private FuzzCampaign() {
    }

    /**
     * @param args number of inputs per format (default 1 000 000) and seed
     * @throws Exception on setup failure
     */
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : System.nanoTime();
        System.out.println("fuzz campaign: " + runs + " inputs per format, seed " + seed);
        List<SyncMessage> messages = new ArrayList<>(Corpus.vectors());
        messages.addAll(Corpus.realistic(4, seed));
        List<byte[]> xml = new ArrayList<>();
        List<byte[]> wbxml = new ArrayList<>();
        List<byte[]> tndsXml = new ArrayList<>();
        List<byte[]> tndsWbxml = new ArrayList<>();
        for (SyncMessage m : messages) {
            xml.add(SyncML.xml().encode(m));
            wbxml.add(SyncML.wbxml().encode(m));
            wbxml.add(SyncML.wbxml(WbxmlOptions.DEFAULT.withStringTable(true)
                    .withEmbeddedDocuments(WbxmlOptions.EmbeddedDocuments.INLINE)).encode(m));
            for (var c : m.commands()) {
                if (c instanceof ItemCommand ic) {
                    for (Item i : ic.items()) {
                        if (i.data() instanceof Data.Xml x) {
                            MgmtTree t = MgmtTree.fromXml(x.elements().get(0));
                            tndsXml.add(SyncML.tndsXml(XmlOptions.DEFAULT).encode(t));
                            tndsWbxml.add(SyncML.tndsWbxml(WbxmlOptions.DEFAULT).encode(t));
                        }
                    }
                }
            }
        }
        List<byte[]> pkg0 = List.of(Notification.of("com.mgmtsrv.manage", 0x1234, UiMode.BACKGROUND).encode("s", new byte[4]));
        MessageCodec xc = SyncML.xml(XmlOptions.DEFAULT.withLimits(LIMITS));
        MessageCodec wc = SyncML.wbxml(WbxmlOptions.DEFAULT.withLimits(LIMITS));
        boolean ok = campaign("XML", xml, xc::decode, false, runs, seed)
                & campaign("WBXML", wbxml, wc::decode, true, runs, seed)
                & campaign("TNDS XML", tndsXml, SyncML.tndsXml(XmlOptions.DEFAULT.withLimits(LIMITS))::decode, false,
                        runs, seed)
                & campaign("TNDS WBXML", tndsWbxml, SyncML.tndsWbxml(WbxmlOptions.DEFAULT.withLimits(LIMITS))::decode,
                        true, runs, seed)
                & campaign("package 0", pkg0, b -> Notification.parse(b).verify("s", new byte[4]), true, runs, seed);
        System.exit(ok ? 0 : 1);
    }

    private static boolean campaign(String format, List<byte[]> seeds, Decoder d, boolean binary, int runs, long seed) {
        Random r = new Random(seed ^ format.hashCode());
        long start = System.nanoTime();
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(console, true));
        try {
            for (int i = 0; i < runs; i++) {
                if (!one(format, d, mutate(r, seeds, binary), i, console)) {
                    return false;
                }
            }
        } finally {
            System.setErr(stderr);
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf("%-10s %d inputs in %.1f s (%.0f/s): %d decoded, %d rejected, slowest %.2f ms%n", format, runs,
                s, runs / s, counts[0], counts[1], counts[2] / 1e6);
        counts[0] = 0;
        counts[1] = 0;
        counts[2] = 0;
        return true;
    }

    /** Decoded, rejected, slowest nanoseconds of the running campaign. */
    private static final long[] counts = new long[3];

    private static boolean one(String format, Decoder d, byte[] in, int i, java.io.ByteArrayOutputStream console) {
        long t0 = System.nanoTime();
        try {
            d.decode(in);
            counts[0]++;
        } catch (CodecException e) {
            counts[1]++;
        } catch (Throwable t) {
            System.out.println(format + " input #" + i + " threw " + t + ": " + HexFormat.of().formatHex(in));
            return false;
        }
        counts[2] = Math.max(counts[2], System.nanoTime() - t0);
        if (console.size() > 0) {
            System.out.println(format + " input #" + i + " wrote to System.err: " + console + " for "
                    + HexFormat.of().formatHex(in));
            return false;
        }
        return true;
    }

    private static byte[] mutate(Random r, List<byte[]> seeds, boolean binary) {
        byte[] b = seeds.get(r.nextInt(seeds.size())).clone();
        int ops = 1 + r.nextInt(3);
        for (int k = 0; k < ops; k++) {
            if (b.length == 0) {
                b = new byte[] {(byte) r.nextInt(256)};
            }
            int p = r.nextInt(b.length);
            switch (r.nextInt(8)) {
                case 0 -> b[p] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[p] = (byte) r.nextInt(256);
                case 2 -> b = Arrays.copyOf(b, p);
                case 3 -> {
                    int n = Math.min(b.length - p, 1 + r.nextInt(16));
                    byte[] out = new byte[b.length - n];
                    System.arraycopy(b, 0, out, 0, p);
                    System.arraycopy(b, p + n, out, p, b.length - p - n);
                    b = out;
                }
                case 4 -> b = insert(b, r.nextInt(b.length + 1), Arrays.copyOfRange(b, p, p + Math.min(b.length - p,
                        1 + r.nextInt(64))));
                case 5 -> b = insert(b, p, binary ? new byte[] {(byte) 0xC3, (byte) 0x8F, (byte) 0xFF, (byte) 0xFF,
                    (byte) 0xFF, 0x7F} : "<!DOCTYPE x [<!ENTITY a 'b'>]>&a;".getBytes(StandardCharsets.UTF_8));
                case 6 -> {
                    byte[] unit = binary ? new byte[] {0x48} : "<Atomic>".getBytes(StandardCharsets.UTF_8);
                    byte[] deep = new byte[unit.length * (1 + r.nextInt(200))];
                    for (int i = 0; i < deep.length; i += unit.length) {
                        System.arraycopy(unit, 0, deep, i, unit.length);
                    }
                    b = insert(b, p, deep);
                }
                default -> b[p] = binary ? (byte) new int[] {0, 1, 3, 0x7F, 0x80, 0xC3, 0xFF}[r.nextInt(7)]
                        : (byte) SPECIALS.charAt(r.nextInt(SPECIALS.length()));
            }
        }
        return b;
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] out = new byte[b.length + what.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(what, 0, out, at, what.length);
        System.arraycopy(b, at, out, at + what.length, b.length - at);
        return out;
    }
}
