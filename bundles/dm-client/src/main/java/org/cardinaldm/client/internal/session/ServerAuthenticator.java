package org.cardinaldm.client.internal.session;

import java.net.URI;
import java.util.Base64;
import java.util.Optional;

import org.cardinaldm.client.api.SessionOutcome;
import org.cardinaldm.client.api.spi.AccountCredentials;
import org.cardinaldm.client.api.spi.AuthScheme;
import org.cardinaldm.client.api.spi.CredentialException;
import org.cardinaldm.client.internal.auth.NonceStore;
import org.cardinaldm.mo.dmacc.api.AppAuth;
import org.cardinaldm.mo.dmacc.api.AuthLevel;
import org.cardinaldm.mo.dmacc.api.DmAccount;
import org.cardinaldm.syncml.api.CodecException;
import org.cardinaldm.syncml.api.auth.AuthType;
import org.cardinaldm.syncml.api.auth.HmacHeader;
import org.cardinaldm.syncml.api.model.Chal;
import org.cardinaldm.syncml.api.model.Cred;
import org.cardinaldm.syncml.api.model.Meta;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.SyncHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device's check of the server's credentials in one session (digest 3): the SyncHdr Cred (basic
 * or md5 against the SRVCRED nonce) or the {@code x-syncml-hmac} header, a new challenge (NextNonce)
 * after each check, a bounded number of failed attempts, and the SRVCRED nonce it keeps in the
 * nonce store. Owned by one {@link Session}; single-threaded.
 */
final class ServerAuthenticator {
    /**
     * How the server's credentials went for one message.
     *
     * @param authorized whether the message's commands may run
     * @param code the status of the server's SyncHdr
     * @param chal the challenge to send with it, or null
     * @param verified the server's Cred or HMAC was checked OK in this very message (or TLS, without SRVCRED)
     */
    record Check(boolean authorized, int code, Chal chal, boolean verified) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ServerAuthenticator.class);

    private final SessionContext ctx;
    private final DmAccount account;
    private final AccountCredentials creds;
    private final boolean resync;
    private final AuthScheme serverScheme;
    private byte[] serverNonce;
    private byte[] previousServerNonce;
    private boolean serverAuthenticated;
    private int serverChallenges;

    /**
     * @param ctx what sessions share (settings, nonce store)
     * @param account the server's account
     * @param creds its credentials
     * @param resync whether the notification asked for nonce re-synchronisation
     */
    ServerAuthenticator(SessionContext ctx, DmAccount account, AccountCredentials creds, boolean resync) {
        this.ctx = ctx;
        this.account = account;
        this.creds = creds;
        this.resync = resync;
        this.serverScheme = creds.serverScheme();
        this.serverNonce = account.credential(AuthLevel.SRVCRED).map(AppAuth::data).orElse(new byte[0]);
    }

    /** @return true when the server is authenticated in this session, or needs no credentials */
    boolean trusted() {
        return serverAuthenticated || serverScheme == AuthScheme.NONE;
    }

    /** The session closes without sending the last challenge: the server still holds the nonce it had. */
    void keepPreviousNonce() {
        serverNonce = previousServerNonce;
        ctx.nonces().store(account, AuthLevel.SRVCRED, previousServerNonce);
    }

    /**
     * @param h the server message's header
     * @param raw the message as received (for the HMAC)
     * @param hmacHeader the {@code x-syncml-hmac} header of the response, if any
     * @param target where the message came from (TLS counts when the account has no SRVCRED)
     * @return how the check went
     * @throws Session.End when the server failed too often or its credentials cannot be checked
     */
    Check check(SyncHeader h, byte[] raw, Optional<String> hmacHeader, URI target) throws Session.End {
        if (serverScheme == AuthScheme.NONE) {
            return new Check(true, StatusCodes.OK, null, "https".equalsIgnoreCase(target.getScheme()));
        }
        if (serverAuthenticated && serverScheme != AuthScheme.HMAC) {
            return new Check(true, StatusCodes.OK, null, false);
        }
        try {
            if (serverScheme == AuthScheme.HMAC) {
                return checkServerMac(raw, hmacHeader);
            }
            Cred cred = h.cred();
            if (cred == null) {
                return serverFailed(StatusCodes.MISSING_CREDENTIALS, "no credentials");
            }
            AuthType type = cred.meta() == null || cred.meta().type() == null ? AuthType.BASIC
                    : AuthType.fromMetaType(cred.meta().type()).orElse(null);
            AuthScheme scheme = type == AuthType.BASIC ? AuthScheme.BASIC : type == AuthType.MD5 ? AuthScheme.MD5 : null;
            boolean ok = scheme == serverScheme && verify(scheme, cred.data().asText());
            if (!ok) {
                return serverFailed(StatusCodes.INVALID_CREDENTIALS, "wrong credentials");
            }
            serverAuthenticated = true;
            LOG.debug("Server {} authenticated ({})", account.serverId(), serverScheme);
            Chal chal = null;
            if (serverScheme == AuthScheme.MD5) {
                chal = newServerChallenge();
            }
            return new Check(true, StatusCodes.AUTHENTICATION_ACCEPTED, chal, true);
        } catch (CredentialException e) {
            throw new Session.End(SessionOutcome.AUTHENTICATION_FAILED, "the server's credentials cannot be checked: "
                    + e.reason());
        }
    }

    private boolean verify(AuthScheme scheme, String credential) throws CredentialException {
        boolean ok = creds.verifyServerCredential(scheme, credential, serverNonce);
        if (!ok && resync && scheme == AuthScheme.MD5) {
            ok = creds.verifyServerCredential(scheme, credential, NonceStore.RESYNC);
        }
        return ok;
    }

    private Check checkServerMac(byte[] raw, Optional<String> value) throws Session.End, CredentialException {
        if (value.isEmpty()) {
            return serverFailed(StatusCodes.MISSING_CREDENTIALS, "no x-syncml-hmac header");
        }
        HmacHeader hmac;
        try {
            hmac = HmacHeader.parse(value.get());
        } catch (CodecException e) {
            return serverFailed(StatusCodes.INVALID_CREDENTIALS, "malformed x-syncml-hmac header");
        }
        boolean ok = HmacHeader.MD5.equalsIgnoreCase(hmac.algorithm())
                && (creds.verifyServerMac(hmac.username(), hmac.mac(), serverNonce, raw)
                        || resync && creds.verifyServerMac(hmac.username(), hmac.mac(), NonceStore.RESYNC, raw));
        if (!ok) {
            return serverFailed(StatusCodes.INVALID_CREDENTIALS, "wrong MAC");
        }
        serverAuthenticated = true;
        return new Check(true, StatusCodes.OK, newServerChallenge(), true);
    }

    private Check serverFailed(int code, String why) throws Session.End, CredentialException {
        serverChallenges++;
        LOG.info("Server {} not authenticated ({}, {} of {} attempts)", account.serverId(), why, serverChallenges,
                ctx.settings().authAttempts());
        if (serverChallenges > ctx.settings().authAttempts()) {
            throw new Session.End(SessionOutcome.AUTHENTICATION_FAILED, "the server failed to authenticate "
                    + serverChallenges + " times (" + why + ")", true);
        }
        serverAuthenticated = false;
        return new Check(false, code, newServerChallenge(), false);
    }

    /** The next nonce for the server: the credential store's own challenge when it has one, else random. */
    private Chal newServerChallenge() throws CredentialException {
        AuthType type = serverScheme == AuthScheme.BASIC ? AuthType.BASIC
                : serverScheme == AuthScheme.MD5 ? AuthType.MD5 : AuthType.HMAC;
        Meta.Builder meta = Meta.builder().type(type.metaType()).format("b64");
        if (serverScheme != AuthScheme.BASIC) {
            byte[] nonce = creds.nextServerNonce().filter(n -> n.length > 0).map(byte[]::clone)
                    .orElseGet(ctx.nonces()::fresh);
            previousServerNonce = serverNonce;
            ctx.nonces().store(account, AuthLevel.SRVCRED, nonce);
            serverNonce = nonce;
            meta.nextNonce(Base64.getEncoder().encodeToString(nonce));
        }
        return new Chal(meta.build());
    }
}
