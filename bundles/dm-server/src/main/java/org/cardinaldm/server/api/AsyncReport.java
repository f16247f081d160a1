package org.cardinaldm.server.api;

import java.time.Instant;
import java.util.Objects;

/**
 * The result of an asynchronous Exec as the device reported it in a Generic Alert 1226 (digest §1.10), read
 * according to the alert type: SCOMO {@code urn:oma:at:scomo:1.0:OperationComplete} result codes (1200-1299
 * success, 14xx/15xx failures), FUMO {@code org.openmobilealliance.dm.firmwareupdate.*} result codes (2xx
 * success, 4xx/5xx failures), otherwise success only for a 2xx or 12xx code.
 *
 * @param code the result code, or -1 when the Data held none
 * @param meaning what the code means (for unknown codes, the range it falls in)
 * @param success whether the operation succeeded
 * @param alertType the alert's Meta Type (normalised), or null
 * @param source the Item's Source LocURI (the executed node or the MO), or null
 * @param target the Item's Target LocURI (e.g. the deployed component), or null
 * @param mark the Meta Mark, or null
 * @param received when the server received the alert
 * @param late whether it came after the deadline (then it did not change the job)
 * @since 2.1
 */
public record AsyncReport(int code, String meaning, boolean success, String alertType, String source, String target,
        String mark, Instant received, boolean late) {

    /** Checks the mandatory parts. */
    public AsyncReport {
        Objects.requireNonNull(meaning, "meaning");
        Objects.requireNonNull(received, "received");
    }

    /** @return e.g. {@code 1405 install failed} or {@code no result code} */
    public String summary() {
        return code < 0 ? meaning : code + " " + meaning;
    }

    /**
     * @param value whether it is late
     * @return a copy
     */
    public AsyncReport withLate(boolean value) {
        return new AsyncReport(code, meaning, success, alertType, source, target, mark, received, value);
    }
}
