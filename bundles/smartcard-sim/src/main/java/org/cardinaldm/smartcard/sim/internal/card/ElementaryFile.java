package org.cardinaldm.smartcard.sim.internal.card;

/** An elementary file: transparent or linear fixed; optionally with a short EF identifier. */
public abstract class ElementaryFile extends CardFile {
    private final int sfi;

    ElementaryFile(int fid, int sfi, String label, AccessCondition read, AccessCondition update) {
        super(fid, label, read, update);
        if (sfi < 0 || sfi > 30) {
            throw new IllegalArgumentException("A short EF identifier is 1..30 (0 for none): " + sfi);
        }
        this.sfi = sfi;
    }

    /** @return the short EF identifier 1..30, or 0 if none */
    public int sfi() {
        return sfi;
    }
}
