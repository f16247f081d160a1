package org.cardinaldm.smartcard.sim.internal.card;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A PIN (reference data for VERIFY, ISO/IEC 7816-4 clause 11.5.6) with its retry counter, and the unblocking
 * key (PUK) with its own counter. Values use the UICC format of ETSI TS 102 221 clause 9.5.1: 4 to 8 ASCII
 * digits padded with {@code FF} to 8 bytes.
 */
public final class Pin extends CountedSecret {
    /** Length of a PIN or PUK block on the wire. */
    public static final int BLOCK_LENGTH = 8;

    private byte[] value;
    private final byte[] puk;
    private final int maxPukRetries;
    private int pukRetries;

    /**
     * @param reference PIN reference 01..1F (global) or 81..9F (local)
     * @param value 8-byte padded PIN block
     * @param maxRetries attempts before blocking, 1..15
     * @param retries attempts left, 0..maxRetries
     * @param puk 8-byte padded PUK block, or {@code null} if the PIN cannot be unblocked
     * @param maxPukRetries PUK attempts, 1..15 (ignored without a PUK)
     * @param pukRetries PUK attempts left
     */
    public Pin(int reference, byte[] value, int maxRetries, int retries, byte[] puk, int maxPukRetries, int pukRetries) {
        super(checkReference(reference), maxRetries, retries, "PIN");
        checkBlock(value, "PIN");
        if (puk != null) {
            checkBlock(puk, "PUK");
            checkCounter(maxPukRetries, pukRetries, "PUK");
        }
        this.value = value.clone();
        this.puk = puk == null ? null : puk.clone();
        this.maxPukRetries = puk == null ? 0 : maxPukRetries;
        this.pukRetries = puk == null ? 0 : pukRetries;
    }

    private static int checkReference(int reference) {
        AccessCondition.checkPinReference(reference);
        return reference;
    }

    private static void checkBlock(byte[] block, String what) {
        if (!isValidBlock(block)) {
            throw new IllegalArgumentException(what + " must be 4..8 ASCII digits padded with FF to 8 bytes");
        }
    }

    /**
     * @param block a candidate PIN block
     * @return whether it is 4..8 ASCII digits followed by {@code FF} padding, 8 bytes in all
     */
    public static boolean isValidBlock(byte[] block) {
        if (block == null || block.length != BLOCK_LENGTH) {
            return false;
        }
        int digits = 0;
        while (digits < BLOCK_LENGTH && block[digits] >= '0' && block[digits] <= '9') {
            digits++;
        }
        for (int i = digits; i < BLOCK_LENGTH; i++) {
            if (block[i] != (byte) 0xFF) {
                return false;
            }
        }
        return digits >= 4;
    }

    /**
     * @param digits 4..8 decimal digits
     * @return the 8-byte block, padded with FF
     */
    public static byte[] block(String digits) {
        if (!digits.matches("[0-9]{4,8}")) {
            throw new IllegalArgumentException("A PIN or PUK is 4..8 decimal digits");
        }
        byte[] b = new byte[BLOCK_LENGTH];
        Arrays.fill(b, (byte) 0xFF);
        byte[] ascii = digits.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(ascii, 0, b, 0, ascii.length);
        return b;
    }

    /** @return whether a PUK exists */
    public boolean hasPuk() {
        return puk != null;
    }

    /** @return PUK attempts left */
    public int pukRetries() {
        return pukRetries;
    }

    /** @return the PUK retry limit (0 without PUK) */
    public int maxPukRetries() {
        return maxPukRetries;
    }

    /** @return a copy of the PIN block; for the card image only */
    byte[] valueBlock() {
        return value.clone();
    }

    /** @return a copy of the PUK block or {@code null}; for the card image only */
    byte[] pukBlock() {
        return puk == null ? null : puk.clone();
    }

    boolean matches(byte[] candidate) {
        return MessageDigest.isEqual(value, candidate);
    }

    boolean pukMatches(byte[] candidate) {
        return puk != null && MessageDigest.isEqual(puk, candidate);
    }

    void decrementPuk() {
        if (pukRetries > 0) {
            pukRetries--;
        }
    }

    void resetPukCounter() {
        pukRetries = maxPukRetries;
    }

    void setValue(byte[] block) {
        checkBlock(block, "PIN");
        value = block.clone();
    }

    /** @return the reference and counters, never the value */
    @Override
    public String toString() {
        return String.format("PIN %02X (%d/%d tries%s)", reference(), retries(), maxRetries(),
                puk == null ? "" : ", PUK " + pukRetries + "/" + maxPukRetries);
    }
}
