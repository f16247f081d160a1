package org.cardinaldm.syncml.test.fuzz;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Structure-aware mutations of a package-0 notification (digest 16 bytes, then version 10 bits,
 * ui-mode 2, initiator 1, future 27, session id 16, server id length 8, server id, vendor data): each
 * field is set to boundary values, the length byte disagrees with the bytes that follow, the server id
 * holds invalid UTF-8, the message is cut at a field boundary or grown past its 64 KiB maximum.
 */
public final class Pkg0Mutator {
    /** Names of the mutators, for counting. */
    public static final List<String> NAMES = List.of("version", "ui-mode-initiator-future", "session-id",
            "server-id-length", "server-id-bytes", "cut-at-field", "vendor-data", "digest");

    private final Random r;

    /**
     * @param r the source of randomness
     */
    public Pkg0Mutator(Random r) {
        this.r = r;
    }

    /**
     * @param seed a well-formed notification
     * @param name one of {@link #NAMES}
     * @return the mutated notification
     */
    public byte[] mutate(byte[] seed, String name) {
        if (seed.length < 24) {
            return seed;
        }
        byte[] b = seed.clone();
        ByteBuffer bb = ByteBuffer.wrap(b);
        long word = bb.getLong(16);
        switch (name) {
            case "version" -> {
                long v = new long[] {0, 9, 10, 11, 12, 13, 0x3FF}[r.nextInt(7)];
                bb.putLong(16, (word & ~(0x3FFL << 54)) | (v << 54));
            }
            case "ui-mode-initiator-future" -> bb.putLong(16, word ^ (r.nextLong() & (0x3FFFFFFFL << 24)));
            case "session-id" -> bb.putLong(16, (word & ~(0xFFFFL << 8)) | ((long) new int[] {0, 1, 0xFFFF}[r.nextInt(3)] << 8));
            case "server-id-length" -> {
                int idLength = (int) (word & 0xFF);
                int[] lengths = {0, 1, 255, idLength + 1, idLength - 1, b.length - 24, b.length - 23};
                bb.putLong(16, (word & ~0xFFL) | (lengths[r.nextInt(lengths.length)] & 0xFF));
            }
            case "server-id-bytes" -> {
                int idLength = (int) (word & 0xFF);
                byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xFF}, {0},
                    {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};
                byte[] x = bad[r.nextInt(bad.length)];
                int at = 24 + r.nextInt(Math.max(1, Math.min(idLength, b.length - 24)));
                for (int i = 0; i < x.length && at + i < b.length; i++) {
                    b[at + i] = x[i];
                }
            }
            case "cut-at-field" -> {
                int[] cuts = {0, 1, 15, 16, 17, 23, 24, 25, b.length - 1};
                return Arrays.copyOf(b, Math.max(0, Math.min(b.length, cuts[r.nextInt(cuts.length)])));
            }
            case "vendor-data" -> {
                int extra = new int[] {1, 255, 65_535 - b.length, 65_536 - b.length, 70_000}[r.nextInt(5)];
                byte[] out = Arrays.copyOf(b, b.length + Math.max(0, extra));
                return out;
            }
            default -> b[r.nextInt(16)] ^= (byte) (1 + r.nextInt(255));
        }
        return b;
    }
}
