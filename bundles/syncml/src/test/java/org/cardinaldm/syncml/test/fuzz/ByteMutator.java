package org.cardinaldm.syncml.test.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Byte-level mutations (the unit suite's original mutator): bit flips, byte sets, truncation,
 * deletion, duplication, snippets, splices with another seed, deep nesting, boundary bytes and XML
 * special characters. {@link #mutate} applies one to three of them and reports the first one's name.
 */
public final class ByteMutator {
    /** Names of the mutators, for counting. */
    public static final List<String> NAMES = List.of("bit-flip", "byte-set", "truncate", "delete", "duplicate",
            "snippet", "splice", "deep-or-increment", "boundary-bytes", "xml-special");

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

    private final Random r;
    private final boolean binary;

    /**
     * @param r the source of randomness
     * @param binary whether the format is binary (no XML special characters, WBXML snippets)
     */
    public ByteMutator(Random r, boolean binary) {
        this.r = r;
        this.binary = binary;
    }

    /**
     * @param seed the input to change (not modified)
     * @param seeds other inputs, for splices
     * @param first receives the name of the first mutation applied (index 0)
     * @return the mutated input
     */
    public byte[] mutate(byte[] seed, List<byte[]> seeds, String[] first) {
        byte[] b = seed.clone();
        int ops = 1 + r.nextInt(3);
        for (int k = 0; k < ops; k++) {
            if (b.length == 0) {
                b = new byte[] {(byte) r.nextInt(256)};
            }
            int p = r.nextInt(b.length);
            int op = r.nextInt(binary ? 9 : 10);
            if (k == 0 && first != null) {
                first[0] = NAMES.get(op);
            }
            switch (op) {
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

    static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] out = new byte[b.length + what.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(what, 0, out, at, what.length);
        System.arraycopy(b, at, out, at + what.length, b.length - at);
        return out;
    }
}
