package org.cardinaldm.smartcard.api;

/**
 * Status words SW1-SW2 of ISO/IEC 7816-4:2013 clause 5.6 (tables 5 and 6) that Cardinal's components send
 * or interpret, with {@link #describe(int)} for logs. Families whose SW2 carries a value are given with SW2
 * = 00 ({@link #BYTES_REMAINING}, {@link #VERIFY_FAILED}, {@link #WRONG_LE}).
 */
public final class StatusWord {
    /** 9000: normal processing. */
    public static final int NO_ERROR = 0x9000;
    /** 61XX: SW2 bytes still available, to be fetched with GET RESPONSE (T=0). */
    public static final int BYTES_REMAINING = 0x6100;
    /** 6281: part of the returned data may be corrupted. */
    public static final int WARNING_DATA_CORRUPTED = 0x6281;
    /** 6282: end of file or record reached before reading Ne bytes. */
    public static final int WARNING_END_OF_FILE = 0x6282;
    /** 6283: the selected file is deactivated. */
    public static final int WARNING_FILE_DEACTIVATED = 0x6283;
    /** 6300: verification or authentication failed, no retry counter given. */
    public static final int AUTHENTICATION_FAILED = 0x6300;
    /** 63CX: verification failed, X further attempts allowed. */
    public static final int VERIFY_FAILED = 0x63C0;
    /** 6581: memory failure (the card could not write). */
    public static final int MEMORY_FAILURE = 0x6581;
    /** 6700: wrong length (Lc or Le inconsistent with the command). */
    public static final int WRONG_LENGTH = 0x6700;
    /** 6881: logical channel not supported (or not open). */
    public static final int LOGICAL_CHANNEL_NOT_SUPPORTED = 0x6881;
    /** 6882: secure messaging not supported. */
    public static final int SECURE_MESSAGING_NOT_SUPPORTED = 0x6882;
    /** 6884: command chaining not supported. */
    public static final int COMMAND_CHAINING_NOT_SUPPORTED = 0x6884;
    /** 6981: command incompatible with the file structure. */
    public static final int INCOMPATIBLE_FILE_STRUCTURE = 0x6981;
    /** 6982: security status not satisfied (access condition not fulfilled). */
    public static final int SECURITY_STATUS_NOT_SATISFIED = 0x6982;
    /** 6983: authentication method blocked (retry counter exhausted). */
    public static final int AUTHENTICATION_BLOCKED = 0x6983;
    /** 6984: reference data not usable. */
    public static final int REFERENCE_DATA_NOT_USABLE = 0x6984;
    /** 6985: conditions of use not satisfied. */
    public static final int CONDITIONS_NOT_SATISFIED = 0x6985;
    /** 6986: command not allowed, no current EF. */
    public static final int NO_CURRENT_EF = 0x6986;
    /** 6A80: incorrect parameters in the command data field. */
    public static final int INCORRECT_DATA = 0x6A80;
    /** 6A81: function not supported. */
    public static final int FUNCTION_NOT_SUPPORTED = 0x6A81;
    /** 6A82: file or application not found. */
    public static final int FILE_NOT_FOUND = 0x6A82;
    /** 6A83: record not found. */
    public static final int RECORD_NOT_FOUND = 0x6A83;
    /** 6A84: not enough memory space in the file. */
    public static final int NOT_ENOUGH_MEMORY = 0x6A84;
    /** 6A86: incorrect parameters P1-P2. */
    public static final int INCORRECT_P1_P2 = 0x6A86;
    /** 6A87: Nc inconsistent with parameters P1-P2. */
    public static final int NC_INCONSISTENT_WITH_P1_P2 = 0x6A87;
    /** 6A88: referenced data or reference data not found. */
    public static final int REFERENCED_DATA_NOT_FOUND = 0x6A88;
    /** 6B00: wrong parameters P1-P2 (e.g. offset outside the EF). */
    public static final int WRONG_P1_P2 = 0x6B00;
    /** 6CXX: wrong Le field; SW2 is the exact number of available bytes. */
    public static final int WRONG_LE = 0x6C00;
    /** 6D00: instruction code not supported or invalid. */
    public static final int INS_NOT_SUPPORTED = 0x6D00;
    /** 6E00: class not supported. */
    public static final int CLA_NOT_SUPPORTED = 0x6E00;
    /** 6F00: no precise diagnosis. */
    public static final int NO_PRECISE_DIAGNOSIS = 0x6F00;

    private StatusWord() {
    }

    /**
     * @param sw a status word, 0x0000..0xFFFF
     * @return a short English description, e.g. {@code "verification failed, 2 tries left"}
     */
    public static String describe(int sw) {
        int sw1 = (sw >> 8) & 0xFF;
        int sw2 = sw & 0xFF;
        if (sw1 == 0x61) {
            return sw2 == 0 ? "256 or more bytes available" : sw2 + " bytes available";
        }
        if (sw1 == 0x6C) {
            return "wrong Le, " + (sw2 == 0 ? 256 : sw2) + " bytes available";
        }
        if ((sw & 0xFFF0) == VERIFY_FAILED) {
            return "verification failed, " + (sw & 0x0F) + " tries left";
        }
        switch (sw) {
            case NO_ERROR: return "success";
            case WARNING_DATA_CORRUPTED: return "returned data may be corrupted";
            case WARNING_END_OF_FILE: return "end of file or record reached";
            case WARNING_FILE_DEACTIVATED: return "selected file deactivated";
            case AUTHENTICATION_FAILED: return "authentication failed";
            case MEMORY_FAILURE: return "memory failure";
            case WRONG_LENGTH: return "wrong length";
            case LOGICAL_CHANNEL_NOT_SUPPORTED: return "logical channel not supported";
            case SECURE_MESSAGING_NOT_SUPPORTED: return "secure messaging not supported";
            case COMMAND_CHAINING_NOT_SUPPORTED: return "command chaining not supported";
            case INCOMPATIBLE_FILE_STRUCTURE: return "command incompatible with file structure";
            case SECURITY_STATUS_NOT_SATISFIED: return "security status not satisfied";
            case AUTHENTICATION_BLOCKED: return "authentication method blocked";
            case REFERENCE_DATA_NOT_USABLE: return "reference data not usable";
            case CONDITIONS_NOT_SATISFIED: return "conditions of use not satisfied";
            case NO_CURRENT_EF: return "no current EF";
            case INCORRECT_DATA: return "incorrect data";
            case FUNCTION_NOT_SUPPORTED: return "function not supported";
            case FILE_NOT_FOUND: return "file not found";
            case RECORD_NOT_FOUND: return "record not found";
            case NOT_ENOUGH_MEMORY: return "not enough memory space in the file";
            case INCORRECT_P1_P2: return "incorrect P1-P2";
            case NC_INCONSISTENT_WITH_P1_P2: return "Nc inconsistent with P1-P2";
            case REFERENCED_DATA_NOT_FOUND: return "referenced data not found";
            case WRONG_P1_P2: return "wrong P1-P2";
            case INS_NOT_SUPPORTED: return "instruction not supported";
            case CLA_NOT_SUPPORTED: return "class not supported";
            case NO_PRECISE_DIAGNOSIS: return "no precise diagnosis";
            default: return sw1 == 0x62 || sw1 == 0x63 ? "warning" : "error";
        }
    }

    /**
     * @param sw a status word
     * @return it as four upper-case hex digits, e.g. {@code "6A82"}
     */
    public static String toHex(int sw) {
        return String.format("%04X", sw & 0xFFFF);
    }
}
