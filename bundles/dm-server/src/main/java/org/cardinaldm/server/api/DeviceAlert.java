package org.cardinaldm.server.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A Generic Alert (1226) item or a Client Event (1224) a device sent (digest section 1.10). The type
 * is normalised: an optional {@code Reversed-Domain-Name:} prefix and white space are removed.
 *
 * @param deviceId the device
 * @param time when the server received it
 * @param sessionId the SessionID of the session that carried it
 * @param code the alert code, 1226 or 1224
 * @param type the Meta Type, e.g. {@code org.openmobilealliance.dm.firmwareupdate.download}, or null
 * @param format the Meta Format, or null
 * @param mark the Meta Mark (fatal ... indeterminate), or null
 * @param source the Source LocURI (the MO that raised it), or null
 * @param correlator the Correlator (answer to an asynchronous Exec), or null
 * @param data the Data as text, or null
 */
public record DeviceAlert(String deviceId, Instant time, String sessionId, int code, String type, String format,
        String mark, String source, String correlator, String data) {
    /** Checks the mandatory parts. */
    public DeviceAlert {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(time, "time");
    }
}
