package org.cardinaldm.client.internal.auth;

import java.security.SecureRandom;
import java.util.Optional;

import org.cardinaldm.api.DmException;
import org.cardinaldm.api.DmTree;
import org.cardinaldm.api.NodeUri;
import org.cardinaldm.api.NodeValue;
import org.cardinaldm.api.Principal;
import org.cardinaldm.api.TreeAccess;
import org.cardinaldm.mo.dmacc.api.AppAuth;
import org.cardinaldm.mo.dmacc.api.AuthLevel;
import org.cardinaldm.mo.dmacc.api.DmAccount;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the next nonces of an account in its {@code AppAuth/<X>/AAuthData} leaves (digest 3.4),
 * written through the DM tree as the system principal, and makes fresh ones. Nonces are never logged.
 */
public final class NonceStore {
    /** The re-synchronisation nonce: four zero bytes (digest 3.4). */
    public static final byte[] RESYNC = new byte[4];

    private static final Logger LOG = LoggerFactory.getLogger(NonceStore.class);
    private static final int NONCE_BYTES = 16;

    private final DmTree tree;
    private final SecureRandom random = new SecureRandom();

    /** @param tree the DM tree */
    public NonceStore(DmTree tree) {
        this.tree = tree;
    }

    /** @return 16 fresh random bytes */
    public byte[] fresh() {
        byte[] n = new byte[NONCE_BYTES];
        random.nextBytes(n);
        return n;
    }

    /**
     * @param account the account
     * @param level CLCRED or SRVCRED
     * @param nonce the raw nonce to keep
     * @return true when stored
     */
    public boolean store(DmAccount account, AuthLevel level, byte[] nonce) {
        Optional<AppAuth> auth = account.credential(level);
        if (auth.isEmpty()) {
            return false;
        }
        NodeUri uri = account.uri().child("AppAuth").child(auth.get().nodeName()).child("AAuthData");
        NodeValue value = NodeValue.ofBinary(nonce, "application/octet-stream");
        TreeAccess system = tree.as(Principal.system());
        try {
            if (system.exists(uri)) {
                system.replace(uri, value);
            } else {
                system.add(uri, value);
            }
            LOG.debug("Stored the next {} nonce of {}", level, account.serverId());
            return true;
        } catch (DmException | RuntimeException e) {
            LOG.warn("Cannot store the next {} nonce of {}: {}", level, account.serverId(),
                    e instanceof DmException ? ((DmException) e).toDisplayString() : e.toString());
            return false;
        }
    }
}
