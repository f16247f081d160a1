package org.cardinaldm.client.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.cardinaldm.client.api.spi.AccountCredentials;
import org.cardinaldm.client.api.spi.AuthScheme;
import org.cardinaldm.client.api.spi.CredentialException;

/** An account's credentials that count the package-0 checks (each a card operation when a card holds the key). */
class CountingCredentials implements AccountCredentials {
    /** One package-0 check: the nonce and the source it was made for. */
    record Check(byte[] nonce, String source) {
    }

    private final AccountCredentials d;
    final List<Check> checks;

    CountingCredentials(AccountCredentials d, List<Check> checks) {
        this.d = d;
        this.checks = checks;
    }

    static List<Check> newLog() {
        return new CopyOnWriteArrayList<>();
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
        checks.add(new Check(nonce.clone(), ""));
        return d.verifyNotification(serverId, digest, trigger, nonce);
    }

    @Override
    public boolean verifyNotification(String serverId, byte[] digest, byte[] trigger, byte[] nonce, String source)
            throws CredentialException {
        checks.add(new Check(nonce.clone(), source));
        return d.verifyNotification(serverId, digest, trigger, nonce);
    }
}
