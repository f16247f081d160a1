package org.cardinaldm.smartcard.dm.internal.profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.cardinaldm.smartcard.api.profile.CardinalDmProfile;
import org.cardinaldm.smartcard.dm.api.DmCard;
import org.cardinaldm.smartcard.dm.internal.pkcs15.Pkcs15Exception;

/**
 * EF.DMSTATE as GET CHANGE COUNTER returns it: format, profile version, capabilities, card id, the change
 * counter and the file table (FID, SFI, per-file counter). Immutable. Layout in docs/smartcard-profile.md.
 */
public final class DmState {
    /** Size of the header (everything but the file table). */
    public static final int HEADER = 26;
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    /**
     * One DM file.
     *
     * @param fid its file identifier
     * @param sfi its short file identifier, 0 for none
     * @param counter how many writes it has had
     */
    public record FileEntry(int fid, int sfi, long counter) {
    }

    private final int major;
    private final int minor;
    private final int capabilities;
    private final byte[] cardId;
    private final long counter;
    private final Map<Integer, FileEntry> files;
    private final boolean complete;

    private DmState(int major, int minor, int capabilities, byte[] cardId, long counter, Map<Integer, FileEntry> files,
            boolean complete) {
        this.major = major;
        this.minor = minor;
        this.capabilities = capabilities;
        this.cardId = cardId;
        this.counter = counter;
        this.files = files;
        this.complete = complete;
    }

    /**
     * @param data the response of GET CHANGE COUNTER (full, or the header only)
     * @return the state
     * @throws Pkcs15Exception if the format is unknown or the data is inconsistent
     */
    public static DmState parse(byte[] data) throws Pkcs15Exception {
        if (data.length < HEADER) {
            throw new Pkcs15Exception("EF.DMSTATE is shorter than its header");
        }
        if (data[0] != 0x01) {
            throw new Pkcs15Exception("Unknown EF.DMSTATE format " + (data[0] & 0xFF));
        }
        int idLength = data[4] & 0xFF;
        if (idLength < 1 || idLength > 16) {
            throw new Pkcs15Exception("EF.DMSTATE card id length " + idLength + " is not 1..16");
        }
        int n = data[25] & 0xFF;
        boolean complete = data.length > HEADER || n == 0;
        Map<Integer, FileEntry> files = new TreeMap<>();
        if (complete) {
            if (data.length < HEADER + 7 * n) {
                throw new Pkcs15Exception("EF.DMSTATE file table is truncated");
            }
            for (int i = 0; i < n; i++) {
                int at = HEADER + 7 * i;
                int fid = (data[at] & 0xFF) << 8 | (data[at + 1] & 0xFF);
                int sfi = data[at + 2] & 0xFF;
                if (sfi > 30) {
                    throw new Pkcs15Exception("EF.DMSTATE: SFI out of range");
                }
                if (files.put(fid, new FileEntry(fid, sfi, u32(data, at + 3))) != null) {
                    throw new Pkcs15Exception("EF.DMSTATE lists a file twice");
                }
            }
        }
        return new DmState(data[1] & 0xFF, data[2] & 0xFF, data[3] & 0xFF, Arrays.copyOfRange(data, 5, 5 + idLength),
                u32(data, 21), java.util.Collections.unmodifiableMap(files), complete);
    }

    private static long u32(byte[] b, int at) {
        return ((long) (b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    /** @return the profile version, e.g. {@code 1.0} */
    public String profileVersion() {
        return major + "." + minor;
    }

    /** @return the capability bits (01 md5, 02 HMAC, 04 verify server, 08 change counters, 10 server challenge) */
    public int capabilityBits() {
        return capabilities;
    }

    /** @return the capability names of {@link DmCard} */
    public Set<String> capabilities() {
        Set<String> s = new LinkedHashSet<>();
        if ((capabilities & CardinalDmProfile.CAP_MD5) != 0) {
            s.add(DmCard.CAPABILITY_MD5);
        }
        if ((capabilities & CardinalDmProfile.CAP_HMAC) != 0) {
            s.add(DmCard.CAPABILITY_HMAC);
        }
        if ((capabilities & CardinalDmProfile.CAP_VERIFY_SERVER) != 0) {
            s.add(DmCard.CAPABILITY_VERIFY_SERVER);
        }
        if ((capabilities & CardinalDmProfile.CAP_COUNTERS) != 0) {
            s.add(DmCard.CAPABILITY_CHANGE_COUNTER);
        }
        if ((capabilities & CardinalDmProfile.CAP_SERVER_CHALLENGE) != 0) {
            s.add(DmCard.CAPABILITY_SERVER_CHALLENGE);
        }
        if ((capabilities & CardinalDmProfile.CAP_FUMO) != 0) {
            s.add(DmCard.CAPABILITY_FUMO);
        }
        return s;
    }

    /** @return a copy of the card id */
    public byte[] cardId() {
        return cardId.clone();
    }

    /** @return the card id in hex */
    public String cardIdHex() {
        return HEX.formatHex(cardId);
    }

    /** @return the change counter */
    public long counter() {
        return counter;
    }

    /** @return whether the file table was included */
    public boolean isComplete() {
        return complete;
    }

    /** @return the file table by FID */
    public Map<Integer, FileEntry> files() {
        return files;
    }

    /**
     * @param fid a file
     * @return its SFI, if the card gave it one
     */
    public Optional<Integer> sfi(int fid) {
        FileEntry e = files.get(fid);
        return e == null || e.sfi() == 0 ? Optional.empty() : Optional.of(e.sfi());
    }

    /**
     * @param other an earlier state of the same card
     * @return whether this one is the same card with the same counter
     */
    public boolean sameAs(DmState other) {
        return Arrays.equals(cardId, other.cardId) && counter == other.counter;
    }

    /**
     * @param older an earlier state of the same card, with its file table
     * @return the FIDs whose counter moved, appeared or vanished since
     */
    public List<Integer> changedSince(DmState older) {
        List<Integer> out = new ArrayList<>();
        for (FileEntry e : files.values()) {
            FileEntry o = older.files.get(e.fid());
            if (o == null || o.counter() != e.counter()) {
                out.add(e.fid());
            }
        }
        for (Integer fid : older.files.keySet()) {
            if (!files.containsKey(fid)) {
                out.add(fid);
            }
        }
        return out;
    }

    /**
     * @param fids files just written once each by this device, in this session
     * @return the state the card now has (the card counts each accepted write)
     */
    public DmState afterWrites(List<Integer> fids) {
        Map<Integer, FileEntry> next = new TreeMap<>(files);
        long c = counter;
        for (int fid : fids) {
            FileEntry e = next.get(fid);
            if (e != null) {
                next.put(fid, new FileEntry(fid, e.sfi(), (e.counter() + 1) & 0xFFFFFFFFL));
                c = (c + 1) & 0xFFFFFFFFL;
            }
        }
        return new DmState(major, minor, capabilities, cardId, c, java.util.Collections.unmodifiableMap(next), complete);
    }

    @Override
    public String toString() {
        return "DmState[card " + cardIdHex() + ", v" + profileVersion() + ", counter " + counter + ", " + files.size()
                + " files]";
    }
}
