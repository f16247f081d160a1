package org.cardinaldm.syncml.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

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
import org.cardinaldm.syncml.test.fuzz.ByteMutator;
import org.cardinaldm.syncml.test.fuzz.WbxmlMutator;
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

    static byte[] mutate(Random r, List<byte[]> seeds, boolean binary) {
        byte[] seed = seeds.get(r.nextInt(seeds.size()));
        return new ByteMutator(r, binary).mutate(seed, seeds, null);
    }

    /**
     * Structure-aware WBXML mutations (issue 11: a LITERAL tag naming an empty string escaped as an
     * IllegalArgumentException, found by another fuzzer in 300 000 inputs and never by the byte-level
     * mutations above). Counts which decoder paths the mutations reach: the figures are printed and the
     * string-table paths must each be reached many times.
     */
    @Test
    void structure_aware_wbxml_mutations_reach_the_string_table_paths_and_end_in_codec_exceptions()
            throws CodecException {
        List<byte[]> seeds = new ArrayList<>(messageSeeds(true));
        Random g = new Random(SEED);
        while (seeds.size() < 60) {
            MgmtTree t = new MessageGenerator(new Random(g.nextLong()), false, true).tnds();
            byte[] w = SyncML.tndsWbxml(WbxmlOptions.DEFAULT).encode(t);
            if (w.length <= MAX_SEED) {
                seeds.add(w);
            }
        }
        MessageCodec messages = SyncML.wbxml(WbxmlOptions.DEFAULT.withLimits(LIMITS));
        TndsCodec tnds = SyncML.tndsWbxml(WbxmlOptions.DEFAULT.withLimits(LIMITS));
        Random r = new Random(SEED ^ 11);
        WbxmlMutator mutator = new WbxmlMutator(r);
        java.util.Map<WbxmlMutator.Target, Integer> targets = new java.util.EnumMap<>(WbxmlMutator.Target.class);
        java.util.Set<String> names = new java.util.TreeSet<>();
        int stringTable = 0;
        int emptyLiteralTags = 0;
        int emptyLiteralAttributes = 0;
        int inside = 0;
        int past = 0;
        int transcodes = 0;
        int notXmlNames = 0;
        int runs = 15_000;
        long start = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            byte[] seed = seeds.get(r.nextInt(seeds.size()));
            WbxmlMutator.Mutation m = mutator.mutate(seed);
            assertThat(m).as("seed %d parses", i).isNotNull();
            targets.merge(m.target(), 1, Integer::sum);
            names.add(m.name());
            try {
                if ((seed[1] & 0xFF) == 0) { // literal public id: the TNDS seeds
                    tnds.decode(m.bytes());
                } else {
                    transcodes += readableAsXml(messages.decode(m.bytes()), i, m);
                }
            } catch (CodecException e) {
                String msg = e.getMessage();
                stringTable += msg.contains("string table") ? 1 : 0;
                emptyLiteralTags += msg.contains("literal tag with an empty name") ? 1 : 0;
                emptyLiteralAttributes += msg.contains("literal attribute with an empty name") ? 1 : 0;
                inside += msg.contains("points inside a string") ? 1 : 0;
                past += msg.contains("outside the table") ? 1 : 0;
                notXmlNames += msg.contains("not an XML name") ? 1 : 0;
            } catch (Throwable t) {
                fail("structure-aware " + m.name() + " input #" + i + " threw " + t + " for "
                        + HexFormat.of().formatHex(Arrays.copyOf(m.bytes(), Math.min(m.bytes().length, 400))), t);
            }
        }
        System.out.printf("fuzz WBXML structure-aware %d inputs in %.1f s, %d mutators, targets %s: %d rejected on a "
                + "string-table check (%d empty literal tag names, %d empty literal attribute names, %d references "
                + "inside a string, %d outside the table, %d names that are not XML names); %d decoded messages "
                + "re-read from their XML%n", runs, (System.nanoTime() - start) / 1e9, names.size(), targets,
                stringTable, emptyLiteralTags, emptyLiteralAttributes, inside, past, notXmlNames, transcodes);
        assertThat(names).hasSize(WbxmlMutator.NAMES.size());
        assertThat(targets).containsOnlyKeys(WbxmlMutator.Target.values());
        assertThat(emptyLiteralTags).isGreaterThan(200);
        assertThat(emptyLiteralAttributes).isGreaterThan(50);
        assertThat(inside).isGreaterThan(200);
        assertThat(past).isGreaterThan(500);
        assertThat(notXmlNames).isGreaterThan(50);
        assertThat(transcodes).isGreaterThan(1_000);
    }

    /**
     * What {@code bin/syncml decode} does with a decoded message: it must be written as XML (or refused
     * as UNENCODABLE) and that XML must decode again. A LITERAL name holding markup failed this.
     */
    private static int readableAsXml(SyncMessage decoded, int i, WbxmlMutator.Mutation m) {
        byte[] xml;
        try {
            xml = SyncML.xml(XmlOptions.DEFAULT.withCdataData(true)).encode(decoded);
        } catch (CodecException e) {
            return 0;
        }
        try {
            SyncML.xml().decode(xml);
            return 1;
        } catch (CodecException e) {
            fail("structure-aware " + m.name() + " input #" + i + " decodes, but its XML does not: " + e.getMessage()
                    + "\n" + new String(xml, java.nio.charset.StandardCharsets.UTF_8));
            return 0;
        }
    }
}
