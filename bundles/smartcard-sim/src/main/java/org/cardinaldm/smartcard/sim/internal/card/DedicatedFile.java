package org.cardinaldm.smartcard.sim.internal.card;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A dedicated file: the MF, a DF, or an ADF (a DF with an application identifier, selectable by AID). Holds
 * child files with distinct file identifiers.
 */
public final class DedicatedFile extends CardFile {
    private final byte[] aid;
    private final List<CardFile> children = new ArrayList<>();

    /**
     * @param fid file identifier
     * @param aid the application identifier for an ADF (5..16 bytes), or {@code null}
     * @param label label for humans
     * @param read read condition
     * @param update update condition
     */
    public DedicatedFile(int fid, byte[] aid, String label, AccessCondition read, AccessCondition update) {
        super(fid, label, read, update);
        if (aid != null && (aid.length < 1 || aid.length > 16)) {
            throw new IllegalArgumentException("An AID has 1..16 bytes: " + aid.length);
        }
        this.aid = aid == null ? null : aid.clone();
    }

    /** @return a new, empty MF readable always and updatable with ADM */
    public static DedicatedFile newMasterFile() {
        return new DedicatedFile(MF_FID, null, "MF", AccessCondition.ALWAYS, AccessCondition.ADM);
    }

    /** @return whether this is an ADF */
    public boolean isApplication() {
        return aid != null;
    }

    /** @return the AID (copy), or {@code null} for a plain DF or the MF */
    public byte[] aid() {
        return aid == null ? null : aid.clone();
    }

    /** @return the children, in creation order */
    public List<CardFile> children() {
        return Collections.unmodifiableList(children);
    }

    /**
     * @param child a file without a parent
     * @throws IllegalArgumentException if a child with the same file identifier exists or the id is reserved
     */
    public void add(CardFile child) {
        if (child.parent() != null) {
            throw new IllegalArgumentException(child + " already has a parent");
        }
        if (child.fid() == MF_FID || child.fid() == CURRENT_ADF_FID && !(child instanceof DedicatedFile)
                || child.fid() == 0xFFFF) {
            throw new IllegalArgumentException(String.format("File identifier %04X is reserved", child.fid()));
        }
        if (child(child.fid()).isPresent()) {
            throw new IllegalArgumentException(String.format("%s already has a file %04X", this, child.fid()));
        }
        if (child instanceof ElementaryFile) {
            int sfi = ((ElementaryFile) child).sfi();
            if (sfi != 0 && childBySfi(sfi).isPresent()) {
                throw new IllegalArgumentException(String.format("%s already has an EF with SFI %02X", this, sfi));
            }
        }
        child.setParent(this);
        children.add(child);
    }

    /** @param fid a file identifier @return the child with it */
    public Optional<CardFile> child(int fid) {
        return children.stream().filter(c -> c.fid() == fid).findFirst();
    }

    /** @param sfi a short EF identifier 1..30 @return the child EF with it */
    public Optional<ElementaryFile> childBySfi(int sfi) {
        return children.stream().filter(c -> c instanceof ElementaryFile && ((ElementaryFile) c).sfi() == sfi)
                .map(c -> (ElementaryFile) c).findFirst();
    }

    /** @return whether this DF's AID starts with {@code prefix} (right-truncated AID match) */
    boolean aidMatches(byte[] prefix) {
        return aid != null && prefix.length <= aid.length
                && Arrays.equals(aid, 0, prefix.length, prefix, 0, prefix.length);
    }

    @Override
    public String toString() {
        return aid == null ? super.toString() : super.toString() + " AID " + HexFormat.of().withUpperCase().formatHex(aid);
    }
}
