package org.cardinaldm.server.internal.async;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import org.cardinaldm.server.api.AsyncReport;

/**
 * Reads the Data of a Generic Alert 1226 that answers an asynchronous Exec, by alert type
 * ({@code docs/scomo-fumo-sources.md} §2-§4):
 * <ul>
 * <li>SCOMO {@code urn:oma:at:scomo:1.0:OperationComplete}: 1200-1299 success; 1400-1499 client and
 * 1500-1599 download-server failures; anything else is no SCOMO code and a failure;</li>
 * <li>FUMO {@code org.openmobilealliance.dm.firmwareupdate.download|update|downloadandupdate}: 200-299 success;
 * 4xx and 5xx failures (412 and 500 are read both ways, the sources disagree);</li>
 * <li>any other type: success only for a 2xx or 12xx code.</li>
 * </ul>
 * The code is the whole Data ({@code 200}, as FUMO sends it) or the content of its first {@code <ResultCode>}
 * element ({@code <ResultCode>1200</ResultCode><Identifier>…}, as SCOMO clients send it, also escaped).
 * The work is bounded: Data longer than {@link #MAX_DATA} characters is not read.
 */
public final class ResultCodes {
    /** The longest Data read for a result code. */
    public static final int MAX_DATA = 4096;
    /** The SCOMO alert type, lower case. */
    static final String SCOMO = "urn:oma:at:scomo:1.0:operationcomplete";
    private static final String FUMO = "org.openmobilealliance.dm.firmwareupdate.";

    private static final Map<Integer, String> SCOMO_CODES = Map.ofEntries(Map.entry(1200, "success"),
            Map.entry(1400, "client error"), Map.entry(1401, "user cancelled"), Map.entry(1402, "download failed"),
            Map.entry(1403, "alternate download authentication failure"),
            Map.entry(1404, "download failed, device out of memory"), Map.entry(1405, "install failed"),
            Map.entry(1406, "install failed, device out of memory"),
            Map.entry(1407, "package validation failed (signature)"), Map.entry(1408, "remove failed"),
            Map.entry(1409, "activate failed"), Map.entry(1410, "deactivate failed"),
            Map.entry(1411, "operation not implemented"), Map.entry(1412, "undefined error"),
            Map.entry(1413, "operation rejected: target environment type unsupported"),
            Map.entry(1500, "alternate download server error"),
            Map.entry(1501, "alternate download server unavailable"));

    private static final Map<Integer, String> FUMO_CODES = Map.ofEntries(Map.entry(200, "successful"),
            Map.entry(400, "management client error"), Map.entry(401, "user cancelled"),
            Map.entry(402, "corrupted firmware update package"), Map.entry(403, "package and device mismatch"),
            Map.entry(404, "failed package validation (signature)"), Map.entry(405, "package not acceptable"),
            Map.entry(406, "alternate download authentication failure"),
            Map.entry(407, "alternate download request time-out"), Map.entry(408, "not implemented"),
            Map.entry(409, "undefined error"), Map.entry(410, "firmware update failed"),
            Map.entry(411, "malformed or bad URL"),
            Map.entry(412, "alternate download server unavailable"),
            Map.entry(500, "firmware update failed or alternate download server error (sources disagree)"),
            Map.entry(501, "download failed, out of memory"), Map.entry(502, "update failed, out of memory"),
            Map.entry(503, "download failed, network issues"));

    private ResultCodes() {
    }

    /** The kinds of alert types. */
    enum Kind {
        SCOMO, FUMO, OTHER
    }

    static Kind kind(String type) {
        if (type == null) {
            return Kind.OTHER;
        }
        String t = type.strip().toLowerCase(Locale.ROOT);
        if (t.equals(SCOMO)) {
            return Kind.SCOMO;
        }
        if (t.equals(FUMO + "download") || t.equals(FUMO + "update") || t.equals(FUMO + "downloadandupdate")) {
            return Kind.FUMO;
        }
        return Kind.OTHER;
    }

    /**
     * @param type the normalised alert type, or null
     * @param data the Item's Data, or null
     * @param source the Item's Source LocURI, or null
     * @param target the Item's Target LocURI, or null
     * @param mark the Meta Mark, or null
     * @param now the arrival time
     * @return the report (not late)
     */
    public static AsyncReport interpret(String type, String data, String source, String target, String mark,
            Instant now) {
        int code = code(data);
        Kind kind = kind(type);
        boolean success;
        String meaning;
        if (code < 0) {
            success = false;
            meaning = data == null || data.isBlank() ? "no result code" : "no result code in the data";
        } else if (kind == Kind.SCOMO) {
            success = code >= 1200 && code <= 1299;
            meaning = scomo(code);
        } else if (kind == Kind.FUMO) {
            success = code >= 200 && code <= 299;
            meaning = fumo(code);
        } else {
            success = code >= 200 && code <= 299 || code >= 1200 && code <= 1299;
            meaning = success ? "success" : "not a success code";
        }
        return new AsyncReport(code, meaning, success, type, source, target, mark, now, false);
    }

    static String scomo(int code) {
        String m = SCOMO_CODES.get(code);
        if (m != null) {
            return m;
        }
        if (code >= 1200 && code <= 1299) {
            return code >= 1250 ? "success, vendor-specific" : "success";
        }
        if (code >= 1450 && code <= 1499) {
            return "client error, vendor-specific";
        }
        if (code >= 1550 && code <= 1599) {
            return "alternate download server error, vendor-specific";
        }
        if (code >= 1400 && code <= 1449) {
            return "client error";
        }
        if (code >= 1500 && code <= 1549) {
            return "download server error";
        }
        return "not a SCOMO result code";
    }

    static String fumo(int code) {
        String m = FUMO_CODES.get(code);
        if (m != null) {
            return m;
        }
        if (code >= 250 && code <= 299) {
            return "successful, vendor-specific";
        }
        if (code >= 200 && code <= 249) {
            return "successful";
        }
        if (code >= 450 && code <= 499) {
            return "client error, vendor-specific";
        }
        if (code >= 550 && code <= 599) {
            return "alternate download server error, vendor-specific";
        }
        if (code >= 400 && code <= 449) {
            return "client error";
        }
        if (code >= 500 && code <= 549) {
            return "server error";
        }
        return "not a FUMO result code";
    }

    /**
     * @param data the Data, or null
     * @return the result code it holds, or -1
     */
    static int code(String data) {
        if (data == null || data.length() > MAX_DATA) {
            return -1;
        }
        String t = data.strip();
        int n = digits(t, 0);
        if (n > 0 && n == t.length()) {
            return Integer.parseInt(t);
        }
        String lower = t.toLowerCase(Locale.ROOT);
        for (String open : new String[] {"<resultcode>", "&lt;resultcode&gt;"}) {
            int at = lower.indexOf(open);
            if (at >= 0) {
                int from = at + open.length();
                while (from < t.length() && Character.isWhitespace(t.charAt(from))) {
                    from++;
                }
                int len = digits(t, from);
                int end = from + len;
                while (end < t.length() && Character.isWhitespace(t.charAt(end))) {
                    end++;
                }
                if (len > 0 && (lower.startsWith("</", end) || lower.startsWith("&lt;/", end))) {
                    return Integer.parseInt(t.substring(from, from + len));
                }
                return -1;
            }
        }
        return -1;
    }

    /** @return how many ASCII digits start at {@code from}, 0 when more than 6 (no result code is that long) */
    private static int digits(String t, int from) {
        int i = from;
        while (i < t.length() && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
            i++;
        }
        int n = i - from;
        return n > 6 ? 0 : n;
    }
}
