package org.cardinaldm.client.internal.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

import org.cardinaldm.client.api.spi.AccountCredentials;
import org.cardinaldm.client.api.spi.AuthScheme;
import org.cardinaldm.client.api.spi.CredentialException;
import org.cardinaldm.mo.dmacc.api.AppAuth;
import org.cardinaldm.mo.dmacc.api.AuthLevel;
import org.cardinaldm.mo.dmacc.api.AuthType;
import org.cardinaldm.mo.dmacc.api.DmAccount;
import org.cardinaldm.syncml.api.auth.Credentials;
import org.cardinaldm.syncml.api.auth.HmacHeader;
import org.cardinaldm.syncml.api.notification.Notification;

/**
 * The credentials of an account as stored in {@code ./DMAcc} (AAuthName, AAuthSecret of the CLCRED
 * and SRVCRED entries), used by every account that no {@code CredentialProvider} claims.
 */
public final class DmAccCredentials implements AccountCredentials {
    private final String serverId;
    private final AuthScheme clientScheme;
    private final String clientName;
    private final String clientSecret;
    private final AuthScheme serverScheme;
    private final String serverName;
    private final String serverSecret;

    private DmAccCredentials(DmAccount account) {
        this.serverId = account.serverId();
        Optional<AppAuth> cl = account.credential(AuthLevel.CLCRED);
        Optional<AppAuth> sv = account.credential(AuthLevel.SRVCRED);
        this.clientScheme = cl.map(a -> scheme(a.type())).orElse(AuthScheme.NONE);
        this.clientName = cl.map(AppAuth::name).orElse("");
        this.clientSecret = cl.map(AppAuth::secret).orElse("");
        this.serverScheme = sv.map(a -> scheme(a.type())).orElse(AuthScheme.NONE);
        this.serverName = sv.map(AppAuth::name).filter(n -> !n.isEmpty()).orElse(account.serverId());
        this.serverSecret = sv.map(AppAuth::secret).orElse("");
    }

    /**
     * @param account an account
     * @return its stored credentials
     */
    public static DmAccCredentials of(DmAccount account) {
        return new DmAccCredentials(account);
    }

    /**
     * @param type a DMAcc AAuthType
     * @return the SyncML scheme it stands for; transport-level and unsupported types are NONE
     */
    public static AuthScheme scheme(AuthType type) {
        return AuthScheme.of(type);
    }

    /** @return true when the client scheme needs a secret and none is stored */
    public boolean clientSecretMissing() {
        return clientScheme != AuthScheme.NONE && clientSecret.isEmpty();
    }

    /** @return true when the server scheme needs a secret and none is stored */
    public boolean serverSecretMissing() {
        return serverScheme != AuthScheme.NONE && serverSecret.isEmpty();
    }

    @Override
    public AuthScheme clientScheme() {
        return clientScheme;
    }

    @Override
    public String clientName() {
        return clientName;
    }

    @Override
    public boolean supportsClientScheme(AuthScheme scheme) {
        return scheme != AuthScheme.NONE && !clientSecret.isEmpty();
    }

    @Override
    public String clientCredential(AuthScheme scheme, byte[] nonce) throws CredentialException {
        requireSecret(clientSecret, "client");
        switch (scheme) {
            case BASIC:
                return Base64.getEncoder().encodeToString((clientName + ":" + clientSecret)
                        .getBytes(StandardCharsets.UTF_8));
            case MD5:
                return Credentials.md5Digest(clientName, clientSecret, nonce);
            default:
                throw new CredentialException(CredentialException.Reason.UNSUPPORTED, scheme + " is not a Cred scheme");
        }
    }

    @Override
    public String clientMac(byte[] nonce, byte[] body) throws CredentialException {
        requireSecret(clientSecret, "client");
        return HmacHeader.mac(clientName, clientSecret, nonce, body);
    }

    @Override
    public AuthScheme serverScheme() {
        return serverScheme;
    }

    @Override
    public boolean verifyServerCredential(AuthScheme scheme, String credential, byte[] nonce) throws CredentialException {
        requireSecret(serverSecret, "server");
        byte[] received = credential.trim().getBytes(StandardCharsets.US_ASCII);
        switch (scheme) {
            case BASIC: {
                byte[] expected = Base64.getEncoder().encode((serverName + ":" + serverSecret)
                        .getBytes(StandardCharsets.UTF_8));
                return MessageDigest.isEqual(expected, received);
            }
            case MD5: {
                // the raw nonce (the spec) and its base64 text (servers that hash the NextNonce as sent)
                byte[] raw = Credentials.md5Digest(serverName, serverSecret, nonce).getBytes(StandardCharsets.US_ASCII);
                byte[] text = Credentials.md5Digest(serverName, serverSecret,
                        Base64.getEncoder().encode(nonce)).getBytes(StandardCharsets.US_ASCII);
                return MessageDigest.isEqual(raw, received) | MessageDigest.isEqual(text, received);
            }
            default:
                return false;
        }
    }

    @Override
    public boolean verifyServerMac(String username, String mac, byte[] nonce, byte[] body) throws CredentialException {
        requireSecret(serverSecret, "server");
        boolean nameOk = MessageDigest.isEqual(serverName.getBytes(StandardCharsets.UTF_8),
                username.getBytes(StandardCharsets.UTF_8));
        return new HmacHeader(HmacHeader.MD5, serverName, mac).verify(serverSecret, nonce, body) & nameOk;
    }

    @Override
    public boolean verifyNotification(String notifiedServerId, byte[] digest, byte[] trigger, byte[] nonce)
            throws CredentialException {
        requireSecret(serverSecret, "server");
        boolean byId = MessageDigest.isEqual(Notification.digest(notifiedServerId, serverSecret, nonce, trigger), digest);
        boolean byName = !serverName.equals(notifiedServerId)
                && MessageDigest.isEqual(Notification.digest(serverName, serverSecret, nonce, trigger), digest);
        return byId | byName;
    }

    private void requireSecret(String secret, String side) throws CredentialException {
        if (secret.isEmpty()) {
            throw new CredentialException(CredentialException.Reason.UNAVAILABLE,
                    "No " + side + " secret stored for " + serverId);
        }
    }

    @Override
    public String toString() {
        return "DmAccCredentials[" + serverId + " client " + clientScheme + " server " + serverScheme + "]";
    }
}
