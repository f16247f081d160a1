package org.cardinaldm.syncml.internal.wbxml;

/** WBXML global tokens (digest section 2.3) and document kinds. */
public final class Wbxml {
    static final int SWITCH_PAGE = 0x00;
    static final int END = 0x01;
    static final int ENTITY = 0x02;
    static final int STR_I = 0x03;
    static final int LITERAL = 0x04;
    static final int EXT_I_0 = 0x40;
    static final int EXT_I_2 = 0x42;
    static final int PI = 0x43;
    static final int LITERAL_C = 0x44;
    static final int EXT_T_0 = 0x80;
    static final int EXT_T_2 = 0x82;
    static final int STR_T = 0x83;
    static final int LITERAL_A = 0x84;
    static final int EXT_0 = 0xC0;
    static final int EXT_2 = 0xC2;
    static final int OPAQUE = 0xC3;
    static final int LITERAL_AC = 0xC4;

    static final int CONTENT = 0x40;
    static final int ATTRIBUTES = 0x80;

    /** IANA MIBenum of UTF-8. */
    static final int UTF_8 = 106;

    /** Numeric public id "unknown or missing". */
    static final int PUBLIC_ID_UNKNOWN = 0x01;

    /** What a WBXML document holds. */
    public enum Kind {
        /** A SyncML message (pages 0, 1 and 2). */
        SYNCML,
        /** A DM DDF / TNDS document (page 2; page 0 read as page 2). */
        DMDDF,
        /** A SyncML DevInf 1.0/1.1 document (page 0), only as embedded data. */
        DEVINF_11,
        /** A SyncML DevInf 1.2 document (page 0), only as embedded data. */
        DEVINF_12
    }

    /** Numeric public ids of DevInf. */
    static final int DEVINF_10 = 0x0FD2;
    static final int DEVINF_11 = 0x0FD4;
    static final int DEVINF_12 = 0x1203;

    private Wbxml() {
    }

    /**
     * @param bytes a document
     * @return true when the first byte is a supported WBXML version (1.1 to 1.3)
     */
    public static boolean looksLikeWbxml(byte[] bytes) {
        return bytes.length > 3 && bytes[0] >= 1 && bytes[0] <= 3;
    }
}
