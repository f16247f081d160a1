package org.cardinaldm.smartcard.sim.internal.card;

import java.util.Arrays;

/**
 * Answer To Reset construction and checking (ISO/IEC 7816-3 clause 8.2). The simulator's default ATRs:
 * <ul>
 * <li>T=1: {@code 3B 87 81 31 FE 45} + historical bytes + TCK (TD1 = 81: T=1, TD2 follows; TD2 = 31: TA3, TB3
 * follow, T=1; TA3 = FE: IFSC 254; TB3 = 45: BWI 4, CWI 5).</li>
 * <li>T=0: {@code 3B 07} + historical bytes (no interface bytes: T=0 implied, no TCK).</li>
 * </ul>
 * Default historical bytes: {@code 80} (compact-TLV follows), {@code 31 E0} (card service data: selection by
 * full and partial DF name, EF.DIR present), {@code 73 BE 21 43} (card capabilities: selection by full and
 * partial DF name, path, FID, implicit, SFI; data coding 21; third byte: extended Lc/Le (T=1 only), channel
 * numbers assigned by the card or the interface device, number of channels; {@code 5B} for T=1 and 4 channels).
 */
public final class Atr {
    /** The default historical bytes. */
    static final byte[] DEFAULT_HISTORICAL = {(byte) 0x80, 0x31, (byte) 0xE0, 0x73, (byte) 0xBE, 0x21, 0x5B};

    private Atr() {
    }

    /**
     * @param protocol the card's protocol
     * @param historical historical bytes, at most 15
     * @return the ATR
     */
    public static byte[] build(CardImage.Protocol protocol, byte[] historical) {
        if (historical.length > 15) {
            throw new IllegalArgumentException("At most 15 historical bytes");
        }
        byte[] head = protocol == CardImage.Protocol.T1
                ? new byte[] {0x3B, (byte) (0x80 | historical.length), (byte) 0x81, 0x31, (byte) 0xFE, 0x45}
                : new byte[] {0x3B, (byte) historical.length};
        byte[] atr = Arrays.copyOf(head, head.length + historical.length + (protocol == CardImage.Protocol.T1 ? 1 : 0));
        System.arraycopy(historical, 0, atr, head.length, historical.length);
        if (protocol == CardImage.Protocol.T1) {
            int tck = 0;
            for (int i = 1; i < atr.length - 1; i++) {
                tck ^= atr[i];
            }
            atr[atr.length - 1] = (byte) tck;
        }
        return atr;
    }

    /**
     * @param protocol the protocol
     * @param channels the number of logical channels the card supports (1..4 fit the capabilities byte)
     * @return the default ATR
     */
    public static byte[] defaultFor(CardImage.Protocol protocol, int channels) {
        byte[] hist = DEFAULT_HISTORICAL.clone();
        int extended = protocol == CardImage.Protocol.T1 ? 0x40 : 0;   // b7: extended Lc and Le fields
        int assign = channels > 1 ? 0x18 : 0;       // b5-b4 = 11: channel numbers assigned by card and by IFD
        int max = Math.min(Math.max(channels, 1) - 1, 7); // b3-b1: y + 1 channels, 111 = 8 or more
        hist[6] = (byte) (extended | assign | max);
        return build(protocol, hist);
    }

    /**
     * Checks the structure of an ATR: TS, the interface bytes announced by T0 and TDi, the historical bytes,
     * and TCK when a protocol other than T=0 is offered.
     *
     * @param atr the ATR
     * @throws IllegalArgumentException with the reason if it is malformed
     */
    public static void check(byte[] atr) {
        if (atr.length < 2 || atr.length > 33) {
            throw new IllegalArgumentException("An ATR has 2..33 bytes: " + atr.length);
        }
        if (atr[0] != 0x3B && atr[0] != 0x3F) {
            throw new IllegalArgumentException("TS must be 3B or 3F");
        }
        int pos = 1;
        int y = (atr[1] >> 4) & 0x0F;
        int historical = atr[1] & 0x0F;
        boolean onlyT0 = true;
        pos++;
        while (true) {
            pos += Integer.bitCount(y & 0x07);     // TA, TB, TC
            if ((y & 0x08) == 0) {
                break;
            }
            if (pos >= atr.length) {
                throw new IllegalArgumentException("ATR too short for its interface bytes");
            }
            int td = atr[pos] & 0xFF;
            if ((td & 0x0F) != 0) {
                onlyT0 = false;
            }
            y = (td >> 4) & 0x0F;
            pos++;
        }
        int expected = pos + historical + (onlyT0 ? 0 : 1);
        if (atr.length != expected) {
            throw new IllegalArgumentException("ATR length " + atr.length + " does not match its structure ("
                    + expected + ")");
        }
        if (!onlyT0) {
            int x = 0;
            for (int i = 1; i < atr.length; i++) {
                x ^= atr[i];
            }
            if (x != 0) {
                throw new IllegalArgumentException("ATR check byte TCK is wrong");
            }
        }
    }
}
