package org.cardinaldm.syncml.api;

/** XML namespaces of the SyncML documents and the WBXML public identifiers (digest section 2.1). */
public final class Namespaces {
    /** SyncML 1.2 representation (WBXML code page 0). */
    public static final String SYNCML_1_2 = "SYNCML:SYNCML1.2";
    /** SyncML 1.1 representation. */
    public static final String SYNCML_1_1 = "SYNCML:SYNCML1.1";
    /** SyncML 1.0 representation. */
    public static final String SYNCML_1_0 = "SYNCML:SYNCML1.0";
    /** Meta information (WBXML code page 1). */
    public static final String METINF = "syncml:metinf";
    /** DM DDF 1.2, used by TNDS (WBXML code page 2). */
    public static final String DMDDF_1_2 = "syncml:dmddf1.2";
    /** SyncML device information (a separate document; not used by DM). */
    public static final String DEVINF = "syncml:devinf";

    /** Formal public identifier of SyncML 1.2. */
    public static final String FPI_SYNCML_1_2 = "-//SYNCML//DTD SyncML 1.2//EN";
    /** Formal public identifier of SyncML 1.1 (real devices put it on 1.2 messages). */
    public static final String FPI_SYNCML_1_1 = "-//SYNCML//DTD SyncML 1.1//EN";
    /** Formal public identifier of SyncML 1.0. */
    public static final String FPI_SYNCML_1_0 = "-//SYNCML//DTD SyncML 1.0//EN";
    /** Formal public identifier of the DM DDF 1.2 (TNDS); it has no numeric WBXML id. */
    public static final String FPI_DMDDF_1_2 = "-//OMA//DTD-DM-DDF 1.2//EN";

    /** Numeric WBXML public id of SyncML 1.2. */
    public static final int WBXML_ID_SYNCML_1_2 = 0x1201;
    /** Numeric WBXML public id of SyncML 1.1. */
    public static final int WBXML_ID_SYNCML_1_1 = 0x0FD3;
    /** Numeric WBXML public id of SyncML 1.0. */
    public static final int WBXML_ID_SYNCML_1_0 = 0x0FD1;

    private Namespaces() {
    }

    /**
     * @param namespace a namespace URI, possibly null
     * @return true for the SyncML 1.0, 1.1 and 1.2 representation namespaces (case ignored)
     */
    public static boolean isSyncML(String namespace) {
        return namespace != null
                && (namespace.equalsIgnoreCase(SYNCML_1_2) || namespace.equalsIgnoreCase(SYNCML_1_1)
                        || namespace.equalsIgnoreCase(SYNCML_1_0));
    }

    /**
     * @param verDtd the VerDTD of a message
     * @return the representation namespace that matches it, SyncML 1.2 for anything unknown
     */
    public static String syncMLNamespaceFor(String verDtd) {
        if ("1.1".equals(verDtd)) {
            return SYNCML_1_1;
        }
        if ("1.0".equals(verDtd)) {
            return SYNCML_1_0;
        }
        return SYNCML_1_2;
    }
}
