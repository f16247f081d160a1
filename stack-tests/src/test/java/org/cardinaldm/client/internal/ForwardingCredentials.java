package org.cardinaldm.client.internal;

import org.cardinaldm.client.api.spi.AccountCredentials;
import org.cardinaldm.client.api.spi.AuthScheme;
import org.cardinaldm.client.api.spi.CredentialException;

/** Credentials that hand every call to another store; tests override what they observe or change. */
class ForwardingCredentials implements AccountCredentials {
    /** The store every call goes to. */
    final AccountCredentials d;

    ForwardingCredentials(AccountCredentials d) {
        this.d = d;
    }

    @Override
    public AuthScheme clientScheme() {
        return d.clientScheme();
    }

    @Override
    public String clientName() {
        return d.clientName();
    }

    @Override
    public boolean supportsClientScheme(AuthScheme scheme) {
        return d.supportsClientScheme(scheme);
    }

    @Override
    public String clientCredential(AuthScheme scheme, byte[] nonce) throws CredentialException {
        return d.clientCredential(scheme, nonce);
    }

    @Override
    public String clientMac(byte[] nonce, byte[] body) throws CredentialException {
        return d.clientMac(nonce, body);
    }

    @Override
    public AuthScheme serverScheme() {
        return d.serverScheme();
    }

    @Override
    public boolean verifyServerCredential(AuthScheme scheme, String credential, byte[] nonce)
            throws CredentialException {
        return d.verifyServerCredential(scheme, credential, nonce);
    }

    @Override
    public boolean verifyServerMac(String username, String mac, byte[] nonce, byte[] body) throws CredentialException {
        return d.verifyServerMac(username, mac, nonce, body);
    }

    @Override
    public boolean verifyNotification(String serverId, byte[] digest, byte[] trigger, byte[] nonce)
            throws CredentialException {
        return d.verifyNotification(serverId, digest, trigger, nonce);
    }
}
