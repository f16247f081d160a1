package org.cardinaldm.syncml.internal.wbxml;

import java.util.HashMap;
import java.util.Map;

/**
 * WBXML tag tables of SyncML (page 0), MetInf (page 1) and DM DDF (page 2), as listed in sections
 * 2.4 to 2.6 of the protocol digest (libwbxml tables, confirmed against both SyncML RTKs).
 */
public final class CodePages {
    /** Page 0: SyncML 1.2 (also serves 1.0 and 1.1, whose tokens are a subset). */
    static final String[] SYNCML = table(0x05, "Add", "Alert", "Archive", "Atomic", "Chal", "Cmd", "CmdID", "CmdRef",
            "Copy", "Cred", "Data", "Delete", "Exec", "Final", "Get", "Item", "Lang", "LocName", "LocURI", "Map",
            "MapItem", "Meta", "MsgID", "MsgRef", "NoResp", "NoResults", "Put", "Replace", "RespURI", "Results",
            "Search", "Sequence", "SessionID", "SftDel", "Source", "SourceRef", "Status", "Sync", "SyncBody",
            "SyncHdr", "SyncML", "Target", "TargetRef", null, "VerDTD", "VerProto", "NumberOfChanges", "MoreData",
            "Field", "Filter", "Record", "FilterType", "SourceParent", "TargetParent", "Move", "Correlator");
    /** Page 1: MetInf 1.2. */
    static final String[] METINF = table(0x05, "Anchor", "EMI", "Format", "FreeID", "FreeMem", "Last", "Mark",
            "MaxMsgSize", "Mem", "MetInf", "Next", "NextNonce", "SharedMem", "Size", "Type", "Version", "MaxObjSize",
            "FieldLevel");
    /** Page 2: DM DDF 1.2 (TNDS). */
    static final String[] DMDDF = table(0x05, "AccessType", "ACL", "Add", "b64", "bin", "bool", "chr", "CaseSense",
            "CIS", "Copy", "CS", "date", "DDFName", "DefaultValue", "Delete", "Description", "DFFormat",
            "DFProperties", "DFTitle", "DFType", "Dynamic", "Exec", "float", "Format", "Get", "int", "Man",
            "MgmtTree", "MIME", "Mod", "Name", "Node", "node", "NodeName", "null", "Occurrence", "One", "OneOrMore",
            "OneOrN", "Path", "Permanent", "Replace", "RTProperties", "Scope", "Size", "time", "Title", "TStamp",
            "Type", "Value", "VerDTD", "VerNo", "xml", "ZeroOrMore", "ZeroOrN", "ZeroOrOne");

    /** DevInf 1.1 (its own document, page 0; libwbxml sv_syncml_devinf11_tag_table). */
    static final String[] DEVINF_11 = table(0x05, "CTCap", "CTType", "DataStore", "DataType", "DevID", "DevInf",
            "DevTyp", "DisplayName", "DSMem", "Ext", "FwV", "HwV", "Man", "MaxGUIDSize", "MaxID", "MaxMem", "Mod", "OEM",
            "ParamName", "PropName", "Rx", "Rx-Pref", "SharedMem", "Size", "SourceRef", "SwV", "SyncCap", "SyncType",
            "Tx", "Tx-Pref", "ValEnum", "VerCT", "VerDTD", "XNam", "XVal", "UTC", "SupportNumberOfChanges",
            "SupportLargeObjs");
    /** DevInf 1.2: 1.1 with MaxSize for Size at 0x1C and the 1.2 additions (0x2F unused). */
    static final String[] DEVINF_12 = devinf12();

    static final Map<String, Integer> SYNCML_TOKENS = index(SYNCML);
    static final Map<String, Integer> DEVINF_11_TOKENS = index(DEVINF_11);
    static final Map<String, Integer> DEVINF_12_TOKENS = index(DEVINF_12);
    static final Map<String, Integer> METINF_TOKENS = index(METINF);
    static final Map<String, Integer> DMDDF_TOKENS = index(DMDDF);

    /** WBXML page numbers. */
    static final int PAGE_SYNCML = 0;
    static final int PAGE_METINF = 1;
    static final int PAGE_DMDDF = 2;

    private CodePages() {
    }

    private static String[] table(int first, String... names) {
        String[] t = new String[0x40];
        for (int i = 0; i < names.length; i++) {
            t[first + i] = names[i];
        }
        return t;
    }

    private static String[] devinf12() {
        String[] t = DEVINF_11.clone();
        t[0x1C] = "MaxSize";
        String[] more = {"Property", "PropParam", "MaxOccur", "NoTruncate", null, "Filter-Rx", "FilterCap",
            "FilterKeyword", "FieldLevel", "SupportHierarchicalSync"};
        System.arraycopy(more, 0, t, 0x2B, more.length);
        return t;
    }

    private static Map<String, Integer> index(String[] table) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < table.length; i++) {
            if (table[i] != null) {
                m.put(table[i], i);
            }
        }
        return Map.copyOf(m);
    }

    /**
     * @param page a page number
     * @return the tag names of the page in a SyncML document, indexed by token, or null
     */
    static String[] syncmlPage(int page) {
        return switch (page) {
            case PAGE_SYNCML -> SYNCML;
            case PAGE_METINF -> METINF;
            case PAGE_DMDDF -> DMDDF;
            default -> null;
        };
    }

    /**
     * @param page a page number
     * @return the token map of the page
     */
    static Map<String, Integer> tokens(int page) {
        return switch (page) {
            case PAGE_SYNCML -> SYNCML_TOKENS;
            case PAGE_METINF -> METINF_TOKENS;
            default -> DMDDF_TOKENS;
        };
    }

    /** @return the SyncML page-0 table, for tests and tools (a copy) */
    public static String[] syncmlTable() {
        return SYNCML.clone();
    }

    /** @return the MetInf page-1 table, for tests and tools (a copy) */
    public static String[] metinfTable() {
        return METINF.clone();
    }

    /** @return the DM DDF page-2 table, for tests and tools (a copy) */
    public static String[] dmddfTable() {
        return DMDDF.clone();
    }
}
