package org.cardinaldm.syncml.api.model;

import java.util.Map;

/** DM alert codes (digest section 1.8) and the Generic Alert Mark values (section 1.10). */
public final class AlertCodes {
    /** 1100 Display (user interaction). */
    public static final int DISPLAY = 1100;
    /** 1101 Confirm or reject (user interaction). */
    public static final int CONFIRM_OR_REJECT = 1101;
    /** 1102 Text input (user interaction). */
    public static final int TEXT_INPUT = 1102;
    /** 1103 Single choice (user interaction). */
    public static final int SINGLE_CHOICE = 1103;
    /** 1104 Multiple choice (user interaction). */
    public static final int MULTIPLE_CHOICE = 1104;
    /** 1200 Server-initiated management session (package 1). */
    public static final int SERVER_INITIATED_MGMT = 1200;
    /** 1201 Client-initiated management session (package 1). */
    public static final int CLIENT_INITIATED_MGMT = 1201;
    /** 1222 Next message (multi-message packages). */
    public static final int NEXT_MESSAGE = 1222;
    /** 1223 Session abort. */
    public static final int SESSION_ABORT = 1223;
    /** 1224 Client event. */
    public static final int CLIENT_EVENT = 1224;
    /** 1225 No end of data (interrupted large object). */
    public static final int NO_END_OF_DATA = 1225;
    /** 1226 Generic alert. */
    public static final int GENERIC_ALERT = 1226;

    /** Generic Alert Mark values, most important first. */
    public static final java.util.List<String> MARKS = java.util.List.of("fatal", "critical", "minor", "warning",
            "informational", "harmless", "indeterminate");

    private static final Map<Integer, String> NAMES = Map.ofEntries(Map.entry(DISPLAY, "DISPLAY"),
            Map.entry(CONFIRM_OR_REJECT, "CONFIRM OR REJECT"), Map.entry(TEXT_INPUT, "TEXT INPUT"),
            Map.entry(SINGLE_CHOICE, "SINGLE CHOICE"), Map.entry(MULTIPLE_CHOICE, "MULTIPLE CHOICE"),
            Map.entry(SERVER_INITIATED_MGMT, "SERVER-INITIATED MGMT"),
            Map.entry(CLIENT_INITIATED_MGMT, "CLIENT-INITIATED MGMT"), Map.entry(NEXT_MESSAGE, "NEXT MESSAGE"),
            Map.entry(SESSION_ABORT, "SESSION ABORT"), Map.entry(CLIENT_EVENT, "CLIENT EVENT"),
            Map.entry(NO_END_OF_DATA, "NO END OF DATA"), Map.entry(GENERIC_ALERT, "GENERIC ALERT"));

    private AlertCodes() {
    }

    /**
     * @param code an alert code
     * @return its name, or {@code "Alert <code>"} for a code not in the table
     */
    public static String name(int code) {
        return NAMES.getOrDefault(code, "Alert " + code);
    }

    /**
     * @param code an alert code
     * @return true for the user-interaction alerts 1100 to 1104
     */
    public static boolean isUserInteraction(int code) {
        return code >= DISPLAY && code <= MULTIPLE_CHOICE;
    }
}
