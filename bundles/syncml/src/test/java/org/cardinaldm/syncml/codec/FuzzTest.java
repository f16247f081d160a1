package org.cardinaldm.syncml.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

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
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.cardinaldm.syncml.api.notification.Notification;
import org.cardinaldm.syncml.api.notification.UiMode;
import org.cardinaldm.syncml.api.tnds.MgmtTree;
import org.cardinaldm.syncml.api.tnds.TndsCodec;
import org.cardinaldm.syncml.test.MessageGenerator;
import org.cardinaldm.syncml.test.Vectors;
import org.junit.jupiter.api.Test;

/**
 * Mutation fuzzing in the unit suite: at least 100 000 mutated inputs per format, each of which must
 * end in a decoded value or a {@link CodecException}. The random seed is fixed, so a failure
 * reproduces; longer campaigns run from {@code benchmarks/codec}.
 */
class FuzzTest {
    private static final int RUNS = 100_000;
    private static final int MAX_SEED = 900;
    private static final long SEED = 0x5EED_2026L;
    /** Small limits make the limit paths part of the campaign. */
    private static final CodecLimits LIMITS = new CodecLimits(256 * 1024, 48, 20_000, 64 * 1024, 64 * 1024);

    interface Decoder {
        Object decode(byte[] input) throws CodecException;
    }

    private static List<byte[]> messageSeeds(boolean wbxml) throws CodecException {
        List<byte[]> seeds = new ArrayList<>();
        MessageCodec codec = wbxml ? SyncML.wbxml(WbxmlOptions.DEFAULT.withStringTable(true)) : SyncML.xml();
        for (String v : wbxml ? Vectors.WBXML_MESSAGES : Vectors.XML_MESSAGES) {
            byte[] b = Vectors.read(v);
            if (b.length <= 2 * MAX_SEED || v.startsWith("scts")) { // large DS samples cost time, not coverage
                seeds.add(b);
            }
        }
        Random r = new Random(SEED);
        while (seeds.size() < 40) {
            SyncMessage m = new MessageGenerator(new Random(r.nextLong()), wbxml, true).message();
            byte[] encoded = codec.encode(m);
            if (encoded.length > MAX_SEED) {
                continue; // keep the campaign fast: small seeds, many mutations
            }
            seeds.add(encoded);
            if (wbxml) {
                seeds.add(SyncML.wbxml(WbxmlOptions.DEFAULT.withEmbeddedDocuments(
                        WbxmlOptions.EmbeddedDocuments.INLINE)).encode(m));
            }
        }
        return seeds;
    }

    @Test
    void mutated_wbxml_messages_decode_or_fail_with_a_codec_exception() throws CodecException {
        MessageCodec codec = SyncML.wbxml(WbxmlOptions.DEFAULT.withLimits(LIMITS));
        assertThat(campaign("WBXML", messageSeeds(true), codec::decode, true)).isGreaterThanOrEqualTo(RUNS);
    }

    @Test
    void mutated_xml_messages_decode_or_fail_with_a_codec_exception() throws CodecException {
        MessageCodec codec = SyncML.xml(XmlOptions.DEFAULT.withLimits(LIMITS));
        assertThat(campaign("XML", messageSeeds(false), codec::decode, false)).isGreaterThanOrEqualTo(RUNS);
    }

    @Test
    void mutated_tnds_documents_decode_or_fail_with_a_codec_exception() throws CodecException {
        TndsCodec xml = SyncML.tndsXml(XmlOptions.DEFAULT.withLimits(LIMITS));
        TndsCodec wbxml = SyncML.tndsWbxml(WbxmlOptions.DEFAULT.withLimits(LIMITS));
        List<byte[]> xmlSeeds = new ArrayList<>(List.of(Vectors.read("libwbxml/ddf-001.ddf")));
        List<byte[]> wbxmlSeeds = new ArrayList<>();
        Random r = new Random(SEED);
        while (wbxmlSeeds.size() < 20) {
            MgmtTree t = new MessageGenerator(new Random(r.nextLong()), false, true).tnds();
            byte[] x = SyncML.tndsXml(XmlOptions.DEFAULT).encode(t);
            if (x.length <= MAX_SEED) {
                xmlSeeds.add(x);
                wbxmlSeeds.add(SyncML.tndsWbxml(WbxmlOptions.DEFAULT).encode(t));
            }
        }
        int runs = campaign("TNDS XML", xmlSeeds, xml::decode, false, RUNS / 2)
                + campaign("TNDS WBXML", wbxmlSeeds, wbxml::decode, true, RUNS / 2);
        assertThat(runs).isGreaterThanOrEqualTo(RUNS);
    }

    @Test
    void mutated_notifications_parse_or_fail_with_a_codec_exception() {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(Notification.of("com.mgmtsrv.manage", 0x1234, UiMode.BACKGROUND).encode("secret", new byte[4]));
        seeds.add(new Notification(11, UiMode.USER_INTERACTION, org.cardinaldm.syncml.api.notification.Initiator.SERVER,
                0xFFFF, "x".repeat(255), new byte[40]).encode("p", new byte[] {1}));
        int runs = campaign("package 0", seeds, b -> {
            Notification.Signed s = Notification.parse(b);
            s.verify("secret", new byte[4]);
            return s;
        }, true);
        assertThat(runs).isGreaterThanOrEqualTo(RUNS);
    }

    private static int campaign(String format, List<byte[]> seeds, Decoder decoder, boolean binary) {
        return campaign(format, seeds, decoder, binary, RUNS);
    }

    private static int campaign(String format, List<byte[]> seeds, Decoder decoder, boolean binary, int runs) {
        Random r = new Random(SEED ^ format.hashCode());
        int decoded = 0;
        int rejected = 0;
        long slowest = 0;
        long start = System.nanoTime();
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(console, true));
        try {
            for (int i = 0; i < runs; i++) {
                byte[] input = mutate(r, seeds, binary);
                long t0 = System.nanoTime();
                try {
                    decoder.decode(input);
                    decoded++;
                } catch (CodecException e) {
                    rejected++;
                    if (e.getMessage() == null || e.getMessage().isBlank()) {
                        fail(format + " input #" + i + ": CodecException without a message");
                    }
                } catch (Throwable t) {
                    fail(format + " input #" + i + " threw " + t + " for "
                            + HexFormat.of().formatHex(Arrays.copyOf(input, Math.min(input.length, 400))), t);
                }
                slowest = Math.max(slowest, System.nanoTime() - t0);
                if (console.size() > 0) {
                    fail(format + " input #" + i + " made the parser write to System.err: " + console
                            + HexFormat.of().formatHex(Arrays.copyOf(input, Math.min(input.length, 400))));
                }
            }
        } finally {
            System.setErr(stderr);
        }
        System.out.printf("fuzz %-10s %d inputs in %.1f s: %d decoded, %d rejected, slowest %.1f ms%n", format, runs,
                (System.nanoTime() - start) / 1e9, decoded, rejected, slowest / 1e6);
        return decoded + rejected;
    }

    private static final String SPECIALS = "<>&;/\"'=!?[]";
    private static final byte[][] XML_SNIPPETS = {"&".getBytes(StandardCharsets.UTF_8), "<".getBytes(StandardCharsets.UTF_8),
        "<![CDATA[x]]>".getBytes(StandardCharsets.UTF_8), "&#0;".getBytes(StandardCharsets.UTF_8),
        "&#x110000;".getBytes(StandardCharsets.UTF_8), "&undeclared;".getBytes(StandardCharsets.UTF_8),
        "<!DOCTYPE SyncML [<!ENTITY a 'aaaa'><!ENTITY b '&a;&a;&a;'>]>".getBytes(StandardCharsets.UTF_8),
        "<!DOCTYPE x [<!ENTITY a 'b".getBytes(StandardCharsets.UTF_8),
        "<!DOCTYPE SyncML PUBLIC '-//SYNCML//DTD SyncML 1.2//EN' 'x.dtd'>".getBytes(StandardCharsets.UTF_8),
        "<Item><Data>".getBytes(StandardCharsets.UTF_8), "</Data>".getBytes(StandardCharsets.UTF_8),
        "<MgmtTree xmlns='syncml:dmddf1.2'>".getBytes(StandardCharsets.UTF_8), "\u00e9\ud83d\ude00".getBytes(StandardCharsets.UTF_8),
        {(byte) 0xC3, 0x28}, {(byte) 0xFE, (byte) 0xFF}};
    private static final byte[][] WBXML_SNIPPETS = {{(byte) 0x8F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F},
        {(byte) 0xC3, (byte) 0x8F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F}, {(byte) 0x83, (byte) 0x8F, (byte) 0xFF, 0x7F},
        {0x00, 0x02}, {0x00, 0x07}, {0x03, 0x41}, {0x02, (byte) 0x84, (byte) 0x80, 0x00}, {0x43, 0x05, 0x01},
        {(byte) 0xC4, 0x00, 0x01}, {(byte) 0x8F, 0x01}, {0x01, 0x01, 0x01}, {0x40, 0x41, 0x00}};

    static byte[] mutate(Random r, List<byte[]> seeds, boolean binary) {
        byte[] b = seeds.get(r.nextInt(seeds.size())).clone();
        int ops = 1 + r.nextInt(3);
        for (int k = 0; k < ops; k++) {
            if (b.length == 0) {
                b = new byte[] {(byte) r.nextInt(256)};
            }
            int p = r.nextInt(b.length);
            switch (r.nextInt(binary ? 9 : 10)) {
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
                case 4 -> {
                    int n = Math.min(b.length - p, 1 + r.nextInt(64));
                    b = insert(b, r.nextInt(b.length + 1), Arrays.copyOfRange(b, p, p + n));
                }
                case 5 -> {
                    byte[][] snippets = binary ? WBXML_SNIPPETS : XML_SNIPPETS;
                    b = insert(b, r.nextInt(b.length + 1), snippets[r.nextInt(snippets.length)]);
                }
                case 6 -> {
                    byte[] other = seeds.get(r.nextInt(seeds.size()));
                    int q = r.nextInt(other.length);
                    byte[] out = Arrays.copyOf(b, p + other.length - q);
                    System.arraycopy(other, q, out, p, other.length - q);
                    b = out;
                }
                case 7 -> {
                    if (r.nextInt(50) == 0) { // deep nesting, rarely: it is the slowest input
                        byte[] unit = binary ? new byte[] {0x48} : "<Atomic>".getBytes(StandardCharsets.UTF_8);
                        byte[] deep = new byte[unit.length * (50 + r.nextInt(150))];
                        for (int i = 0; i < deep.length; i += unit.length) {
                            System.arraycopy(unit, 0, deep, i, unit.length);
                        }
                        b = insert(b, p, deep);
                    } else {
                        b[p] = (byte) (b[p] + 1);
                    }
                }
                case 8 -> {
                    for (int i = 0; i < 1 + r.nextInt(8); i++) {
                        b[r.nextInt(b.length)] = (byte) (new int[] {0x00, 0x01, 0x03, 0x7F, 0x80, 0xC3, 0xFF})[r.nextInt(7)];
                    }
                }
                default -> b[p] = (byte) SPECIALS.charAt(r.nextInt(SPECIALS.length()));
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
