package org.cardinaldm.client.internal.notify;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
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
 * Checks a package-0 notification before anything else happens (digest 4): parse, find the account of its
 * ServerID, drop a replay (a digest accepted within the replay window) and then verify the digest with the
 * server's credentials — with exactly ONE nonce per received notification, so that a forged datagram costs at
 * most one credential check (one card operation when a smart card holds the key).
 *
 * <p>Which nonce: the first time a notification arrives, the stored SRVCRED nonce (the empty nonce when none
 * is stored). If that fails and the very same notification (same bytes)
 * arrives again — servers send a notification again when the device does not call — it is checked with the next
 * re-synchronisation nonce: four zero bytes, then the two textual forms some servers use ({@code AAAAAA==},
 * {@code 0x00000000}; digest 3.4). A notification that failed with all of them is refused without any check.
 * So a notification costs at most four checks over its whole life and at most one per datagram, and nobody
 * can change how someone else's notification is checked. A check the credentials could not make (they threw
 * a {@link CredentialException}, e.g. a card that refuses to spend more of its budget) does not count as tried. What was tried and accepted is kept in a
 * {@link NotificationState} that survives restarts. Nothing in a notification is logged beyond its ServerID
 * and SessionID.
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
    /** The most notifications remembered, of each kind (accepted, tried). */
    public static final int MAX_REMEMBERED = 1024;
    private static final byte[][] RESYNC_NONCES = {NonceStore.RESYNC, "AAAAAA==".getBytes(StandardCharsets.US_ASCII),
        "0x00000000".getBytes(StandardCharsets.US_ASCII)};

    private final Accounts accounts;
    private final Credentials credentials;
    private final NotificationState state;

    /**
     * A verifier that remembers in memory only.
     *
     * @param accounts the account lookup
     * @param credentials the credential lookup
     * @param clock the clock
     * @param replayWindow how long a notification is remembered
     */
    public NotificationVerifier(Accounts accounts, Credentials credentials, Clock clock, Duration replayWindow) {
        this(accounts, credentials, clock, replayWindow, null);
    }

    /**
     * @param accounts the account lookup
     * @param credentials the credential lookup
     * @param clock the clock
     * @param replayWindow how long a notification is remembered
     * @param stateFile where that is kept across restarts, or null for memory only
     */
    public NotificationVerifier(Accounts accounts, Credentials credentials, Clock clock, Duration replayWindow,
            Path stateFile) {
        this.accounts = accounts;
        this.credentials = credentials;
        this.state = new NotificationState(stateFile, clock, replayWindow, MAX_REMEMBERED);
    }

    /**
     * @param pkg0 the notification bytes
     * @return the outcome, with the verified notification when it is {@link NotificationOutcome#ACCEPTED}
     */
    public Check check(byte[] pkg0) {
        return check(pkg0, "");
    }

    /**
     * @param pkg0 the notification bytes
     * @param source the bearer's name for the sender (unauthenticated), empty when unknown
     * @return the outcome, with the verified notification when it is {@link NotificationOutcome#ACCEPTED}
     */
    public Check check(byte[] pkg0, String source) {
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
        String acceptedKey = key(n.serverId().getBytes(StandardCharsets.UTF_8), signed.digest());
        if (state.wasAccepted(acceptedKey)) {
            LOG.info("Dropped a replayed notification from {} (session {})", n.serverId(), n.sessionIdHex());
            return new Check(NotificationOutcome.REPLAYED, null);
        }
        List<byte[]> nonces = nonces(account.credential(AuthLevel.SRVCRED).map(AppAuth::data).orElse(null));
        String triedKey = key(n.serverId().getBytes(StandardCharsets.UTF_8), pkg0);
        boolean ok;
        boolean resync;
        boolean counted = false;
        try {
            AccountCredentials creds = credentials.of(account);
            if (account.credential(AuthLevel.SRVCRED).isEmpty()) {
                LOG.info("Dropped a notification from {}: the account has no server credentials", n.serverId());
                return new Check(NotificationOutcome.NO_CREDENTIALS, null);
            }
            int tries = state.tries(triedKey);
            if (tries >= nonces.size()) {
                LOG.info("Dropped a notification from {}: checked with every nonce before", n.serverId());
                return new Check(NotificationOutcome.BAD_DIGEST, null);
            }
            byte[] nonce = nonces.get(tries);
            resync = isResync(nonce);
            state.tried(triedKey); // counted before the check: a crash in it gives no second try
            counted = true;
            ok = creds.verifyNotification(n.serverId(), signed.digest(), signed.trigger(), nonce,
                    source == null ? "" : source);
        } catch (CredentialException e) {
            if (counted) {
                state.untried(triedKey);
            }
            LOG.info("Dropped a notification from {}: credentials unavailable ({})", n.serverId(), e.reason());
            return new Check(NotificationOutcome.NO_CREDENTIALS, null);
        }
        if (!ok) {
            LOG.warn("Dropped a notification from {}: wrong digest{}", n.serverId(),
                    resync ? " (checked with a re-synchronisation nonce)" : "");
            return new Check(NotificationOutcome.BAD_DIGEST, null);
        }
        if (!state.accept(acceptedKey)) {
            LOG.info("Dropped a replayed notification from {} (session {})", n.serverId(), n.sessionIdHex());
            return new Check(NotificationOutcome.REPLAYED, null);
        }
        LOG.info("Notification from {} for session {} verified{}", n.serverId(), n.sessionIdHex(),
                resync ? " with the re-synchronisation nonce" : "");
        return new Check(NotificationOutcome.ACCEPTED, new Verified(n, account, resync));
    }

    /** @return the nonces a notification is checked with, one per arrival, in this order */
    static List<byte[]> nonces(byte[] stored) {
        List<byte[]> out = new ArrayList<>(4);
        if (stored == null || !isResync(stored)) {
            out.add(stored == null ? new byte[0] : stored);
        }
        out.addAll(Arrays.asList(RESYNC_NONCES));
        return out;
    }

    private static boolean isResync(byte[] nonce) {
        for (byte[] r : RESYNC_NONCES) {
            if (Arrays.equals(r, nonce)) {
                return true;
            }
        }
        return false;
    }

    /** @return a 128-bit hash, hex, of the parts (a ServerID and bytes) */
    private static String key(byte[] serverId, byte[] bytes) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(serverId);
            sha.update((byte) 0);
            sha.update(bytes);
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
