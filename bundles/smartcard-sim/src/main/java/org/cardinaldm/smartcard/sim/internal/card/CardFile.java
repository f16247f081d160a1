package org.cardinaldm.smartcard.sim.internal.card;

import java.util.Objects;

/**
 * A file of the card's ISO/IEC 7816-4 file system (clause 7.1): a dedicated file (MF, DF, ADF) or an
 * elementary file. Every file has a 2-byte file identifier, a label for humans, and access conditions for
 * reading and updating. Mutable; the {@link Uicc} owns all instances and serialises access to them.
 */
public abstract class CardFile {
    /** File identifier of the master file. */
    public static final int MF_FID = 0x3F00;
    /** File identifier that selects the current application's ADF (ETSI TS 102 221 clause 8.3). */
    public static final int CURRENT_ADF_FID = 0x7FFF;

    private final int fid;
    private final String label;
    private final AccessCondition read;
    private final AccessCondition update;
    private DedicatedFile parent;

    CardFile(int fid, String label, AccessCondition read, AccessCondition update) {
        if (fid < 0 || fid > 0xFFFF) {
            throw new IllegalArgumentException("File identifier must be 0000..FFFF: " + fid);
        }
        this.fid = fid;
        this.label = Objects.requireNonNull(label, "label");
        this.read = Objects.requireNonNull(read, "read");
        this.update = Objects.requireNonNull(update, "update");
    }

    /** @return the file identifier */
    public int fid() {
        return fid;
    }

    /** @return a label for humans (may be empty) */
    public String label() {
        return label;
    }

    /** @return the condition for reading (READ BINARY/RECORD; for a DF, reading its children's list) */
    public AccessCondition readCondition() {
        return read;
    }

    /** @return the condition for updating (UPDATE BINARY/RECORD) */
    public AccessCondition updateCondition() {
        return update;
    }

    /** @return the parent DF, or {@code null} for the MF */
    public DedicatedFile parent() {
        return parent;
    }

    void setParent(DedicatedFile parent) {
        this.parent = parent;
    }

    /** @return the path from the MF, e.g. {@code 3F00/7FFF/5031}-style hex ids joined by '/' */
    public String path() {
        return parent == null ? String.format("%04X", fid) : parent.path() + "/" + String.format("%04X", fid);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + " " + path();
    }
}
