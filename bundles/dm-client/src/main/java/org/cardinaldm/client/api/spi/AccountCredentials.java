package org.cardinaldm.client.api.spi;

import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The credentials of one DM account, used without revealing the secrets (digest 3): the client's
 * credentials for the server (DMAcc {@code AAuthLevel=CLCRED}) and the server's credentials the
 * client checks (DMAcc {@code SRVCRED}). The client keeps the nonces (in {@code AAuthData}); this
 * object only computes and verifies. Digest formulas are those of digest 3.2, 3.3 and 4.2; every
 * nonce is the raw (base64-decoded) nonce.
 *
 * <p>Implementations compare in constant time and never log their inputs or outputs.
 */
@ConsumerType
public interface AccountCredentials {
    /** @return how the client authenticates to the server (from the CLCRED AAuthType) */
    AuthScheme clientScheme();

    /** @return the client's user name (CLCRED AAuthName), sent as SyncHdr Source LocName and HMAC username */
    String clientName();

    /**
     * @param scheme a scheme the server challenged with
     * @return true when {@link #clientCredential} can answer with that scheme
     */
    boolean supportsClientScheme(AuthScheme scheme);

    /**
     * The client's credential for a SyncHdr Cred.
     *
     * @param scheme {@link AuthScheme#BASIC} or {@link AuthScheme#MD5}
     * @param nonce the raw nonce the server gave (ignored for basic)
     * @return the Cred data: B64(name ":" secret) or the b64 md5 digest
     * @throws CredentialException when the store cannot compute it now
     */
    String clientCredential(AuthScheme scheme, byte[] nonce) throws CredentialException;

    /**
     * The client's MAC for the {@code x-syncml-hmac} header of one message.
     *
     * @param nonce the raw nonce the server gave
     * @param body the exact message bytes
     * @return the b64 MAC
     * @throws CredentialException when the store cannot compute it now
     */
    String clientMac(byte[] nonce, byte[] body) throws CredentialException;

    /** @return how the server must authenticate to the client (from the SRVCRED AAuthType) */
    AuthScheme serverScheme();

    /**
     * @param scheme {@link AuthScheme#BASIC} or {@link AuthScheme#MD5}
     * @param credential the Cred data the server sent
     * @param nonce the raw nonce the client gave the server (ignored for basic)
     * @return true when it matches the server's credentials
     * @throws CredentialException when the store cannot check it now
     */
    boolean verifyServerCredential(AuthScheme scheme, String credential, byte[] nonce) throws CredentialException;

    /**
     * @param username the username of the server's {@code x-syncml-hmac} header
     * @param mac its mac value
     * @param nonce the raw nonce the client gave the server
     * @param body the exact message bytes received
     * @return true when the MAC matches
     * @throws CredentialException when the store cannot check it now
     */
    boolean verifyServerMac(String username, String mac, byte[] nonce, byte[] body) throws CredentialException;

    /**
     * @param serverId the notification's ServerID
     * @param digest the 16-byte digest of the package 0
     * @param trigger the exact trigger bytes (everything after the digest)
     * @param nonce the raw nonce to try
     * @return true when the digest matches the server's credentials
     * @throws CredentialException when the store cannot check it now
     */
    boolean verifyNotification(String serverId, byte[] digest, byte[] trigger, byte[] nonce) throws CredentialException;

    /**
     * Checks a package-0 digest like {@link #verifyNotification(String, byte[], byte[], byte[])}, naming the
     * unauthenticated sender, so that a store whose checks are costly (a smart card, whose key has a try
     * counter) can keep its budget of failed checks per sender. The client calls this at most once per
     * received notification.
     *
     * @param serverId the notification's ServerID
     * @param digest the 16-byte digest of the package 0
     * @param trigger the exact trigger bytes (everything after the digest)
     * @param nonce the raw nonce to try
     * @param source the bearer's name for the sender, e.g. {@code udp:192.0.2.7}; empty when unknown
     * @return true when the digest matches the server's credentials
     * @throws CredentialException when the store cannot check it now
     */
    default boolean verifyNotification(String serverId, byte[] digest, byte[] trigger, byte[] nonce, String source)
            throws CredentialException {
        return verifyNotification(serverId, digest, trigger, nonce);
    }

    /**
     * The nonce the client gives the server for the server's next credential (the NextNonce of the client's
     * Chal for the server, kept in SRVCRED AAuthData). A store that verifies the server itself against a
     * challenge of its own (a smart card) returns that challenge, so that a recorded server digest is never
     * accepted again; the client then sends it instead of a random nonce.
     *
     * @return the raw nonce, or empty to let the client choose a random one (the default)
     * @throws CredentialException when the store cannot produce it now
     */
    default Optional<byte[]> nextServerNonce() throws CredentialException {
        return Optional.empty();
    }
}
