package org.cardinaldm.server.internal.session;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.UnaryOperator;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.cardinaldm.server.api.AuthAttempt;
import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.spi.DeviceRecord;
import org.cardinaldm.server.api.spi.ServerStore;
import org.cardinaldm.server.internal.Secrets;
import org.cardinaldm.server.internal.ServerConfig;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.syncml.api.auth.HmacHeader;
import org.cardinaldm.syncml.api.auth.UserDigests;
import org.cardinaldm.syncml.api.model.Chal;
import org.cardinaldm.syncml.api.model.Cred;
import org.cardinaldm.syncml.api.model.Data;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.Status;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.SyncMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authentication both ways (digest section 3, OMA-TS-DM_Security-V1_2 §5.3–5.5): checks the device's
 * credentials (basic, md5 with the device's nonce, HMAC over the body) and answers 212, 200, 401, 407 or 417
 * with a challenge; and speaks for the server towards the device: its Cred in the header (basic or md5 with the
 * nonce the device last gave), its HMAC header, and what the device answers to them (Status for CmdRef 0, its
 * next nonce). One per engine; the per-session part is a {@link State}.
 *
 * <p>Before a sender has authenticated it changes nothing in the registry: a nonce the device holds stays
 * valid until the device authenticates (only a success issues a new one), failures are counted per (DevId,
 * source) in the node's {@link AuthGuard}, never in the device's record, and registered and unregistered DevIds
 * answer alike: an unregistered DevId is challenged as an md5 device with a nonce derived from the DevId and a
 * secret key (stable, as a registered device's stored nonce is), a registered device without a stored nonce
 * gets the same derived nonce, and "disabled" (403) or "locked" (417) is only said to a sender whose
 * credentials are valid. A (DevId, source) pair the guard blocks gets 417 whether the DevId is registered or
 * not, without its credentials being checked.
 */
public final class DeviceAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceAuthenticator.class);
    /** Stands for the digest of an unregistered DevId, so that checking its credentials costs the same. */
    private static final String NO_DIGEST = UserDigests.of("", "");

    private final ServerStore store;
    private final ServerConfig config;
    private final SecureRandom random;
    private final AuthGuard guard;
    private final byte[] nonceKey;

    /**
     * @param store the registry (device records, nonces)
     * @param config the settings (attempts per session, the key of derived nonces)
     * @param random the source of nonces
     * @param guard the node's throttle and attempt log
     */
    public DeviceAuthenticator(ServerStore store, ServerConfig config, SecureRandom random, AuthGuard guard) {
        this.store = store;
        this.config = config;
        this.random = random;
        this.guard = guard;
        String key = config.strangers().nonceKey();
        if (key == null) {
            this.nonceKey = new byte[32];
            random.nextBytes(nonceKey);
        } else {
            this.nonceKey = key.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The authentication state of one session. */
    static final class State {
        private DeviceRecord device;
        /** What the accepted credentials change in the record, written with the message's other changes. */
        private UnaryOperator<DeviceRecord> pending;
        private boolean authenticated;
        private AuthScheme authScheme;
        private int authAttempts;
        // server authentication towards the device
        private boolean serverAuthAccepted;
        private int serverAuthRejections;

        /** @return whether the device has authenticated */
        boolean authenticated() {
            return authenticated;
        }

        /** @return the device's record as last read or written in this session; null before authentication */
        DeviceRecord device() {
            return device;
        }

        /** @param updated the device's record after the session changed it */
        void refresh(DeviceRecord updated) {
            this.device = updated;
        }

        /**
         * @return the change to the device's record the last accepted credentials call for (new nonce, failures
         *         reset, first and last contact), not yet written; null when none; forgotten once taken
         */
        UnaryOperator<DeviceRecord> takePending() {
            UnaryOperator<DeviceRecord> p = pending;
            pending = null;
            return p;
        }
    }

    /**
     * What the device's credentials earned.
     *
     * @param accepted whether the message's commands are processed
     * @param code the Status of the header
     * @param chal the challenge to send, or null
     * @param closes whether the session ends with this answer
     */
    public record Verdict(boolean accepted, int code, Chal chal, boolean closes) {
    }

    /**
     * Checks the credentials of a message for a session that is authenticated already, without changing
     * anything but the throttle: used when a message reaches such a session without its token (only allowed
     * with {@code session.require.token=false}).
     *
     * @param s the session (authenticated)
     * @param msg the message
     * @param body its bytes
     * @param hmacHeader the x-syncml-hmac header, or null
     * @param source the sender's source ({@link AuthGuard#source})
     * @param now the time
     * @return whether the message carries valid credentials of the session's device
     */
    public boolean verifies(ServerSession s, SyncMessage msg, byte[] body, String hmacHeader, String source,
            Instant now) {
        DeviceRecord device = s.auth().device;
        if (device == null || guard.blocked(s.deviceId(), source, now)) {
            return false;
        }
        Boolean ok = verify(device, currentNonce(device), msg, body, hmacHeader);
        if (Boolean.FALSE.equals(ok)) {
            guard.failed(s.deviceId(), source, now);
            guard.record(new AuthAttempt(now, s.deviceId(), source, presented(msg, hmacHeader),
                    AuthAttempt.Outcome.WRONG_CREDENTIALS));
        }
        return Boolean.TRUE.equals(ok);
    }

    /**
     * @param s the session
     * @param msg the device's message
     * @param body its bytes (HMAC is computed over them)
     * @param hmacHeader the x-syncml-hmac header, or null
     * @param source the sender's source ({@link AuthGuard#source})
     * @param now the time
     * @param recheck whether to check the credentials of an md5 or basic session that authenticated already
     * @return the verdict
     */
    public Verdict authenticate(ServerSession s, SyncMessage msg, byte[] body, String hmacHeader, String source,
            Instant now, boolean recheck) {
        State a = s.auth();
        if (a.authenticated && a.authScheme != AuthScheme.HMAC && !recheck) {
            return new Verdict(true, StatusCodes.OK, null, false);
        }
        String id = s.deviceId();
        AuthScheme presented = presented(msg, hmacHeader);
        if (!a.authenticated && guard.blocked(id, source, now)) {
            a.authAttempts++;
            guard.record(new AuthAttempt(now, id, source, presented, AuthAttempt.Outcome.THROTTLED));
            LOG.debug("Credentials for {} from {} not checked: throttled", id, source);
            return new Verdict(false, StatusCodes.RETRY_LATER, null, true);
        }
        DeviceRecord device = a.authenticated ? a.device : store.device(id).orElse(null);
        if (device == null) {
            // unregistered: answered as an md5 device with a stable nonce, and checked at the same cost
            a.authAttempts++;
            String nonce = derivedNonce(id);
            if (presented == null && msg.header().cred() == null) {
                return new Verdict(false, StatusCodes.MISSING_CREDENTIALS, chal(AuthScheme.MD5, nonce), closes(a));
            }
            for (byte[] n : Secrets.nonceCandidates(nonce)) {
                Secrets.same(UserDigests.md5Digest(NO_DIGEST, n), "");
            }
            return failed(s, AuthScheme.MD5, nonce, presented, source, now);
        }
        AuthScheme scheme = device.clientAuth();
        String nonce = currentNonce(device);
        Boolean verdict = verify(device, nonce, msg, body, hmacHeader);
        if (verdict == null) {
            // no credentials: challenge with the current nonce, not counted as a failure
            a.authAttempts++;
            a.authenticated = false;
            return new Verdict(false, StatusCodes.MISSING_CREDENTIALS, chal(scheme, nonce), closes(a));
        }
        if (!verdict) {
            return failed(s, scheme, nonce, presented, source, now);
        }
        // valid credentials: only now may the sender learn that the device is disabled or locked
        if (!device.enabled()) {
            a.authAttempts++;
            guard.record(new AuthAttempt(now, id, source, presented, AuthAttempt.Outcome.DISABLED));
            LOG.debug("Disabled device {} refused", id);
            return new Verdict(false, StatusCodes.FORBIDDEN, null, true);
        }
        if (device.lockedUntil() != null && device.lockedUntil().isAfter(now)) {
            a.authAttempts++;
            guard.record(new AuthAttempt(now, id, source, presented, AuthAttempt.Outcome.LOCKED));
            LOG.debug("Locked-out device {} refused until {}", id, device.lockedUntil());
            return new Verdict(false, StatusCodes.RETRY_LATER, null, true);
        }
        // accepted: a fresh nonce for the next credentials (next message with HMAC, next session otherwise)
        guard.succeeded(id, source);
        String next = Secrets.newNonce(random);
        boolean first = !a.authenticated;
        UnaryOperator<DeviceRecord> change = r -> {
            DeviceRecord.Builder b = r.toBuilder().clientNonce(next).authFailures(0);
            if (first) {
                b.lastContact(now);
                if (r.firstContact() == null) {
                    b.firstContact(now);
                }
            }
            return b.build();
        };
        // written with the rest of the message (ClientCommands#persistReports), before the answer carrying the
        // new nonce is encoded and made durable: a nonce lost after it was used would accept that use again
        UnaryOperator<DeviceRecord> earlier = a.pending;
        a.pending = earlier == null ? change : r -> change.apply(earlier.apply(r));
        a.device = change.apply(device);
        a.authenticated = true;
        a.authScheme = scheme;
        if (first) {
            LOG.info("Device {} authenticated ({}) in session {}", id, scheme, s.sessionId());
        }
        if (scheme == AuthScheme.HMAC) {
            return new Verdict(true, StatusCodes.OK, chal(scheme, next), false);
        }
        return new Verdict(true, StatusCodes.AUTHENTICATION_ACCEPTED,
                scheme == AuthScheme.MD5 ? chal(scheme, next) : null, false);
    }

    private boolean closes(State a) {
        return a.authAttempts >= config.maxAuthAttemptsPerSession();
    }

    /**
     * Wrong credentials: one more failure of the (DevId, source) pair in the guard, the same nonce challenged
     * again; nothing is written to the registry.
     */
    private Verdict failed(ServerSession s, AuthScheme scheme, String nonce, AuthScheme presented, String source,
            Instant now) {
        State a = s.auth();
        a.authAttempts++;
        a.authenticated = false;
        Instant blockedUntil = guard.failed(s.deviceId(), source, now);
        guard.record(new AuthAttempt(now, s.deviceId(), source, presented, AuthAttempt.Outcome.WRONG_CREDENTIALS));
        if (blockedUntil != null) {
            LOG.info("Authentication of {} from {} throttled until {}", s.deviceId(), source, blockedUntil);
        } else {
            LOG.debug("Authentication of {} from {} failed in session {}", s.deviceId(), source, s.sessionId());
        }
        return new Verdict(false, StatusCodes.INVALID_CREDENTIALS, chal(scheme, nonce),
                blockedUntil != null || closes(a));
    }

    /** @return the nonce the device must use now: the stored one, or the derived one when none is stored */
    private String currentNonce(DeviceRecord device) {
        return device.clientNonce() != null ? device.clientNonce() : derivedNonce(device.deviceId());
    }

    /** @return B64 of the first 16 bytes of HMAC-SHA256(key, DevId): stable per DevId, unguessable without the key */
    private String derivedNonce(String deviceId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(nonceKey, "HmacSHA256"));
            byte[] h = mac.doFinal(("cardinal-nonce:" + deviceId).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(Arrays.copyOf(h, 16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    /** @return the scheme of the credentials a message presents, or null when it presents none the server knows */
    private static AuthScheme presented(SyncMessage msg, String hmacHeader) {
        if (hmacHeader != null) {
            return AuthScheme.HMAC;
        }
        Cred cred = msg.header().cred();
        if (cred == null) {
            return null;
        }
        return cred.meta() == null || cred.meta().type() == null ? AuthScheme.BASIC
                : AuthScheme.parse(cred.meta().type()).orElse(null);
    }

    /** @return null when the message carries no credentials, else whether they are right */
    private static Boolean verify(DeviceRecord device, String currentNonce, SyncMessage msg, byte[] body,
            String hmacHeader) {
        AuthScheme scheme = device.clientAuth();
        if (scheme == AuthScheme.HMAC) {
            if (hmacHeader == null) {
                return msg.header().cred() == null ? null : Boolean.FALSE;
            }
            try {
                HmacHeader hmac = HmacHeader.parse(hmacHeader);
                if (!HmacHeader.MD5.equalsIgnoreCase(hmac.algorithm()) || !hmac.username().equals(device.clientUser())) {
                    return false;
                }
                boolean ok = false;
                for (byte[] nonce : Secrets.nonceCandidates(currentNonce)) {
                    ok |= Secrets.same(UserDigests.mac(device.clientDigest(), nonce, body), hmac.mac());
                }
                return ok;
            } catch (CodecException e) {
                return false;
            }
        }
        Cred cred = msg.header().cred();
        if (cred == null) {
            return hmacHeader == null ? null : Boolean.FALSE; // credentials of another scheme
        }
        String type = cred.meta() == null || cred.meta().type() == null ? AuthScheme.BASIC.metaType()
                : cred.meta().type();
        if (AuthScheme.parse(type).orElse(null) != scheme) {
            return false;
        }
        String data = cred.data().asText().trim();
        if (scheme == AuthScheme.BASIC) {
            String decoded;
            try {
                decoded = new String(Base64.getMimeDecoder().decode(data), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
            // the user name may itself contain ':' (IMEI:...): split after the expected one
            String prefix = device.clientUser() + ":";
            if (!decoded.startsWith(prefix)) {
                return false;
            }
            String digest = UserDigests.of(device.clientUser(), decoded.substring(prefix.length()));
            return Secrets.same(device.clientDigest(), digest);
        }
        String locName = msg.header().source().locName();
        if (locName != null && !locName.isBlank() && !locName.trim().equals(device.clientUser())) {
            return false;
        }
        boolean ok = false;
        for (byte[] nonce : Secrets.nonceCandidates(currentNonce)) {
            ok |= Secrets.same(UserDigests.md5Digest(device.clientDigest(), nonce), data);
        }
        return ok;
    }

    private static Chal chal(AuthScheme scheme, String nonce) {
        Meta.Builder m = Meta.builder().type(scheme.metaType()).format("b64");
        if (scheme != AuthScheme.BASIC) {
            m.nextNonce(nonce);
        }
        return new Chal(m.build());
    }

    // ------------------------------------------------------------------ the server towards the device

    /** The device's Status for the server's header (CmdRef 0): accepted, refused, and its next nonce. */
    void onServerAuthStatus(ServerSession s, Status st, Inbound inbound) {
        State a = s.auth();
        int code = st.code();
        if (code == StatusCodes.AUTHENTICATION_ACCEPTED) {
            a.serverAuthAccepted = true;
        } else if (code == StatusCodes.INVALID_CREDENTIALS || code == StatusCodes.MISSING_CREDENTIALS) {
            a.serverAuthRejections++;
            a.serverAuthAccepted = false;
            inbound.refusedMessages.add(st.msgRef().trim());
            LOG.debug("Device {} refused the server's credentials ({})", s.deviceId(), code);
        }
        if (st.chal() != null && st.chal().meta().nextNonce() != null) {
            inbound.newServerNonce = st.chal().meta().nextNonce().trim();
        }
    }

    /**
     * @param s the session
     * @return how many times the device refused the server's credentials in this session
     */
    public int serverRejections(ServerSession s) {
        return s.auth().serverAuthRejections;
    }

    /** @return the server's Cred for the header of its next message, or null (not due, or HMAC) */
    Cred serverCred(ServerSession s) {
        State a = s.auth();
        if (!a.authenticated) {
            return null;
        }
        DeviceRecord d = a.device;
        if (d == null || a.serverAuthAccepted || d.serverAuth() == AuthScheme.HMAC) {
            return null;
        }
        if (d.serverAuth() == AuthScheme.BASIC) {
            if (d.serverPassword() == null) {
                return null;
            }
            return Credentials.basic(d.serverUser(), d.serverPassword());
        }
        String nonce = d.serverNonce() == null ? Secrets.RESYNC_NONCE : d.serverNonce();
        return new Cred(Meta.of("b64", AuthScheme.MD5.metaType()),
                Data.text(UserDigests.md5Digest(d.serverDigest(), Secrets.decodeNonce(nonce))));
    }

    /** @return the server's x-syncml-hmac header for a message of {@code bytes}, or null (not HMAC) */
    String serverHmac(ServerSession s, byte[] bytes) {
        State a = s.auth();
        DeviceRecord d = a.device;
        if (a.authenticated && d != null && d.serverAuth() == AuthScheme.HMAC) {
            String nonce = d.serverNonce() == null ? Secrets.RESYNC_NONCE : d.serverNonce();
            String mac = UserDigests.mac(d.serverDigest(), Secrets.decodeNonce(nonce), bytes);
            return new HmacHeader(HmacHeader.MD5, d.serverUser(), mac).toHeaderValue();
        }
        return null;
    }
}
