package org.cardinaldm.smartcard.sim.internal.card;

import java.util.Objects;

/**
 * A secret key held by the card: never readable through any command. A key of usage {@value #USAGE_ADM}
 * authenticates the issuer with GET CHALLENGE / EXTERNAL AUTHENTICATE (AES, see {@link Uicc}). Other usages
 * (for example the DM server secrets of Cardinal's DM profile) are kept for card-side commands that use them.
 */
public final class CardKey extends CountedSecret {
    /** Usage of the issuer's administrative key. */
    public static final String USAGE_ADM = "adm";

    private final String usage;
    private final byte[] value;

    /**
     * @param reference key reference 01..1F
     * @param usage what it is for, e.g. {@value #USAGE_ADM}
     * @param value the key bytes (copied); 16, 24 or 32 bytes for {@value #USAGE_ADM}
     * @param maxRetries failed authentications before blocking, 1..15
     * @param retries attempts left
     */
    public CardKey(int reference, String usage, byte[] value, int maxRetries, int retries) {
        super(checkReference(reference), maxRetries, retries, "Key");
        this.usage = Objects.requireNonNull(usage, "usage");
        if (!usage.matches("[a-z][a-z0-9-]{0,31}")) {
            throw new IllegalArgumentException("Key usage must be a lower-case word: " + usage);
        }
        if (value.length == 0 || value.length > 255) {
            throw new IllegalArgumentException("Key length must be 1..255 bytes");
        }
        if (USAGE_ADM.equals(usage) && value.length != 16 && value.length != 24 && value.length != 32) {
            throw new IllegalArgumentException("An ADM key is an AES key of 16, 24 or 32 bytes");
        }
        this.value = value.clone();
    }

    private static int checkReference(int reference) {
        if (reference < 1 || reference > 0x1F) {
            throw new IllegalArgumentException("Key reference must be 01..1F: " + reference);
        }
        return reference;
    }

    /** @return the usage */
    public String usage() {
        return usage;
    }

    /** @return a copy of the key; only for card-side computations and the card image */
    public byte[] secret() {
        return value.clone();
    }

    /** @return reference, usage and counter, never the value */
    @Override
    public String toString() {
        return String.format("Key %02X %s (%d/%d tries)", reference(), usage, retries(), maxRetries());
    }
}
