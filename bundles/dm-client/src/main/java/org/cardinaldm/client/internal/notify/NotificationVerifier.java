package org.cardinaldm.client.internal.notify;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.cardinaldm.api.DmException;
import org.cardinaldm.client.api.NotificationOutcome;
import org.cardinaldm.client.api.spi.AccountCredentials;
import org.cardinaldm.client.api.spi.CredentialException;
import org.cardinaldm.client.internal.auth.NonceStore;
import org.cardinaldm.mo.dmacc.api.AppAuth;
import org.cardinaldm.mo.dmacc.api.AuthLevel;
import org.cardinaldm.mo.dmacc.api.DmAccount;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.notification.Notification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a package-0 notification before anything else happens (digest 4): parse, find the account
 * of its ServerID, verify the digest with the server's credentials and stored SRVCRED nonce, then
 * with the re-synchronisation nonce (four zero bytes, and the two textual forms some servers use),
 * and drop replays (the same digest seen within the replay window). Nothing in a notification is
 * logged beyond its ServerID and SessionID.
 */
public final class NotificationVerifier {
    /** A notification that passed. */
    public record Verified(Notification notification, DmAccount account, boolean resync) {
    }

    /** What a check found: an outcome and, when accepted, the notification. */
    public record Check(NotificationOutcome outcome, Verified verified) {
    }

    /** Looks an account up. */
    @FunctionalInterface
    public interface Accounts {
        /**
         * @param serverId a ServerID
         * @return its account
         * @throws DmException when the tree cannot be read
         */
        Optional<DmAccount> byServerId(String serverId) throws DmException;
    }

    /** Finds an account's credentials. */
    @FunctionalInterface
    public interface Credentials {
        /**
         * @param account an account
         * @return its credentials
         * @throws CredentialException when they cannot be used now
         */
        AccountCredentials of(DmAccount account) throws CredentialException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(NotificationVerifier.class);
    private static final int MAX_REMEMBERED = 1024;
    private static final byte[][] RESYNC_NONCES = {NonceStore.RESYNC, "AAAAAA==".getBytes(StandardCharsets.US_ASCII),
        "0x00000000".getBytes(StandardCharsets.US_ASCII)};

    private final Accounts accounts;
    private final Credentials credentials;
    private final Clock clock;
    private final Duration replayWindow;
    private final Map<String, Instant> seen = new LinkedHashMap<>();

    /**
     * @param accounts the account lookup
     * @param credentials the credential lookup
     * @param clock the clock
     * @param replayWindow how long a digest is remembered
     */
    public NotificationVerifier(Accounts accounts, Credentials credentials, Clock clock, Duration replayWindow) {
        this.accounts = accounts;
        this.credentials = credentials;
        this.clock = clock;
        this.replayWindow = replayWindow;
    }

    /**
     * @param pkg0 the notification bytes
     * @return the outcome, with the verified notification when it is {@link NotificationOutcome#ACCEPTED}
     */
    public Check check(byte[] pkg0) {
        Notification.Signed signed;
        try {
            signed = Notification.parse(pkg0);
        } catch (CodecException e) {
            LOG.info("Dropped a notification: {}", e.toDisplayString());
            return new Check(NotificationOutcome.MALFORMED, null);
        }
        Notification n = signed.notification();
        if (n.sessionId() == 0) {
            LOG.info("Dropped a notification from {}: SessionID 0", n.serverId());
            return new Check(NotificationOutcome.MALFORMED, null);
        }
        DmAccount account;
        try {
            Optional<DmAccount> found = accounts.byServerId(n.serverId());
            if (found.isEmpty()) {
                LOG.info("Dropped a notification for unknown server {}", n.serverId());
                return new Check(NotificationOutcome.UNKNOWN_SERVER, null);
            }
            account = found.get();
        } catch (DmException e) {
            LOG.warn("Dropped a notification from {}: accounts cannot be read ({})", n.serverId(), e.toDisplayString());
            return new Check(NotificationOutcome.NO_CREDENTIALS, null);
        }
        byte[] stored = account.credential(AuthLevel.SRVCRED).map(AppAuth::data).orElse(null);
        boolean ok;
        boolean resync = false;
        try {
            AccountCredentials creds = credentials.of(account);
            if (account.credential(AuthLevel.SRVCRED).isEmpty()) {
                LOG.info("Dropped a notification from {}: the account has no server credentials", n.serverId());
                return new Check(NotificationOutcome.NO_CREDENTIALS, null);
            }
            ok = creds.verifyNotification(n.serverId(), signed.digest(), signed.trigger(), stored);
            for (int i = 0; !ok && i < RESYNC_NONCES.length; i++) {
                ok = creds.verifyNotification(n.serverId(), signed.digest(), signed.trigger(), RESYNC_NONCES[i]);
                resync = ok;
            }
        } catch (CredentialException e) {
            LOG.info("Dropped a notification from {}: credentials unavailable ({})", n.serverId(), e.reason());
            return new Check(NotificationOutcome.NO_CREDENTIALS, null);
        }
        if (!ok) {
            LOG.warn("Dropped a notification from {}: wrong digest", n.serverId());
            return new Check(NotificationOutcome.BAD_DIGEST, null);
        }
        if (!remember(n.serverId() + "/" + HexFormat.of().formatHex(signed.digest()))) {
            LOG.info("Dropped a replayed notification from {} (session {})", n.serverId(), n.sessionIdHex());
            return new Check(NotificationOutcome.REPLAYED, null);
        }
        LOG.info("Notification from {} for session {} verified{}", n.serverId(), n.sessionIdHex(),
                resync ? " with the re-synchronisation nonce" : "");
        return new Check(NotificationOutcome.ACCEPTED, new Verified(n, account, resync));
    }

    private synchronized boolean remember(String key) {
        Instant now = clock.instant();
        for (Iterator<Map.Entry<String, Instant>> it = seen.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Instant> e = it.next();
            if (e.getValue().plus(replayWindow).isBefore(now) || seen.size() > MAX_REMEMBERED) {
                it.remove();
            } else {
                break;
            }
        }
        if (seen.containsKey(key)) {
            return false;
        }
        seen.put(key, now);
        return true;
    }
}
