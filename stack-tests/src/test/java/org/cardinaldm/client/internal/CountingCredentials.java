package org.cardinaldm.client.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.cardinaldm.client.api.spi.AccountCredentials;
import org.cardinaldm.client.api.spi.CredentialException;

/** An account's credentials that count the package-0 checks (each a card operation when a card holds the key). */
class CountingCredentials extends ForwardingCredentials {
    /** One package-0 check: the nonce and the source it was made for. */
    record Check(byte[] nonce, String source) {
    }

    final List<Check> checks;

    CountingCredentials(AccountCredentials d, List<Check> checks) {
        super(d);
        this.checks = checks;
    }

    static List<Check> newLog() {
        return new CopyOnWriteArrayList<>();
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
