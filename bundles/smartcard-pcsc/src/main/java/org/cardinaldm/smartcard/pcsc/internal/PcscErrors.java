package org.cardinaldm.smartcard.pcsc.internal;

import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.api.SmartCardException.Code;

/**
 * Maps javax.smartcardio failures to {@link SmartCardException} codes. The PC/SC error names
 * ({@code SCARD_W_REMOVED_CARD} …) are only available as the message of the JDK's internal
 * {@code PCSCException}, so they are read from the cause chain.
 */
final class PcscErrors {
    private PcscErrors() {
    }

    /** @return the first PC/SC error name in the cause chain, or empty */
    static String pcscCode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null) {
                int i = m.indexOf("SCARD_");
                if (i >= 0) {
                    int j = i;
                    while (j < m.length() && (Character.isLetterOrDigit(m.charAt(j)) || m.charAt(j) == '_')) {
                        j++;
                    }
                    return m.substring(i, j);
                }
            }
        }
        return "";
    }

    /** @return whether the failure means the daemon went away (the JVM's PC/SC context is unusable) */
    static boolean serviceGone(Throwable e) {
        String c = pcscCode(e);
        return c.equals("SCARD_E_NO_SERVICE") || c.equals("SCARD_E_SERVICE_STOPPED")
                || c.equals("SCARD_E_INVALID_HANDLE") && e.getMessage() != null && e.getMessage().contains("list");
    }

    /**
     * @param e a failure of javax.smartcardio
     * @param what what was attempted, for the message
     * @param connecting whether it happened while connecting (no card means absent, not removed)
     * @return the exception with the fitting code
     */
    static SmartCardException map(Throwable e, String what, boolean connecting) {
        String c = pcscCode(e);
        Code code;
        switch (c) {
            case "SCARD_W_REMOVED_CARD":
            case "SCARD_E_NO_SMARTCARD":
                code = connecting ? Code.CARD_ABSENT : Code.CARD_REMOVED;
                break;
            case "SCARD_W_RESET_CARD":
                code = Code.CARD_RESET;
                break;
            case "SCARD_E_UNKNOWN_READER":
            case "SCARD_E_READER_UNAVAILABLE":
            case "SCARD_E_NO_READERS_AVAILABLE":
                code = Code.READER_ABSENT;
                break;
            case "SCARD_E_SHARING_VIOLATION":
            case "SCARD_E_TIMEOUT":
                code = Code.READER_BUSY;
                break;
            default:
                if (e instanceof IllegalStateException) {
                    code = Code.CARD_REMOVED; // "Card has been disconnected"
                } else {
                    code = Code.IO_ERROR;
                }
        }
        return new SmartCardException(code, what + " failed" + (c.isEmpty() ? "" : " (" + c + ")"), e);
    }
}
