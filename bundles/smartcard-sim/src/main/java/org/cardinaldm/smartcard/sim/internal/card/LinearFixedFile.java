package org.cardinaldm.smartcard.sim.internal.card;

/** A linear fixed EF: a fixed number of records of one fixed length, numbered from 1 (READ/UPDATE RECORD). */
public final class LinearFixedFile extends ElementaryFile {
    private final int recordLength;
    private final byte[][] records;

    /**
     * @param fid file identifier
     * @param sfi short EF identifier, 0 for none
     * @param label label
     * @param read read condition
     * @param update update condition
     * @param recordLength bytes per record, 1..255
     * @param records initial records (copied), 1..254 of them, each {@code recordLength} long
     */
    public LinearFixedFile(int fid, int sfi, String label, AccessCondition read, AccessCondition update,
            int recordLength, byte[][] records) {
        super(fid, sfi, label, read, update);
        if (recordLength < 1 || recordLength > 255) {
            throw new IllegalArgumentException("Record length must be 1..255: " + recordLength);
        }
        if (records.length < 1 || records.length > 254) {
            throw new IllegalArgumentException("Record count must be 1..254: " + records.length);
        }
        this.recordLength = recordLength;
        this.records = new byte[records.length][];
        for (int i = 0; i < records.length; i++) {
            if (records[i].length != recordLength) {
                throw new IllegalArgumentException("Record " + (i + 1) + " has " + records[i].length
                        + " bytes, not " + recordLength);
            }
            this.records[i] = records[i].clone();
        }
    }

    /** @return the record length */
    public int recordLength() {
        return recordLength;
    }

    /** @return the number of records */
    public int recordCount() {
        return records.length;
    }

    /** @param number record number 1..count @return a copy of the record */
    public byte[] record(int number) {
        return records[number - 1].clone();
    }

    void setRecord(int number, byte[] data) {
        records[number - 1] = data.clone();
    }
}
