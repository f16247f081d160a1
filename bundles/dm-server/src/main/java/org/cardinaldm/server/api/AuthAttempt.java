package org.cardinaldm.server.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A refused authentication attempt, as the server node that refused it remembers it (OMA-TS-DM_Security-V1_2
 * section 5.3; digest section 3). It names who tried (the transport's peer address), with which scheme, and
 * what the server answered; it never holds the credentials, nonces or digests that were sent.
 *
 * @param time when the message arrived
 * @param deviceId the DevId the message claimed (SyncHdr Source LocURI); registered or not
 * @param source the peer address the transport reported ({@code InboundMessage.remoteAddress()}), or
 *        {@code "unknown"}
 * @param scheme the scheme the sender used (Cred Meta Type, or HMAC for an {@code x-syncml-hmac} header),
 *        or null when it sent none the server knows
 * @param outcome what the server answered
 * @since 1.3
 */
public record AuthAttempt(Instant time, String deviceId, String source, AuthScheme scheme, Outcome outcome) {

    /** What the server answered to the attempt. */
    public enum Outcome {
        /** Wrong credentials, wrong scheme, wrong user name, or an unregistered DevId: 401. */
        WRONG_CREDENTIALS,
        /**
         * The DevId and source had failed too often: 417, the credentials were not checked. Other sources
         * of the same DevId are not affected.
         */
        THROTTLED,
        /** Valid credentials of a device an operator disabled: 403. */
        DISABLED,
        /** Valid credentials of a device whose registry record carries a lock-out: 417. */
        LOCKED
    }

    /** Checks the mandatory parts. */
    public AuthAttempt {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(outcome, "outcome");
    }
}
