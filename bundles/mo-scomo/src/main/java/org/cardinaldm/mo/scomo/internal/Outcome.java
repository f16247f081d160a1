package org.cardinaldm.mo.scomo.internal;

/**
 * The end of one SCOMO operation: its result code, the deployed component it produced or acted on (the
 * alert's Target, or null), the Identifier of the alert's Data, and a one-line detail for logs (never a
 * URL with credentials, never a secret).
 *
 * @param code the SCOMO result code, e.g. 1200
 * @param target the URI of the deployed component, or null
 * @param identifier the Deployed ID, else the PkgID, or null
 * @param detail a one-line explanation
 */
record Outcome(int code, String target, String identifier, String detail) {
    static Outcome success(String target, String identifier) {
        return new Outcome(ScomoCodes.SUCCESS, target, identifier, "done");
    }

    static Outcome failure(int code, String identifier, String detail) {
        return new Outcome(code, null, identifier, detail);
    }

    boolean succeeded() {
        return code == ScomoCodes.SUCCESS;
    }

    /** @return the alert Data: {@code <ResultCode>n</ResultCode>} and, when known, {@code <Identifier>} (XML-escaped) */
    String data() {
        StringBuilder sb = new StringBuilder("<ResultCode>").append(code).append("</ResultCode>");
        if (identifier != null && !identifier.isEmpty()) {
            sb.append("<Identifier>").append(escape(identifier)).append("</Identifier>");
        }
        return sb.toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
