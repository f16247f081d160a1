package org.cardinaldm.mo.dmacc.api;

import java.util.List;
import java.util.Optional;

import org.cardinaldm.api.DmException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The DM server accounts of this device, read from {@code ./DMAcc}.
 * <pre>{@code
 * DmAccount acc = accounts.byServerId("dms.example.com").orElseThrow();
 * URI server = URI.create(acc.addresses().get(0).address());
 * Optional<AppAuth> client = acc.credential(AuthLevel.CLCRED);
 * }</pre>
 */
@ProviderType
public interface DmAccounts {
    /** Where the accounts live. */
    String ROOT = "./DMAcc";

    /** The MO identifier of an account node. */
    String MO_ID = "urn:oma:mo:oma-dm-dmacc:1.0";

    /** The AppID every DM account carries. */
    String APP_ID = "w7";

    /**
     * @return every well-formed account (AppID {@code w7} and a ServerID), in tree order; accounts
     *     still being written or broken are left out
     * @throws DmException 510 when the tree cannot be read
     */
    List<DmAccount> accounts() throws DmException;

    /**
     * @param serverId a ServerID
     * @return the account of that server, if any
     * @throws DmException 510 when the tree cannot be read
     */
    Optional<DmAccount> byServerId(String serverId) throws DmException;
}
