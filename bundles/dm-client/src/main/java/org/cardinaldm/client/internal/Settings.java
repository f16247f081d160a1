package org.cardinaldm.client.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * The client's settings, independent of OSGi so that tests can build them.
 *
 * @param wbxml whether the client writes WBXML (else XML)
 * @param maxMsgSize the MaxMsgSize the client announces and enforces on server messages
 * @param maxObjSize the MaxObjSize the client announces and enforces on large objects
 * @param responseTimeout how long to wait for each server answer
 * @param retries how many times a message is sent again after a transient failure
 * @param backoffInitial the first back-off delay
 * @param backoffMax the longest back-off delay
 * @param maxMessages the most server messages one session may take
 * @param authAttempts how many authentication challenges either side may issue in one session
 * @param uiTimeout how long a user-interaction alert waits when the server gave no MAXDT
 * @param serverAuthRequired whether a server must authenticate (SyncML credentials or HTTPS)
 * @param maxAlertAttempts how many sessions may try to deliver one Generic Alert
 */
public record Settings(boolean wbxml, int maxMsgSize, long maxObjSize, Duration responseTimeout, int retries,
        Duration backoffInitial, Duration backoffMax, int maxMessages, int authAttempts, Duration uiTimeout,
        boolean serverAuthRequired, int maxAlertAttempts) {

    /** Defaults for tests and plain Java. */
    public static final Settings DEFAULT = new Settings(true, 65_536, 1 << 20, Duration.ofSeconds(60), 3,
            Duration.ofSeconds(2), Duration.ofSeconds(30), 100, 3, Duration.ofMinutes(5), true, 5);

    /** Checks the ranges. */
    public Settings {
        Objects.requireNonNull(responseTimeout, "responseTimeout");
        Objects.requireNonNull(backoffInitial, "backoffInitial");
        Objects.requireNonNull(backoffMax, "backoffMax");
        Objects.requireNonNull(uiTimeout, "uiTimeout");
        if (maxMsgSize < 1024 || maxObjSize < 1 || retries < 0 || maxMessages < 2 || authAttempts < 1
                || maxAlertAttempts < 1) {
            throw new IllegalArgumentException("client setting out of range");
        }
    }

    static Settings from(DmClientImpl.Config c) {
        return new Settings(!"xml".equalsIgnoreCase(c.encoding().trim()), Math.max(1024, c.max_msg_size()),
                Math.max(1, c.max_obj_size()), Duration.ofMillis(Math.max(1, c.response_timeout_ms())),
                Math.max(0, c.retries()), Duration.ofMillis(Math.max(0, c.backoff_initial_ms())),
                Duration.ofMillis(Math.max(0, c.backoff_max_ms())), Math.max(2, c.max_messages()),
                Math.max(1, c.auth_attempts()), Duration.ofSeconds(Math.max(1, c.ui_timeout_s())),
                c.server_auth_required(), Math.max(1, c.alert_max_attempts()));
    }

    /** @param value whether to write WBXML @return a copy */
    public Settings withWbxml(boolean value) {
        return new Settings(value, maxMsgSize, maxObjSize, responseTimeout, retries, backoffInitial, backoffMax,
                maxMessages, authAttempts, uiTimeout, serverAuthRequired, maxAlertAttempts);
    }

    /** @param msg MaxMsgSize @param obj MaxObjSize @return a copy */
    public Settings withLimits(int msg, long obj) {
        return new Settings(wbxml, msg, obj, responseTimeout, retries, backoffInitial, backoffMax, maxMessages,
                authAttempts, uiTimeout, serverAuthRequired, maxAlertAttempts);
    }

    /** @param count retries @param initial first delay @param max longest delay @return a copy */
    public Settings withRetries(int count, Duration initial, Duration max) {
        return new Settings(wbxml, maxMsgSize, maxObjSize, responseTimeout, count, initial, max, maxMessages,
                authAttempts, uiTimeout, serverAuthRequired, maxAlertAttempts);
    }

    /** @param value response timeout @return a copy */
    public Settings withResponseTimeout(Duration value) {
        return new Settings(wbxml, maxMsgSize, maxObjSize, value, retries, backoffInitial, backoffMax, maxMessages,
                authAttempts, uiTimeout, serverAuthRequired, maxAlertAttempts);
    }

    /** @param value whether servers must authenticate @return a copy */
    public Settings withServerAuthRequired(boolean value) {
        return new Settings(wbxml, maxMsgSize, maxObjSize, responseTimeout, retries, backoffInitial, backoffMax,
                maxMessages, authAttempts, uiTimeout, value, maxAlertAttempts);
    }

    /** @param value UI timeout without MAXDT @return a copy */
    public Settings withUiTimeout(Duration value) {
        return new Settings(wbxml, maxMsgSize, maxObjSize, responseTimeout, retries, backoffInitial, backoffMax,
                maxMessages, authAttempts, value, serverAuthRequired, maxAlertAttempts);
    }
}
