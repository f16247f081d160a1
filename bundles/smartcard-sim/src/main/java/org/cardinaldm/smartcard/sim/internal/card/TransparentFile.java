package org.cardinaldm.smartcard.sim.internal.card;

import java.util.Arrays;

/** A transparent EF: a fixed-size byte string read and written by offset (READ/UPDATE BINARY). */
public final class TransparentFile extends ElementaryFile {
    private final byte[] body;

    /**
     * @param fid file identifier
     * @param sfi short EF identifier, 0 for none
     * @param label label
     * @param read read condition
     * @param update update condition
     * @param body initial content (copied); its length is the file size
     */
    public TransparentFile(int fid, int sfi, String label, AccessCondition read, AccessCondition update, byte[] body) {
        super(fid, sfi, label, read, update);
        this.body = body.clone();
    }

    /** @return the file size in bytes */
    public int size() {
        return body.length;
    }

    /** @return a copy of the whole content */
    public byte[] content() {
        return body.clone();
    }

    byte[] read(int offset, int length) {
        return Arrays.copyOfRange(body, offset, offset + length);
    }

    /**
     * Writes content outside any command, as a personalisation tool does before the card is issued
     * (Cardinal's DM profile fills its state file this way). Never reachable through an APDU.
     *
     * @param offset where to write
     * @param data the bytes; must fit in the file
     */
    public void personalize(int offset, byte[] data) {
        if (offset < 0 || offset + data.length > body.length) {
            throw new IllegalArgumentException("Personalisation data past the end of EF " + Integer.toHexString(fid()));
        }
        write(offset, data);
    }

    void write(int offset, byte[] data) {
        System.arraycopy(data, 0, body, offset, data.length);
    }
}
