package org.cardinaldm.smartcard.bootstrap.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

import org.cardinaldm.client.api.spi.AccountCredentials;
import org.cardinaldm.client.api.spi.AuthScheme;
import org.cardinaldm.client.api.spi.CredentialException;
import org.cardinaldm.mo.dmacc.api.AppAuth;
import org.cardinaldm.mo.dmacc.api.AuthLevel;
import org.cardinaldm.mo.dmacc.api.DmAccount;
import org.cardinaldm.smartcard.api.SmartCardException;
import org.cardinaldm.smartcard.dm.api.CardCredential;
import org.cardinaldm.smartcard.dm.api.DigestType;
import org.cardinaldm.smartcard.dm.api.DmCard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The credentials of one card-originated DM account, served by the card (smart-card profile A8): the client's
 * md5 credential and HMAC are computed by COMPUTE DM DIGEST, the server's md5 credential, HMAC and package-0
 * digest are checked by VERIFY SERVER DIGEST (the session form against the card's own challenge, which
 * {@link #nextServerNonce()} hands to the client; the package-0 digest with the notification form, which never opens
 * the card's {@code dm} state). The device never holds a key. Every card failure becomes a
 * {@link CredentialException}; a removed card is {@link CredentialException.Reason#UNAVAILABLE}, which ends the
 * session as an authentication failure (no fallback).
 *
 * <p>Inputs that cannot be a digest (not base64, not 16 bytes, a foreign HMAC user name) are refused without
 * asking the card, so that they cost none of the card key's tries. Server md5 credentials are checked against
 * the raw nonce only (each wrong candidate costs the key a try). Package-0 digests are checked within a
 * {@link NotificationBudget}, so that forged notifications cannot block the card's server key.
 */
final class CardAccountCredentials implements AccountCredentials {
    private static final Logger LOG = LoggerFactory.getLogger(CardAccountCredentials.class);
    private final DmCard card;
    private final String serverId;
    private final CardCredential client;
    private final CardCredential server;
    private final AuthScheme clientScheme;
    private final AuthScheme serverScheme;
    private final String clientName;
    private final NotificationBudget budget;

    /**
     * @param card the card
     * @param account the account it serves
     * @param client the card's client credential for the account's server, or null
     * @param server the card's server credential for it, or null
     * @param budget the card's budget of failed package-0 checks
     */
    CardAccountCredentials(DmCard card, DmAccount account, CardCredential client, CardCredential server,
            NotificationBudget budget) {
        this.card = card;
        this.serverId = account.serverId();
        this.client = client;
        this.server = server;
        this.budget = budget;
        this.clientScheme = scheme(account.credential(AuthLevel.CLCRED), client);
        this.serverScheme = scheme(account.credential(AuthLevel.SRVCRED), server);
        this.clientName = client != null ? client.authName()
                : account.credential(AuthLevel.CLCRED).map(AppAuth::name).orElse("");
    }

    /** The account's AAuthType decides; without an AppAuth entry the card's own digests do (md5 first). */
    private static AuthScheme scheme(Optional<AppAuth> entry, CardCredential onCard) {
        if (entry.isPresent()) {
            return AuthScheme.of(entry.get().type());
        }
        if (onCard == null) {
            return AuthScheme.NONE;
        }
        return onCard.digests().contains(DigestType.MD5) ? AuthScheme.MD5
                : onCard.digests().contains(DigestType.HMAC) ? AuthScheme.HMAC : AuthScheme.NONE;
    }

    @Override
    public AuthScheme clientScheme() {
        return clientScheme;
    }

    @Override
    public boolean supportsClientScheme(AuthScheme scheme) {
        DigestType t = digestType(scheme);
        return client != null && t != null && client.digests().contains(t);
    }

    @Override
    public String clientName() {
        return clientName;
    }

    @Override
    public String clientCredential(AuthScheme scheme, byte[] nonce) throws CredentialException {
        if (scheme != AuthScheme.MD5) {
            throw new CredentialException(CredentialException.Reason.UNSUPPORTED,
                    "the smart card computes md5 and HMAC credentials only, not " + scheme);
        }
        return b64(compute(DigestType.MD5, nonce, null));
    }

    @Override
    public String clientMac(byte[] nonce, byte[] body) throws CredentialException {
        return b64(compute(DigestType.HMAC, nonce, body));
    }

    private byte[] compute(DigestType type, byte[] nonce, byte[] body) throws CredentialException {
        if (client == null) {
            throw new CredentialException(CredentialException.Reason.UNSUPPORTED,
                    "the smart card holds no client credential for " + serverId);
        }
        try {
            return card.computeDigest(serverId, type, nonce == null ? new byte[0] : nonce, body);
        } catch (SmartCardException e) {
            throw failure(e);
        }
    }

    @Override
    public AuthScheme serverScheme() {
        return serverScheme;
    }

    @Override
    public boolean verifyServerCredential(AuthScheme scheme, String credential, byte[] nonce) throws CredentialException {
        if (scheme != AuthScheme.MD5) {
            throw new CredentialException(CredentialException.Reason.UNSUPPORTED,
                    "the smart card checks md5 and HMAC server credentials only, not " + scheme);
        }
        byte[] digest = digest(credential);
        return digest != null && verify(DigestType.MD5, nonce, null, digest);
    }

    @Override
    public boolean verifyServerMac(String username, String mac, byte[] nonce, byte[] body) throws CredentialException {
        requireServer();
        boolean nameOk = MessageDigest.isEqual(server.authName().getBytes(StandardCharsets.UTF_8),
                username.getBytes(StandardCharsets.UTF_8));
        byte[] digest = digest(mac);
        return nameOk && digest != null && verify(DigestType.HMAC, nonce, body, digest);
    }

    @Override
    public boolean verifyNotification(String notifiedServerId, byte[] digest, byte[] trigger, byte[] nonce)
            throws CredentialException {
        return verifyNotification(notifiedServerId, digest, trigger, nonce, "");
    }

    /**
     * One card operation at most, within the card's {@link NotificationBudget} for that sender; a sender whose
     * share is used up gets a {@link CredentialException} ({@code UNAVAILABLE}) without the card being asked.
     */
    @Override
    public boolean verifyNotification(String notifiedServerId, byte[] digest, byte[] trigger, byte[] nonce,
            String source) throws CredentialException {
        requireServer();
        if (digest == null || digest.length != 16) {
            return false;
        }
        String from = source == null ? "" : source;
        if (!budget.tryAcquire(from)) {
            throw new CredentialException(CredentialException.Reason.UNAVAILABLE, "smart card " + card.cardId()
                    + " for " + serverId + ": the budget of wrong notification digests is used up");
        }
        // the package-0 digest is the HMAC form over the trigger (digest 4.2), keyed by the server credential
        boolean ok = verifyOnce(DigestType.HMAC, nonce, trigger, digest);
        if (ok) {
            // the card's notification form opens no dm state, so there is nothing to end (and ending here would
            // end a DM session running on the same card at this moment)
            budget.succeeded(from);
        } else if (budget.failed(from)) {
            LOG.warn("Smart card {}: too many wrong notification digests for {}; notifications from senders that "
                    + "have not proven themselves are refused without asking the card until a server authenticates "
                    + "itself to the card", card.cardId(), serverId);
        }
        return ok;
    }

    /** A server's session credential: on a profile 1.1 card, against the card's own challenge only. */
    private boolean verify(DigestType type, byte[] nonce, byte[] body, byte[] digest) throws CredentialException {
        requireServer();
        boolean ok;
        try {
            ok = card.verifyServer(serverId, type, nonce == null ? new byte[0] : nonce, body, digest);
        } catch (SmartCardException e) {
            throw failure(e);
        }
        if (ok) {
            budget.reset();
        }
        return ok;
    }

    /**
     * The package-0 check (the HMAC form over the trigger): the card's notification form, which answers match or no
     * match and never opens its {@code dm} state.
     */
    private boolean verifyOnce(DigestType type, byte[] nonce, byte[] trigger, byte[] digest) throws CredentialException {
        try {
            return card.verifyNotification(serverId, nonce == null ? new byte[0] : nonce, trigger == null ? new byte[0]
                    : trigger, digest);
        } catch (SmartCardException e) {
            throw failure(e);
        }
    }

    /**
     * The card's own challenge for the account's server key (profile 1.1), so that the card accepts each server
     * digest once; empty for a card without one, or without a server credential for the account.
     */
    @Override
    public Optional<byte[]> nextServerNonce() throws CredentialException {
        if (server == null) {
            return Optional.empty();
        }
        try {
            return card.serverChallenge(serverId);
        } catch (SmartCardException e) {
            throw failure(e);
        }
    }

    private void requireServer() throws CredentialException {
        if (server == null) {
            throw new CredentialException(CredentialException.Reason.UNSUPPORTED,
                    "the smart card holds no server credential for " + serverId);
        }
    }

    /** @return the 16 digest bytes of a base64 text, or null when it cannot be a digest */
    private static byte[] digest(String b64) {
        if (b64 == null) {
            return null;
        }
        try {
            byte[] d = Base64.getDecoder().decode(b64.trim());
            return d.length == 16 ? d : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static DigestType digestType(AuthScheme scheme) {
        switch (scheme) {
            case MD5:
                return DigestType.MD5;
            case HMAC:
                return DigestType.HMAC;
            default:
                return null;
        }
    }

    private static String b64(byte[] digest) {
        return Base64.getEncoder().encodeToString(digest);
    }

    /** Maps a card failure; the message names the card and the code, never data. */
    private CredentialException failure(SmartCardException e) {
        CredentialException.Reason reason;
        switch (e.code()) {
            case CARD_REMOVED:
            case CARD_ABSENT:
            case READER_ABSENT:
            case CARD_RESET:
            case SESSION_CLOSED:
                reason = CredentialException.Reason.UNAVAILABLE;
                break;
            case NOT_SUPPORTED:
                reason = CredentialException.Reason.UNSUPPORTED;
                break;
            default:
                reason = CredentialException.Reason.FAILED;
                break;
        }
        return new CredentialException(reason, "smart card " + card.cardId() + " for " + serverId + ": " + e.code(), e);
    }

    @Override
    public String toString() {
        return "CardAccountCredentials[" + serverId + " on card " + card.cardId() + ", client " + clientScheme
                + ", server " + serverScheme + "]";
    }
}
