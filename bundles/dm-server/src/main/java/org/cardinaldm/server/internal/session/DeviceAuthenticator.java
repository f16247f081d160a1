package org.cardinaldm.server.internal.session;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import org.cardinaldm.server.api.AuthScheme;
import org.cardinaldm.server.api.spi.DeviceRecord;
import org.cardinaldm.server.api.spi.ServerStore;
import org.cardinaldm.server.internal.Secrets;
import org.cardinaldm.server.internal.ServerConfig;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.auth.HmacHeader;
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
 * credentials (basic, md5 with the device's nonce, HMAC over the body) and answers 212, 200, 401 or 407 with
 * a challenge and a fresh nonce, counts failures per session and per device and locks a device out after
 * repeated failures (503 while locked, 403 when disabled); and speaks for the server towards the device: its
 * Cred in the header (basic or md5 with the nonce the device last gave), its HMAC header, and what the device
 * answers to them (Status for CmdRef 0, its next nonce). One per engine; the per-session part is a
 * {@link State}.
 */
public final class DeviceAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceAuthenticator.class);

    private final ServerStore store;
    private final ServerConfig config;
    private final SecureRandom random;

    /**
     * @param store the registry (device records, nonces, failure counts)
     * @param config the settings (attempts per session, failures before a lock-out, its length)
     * @param random the source of nonces
     */
    public DeviceAuthenticator(ServerStore store, ServerConfig config, SecureRandom random) {
        this.store = store;
        this.config = config;
        this.random = random;
    }

    /** The authentication state of one session. */
    static final class State {
        private DeviceRecord device;
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
     * @param s the session
     * @param msg the device's message
     * @param body its bytes (HMAC is computed over them)
     * @param hmacHeader the x-syncml-hmac header, or null
     * @param now the time
     * @return the verdict
     */
    public Verdict authenticate(ServerSession s, SyncMessage msg, byte[] body, String hmacHeader, Instant now) {
        State a = s.auth();
        if (a.authenticated && a.authScheme != AuthScheme.HMAC) {
            return new Verdict(true, StatusCodes.OK, null, false);
        }
        DeviceRecord device = a.authenticated ? a.device : store.device(s.deviceId()).orElse(null);
        if (device == null) {
            a.authAttempts++;
            LOG.debug("Unknown device {} in session {}", s.deviceId(), s.sessionId());
            boolean hasCred = msg.header().cred() != null || hmacHeader != null;
            Chal chal = chal(AuthScheme.MD5, Secrets.newNonce(random));
            return new Verdict(false, hasCred ? StatusCodes.INVALID_CREDENTIALS : StatusCodes.MISSING_CREDENTIALS,
                    chal, a.authAttempts >= config.maxAuthAttemptsPerSession());
        }
        if (!device.enabled()) {
            LOG.debug("Disabled device {} refused", s.deviceId());
            return new Verdict(false, StatusCodes.FORBIDDEN, null, true);
        }
        if (device.lockedUntil() != null && device.lockedUntil().isAfter(now)) {
            LOG.debug("Locked-out device {} refused until {}", s.deviceId(), device.lockedUntil());
            return new Verdict(false, StatusCodes.RETRY_LATER, null, true);
        }
        AuthScheme scheme = device.clientAuth();
        Boolean verdict = verify(device, msg, body, hmacHeader);
        if (verdict == null) {
            // no credentials: challenge with the current nonce, not counted as a failure
            a.authAttempts++;
            String nonce = device.clientNonce();
            if (nonce == null) {
                nonce = Secrets.newNonce(random);
                String n = nonce;
                store.updateDevice(s.deviceId(), r -> r.toBuilder().clientNonce(n).build());
            }
            if (a.authenticated) {
                a.authenticated = false;
            }
            return new Verdict(false, StatusCodes.MISSING_CREDENTIALS, chal(scheme, nonce),
                    a.authAttempts > config.maxAuthAttemptsPerSession());
        }
        if (!verdict) {
            return failed(s, scheme, now);
        }
        // accepted: a fresh nonce for the next credentials (next message with HMAC, next session otherwise)
        String nonce = Secrets.newNonce(random);
        boolean first = !a.authenticated;
        DeviceRecord updated = store.updateDevice(s.deviceId(), r -> {
            DeviceRecord.Builder b = r.toBuilder().clientNonce(nonce).authFailures(0);
            if (first) {
                b.lastContact(now);
                if (r.firstContact() == null) {
                    b.firstContact(now);
                }
            }
            return b.build();
        }).orElse(device);
        a.device = updated;
        a.authenticated = true;
        a.authScheme = scheme;
        if (first) {
            LOG.info("Device {} authenticated ({}) in session {}", s.deviceId(), scheme, s.sessionId());
        }
        if (scheme == AuthScheme.HMAC) {
            return new Verdict(true, StatusCodes.OK, chal(scheme, nonce), false);
        }
        return new Verdict(true, StatusCodes.AUTHENTICATION_ACCEPTED,
                scheme == AuthScheme.MD5 ? chal(scheme, nonce) : null, false);
    }

    /** Wrong credentials: a new nonce, one more failure for the device, a lock-out after too many. */
    private Verdict failed(ServerSession s, AuthScheme scheme, Instant now) {
        State a = s.auth();
        a.authAttempts++;
        a.authenticated = false;
        String nonce = Secrets.newNonce(random);
        Optional<DeviceRecord> updated = store.updateDevice(s.deviceId(), r -> {
            int failures = r.authFailures() + 1;
            DeviceRecord.Builder b = r.toBuilder().totalAuthFailures(r.totalAuthFailures() + 1);
            if (failures >= config.maxAuthFailures()) {
                // no challenge goes out with a lock-out, so the device keeps the nonce it has
                b.authFailures(0).lockedUntil(now.plus(config.lockout()));
            } else {
                b.authFailures(failures).clientNonce(nonce);
            }
            return b.build();
        });
        boolean locked = updated.map(r -> r.lockedUntil() != null && r.lockedUntil().isAfter(now)).orElse(false);
        if (locked) {
            LOG.info("Device {} locked out until {} after {} authentication failures", s.deviceId(),
                    updated.get().lockedUntil(), config.maxAuthFailures());
        } else {
            LOG.debug("Authentication of {} failed in session {}", s.deviceId(), s.sessionId());
        }
        return new Verdict(false, StatusCodes.INVALID_CREDENTIALS, locked ? null : chal(scheme, nonce),
                locked || a.authAttempts >= config.maxAuthAttemptsPerSession());
    }

    /** @return null when the message carries no credentials, else whether they are right */
    private static Boolean verify(DeviceRecord device, SyncMessage msg, byte[] body, String hmacHeader) {
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
                for (byte[] nonce : Secrets.nonceCandidates(device.clientNonce())) {
                    ok |= Secrets.same(Secrets.hmac(device.clientDigest(), nonce, body), hmac.mac());
                }
                return ok;
            } catch (CodecException e) {
                return false;
            }
        }
        Cred cred = msg.header().cred();
        if (cred == null) {
            return null;
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
            String digest = Secrets.userDigest(device.clientUser(), decoded.substring(prefix.length()));
            return Secrets.same(device.clientDigest(), digest);
        }
        String locName = msg.header().source().locName();
        if (locName != null && !locName.isBlank() && !locName.trim().equals(device.clientUser())) {
            return false;
        }
        boolean ok = false;
        for (byte[] nonce : Secrets.nonceCandidates(device.clientNonce())) {
            ok |= Secrets.same(Secrets.md5Cred(device.clientDigest(), nonce), data);
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
            String v = Base64.getEncoder()
                    .encodeToString((d.serverUser() + ":" + d.serverPassword()).getBytes(StandardCharsets.UTF_8));
            return new Cred(Meta.of("b64", AuthScheme.BASIC.metaType()), Data.text(v));
        }
        String nonce = d.serverNonce() == null ? Secrets.RESYNC_NONCE : d.serverNonce();
        return new Cred(Meta.of("b64", AuthScheme.MD5.metaType()),
                Data.text(Secrets.md5Cred(d.serverDigest(), Secrets.decodeNonce(nonce))));
    }

    /** @return the server's x-syncml-hmac header for a message of {@code bytes}, or null (not HMAC) */
    String serverHmac(ServerSession s, byte[] bytes) {
        State a = s.auth();
        DeviceRecord d = a.device;
        if (a.authenticated && d != null && d.serverAuth() == AuthScheme.HMAC) {
            String nonce = d.serverNonce() == null ? Secrets.RESYNC_NONCE : d.serverNonce();
            String mac = Secrets.hmac(d.serverDigest(), Secrets.decodeNonce(nonce), bytes);
            return new HmacHeader(HmacHeader.MD5, d.serverUser(), mac).toHeaderValue();
        }
        return null;
    }
}
