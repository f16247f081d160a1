package org.cardinaldm.server.internal.session;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.cardinaldm.syncml.api.model.SyncMessage;

/**
 * What one message of the device said beside its answers, gathered while its commands are processed: the
 * DevInfo values it reported (Replace), the messages of the server it refused the server's credentials in,
 * the server nonce it sent for the next credentials, and whether it asked for the next message (Alert 1222)
 * or aborted the session (Alert 1223).
 */
public final class Inbound {
    final SyncMessage msg;
    final Map<String, String> devInfo = new HashMap<>();
    final Set<String> refusedMessages = new LinkedHashSet<>();
    boolean abort;
    boolean wantsMore;
    boolean devInfoRejected;
    String newServerNonce;

    Inbound(SyncMessage msg) {
        this.msg = msg;
    }

    /** @return whether the device aborted the session (Alert 1223) */
    public boolean aborted() {
        return abort;
    }

    /** @return whether the device asked for the next message of the server's package (Alert 1222) */
    public boolean wantsMore() {
        return wantsMore;
    }
}
