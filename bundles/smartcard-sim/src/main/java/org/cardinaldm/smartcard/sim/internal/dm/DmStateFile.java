package org.cardinaldm.smartcard.sim.internal.dm;

import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.CAP_COUNTERS;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.CAP_FUMO;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.CAP_HMAC;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.CAP_MD5;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.CAP_SERVER_CHALLENGE;
import static org.cardinaldm.smartcard.api.profile.CardinalDmProfile.CAP_VERIFY_SERVER;

import java.util.Arrays;

/**
 * The layout of EF.DMSTATE ({@code 6432} in the PKCS#15 application), the record the card keeps of its DM
 * files and returns to GET CHANGE COUNTER (docs/smartcard-profile.md, section "EF.DMSTATE"):
 * <pre>
 * offset size
 *  0     1   format, 01
 *  1     1   profile version, major (01)
 *  2     1   profile version, minor (01)
 *  3     1   capabilities: 01 md5 digest, 02 HMAC digest, 04 VERIFY SERVER DIGEST, 08 change counters,
 *            10 the card's own server challenge and the device key (profile 1.1),
 *            20 the FUMO commands (profile 1.2, minor version 02)
 *  4     1   card id length n, 1..16
 *  5    16   card id (n bytes, then 00)
 * 21     4   change counter, unsigned big-endian, wraps to 0
 * 25     1   number of file entries m
 * 26    7m   entries: FID (2) | SFI (1, 00 = none) | file change counter (4)
 * </pre>
 * The capability bits are {@link org.cardinaldm.smartcard.api.profile.CardinalDmProfile}'s. Operates on a
 * byte array; the card maintains the file, nobody may UPDATE it.
 */
final class DmStateFile {
    static final int FORMAT = 0x01;
    static final int PROFILE_MAJOR = 1;
    static final int PROFILE_MINOR = 1;
    /** Minor version of a card with the FUMO commands (profile 1.2). */
    static final int PROFILE_MINOR_FUMO = 2;
    static final int CAPABILITIES = CAP_MD5 | CAP_HMAC | CAP_VERIFY_SERVER | CAP_COUNTERS | CAP_SERVER_CHALLENGE;
    static final int MAX_CARD_ID = 16;
    static final int OFF_CARD_ID_LENGTH = 4;
    static final int OFF_CARD_ID = 5;
    static final int OFF_COUNTER = 21;
    static final int OFF_ENTRIES = 25;
    static final int HEADER = 26;
    static final int ENTRY = 7;

    private final byte[] b;

    DmStateFile(byte[] content) {
        this.b = content;
    }

    /** @return whether the file was personalised (format byte set) */
    boolean isInitialised() {
        return (b[0] & 0xFF) == FORMAT && entries() * ENTRY + HEADER <= b.length;
    }

    int entries() {
        return b[OFF_ENTRIES] & 0xFF;
    }

    int capacity() {
        return (b.length - HEADER) / ENTRY;
    }

    /** @return the bytes in use: header and entries */
    byte[] used() {
        return Arrays.copyOf(b, HEADER + entries() * ENTRY);
    }

    long counter() {
        return u32(OFF_COUNTER);
    }

    /** @return the entry index of a FID, or -1 */
    int indexOf(int fid) {
        for (int i = 0; i < entries(); i++) {
            int at = HEADER + i * ENTRY;
            if (((b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF)) == fid) {
                return i;
            }
        }
        return -1;
    }

    long fileCounter(int index) {
        return u32(HEADER + index * ENTRY + 3);
    }

    /**
     * Counts one write of a file: the change counter and the file's own counter go up by one.
     *
     * @param fid the file written
     * @return whether the file has an entry (files without one are not DM files and count nothing)
     */
    boolean count(int fid) {
        int i = indexOf(fid);
        if (i < 0) {
            return false;
        }
        putU32(OFF_COUNTER, counter() + 1);
        int at = HEADER + i * ENTRY + 3;
        putU32(at, u32(at) + 1);
        return true;
    }

    /** Writes a fresh header (counter 0, no entries) of a profile 1.1 card. */
    void initialise(byte[] cardId) {
        initialise(cardId, false);
    }

    /**
     * Writes a fresh header (counter 0, no entries).
     *
     * @param cardId the card id
     * @param fumo whether the card carries the FUMO commands: profile 1.2 with capability {@code 20}, else 1.1
     */
    void initialise(byte[] cardId, boolean fumo) {
        if (cardId.length < 1 || cardId.length > MAX_CARD_ID) {
            throw new IllegalArgumentException("The card id must be 1..16 bytes");
        }
        Arrays.fill(b, (byte) 0);
        b[0] = (byte) FORMAT;
        b[1] = (byte) PROFILE_MAJOR;
        b[2] = (byte) (fumo ? PROFILE_MINOR_FUMO : PROFILE_MINOR);
        b[3] = (byte) (fumo ? CAPABILITIES | CAP_FUMO : CAPABILITIES);
        b[OFF_CARD_ID_LENGTH] = (byte) cardId.length;
        System.arraycopy(cardId, 0, b, OFF_CARD_ID, cardId.length);
    }

    /** Appends an entry with counter 0. */
    void addEntry(int fid, int sfi) {
        int n = entries();
        if (n >= capacity() || n >= 255) {
            throw new IllegalArgumentException("EF.DMSTATE has no room for another file entry");
        }
        int at = HEADER + n * ENTRY;
        b[at] = (byte) (fid >> 8);
        b[at + 1] = (byte) fid;
        b[at + 2] = (byte) sfi;
        b[OFF_ENTRIES] = (byte) (n + 1);
    }

    private long u32(int at) {
        return ((long) (b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    private void putU32(int at, long value) {
        b[at] = (byte) (value >> 24);
        b[at + 1] = (byte) (value >> 16);
        b[at + 2] = (byte) (value >> 8);
        b[at + 3] = (byte) value;
    }

    byte[] bytes() {
        return b;
    }
}
